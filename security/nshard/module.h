/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - module autoload
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_MODULE_H
#define _SECURITY_NSHARD_MODULE_H

#include <linux/init.h>

void __init nshard_add_module_hooks(void);

#endif /* _SECURITY_NSHARD_MODULE_H */
