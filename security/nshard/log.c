// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - reporting of decisions
 *
 * Every refusal, and every decision that enforce mode would have turned into
 * a refusal, produces one kernel log line naming the operation, the subject
 * and the reason.  Lines are rate-limited: an unprivileged user can trigger
 * them at will.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/uidgid.h>

#include "common.h"
#include "log.h"

static DEFINE_RATELIMIT_STATE(nshard_log_ratelimit, 5 * HZ, 20);

/**
 * nshard_log_decision - report a decision that refused, or would refuse
 * @verdict: %NSHARD_DENY or %NSHARD_AUDIT; other verdicts are not reported
 * @cred: credentials of the subject
 * @op: short name of the mediated operation
 * @reason: why the operation is, or would be, refused
 */
void nshard_log_decision(enum nshard_verdict verdict, const struct cred *cred,
			 const char *op, const char *reason)
{
	if (verdict == NSHARD_ALLOW || !__ratelimit(&nshard_log_ratelimit))
		return;

	pr_notice("%s %s: pid=%d uid=%u comm=\"%s\": %s\n",
		  verdict == NSHARD_DENY ? "denied" : "audit: would deny", op,
		  task_tgid_nr(current), from_kuid(&init_user_ns, cred->uid),
		  current->comm, reason);
}
