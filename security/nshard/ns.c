// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - creating and entering namespaces
 *
 * The namespace_create hook sees every namespace other than user namespaces
 * that clone(2), clone3(2) and unshare(2) create, with the user namespace
 * that will own it; the namespace_install hook sees every namespace setns(2)
 * enters, by namespace file descriptor or by pidfd.  Both are judged by the
 * origin of the user namespace concerned: the owner of the new namespaces,
 * or the namespace entered (its owner, if it is not a user namespace).
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/user_namespace.h>

#include "common.h"
#include "enforce.h"
#include "mode.h"
#include "ns.h"
#include "ops.h"
#include "record.h"
#include "setup.h"

/**
 * nshard_create_depth - depth of a namespace about to be created
 * @type: its type, not %NSHARD_NS_USER
 * @owner_level: level of the user namespace that will own it
 * @pid_level: level of the pid namespace the new one would be a child of
 *
 * For a pid namespace, its own nesting level; for the other types, which do
 * not nest, the level of the user namespace that owns them.
 *
 * Return: the depth that depth limits compare with.
 */
unsigned int nshard_create_depth(enum nshard_ns_type type,
				 unsigned int owner_level,
				 unsigned int pid_level)
{
	return type == NSHARD_NS_PID ? pid_level + 1 : owner_level;
}

static unsigned int nshard_pid_level(void)
{
	struct pid_namespace *pid_ns = current->nsproxy->pid_ns_for_children;

	return pid_ns ? pid_ns->level : 0;
}

static int nshard_namespace_create(struct user_namespace *user_ns,
				   unsigned long flags)
{
	struct nshard_subject subject;
	unsigned long flag;
	int type, ret;

	if (nshard_mode_get() == NSHARD_MODE_OFF)
		return 0;
	nshard_subject_init(&subject, current_cred(), user_ns,
			    nshard_userns_origin(user_ns));
	for_each_set_bit(flag, &flags, BITS_PER_LONG) {
		struct nshard_request req;

		type = nshard_ns_type_from_clone(BIT(flag));
		if (type < 0 || type == NSHARD_NS_USER ||
		    nshard_allowed_at_once(NSHARD_OP_CREATE(type)))
			continue;
		req = (struct nshard_request){
			.op = NSHARD_OP_CREATE(type),
			.type = type,
			.depth = nshard_create_depth(type, user_ns->level,
						     nshard_pid_level()),
		};
		ret = nshard_check(&req, &subject, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/* The policy has a say on entering @ns, of nshard type @type. */
static noinline int nshard_install_decide(struct ns_common *ns, int type)
{
	struct user_namespace *owner = type == NSHARD_NS_USER ?
		container_of(ns, struct user_namespace, ns) :
		ns->ops->owner(ns);
	struct nshard_request req = {
		.op = NSHARD_OP_SETNS(type),
		.type = NSHARD_NO_DEPTH,
	};
	struct nshard_subject subject;

	nshard_subject_init(&subject, current_cred(), owner,
			    nshard_userns_origin(owner));
	return nshard_check(&req, &subject, NULL);
}

static int nshard_namespace_install(const struct nsset *nsset,
				    struct ns_common *ns)
{
	int type;

	if (nshard_mode_get() == NSHARD_MODE_OFF)
		return 0;
	type = nshard_ns_type_from_clone(ns->ops->type);
	if (type < 0 || nshard_allowed_at_once(NSHARD_OP_SETNS(type)))
		return 0;
	return nshard_install_decide(ns, type);
}

static struct security_hook_list nshard_ns_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(namespace_create, nshard_namespace_create),
	LSM_HOOK_INIT(namespace_install, nshard_namespace_install),
};

/**
 * nshard_add_ns_hooks - register the namespace creation and setns hooks
 */
void __init nshard_add_ns_hooks(void)
{
	security_add_hooks(nshard_ns_hooks, ARRAY_SIZE(nshard_ns_hooks),
			   &nshard_lsmid);
}
