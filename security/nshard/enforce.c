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

/**
 * nshard_check - decide on an operation under the active policy and mode
 * @req: the operation
 * @subject: who asks, about a namespace of which origin
 * @drop: if not NULL, set to the capabilities the deciding rule drops
 *
 * A capability dropped at the creation of its user namespace, or a depth
 * limit exceeded, refuses the operation whatever the rules say.  In off mode
 * nothing is decided, counted or reported.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
int nshard_check(const struct nshard_request *req,
		 struct nshard_subject *subject, u64 *drop)
{
	enum nshard_mode mode = nshard_mode_get();
	struct nshard_report r = {
		.op = req->op,
		.subject = subject,
		.limit = -1,
	};
	const struct nshard_policy *p;
	const struct nshard_verdict *v;
	int limit, ret;
	u32 line;

	if (drop)
		*drop = 0;
	if (mode == NSHARD_MODE_OFF)
		return 0;

	rcu_read_lock();
	p = nshard_policy_get();
	r.generation = p->generation;
	if (req->dropped) {
		r.action = NSHARD_ACTION_DENY;
		r.dropped = true;
		goto apply;
	}
	if (req->type != NSHARD_NO_DEPTH) {
		limit = nshard_limit(p, req->type, subject->origin, &line);
		if (limit >= 0 && req->depth > limit) {
			r.action = NSHARD_ACTION_DENY;
			r.line = line;
			r.limit = limit;
			r.depth = req->depth;
			goto apply;
		}
	}
	v = nshard_decide(p, req->op, subject);
	r.action = v->action;
	r.line = v->line;
	r.is_default = v == &p->defaults[req->op];
	if (drop)
		*drop = v->drop;
apply:
	ret = nshard_apply(&r, mode, req->noaudit);
	rcu_read_unlock();
	return ret;
}
