// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - from a verdict to a hook's answer
 *
 * Hooks describe an operation and its subject; nshard_check() asks the
 * active policy, applies the mode, counts the decision and reports it.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/errno.h>
#include <linux/rcupdate.h>

#include "audit.h"
#include "common.h"
#include "counters.h"
#include "enforce.h"
#include "mode.h"
#include "policy.h"

static int nshard_apply(struct nshard_report *r, enum nshard_mode mode,
			bool noaudit)
{
	switch (r->action) {
	case NSHARD_ACTION_ALLOW:
		nshard_count(r->op, NSHARD_COUNTER_ALLOWED);
		return 0;
	case NSHARD_ACTION_AUDIT:
		nshard_count(r->op, NSHARD_COUNTER_AUDITED);
		if (!noaudit)
			nshard_report_decision(r);
		return 0;
	default:
		r->denied = mode == NSHARD_MODE_ENFORCE;
		nshard_count(r->op, r->denied ? NSHARD_COUNTER_DENIED :
				    NSHARD_COUNTER_AUDITED);
		if (!noaudit)
			nshard_report_decision(r);
		return r->denied ? -EPERM : 0;
	}
}

/*
 * Report and apply what is not a plain allow: the verdict @v of a rule or a
 * default, or, if @v is NULL, a depth limit @limit (the statement on @line)
 * exceeded, or, if @limit is negative too, a capability dropped when the
 * user namespace was created.  Out of line: only here is a report built.
 */
static noinline int nshard_settle(const struct nshard_policy *p,
				  enum nshard_mode mode,
				  const struct nshard_request *req,
				  const struct nshard_subject *subject,
				  const struct nshard_verdict *v, int limit,
				  u32 line)
{
	struct nshard_report r = {
		.op = req->op,
		.action = v ? v->action : NSHARD_ACTION_DENY,
		.subject = subject,
		.generation = p->generation,
		.line = v ? v->line : line,
		.is_default = v == &p->defaults[req->op],
		.dropped = !v && limit < 0,
		.depth = !v && limit >= 0 ? req->depth : 0,
		.limit = v ? -1 : limit,
	};

	return nshard_apply(&r, mode, req->noaudit);
}

/* Under rcu_read_lock(): a decision the policy has to be asked for. */
static int nshard_decide_and_apply(const struct nshard_policy *p,
				   enum nshard_mode mode,
				   const struct nshard_request *req,
				   struct nshard_subject *subject, u64 *drop)
{
	const struct nshard_verdict *v;
	int limit;
	u32 line;

	if (req->dropped)
		return nshard_settle(p, mode, req, subject, NULL, -1, 0);
	v = nshard_decide(p, req->op, subject);
	/* Audit mode lets a creation over its depth limit through: drop too. */
	if (drop)
		*drop = v->drop;
	if (req->type != NSHARD_NO_DEPTH) {
		limit = nshard_limit(p, req->type, subject->origin, &line);
		if (limit >= 0 && req->depth > limit)
			return nshard_settle(p, mode, req, subject, NULL, limit,
					     line);
	}
	if (v->action != NSHARD_ACTION_ALLOW)
		return nshard_settle(p, mode, req, subject, v, -1, 0);
	nshard_count(req->op, NSHARD_COUNTER_ALLOWED);
	return 0;
}

/**
 * nshard_check - decide on an operation under the active policy and mode
 * @req: the operation
 * @subject: who asks, about a namespace of which origin
 * @drop: if not NULL, set to the capabilities the deciding rule drops
 *
 * A capability dropped at the creation of its user namespace, or a depth
 * limit exceeded, refuses the operation whatever the rules say.  In off mode
 * nothing is decided, counted or reported.  Hooks on hot paths call
 * nshard_allowed_at_once() first: this asks the policy every time.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
int nshard_check(const struct nshard_request *req,
		 struct nshard_subject *subject, u64 *drop)
{
	enum nshard_mode mode = nshard_mode_get();
	int ret;

	if (drop)
		*drop = 0;
	if (mode == NSHARD_MODE_OFF)
		return 0;

	rcu_read_lock();
	ret = nshard_decide_and_apply(nshard_policy_get(), mode, req, subject,
				      drop);
	rcu_read_unlock();
	return ret;
}
