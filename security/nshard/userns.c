// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - user namespace mediation
 *
 * A user namespace created by a task without CAP_SYS_ADMIN in the initial
 * user namespace hands that task a full capability set over kernel code that
 * used to be reachable by root only.  nshard calls such a creator
 * unprivileged and, depending on the mode, logs or refuses the creation.
 * Privileged creators (container managers started by root, systemd) are never
 * affected.
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
#include "log.h"
#include "mode.h"
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
 * nshard_userns_create_verdict - decide on the creation of a user namespace
 * @mode: the operating mode
 * @privileged: whether the creator is privileged, see nshard_cred_privileged()
 *
 * Return: %NSHARD_ALLOW for privileged creators and in off mode; otherwise
 * %NSHARD_AUDIT in audit mode and %NSHARD_DENY in enforce mode.
 */
enum nshard_verdict nshard_userns_create_verdict(enum nshard_mode mode,
						 bool privileged)
{
	if (privileged)
		return NSHARD_ALLOW;

	switch (mode) {
	case NSHARD_MODE_AUDIT:
		return NSHARD_AUDIT;
	case NSHARD_MODE_ENFORCE:
		return NSHARD_DENY;
	default:
		return NSHARD_ALLOW;
	}
}

static int nshard_userns_create(const struct cred *cred)
{
	enum nshard_mode mode = nshard_mode_get();
	enum nshard_verdict verdict;

	if (mode == NSHARD_MODE_OFF)
		return 0;

	verdict = nshard_userns_create_verdict(mode,
					       nshard_cred_privileged(cred));
	if (verdict == NSHARD_ALLOW)
		return 0;

	nshard_log_decision(verdict, cred, "user namespace creation",
			    "creator lacks CAP_SYS_ADMIN in the initial user namespace");
	return verdict == NSHARD_DENY ? -EPERM : 0;
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
