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

/**
 * enum nshard_verdict - outcome of one mediation decision
 * @NSHARD_ALLOW: the operation proceeds and nothing is logged.
 * @NSHARD_AUDIT: the operation proceeds, but enforce mode would have refused
 *                it; the decision is logged.
 * @NSHARD_DENY: the operation is refused and the decision is logged.
 */
enum nshard_verdict {
	NSHARD_ALLOW,
	NSHARD_AUDIT,
	NSHARD_DENY,
};

#endif /* _SECURITY_NSHARD_COMMON_H */
