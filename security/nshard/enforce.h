/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - from a verdict to a hook's answer
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_ENFORCE_H
#define _SECURITY_NSHARD_ENFORCE_H

#include <linux/rcupdate.h>

#include "counters.h"
#include "gate.h"
#include "mode.h"
#include "policy.h"

/* No depth limit applies to the operation. */
#define NSHARD_NO_DEPTH		(-1)

/**
 * struct nshard_request - an operation to decide on
 * @op: operation identifier
 * @type: namespace type whose depth limit applies, or %NSHARD_NO_DEPTH
 * @depth: nesting depth of the namespace being created
 * @as_op: if @has_as_op, the operation whose verdict applies when no
 *         statement applies to @op itself (setns judged as create)
 * @has_as_op: @as_op is set
 * @noaudit: decide and count, but report nothing (CAP_OPT_NOAUDIT)
 * @gate_op: for a gate, the concrete operation, for the report
 */
struct nshard_request {
	unsigned int op;
	int type;
	unsigned int depth;
	unsigned int as_op;
	bool has_as_op;
	bool noaudit;
	const struct nshard_gate_op *gate_op;
};

/**
 * struct nshard_outcome - what a decision leaves for the hook to record
 * @drop: the capabilities the deciding rule drops (create user)
 * @generation: generation of the policy that decided
 * @enforced: the decision was made in enforce mode
 */
struct nshard_outcome {
	u64 drop;
	u64 generation;
	bool enforced;
};

int nshard_judge(const struct nshard_policy *p, enum nshard_mode mode,
		 const struct nshard_request *req,
		 struct nshard_subject *subject, struct nshard_outcome *out);
int nshard_check(const struct nshard_request *req,
		 struct nshard_subject *subject, struct nshard_outcome *out);
int nshard_check_dropped(const struct nshard_request *req,
			 struct nshard_subject *subject, bool enforced);

/**
 * nshard_allowed_in - the fast path of a decision under a given policy
 * @p: the policy, read under RCU
 * @op: operation identifier
 *
 * Return: true, having counted the operation as allowed, if no statement of
 * @p applies to @op; false if nshard_judge() must decide.
 */
static inline bool nshard_allowed_in(const struct nshard_policy *p,
				     unsigned int op)
{
	if (!p->allow_all[op])
		return false;
	nshard_count(op, NSHARD_COUNTER_ALLOWED);
	return true;
}

/**
 * nshard_allowed_at_once - the fast path of a decision
 * @op: operation identifier
 *
 * Hooks call this before they describe the operation and its subject: when
 * no statement of the active policy applies to @op, the operation is allowed
 * (and counted) without a lookup.  The caller has checked that nshard is not
 * off, and that no capability dropped at the creation of a user namespace
 * is concerned.
 *
 * Return: true if @op is allowed at once, false if nshard_check() decides.
 */
static inline bool nshard_allowed_at_once(unsigned int op)
{
	bool allowed;

	rcu_read_lock();
	allowed = nshard_allowed_in(nshard_policy_get(), op);
	rcu_read_unlock();
	return allowed;
}

#endif /* _SECURITY_NSHARD_ENFORCE_H */
