/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - from a verdict to a hook's answer
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_ENFORCE_H
#define _SECURITY_NSHARD_ENFORCE_H

#include "policy.h"

/* No depth limit applies to the operation. */
#define NSHARD_NO_DEPTH		(-1)

int nshard_check(unsigned int op, struct nshard_subject *subject, int type,
		 unsigned int depth, u64 *drop);

#endif /* _SECURITY_NSHARD_ENFORCE_H */
