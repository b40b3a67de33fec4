// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - creating and entering namespaces
 *
 * The namespace_create hook sees every namespace other than user namespaces
 * that clone(2), clone3(2) and unshare(2) create, with the credentials they
 * are created with; the namespace_install hook sees every namespace setns(2)
 * enters, by namespace file descriptor or by pidfd, once the kernel's own
 * checks passed.  Both are judged by the origin of the user namespace
 * concerned: the owner of the new namespaces, or the namespace entered (its
 * owner, if it is not a user namespace).
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
#include "userns.h"

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

/*
 * The call also created @userns, under an earlier policy than @p: judge
 * that creation again under @p, so that the whole call is judged by one
 * policy.  @userns is not visible to anyone else yet: its record may still
 * change.
 */
static noinline int nshard_rejudge_userns(const struct nshard_policy *p,
					  enum nshard_mode mode,
					  const struct cred *cred,
					  struct user_namespace *userns)
{
	struct nshard_userns *rec = nshard_userns(userns);
	struct nshard_request req = {
		.op = NSHARD_OP_CREATE(NSHARD_NS_USER),
		.type = NSHARD_NS_USER,
		.depth = userns->level,
	};
	struct nshard_subject subject;
	struct nshard_outcome out;
	int ret;

	nshard_subject_init(&subject, cred, userns->parent,
			    nshard_userns_origin(userns));
	ret = nshard_judge(p, mode, &req, &subject, &out);
	if (ret)
		return ret;
	nshard_userns_init(rec, nshard_userns(userns->parent),
			   rec->restricted, out.drop, out.enforced,
			   out.generation);
	return 0;
}

/* Under rcu_read_lock(): each type of @flags, under @p. */
static int nshard_create_types(const struct nshard_policy *p,
			       enum nshard_mode mode, const struct cred *cred,
			       unsigned long flags)
{
	struct user_namespace *owner = cred->user_ns;
	struct nshard_subject subject;
	unsigned long flag;
	int type, ret;

	nshard_subject_init(&subject, cred, owner,
			    nshard_userns_origin(owner));
	for_each_set_bit(flag, &flags, BITS_PER_LONG) {
		struct nshard_request req;

		type = nshard_ns_type_from_clone(BIT(flag));
		if (type < 0 || type == NSHARD_NS_USER ||
		    nshard_allowed_in(p, NSHARD_OP_CREATE(type)))
			continue;
		req = (struct nshard_request){
			.op = NSHARD_OP_CREATE(type),
			.type = type,
			.depth = nshard_create_depth(type, owner->level,
						     nshard_pid_level()),
		};
		ret = nshard_judge(p, mode, &req, &subject, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

static int nshard_namespace_create(const struct cred *cred,
				   unsigned long flags)
{
	enum nshard_mode mode = nshard_mode_get();
	struct user_namespace *owner = cred->user_ns;
	const struct nshard_policy *p;
	int ret = 0;

	if (mode == NSHARD_MODE_OFF)
		return 0;
	rcu_read_lock();
	p = nshard_policy_get();
	/* A user namespace created by this very call owns the others. */
	if (owner != current_user_ns() &&
	    unlikely(nshard_userns(owner)->generation != p->generation))
		ret = nshard_rejudge_userns(p, mode, cred, owner);
	if (!ret)
		ret = nshard_create_types(p, mode, cred, flags);
	rcu_read_unlock();
	return ret;
}

/*
 * The policy has a say on entering @ns, of nshard type @type, owned by
 * @owner.  A task that is not privileged entering a namespace of restricted
 * origin gets, unless a statement on setns applies to it, what it would get
 * creating one: entering gives what creating does, and an exemption to
 * create does not become everybody's by setns(2).
 */
static noinline int nshard_install_decide(const struct nshard_policy *p,
					  enum nshard_mode mode,
					  struct user_namespace *owner,
					  int type)
{
	const struct cred *cred = current_cred();
	struct nshard_request req = {
		.op = NSHARD_OP_SETNS(type),
		.type = NSHARD_NO_DEPTH,
		.as_op = NSHARD_OP_CREATE(type),
	};
	struct nshard_subject subject;

	nshard_subject_init(&subject, cred, owner,
			    nshard_userns_origin(owner));
	req.has_as_op = subject.origin == NSHARD_ORIGIN_RESTRICTED &&
			!nshard_cred_privileged(cred);
	return nshard_judge(p, mode, &req, &subject, NULL);
}

static int nshard_namespace_install(const struct nsset *nsset,
				    struct ns_common *ns)
{
	enum nshard_mode mode = nshard_mode_get();
	const struct nshard_policy *p;
	struct user_namespace *owner;
	int type, ret = 0;

	if (mode == NSHARD_MODE_OFF)
		return 0;
	type = nshard_ns_type_from_clone(ns->ops->type);
	if (type < 0)
		return 0;
	owner = type == NSHARD_NS_USER ?
		container_of(ns, struct user_namespace, ns) :
		ns->ops->owner(ns);
	rcu_read_lock();
	p = nshard_policy_get();
	if (!nshard_allowed_in(p, NSHARD_OP_SETNS(type)))
		ret = nshard_install_decide(p, mode, owner, type);
	rcu_read_unlock();
	return ret;
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
