/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - reporting of decisions and configuration changes
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_AUDIT_H
#define _SECURITY_NSHARD_AUDIT_H

#include <linux/sched.h>
#include <linux/types.h>

#include "gate.h"
#include "policy.h"

/**
 * struct nshard_report - one decision worth reporting
 * @op: operation identifier
 * @as_op: the operation whose statement decided: @op, or the one @op was
 *         judged as (setns as create) when @via
 * @via: @op was judged as @as_op
 * @action: the verdict's action
 * @denied: the operation is refused
 * @subject: who asked
 * @generation: generation of the policy that decided
 * @line: line of the deciding rule, 0 for a built-in default
 * @is_default: decided by a default statement
 * @dropped: a capability dropped at the creation of the user namespace
 * @depth: nesting depth, when a depth limit decided
 * @limit: the depth limit, or -1 if a rule decided
 * @gate_op: for a gate, the concrete operation
 */
struct nshard_report {
	unsigned int op;
	unsigned int as_op;
	bool via;
	unsigned int action;
	bool denied;
	const struct nshard_subject *subject;
	u64 generation;
	u32 line;
	bool is_default;
	bool dropped;
	unsigned int depth;
	int limit;
	const struct nshard_gate_op *gate_op;
};

void nshard_report_decision(const struct nshard_report *r);
void nshard_report_exec(const char *path, const char *what,
			const char *why);
void nshard_report_ptrace(struct task_struct *target, const char *path,
			  const char *what);
void nshard_report_change(const char *what, const char *value,
			  const char *old);
void nshard_report_policy_load(const struct nshard_policy *policy);
void __init nshard_report_init(void);

#endif /* _SECURITY_NSHARD_AUDIT_H */
