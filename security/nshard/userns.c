// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - user namespace mediation
 *
 * A user namespace created by a task without CAP_SYS_ADMIN in the initial
 * user namespace hands that task a full capability set over kernel code that
 * used to be reachable by root only.  nshard calls such a namespace of
 * restricted origin; the policy decides, by creator and origin, whether the
 * creation proceeds, and nshard records what it decided in the namespace.
 *
 * The userns_alloc hook is called by create_user_ns(), which serves
 * unshare(2), clone(2) and clone3(2) alike, once the namespace exists and
 * before anyone but its creator can see it, with the credentials that
 * create it: the decision and the record are made in one place, under one
 * policy.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/security.h>
#include <linux/user_namespace.h>

#include "common.h"
#include "enforce.h"
#include "ops.h"
#include "policy.h"
#include "record.h"
#include "setup.h"
#include "userns.h"

/**
 * nshard_cred_privileged - tell whether credentials may administer the host
 * @cred: credentials to check
 *
 * Credentials are privileged when they hold CAP_SYS_ADMIN in the initial user
 * namespace.  Only the capability sets are consulted, through cap_capable(),
 * so the answer neither depends on the other LSMs nor generates audit records.
 *
 * Return: true if @cred is privileged.
 */
bool nshard_cred_privileged(const struct cred *cred)
{
	return cap_capable(cred, &init_user_ns, CAP_SYS_ADMIN,
			   CAP_OPT_NOAUDIT) == 0;
}

/**
 * nshard_new_userns_origin - origin of a user namespace about to be created
 * @cred: credentials of the creator; @cred->user_ns will be its parent
 *
 * A user namespace is of privileged origin only if nobody unprivileged can
 * exercise its capabilities: its parent is of privileged origin, its
 * creator is privileged (see nshard_cred_privileged()), and its owner, the
 * creator's effective uid, is root.  The last condition matters because
 * commoncap gives every task of the owner's uid in the parent namespace
 * every capability in the new one, and the right to setns(2) into it: a
 * namespace made by a privileged helper running as an ordinary user (file
 * capabilities, a service with AmbientCapabilities=) is that user's, and
 * restricted.
 *
 * Return: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED.
 */
enum nshard_origin nshard_new_userns_origin(const struct cred *cred)
{
	if (nshard_userns(cred->user_ns)->restricted ||
	    !uid_eq(cred->euid, GLOBAL_ROOT_UID) ||
	    !nshard_cred_privileged(cred))
		return NSHARD_ORIGIN_RESTRICTED;
	return NSHARD_ORIGIN_PRIVILEGED;
}

/*
 * @ns is set up but not visible; @cred creates it and @cred->user_ns is
 * still its parent.  Decide, then record what the decision used.
 */
static int nshard_userns_alloc(struct user_namespace *ns,
			       const struct cred *cred)
{
	struct nshard_request req = {
		.op = NSHARD_OP_CREATE(NSHARD_NS_USER),
		.type = NSHARD_NS_USER,
		.depth = ns->level,
	};
	struct nshard_subject subject;
	struct nshard_outcome out;
	struct nshard_userns *rec = nshard_userns(ns);
	int ret;

	nshard_subject_init(&subject, cred, ns->parent,
			    nshard_new_userns_origin(cred));
	ret = nshard_check(&req, &subject, &out);
	if (ret)
		return ret;
	nshard_userns_init(rec, nshard_userns(ns->parent),
			   subject.origin == NSHARD_ORIGIN_RESTRICTED,
			   out.drop, out.enforced, out.generation);
	nshard_userns_set_ident(rec, ns->parent, cred);
	atomic_long_inc(&nshard_userns_live);
	return 0;
}

/*
 * Also called after a userns_alloc hook failed, ours or another LSM's: only
 * a record that was filled in is released.  Its depth is never 0.
 */
static void nshard_userns_free(struct user_namespace *ns)
{
	struct nshard_userns *rec = nshard_userns(ns);

	if (!rec->depth)
		return;
	nshard_userns_release(rec);
	atomic_long_dec(&nshard_userns_live);
}

static struct security_hook_list nshard_userns_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(userns_alloc, nshard_userns_alloc),
	LSM_HOOK_INIT(userns_free, nshard_userns_free),
};

/**
 * nshard_add_userns_hooks - register the user namespace hooks
 */
void __init nshard_add_userns_hooks(void)
{
	security_add_hooks(nshard_userns_hooks, ARRAY_SIZE(nshard_userns_hooks),
			   &nshard_lsmid);
}
