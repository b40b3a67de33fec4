/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - creating and entering namespaces
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_NS_H
#define _SECURITY_NSHARD_NS_H

#include <linux/init.h>
#include <uapi/linux/nshard.h>

unsigned int nshard_create_depth(enum nshard_ns_type type,
				 unsigned int owner_level,
				 unsigned int pid_level);

void __init nshard_add_ns_hooks(void);

#endif /* _SECURITY_NSHARD_NS_H */
