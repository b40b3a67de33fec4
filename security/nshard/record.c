// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - what nshard remembers of each user namespace
 *
 * A user namespace's record is filled in by the namespace_alloc hook, when
 * the namespace is created, from its parent's record, the privileges of its
 * creator and what the policy decided on its creation; it is dropped by the
 * namespace_free hook.  The initial user namespace has a zeroed record:
 * privileged, depth 0, nothing dropped.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/ns_common.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/user_namespace.h>

#include "common.h"
#include "record.h"
#include "setup.h"

/* User namespaces with a record: it returns to its value when they go. */
atomic_long_t nshard_userns_live = ATOMIC_LONG_INIT(0);

/**
 * nshard_userns_init - fill in the record of a new user namespace
 * @rec: the record
 * @parent: the record of its parent
 * @privileged_creator: the creator holds CAP_SYS_ADMIN in the initial user
 *                      namespace
 * @drop: capabilities the rule that allowed the creation drops
 *
 * A namespace is restricted if its creator is not privileged or its parent
 * is restricted, one level deeper than its parent, and loses what its parent
 * lost.
 */
void nshard_userns_init(struct nshard_userns *rec,
			const struct nshard_userns *parent,
			bool privileged_creator, u64 drop)
{
	rec->restricted = parent->restricted || !privileged_creator;
	rec->depth = parent->depth + 1;
	rec->drop = parent->drop | drop;
}

static struct user_namespace *nshard_as_userns(struct ns_common *ns)
{
	if (ns->ops->type != CLONE_NEWUSER)
		return NULL;
	return container_of(ns, struct user_namespace, ns);
}

static int nshard_namespace_alloc(struct ns_common *ns)
{
	struct user_namespace *userns = nshard_as_userns(ns);
	struct nshard_task *task = nshard_task(current);

	if (!userns)
		return 0;
	/*
	 * In the creator's context, right after its userns_create hook: the
	 * record says what the decision used.
	 */
	nshard_userns_init(nshard_userns(userns),
			   nshard_userns(userns->parent),
			   !task->new_userns.restricted,
			   task->new_userns.drop);
	task->new_userns.drop = 0;
	atomic_long_inc(&nshard_userns_live);
	return 0;
}

/*
 * Also called after a namespace_alloc hook failed, ours or another LSM's:
 * only a record that was filled in is counted out.  Its depth is never 0.
 */
static void nshard_namespace_free(struct ns_common *ns)
{
	struct user_namespace *userns = nshard_as_userns(ns);

	if (userns && nshard_userns(userns)->depth)
		atomic_long_dec(&nshard_userns_live);
}

static struct security_hook_list nshard_record_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(namespace_alloc, nshard_namespace_alloc),
	LSM_HOOK_INIT(namespace_free, nshard_namespace_free),
};

/**
 * nshard_add_record_hooks - register the hooks that keep the records
 */
void __init nshard_add_record_hooks(void)
{
	security_add_hooks(nshard_record_hooks, ARRAY_SIZE(nshard_record_hooks),
			   &nshard_lsmid);
}
