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
#include "policy.h"

/* No depth limit applies to the operation. */
#define NSHARD_NO_DEPTH		(-1)

/**
 * struct nshard_request - an operation to decide on
 * @op: operation identifier
 * @type: namespace type whose depth limit applies, or %NSHARD_NO_DEPTH
 * @depth: nesting depth of the namespace being created
 * @dropped: the capability was dropped when the user namespace (or one of
 *           its ancestors) was created: refused whatever the rules say
 * @noaudit: decide and count, but report nothing (CAP_OPT_NOAUDIT)
 */
struct nshard_request {
	unsigned int op;
	int type;
	unsigned int depth;
	bool dropped;
	bool noaudit;
};

int nshard_check(const struct nshard_request *req,
		 struct nshard_subject *subject, u64 *drop);

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
	allowed = nshard_policy_get()->allow_all[op];
	rcu_read_unlock();
	if (allowed)
		nshard_count(op, NSHARD_COUNTER_ALLOWED);
	return allowed;
}

#endif /* _SECURITY_NSHARD_ENFORCE_H */
