/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - reporting of decisions and configuration changes
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_AUDIT_H
#define _SECURITY_NSHARD_AUDIT_H

#include <linux/types.h>

#include "policy.h"

/**
 * struct nshard_report - one decision worth reporting
 * @op: operation identifier
 * @action: the verdict's action
 * @denied: the operation is refused (deny in enforce mode)
 * @subject: who asked
 * @generation: generation of the policy that decided
 * @line: line of the deciding rule, 0 for a built-in default
 * @is_default: decided by a default statement
 * @dropped: a capability dropped at the creation of the user namespace
 * @depth: nesting depth, when a depth limit decided
 * @limit: the depth limit, or -1 if a rule decided
 */
struct nshard_report {
	unsigned int op;
	unsigned int action;
	bool denied;
	const struct nshard_subject *subject;
	u64 generation;
	u32 line;
	bool is_default;
	bool dropped;
	unsigned int depth;
	int limit;
};

void nshard_report_decision(const struct nshard_report *r);
void nshard_report_change(const char *what, const char *value,
			  const char *old);
void nshard_report_policy_load(const struct nshard_policy *policy);

#endif /* _SECURITY_NSHARD_AUDIT_H */
