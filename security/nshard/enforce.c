// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - from a verdict to a hook's answer
 *
 * Hooks describe an operation and its subject; nshard_judge() asks a policy,
 * applies the mode, counts the decision and reports it.  One decision path
 * serves every hook.
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
 * default (of @as_op when @via), or, if @v is NULL, a depth limit @limit
 * (the statement on @line) exceeded.  Out of line: only here is a report
 * built.
 */
static noinline int nshard_settle(const struct nshard_policy *p,
				  enum nshard_mode mode,
				  const struct nshard_request *req,
				  const struct nshard_subject *subject,
				  const struct nshard_verdict *v, bool via,
				  int limit, u32 line)
{
	unsigned int vop = via ? req->as_op : req->op;
	struct nshard_report r = {
		.op = req->op,
		.as_op = vop,
		.via = via,
		.action = v ? v->action : NSHARD_ACTION_DENY,
		.subject = subject,
		.generation = p->generation,
		.line = v ? v->line : line,
		.is_default = v == &p->defaults[vop],
		.depth = !v ? req->depth : 0,
		.limit = v ? -1 : limit,
		.gate_op = req->gate_op,
	};

	return nshard_apply(&r, mode, req->noaudit);
}

/* No statement applies: the operation's built-in default, allow. */
static bool nshard_unstated(const struct nshard_policy *p, unsigned int op,
			    const struct nshard_verdict *v)
{
	return v == &p->defaults[op] && !v->line;
}

/**
 * nshard_judge - decide on an operation under a policy and a mode
 * @p: the policy, read under rcu_read_lock() by the caller
 * @mode: %NSHARD_MODE_AUDIT or %NSHARD_MODE_ENFORCE
 * @req: the operation
 * @subject: who asks, about a namespace of which origin
 * @out: if not NULL, what the caller records of the decision
 *
 * A depth limit exceeded refuses the operation whatever the rules say.
 * Hooks that decide several operations at once (one clone(2) creating
 * several namespaces) call this for each under one policy.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
int nshard_judge(const struct nshard_policy *p, enum nshard_mode mode,
		 const struct nshard_request *req,
		 struct nshard_subject *subject, struct nshard_outcome *out)
{
	const struct nshard_verdict *v;
	bool via = false;
	int limit;
	u32 line;

	v = nshard_decide(p, req->op, subject);
	if (req->has_as_op && nshard_unstated(p, req->op, v)) {
		v = nshard_decide(p, req->as_op, subject);
		via = true;
	}
	if (out) {
		/* Audit mode lets a creation over its limit through: drop too. */
		out->drop = v->drop;
		out->generation = p->generation;
		out->enforced = mode == NSHARD_MODE_ENFORCE;
	}
	if (req->type != NSHARD_NO_DEPTH) {
		limit = nshard_limit(p, req->type, subject->origin, &line);
		if (limit >= 0 && req->depth > limit)
			return nshard_settle(p, mode, req, subject, NULL, false,
					     limit, line);
	}
	if (v->action != NSHARD_ACTION_ALLOW)
		return nshard_settle(p, mode, req, subject, v, via, -1, 0);
	nshard_count(req->op, NSHARD_COUNTER_ALLOWED);
	return 0;
}

/**
 * nshard_check - decide on an operation under the active policy and mode
 * @req: the operation
 * @subject: who asks, about a namespace of which origin
 * @out: if not NULL, what the caller records of the decision
 *
 * In off mode nothing is decided, counted or reported.  Hooks on hot paths
 * call nshard_allowed_at_once() first: this asks the policy every time.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
int nshard_check(const struct nshard_request *req,
		 struct nshard_subject *subject, struct nshard_outcome *out)
{
	enum nshard_mode mode = nshard_mode_get();
	const struct nshard_policy *p;
	int ret = 0;

	rcu_read_lock();
	p = nshard_policy_get();
	if (mode != NSHARD_MODE_OFF) {
		ret = nshard_judge(p, mode, req, subject, out);
	} else if (out) {
		out->drop = 0;
		out->generation = p->generation;
		out->enforced = false;
	}
	rcu_read_unlock();
	return ret;
}

/**
 * nshard_check_dropped - answer the use of a capability dropped by drop=
 * @req: the capability check
 * @subject: who asks, about which user namespace
 * @enforced: the drop was decided in enforce mode
 *
 * A drop decided in enforce mode stays with the namespace: the capability
 * is refused in every mode, off included, and the refusal reported.  One
 * decided in audit mode is reported as "would deny", and nothing is done
 * in off mode.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
int nshard_check_dropped(const struct nshard_request *req,
			 struct nshard_subject *subject, bool enforced)
{
	enum nshard_mode mode = nshard_mode_get();
	struct nshard_report r = {
		.op = req->op,
		.as_op = req->op,
		.action = NSHARD_ACTION_DENY,
		.subject = subject,
		.dropped = true,
		.limit = -1,
	};

	if (!enforced && mode == NSHARD_MODE_OFF)
		return 0;
	return nshard_apply(&r, enforced ? NSHARD_MODE_ENFORCE :
			    NSHARD_MODE_AUDIT, req->noaudit);
}
