/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - reporting of decisions
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_LOG_H
#define _SECURITY_NSHARD_LOG_H

#include <linux/cred.h>

#include "common.h"

void nshard_log_decision(enum nshard_verdict verdict, const struct cred *cred,
			 const char *op, const char *reason);

#endif /* _SECURITY_NSHARD_LOG_H */
