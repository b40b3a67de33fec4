/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nshard LSM - user-space API
 *
 * nshard is administered through files in securityfs, normally mounted on
 * /sys/kernel/security.  This header names those files and bounds what may be
 * written to them.
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _UAPI_LINUX_NSHARD_H
#define _UAPI_LINUX_NSHARD_H

/* Directory of nshard's files, relative to the securityfs root. */
#define NSHARD_FS_DIR		"nshard"

/*
 * Operating mode: reads return one of the names below followed by a newline;
 * writes take one of them, optionally followed by a newline.
 */
#define NSHARD_FS_MODE		"mode"

#define NSHARD_MODE_OFF_NAME		"off"
#define NSHARD_MODE_AUDIT_NAME		"audit"
#define NSHARD_MODE_ENFORCE_NAME	"enforce"

/* Longest mode name, without the newline. */
#define NSHARD_MODE_MAX_LEN	7

/* Longest write accepted by a file that takes one value, such as mode. */
#define NSHARD_VALUE_MAX_LEN	32

#endif /* _UAPI_LINUX_NSHARD_H */
