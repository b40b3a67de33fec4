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
 * @cred: credentials of the creator
 *
 * A user namespace is of restricted origin when its creator is not
 * privileged, see nshard_cred_privileged().
 *
 * Return: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED.
 */
enum nshard_origin nshard_new_userns_origin(const struct cred *cred)
{
	return nshard_cred_privileged(cred) ? NSHARD_ORIGIN_PRIVILEGED :
					      NSHARD_ORIGIN_RESTRICTED;
}

/*
 * @cred is the credentials prepared for the new task or for the unsharing
 * one: its user_ns is still the parent of the namespace to create.
 */
static int nshard_userns_create(const struct cred *cred)
{
	struct nshard_subject subject = {
		.cred = cred,
		.userns = cred->user_ns,
		.origin = nshard_new_userns_origin(cred),
	};

	return nshard_check(NSHARD_OP_CREATE(NSHARD_NS_USER), &subject,
			    NSHARD_NS_USER, cred->user_ns->level + 1, NULL);
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
