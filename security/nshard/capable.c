// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - capabilities used inside user namespaces
 *
 * The capable hook runs for every capability check in the kernel.  Checks
 * against the initial user namespace, nearly all of them on most machines,
 * are not nshard's business: they cost one pointer comparison.  A check
 * against another user namespace is judged by that namespace's record (its
 * origin, the capabilities dropped at its creation) and the policy's "cap"
 * rules; commoncap has already said whether the credentials hold the
 * capability there, nshard can only take it away.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/security.h>
#include <linux/user_namespace.h>

#include "capable.h"
#include "common.h"
#include "enforce.h"
#include "mode.h"
#include "ops.h"
#include "record.h"
#include "setup.h"

/* The policy has a say, or drop= had: describe the check and ask. */
static noinline int nshard_capable_decide(const struct cred *cred,
					  struct user_namespace *ns, int cap,
					  unsigned int opts, int dropped)
{
	struct nshard_request req = {
		.op = NSHARD_OP_CAP(cap),
		.type = NSHARD_NO_DEPTH,
		.noaudit = opts & CAP_OPT_NOAUDIT,
	};
	struct nshard_subject subject;

	nshard_subject_init(&subject, cred, ns, nshard_userns_origin(ns));
	if (dropped)
		return nshard_check_dropped(&req, &subject, dropped > 0);
	return nshard_check(&req, &subject, NULL);
}

/*
 * Out of line: the caller's common case stays a compare and a return.  A
 * capability dropped at the creation of the namespace is answered in every
 * mode (see nshard_check_dropped()); otherwise off mode, and operations no
 * statement applies to, return before anything is described.
 */
static noinline int nshard_capable_userns(const struct cred *cred,
					  struct user_namespace *ns, int cap,
					  unsigned int opts)
{
	const struct nshard_userns *rec = nshard_userns(ns);

	if (unlikely(rec->drop & BIT_ULL(cap)))
		return nshard_capable_decide(cred, ns, cap, opts, 1);
	if (nshard_mode_get() == NSHARD_MODE_OFF)
		return 0;
	if (unlikely(rec->drop_audit & BIT_ULL(cap)))
		return nshard_capable_decide(cred, ns, cap, opts, -1);
	if (nshard_allowed_at_once(NSHARD_OP_CAP(cap)))
		return 0;
	return nshard_capable_decide(cred, ns, cap, opts, 0);
}

static int nshard_capable(const struct cred *cred, struct user_namespace *ns,
			  int cap, unsigned int opts)
{
	if (ns == &init_user_ns)
		return 0;
	return nshard_capable_userns(cred, ns, cap, opts);
}

static struct security_hook_list nshard_capable_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(capable, nshard_capable),
};

/**
 * nshard_add_capable_hooks - register the capable hook
 */
void __init nshard_add_capable_hooks(void)
{
	security_add_hooks(nshard_capable_hooks,
			   ARRAY_SIZE(nshard_capable_hooks), &nshard_lsmid);
}
