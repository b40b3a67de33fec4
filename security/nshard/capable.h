/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - capabilities used inside user namespaces
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_CAPABLE_H
#define _SECURITY_NSHARD_CAPABLE_H

#include <linux/init.h>

void __init nshard_add_capable_hooks(void);

#endif /* _SECURITY_NSHARD_CAPABLE_H */
