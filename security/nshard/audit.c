// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - reporting of decisions and configuration changes
 *
 * Every refusal, and every decision that an audit rule or audit mode asks to
 * see, produces one kernel log line and, with CONFIG_AUDIT, one
 * AUDIT_NSHARD_ACCESS record, naming the operation, the subject and the rule
 * that decided.  They are rate-limited together: an unprivileged user can
 * trigger them at will.  Changes of the mode, the seal and the policy, which
 * only an administrator can make, are always reported.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/uidgid.h>

#include "audit.h"
#include "common.h"
#include "ops.h"
#include "policy.h"

static DEFINE_RATELIMIT_STATE(nshard_report_ratelimit, 5 * HZ, 20);

static const char *nshard_decision_name(const struct nshard_report *r)
{
	if (r->denied)
		return "denied";
	if (r->action == NSHARD_ACTION_DENY)
		return "audit: would deny";
	return "audit: allowed";
}

static const char *const nshard_origin_words[NSHARD_ORIGIN_COUNT] = {
	[NSHARD_ORIGIN_ANY] = "any",
	[NSHARD_ORIGIN_RESTRICTED] = "restricted",
	[NSHARD_ORIGIN_PRIVILEGED] = "privileged",
};

/* Inode number of the user namespace concerned, as in /proc/PID/ns/user. */
static unsigned int nshard_report_userns(const struct nshard_report *r)
{
	return r->subject->userns ? r->subject->userns->ns.inum : 0;
}

/* "policy 3 line 12", "policy 3 default", "built-in default" */
static int nshard_format_rule(const struct nshard_report *r, char *buf,
			      size_t size)
{
	if (r->dropped)
		return scnprintf(buf, size, "drop= when the user namespace was created");
	if (!r->line)
		return scnprintf(buf, size, "built-in default");
	if (r->is_default)
		return scnprintf(buf, size, "policy %llu line %u (default)",
				 r->generation, r->line);
	return scnprintf(buf, size, "policy %llu line %u", r->generation,
			 r->line);
}

#ifdef CONFIG_AUDIT
static void nshard_audit_decision(const struct nshard_report *r,
				  const char *op, const char *rule)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     AUDIT_NSHARD_ACCESS);
	if (!ab)
		return;
	audit_log_format(ab, "op=\"%s\" decision=%s userns=%u origin=%s rule=\"%s\"",
			 op, r->denied ? "denied" :
			 r->action == NSHARD_ACTION_DENY ? "audited" : "allowed",
			 nshard_report_userns(r),
			 nshard_origin_words[r->subject->origin], rule);
	if (r->limit >= 0)
		audit_log_format(ab, " depth=%u limit=%d", r->depth, r->limit);
	audit_log_task_info(ab);
	audit_log_end(ab);
}
#else
static inline void nshard_audit_decision(const struct nshard_report *r,
					 const char *op, const char *rule)
{
}
#endif

/**
 * nshard_report_decision - log a refusal or an audited decision
 * @r: the decision
 */
void nshard_report_decision(const struct nshard_report *r)
{
	char op[NSHARD_OP_NAME_LEN], rule[64], depth[40] = "";

	if (!__ratelimit(&nshard_report_ratelimit))
		return;
	nshard_op_format(r->op, op, sizeof(op));
	nshard_format_rule(r, rule, sizeof(rule));
	if (r->limit >= 0)
		scnprintf(depth, sizeof(depth), " depth %u exceeds limit %d",
			  r->depth, r->limit);
	pr_notice("%s %s: pid=%d uid=%u comm=\"%s\" userns=%u origin=%s%s: %s\n",
		  nshard_decision_name(r), op, task_tgid_nr(current),
		  from_kuid(&init_user_ns, r->subject->cred->uid),
		  current->comm, nshard_report_userns(r),
		  nshard_origin_words[r->subject->origin], depth, rule);
	nshard_audit_decision(r, op, rule);
}

/**
 * nshard_report_change - report a change of the mode or the seal
 * @what: "mode" or "seal"
 * @value: the new value
 * @old: the previous value
 */
void nshard_report_change(const char *what, const char *value,
			  const char *old)
{
#ifdef CONFIG_AUDIT
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL,
			     AUDIT_NSHARD_CONFIG_CHANGE);
	if (ab) {
		audit_log_format(ab, "%s=%s old_%s=%s", what, value, what,
				 old);
		audit_log_task_info(ab);
		audit_log_end(ab);
	}
#endif
	pr_notice("%s set to %s (was %s) by pid=%d uid=%u comm=\"%s\"\n",
		  what, value, old, task_tgid_nr(current),
		  from_kuid(&init_user_ns, current_uid()), current->comm);
}

/**
 * nshard_report_policy_load - report that a policy became active
 * @policy: the new active policy
 */
void nshard_report_policy_load(const struct nshard_policy *policy)
{
#ifdef CONFIG_AUDIT
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL,
			     AUDIT_NSHARD_POLICY_LOAD);
	if (ab) {
		audit_log_format(ab, "generation=%llu statements=%u digest=",
				 policy->generation, policy->nr_lines);
		audit_log_n_hex(ab, policy->digest, sizeof(policy->digest));
		audit_log_task_info(ab);
		audit_log_end(ab);
	}
#endif
	pr_notice("policy %llu loaded: %u statements, %zu bytes in memory, sha256 %*phN, by pid=%d uid=%u comm=\"%s\"\n",
		  policy->generation, policy->nr_lines, policy->mem,
		  (int)sizeof(policy->digest), policy->digest,
		  task_tgid_nr(current),
		  from_kuid(&init_user_ns, current_uid()), current->comm);
}
