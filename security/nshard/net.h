/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - network surfaces
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_NET_H
#define _SECURITY_NSHARD_NET_H

#include <linux/init.h>

void __init nshard_add_net_hooks(void);

#endif /* _SECURITY_NSHARD_NET_H */
