/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - where a task stands
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_VIEW_H
#define _SECURITY_NSHARD_VIEW_H

#include <linux/fs.h>

extern const struct file_operations nshard_task_fops;

#endif /* _SECURITY_NSHARD_VIEW_H */
