/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - common definitions
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_COMMON_H
#define _SECURITY_NSHARD_COMMON_H

#define NSHARD_NAME "nshard"

#ifdef pr_fmt
#undef pr_fmt
#endif

#define pr_fmt(fmt) NSHARD_NAME ": " fmt

#endif /* _SECURITY_NSHARD_COMMON_H */
