// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - reporting of decisions and configuration changes
 *
 * Every refusal, and every decision that an audit rule or audit mode asks to
 * see, produces, with CONFIG_AUDIT, one AUDIT_NSHARD_ACCESS record, and one
 * kernel log line, naming the operation, the subject and the rule that
 * decided.  Audit records are left to the audit subsystem, whose rate limit
 * and backlog the administrator sets: nshard drops none, so that no user
 * can hide another's refusals from auditd by flooding their own.  Log
 * lines, which unprivileged users can trigger at will, are rate-limited per
 * user: one user's flood leaves the lines of others (but for the few that
 * share its slot) alone.  Changes of the mode, the seal and the policy, which
 * only an administrator can make, are always reported.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/uidgid.h>

#include "audit.h"
#include "common.h"
#include "ops.h"
#include "policy.h"

/* Log lines: at most 10 every 5 seconds per slot, users hashed to 64 slots. */
#define NSHARD_LOG_SLOTS_BITS	6
#define NSHARD_LOG_INTERVAL	(5 * HZ)
#define NSHARD_LOG_BURST	10

static struct ratelimit_state nshard_log_rs[1 << NSHARD_LOG_SLOTS_BITS];

/**
 * nshard_report_init - set up the per-user rate limits of log lines
 */
void __init nshard_report_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nshard_log_rs); i++) {
		ratelimit_state_init(&nshard_log_rs[i], NSHARD_LOG_INTERVAL,
				     NSHARD_LOG_BURST);
		ratelimit_set_flags(&nshard_log_rs[i],
				    RATELIMIT_MSG_ON_RELEASE);
	}
}

/*
 * May a log line be printed for @uid?  Users are those rules see (a task
 * inside a user namespace counts as the user who created the outermost
 * one), so that ids taken inside namespaces do not multiply a user's share.
 */
static bool nshard_log_allowed(kuid_t uid)
{
	return __ratelimit(&nshard_log_rs[hash_32(__kuid_val(uid),
						  NSHARD_LOG_SLOTS_BITS)]);
}

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

/*
 * "policy 3 line 12", "policy 3 line 2 (default)", "built-in default",
 * and ", as create user" when setns was judged as create.
 */
static int nshard_format_rule(const struct nshard_report *r, char *buf,
			      size_t size)
{
	char as[NSHARD_OP_NAME_LEN + 8] = "";
	char op[NSHARD_OP_NAME_LEN];

	if (r->dropped)
		return scnprintf(buf, size, "drop= when the user namespace was created");
	if (r->via) {
		nshard_op_format(r->as_op, op, sizeof(op));
		scnprintf(as, sizeof(as), ", as %s", op);
	}
	if (!r->line)
		return scnprintf(buf, size, "built-in default%s", as);
	if (r->is_default)
		return scnprintf(buf, size, "policy %llu line %u (default)%s",
				 r->generation, r->line, as);
	return scnprintf(buf, size, "policy %llu line %u%s", r->generation,
			 r->line, as);
}

#ifdef CONFIG_AUDIT
static void nshard_audit_decision(const struct nshard_report *r,
				  const char *op, const char *detail,
				  const char *rule)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     AUDIT_NSHARD_ACCESS);
	if (!ab)
		return;
	audit_log_format(ab, "op=\"%s\"", op);
	if (detail[0]) {
		audit_log_format(ab, " detail=");
		audit_log_untrustedstring(ab, detail);
	}
	audit_log_format(ab, " decision=%s userns=%u origin=%s rule=\"%s\"",
			 r->denied ? "denied" :
			 r->action == NSHARD_ACTION_DENY ? "audited" : "allowed",
			 nshard_report_userns(r),
			 nshard_origin_words[r->subject->origin], rule);
	if (r->limit >= 0)
		audit_log_format(ab, " depth=%u limit=%d", r->depth, r->limit);
	audit_log_task_info(ab);
	audit_log_end(ab);
}

static void nshard_audit_event(const char *op, const char *decision,
			       const char *path, const char *why,
			       struct task_struct *target)
{
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     AUDIT_NSHARD_ACCESS);
	if (!ab)
		return;
	audit_log_format(ab, "op=\"%s\" decision=%s", op, decision);
	audit_log_format(ab, " program=");
	audit_log_untrustedstring(ab, path);
	if (target)
		audit_log_format(ab, " target_pid=%d", task_tgid_nr(target));
	if (why)
		audit_log_format(ab, " reason=\"%s\"", why);
	audit_log_task_info(ab);
	audit_log_end(ab);
}
#else
static inline void nshard_audit_decision(const struct nshard_report *r,
					 const char *op, const char *detail,
					 const char *rule)
{
}

static inline void nshard_audit_event(const char *op, const char *decision,
				      const char *path, const char *why,
				      struct task_struct *target)
{
}
#endif

/**
 * nshard_report_decision - log a refusal or an audited decision
 * @r: the decision
 */
void nshard_report_decision(const struct nshard_report *r)
{
	char op[NSHARD_OP_NAME_LEN], rule[96], depth[40] = "";
	char detail[NSHARD_GATE_OP_LEN] = "";

	nshard_op_format(r->op, op, sizeof(op));
	nshard_format_rule(r, rule, sizeof(rule));
	if (r->gate_op)
		nshard_gate_op_format(r->gate_op, detail, sizeof(detail));
	nshard_audit_decision(r, op, detail, rule);
	if (!nshard_log_allowed(r->subject->ident.uid))
		return;
	if (r->limit >= 0)
		scnprintf(depth, sizeof(depth), " depth %u exceeds limit %d",
			  r->depth, r->limit);
	pr_notice("%s %s%s%s: pid=%d uid=%u comm=\"%s\" userns=%u origin=%s%s: %s\n",
		  nshard_decision_name(r), op, detail[0] ? ": " : "", detail,
		  task_tgid_nr(current),
		  from_kuid(&init_user_ns, r->subject->cred->uid),
		  current->comm, nshard_report_userns(r),
		  nshard_origin_words[r->subject->origin], depth, rule);
}

/**
 * nshard_report_exec - log what happened to an exemption at execve(2)
 * @path: the program, as the policy names it
 * @what: "withheld"
 * @why: the reason
 */
void nshard_report_exec(const char *path, const char *what, const char *why)
{
	nshard_audit_event("exec", what, path, why, NULL);
	if (!nshard_log_allowed(current_uid()))
		return;
	pr_notice("exemption of %s %s: pid=%d uid=%u comm=\"%s\": %s\n", path,
		  what, task_tgid_nr(current),
		  from_kuid(&init_user_ns, current_uid()), current->comm, why);
}

/**
 * nshard_report_ptrace - log a refused access to an exempt task
 * @target: the exempt task
 * @path: the program it runs, as the policy names it
 * @what: the access: "ptrace" or "ptrace traceme"
 */
void nshard_report_ptrace(struct task_struct *target, const char *path,
			  const char *what)
{
	nshard_audit_event(what, "denied", path, NULL, target);
	if (!nshard_log_allowed(current_uid()))
		return;
	pr_notice("denied %s of exempt pid=%d (%s): pid=%d uid=%u comm=\"%s\"\n",
		  what, task_tgid_nr(target), path, task_tgid_nr(current),
		  from_kuid(&init_user_ns, current_uid()), current->comm);
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
 *
 * Called with nshard_config_lock held: @policy cannot be replaced, and
 * freed, meanwhile.
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
