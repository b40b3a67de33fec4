/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - mounts
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_MOUNT_H
#define _SECURITY_NSHARD_MOUNT_H

#include <linux/init.h>

void __init nshard_add_mount_hooks(void);

#endif /* _SECURITY_NSHARD_MOUNT_H */
