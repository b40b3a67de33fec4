// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - user namespace mediation
 *
 * A user namespace created by a task without CAP_SYS_ADMIN in the initial
 * user namespace hands that task a full capability set over kernel code that
 * used to be reachable by root only.  nshard calls such a creator
 * unprivileged, and the namespace it creates of restricted origin; the
 * policy decides, by creator and origin, whether the creation proceeds.
 *
 * The userns_create hook is called from create_user_ns(), which serves
 * unshare(2), clone(2) and clone3(2) alike, with the credentials prepared for
 * the new task or for the unsharing one.
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
 * Restricted if the creator is not privileged (see nshard_cred_privileged())
 * or the parent is restricted.
 *
 * Return: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED.
 */
enum nshard_origin nshard_new_userns_origin(const struct cred *cred)
{
	if (nshard_userns(cred->user_ns)->restricted ||
	    !nshard_cred_privileged(cred))
		return NSHARD_ORIGIN_RESTRICTED;
	return NSHARD_ORIGIN_PRIVILEGED;
}

/*
 * @cred is the credentials prepared for the new task or for the unsharing
 * one: its user_ns is still the parent of the namespace to create.  What the
 * deciding rule drops is kept for the namespace_alloc hook, which the same
 * task runs right after, once the namespace exists.
 */
static int nshard_userns_create(const struct cred *cred)
{
	struct nshard_request req = {
		.op = NSHARD_OP_CREATE(NSHARD_NS_USER),
		.type = NSHARD_NS_USER,
		.depth = cred->user_ns->level + 1,
	};
	struct nshard_subject subject = {
		.cred = cred,
		.userns = cred->user_ns,
		.origin = nshard_new_userns_origin(cred),
	};
	struct nshard_task *task = nshard_task(current);
	u64 drop;
	int ret;

	ret = nshard_check(&req, &subject, &drop);
	task->new_userns.restricted =
		subject.origin == NSHARD_ORIGIN_RESTRICTED;
	task->new_userns.drop = ret ? 0 : drop;
	return ret;
}

static struct security_hook_list nshard_userns_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(userns_create, nshard_userns_create),
};

/**
 * nshard_add_userns_hooks - register the user namespace hooks
 */
void __init nshard_add_userns_hooks(void)
{
	security_add_hooks(nshard_userns_hooks, ARRAY_SIZE(nshard_userns_hooks),
			   &nshard_lsmid);
}
