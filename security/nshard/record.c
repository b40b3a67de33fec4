// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - what nshard remembers of each user namespace
 *
 * A user namespace's record is filled in when the namespace is created (see
 * userns.c), from its parent's record, the decision on its creation and the
 * ids of its creator, and released when it is freed.  The initial user
 * namespace has a zeroed record: privileged, depth 0, nothing dropped; the
 * ids rules see there are each task's own.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/user_namespace.h>

#include "record.h"

/* User namespaces with a record: it returns to its value when they go. */
atomic_long_t nshard_userns_live = ATOMIC_LONG_INIT(0);

/**
 * nshard_userns_init - fill in the record of a new user namespace
 * @rec: the record
 * @parent: the record of its parent
 * @restricted: the new namespace is of restricted origin
 * @drop: capabilities the rule that allowed the creation drops
 * @drop_enforced: the creation was decided in enforce mode
 * @generation: generation of the policy that decided
 *
 * A namespace is one level deeper than its parent, restricted if its
 * parent is, and loses what its parent lost.  A drop= decided in audit mode
 * is only reported; one decided in enforce mode stays with the namespace
 * whatever the mode later.
 */
void nshard_userns_init(struct nshard_userns *rec,
			const struct nshard_userns *parent, bool restricted,
			u64 drop, bool drop_enforced, u64 generation)
{
	rec->restricted = parent->restricted || restricted;
	rec->depth = parent->depth + 1;
	rec->drop = parent->drop | (drop_enforced ? drop : 0);
	rec->drop_audit = parent->drop_audit | (drop_enforced ? 0 : drop);
	rec->generation = generation;
}

/**
 * nshard_userns_set_ident - record whom rules see in a new user namespace
 * @rec: the record of the new namespace
 * @parent: its parent
 * @cred: the credentials that create it
 *
 * A child of the initial user namespace records its creator's effective
 * uid and gid and supplementary groups; a deeper one inherits its parent's.
 * The groups are shared, by reference.
 */
void nshard_userns_set_ident(struct nshard_userns *rec,
			     const struct user_namespace *parent,
			     const struct cred *cred)
{
	if (parent == &init_user_ns) {
		rec->ident.uid = cred->euid;
		rec->ident.gid = cred->egid;
		rec->ident.groups = get_group_info(cred->group_info);
	} else {
		rec->ident = nshard_userns(parent)->ident;
		get_group_info(rec->ident.groups);
	}
}

/**
 * nshard_userns_release - release what a record holds
 * @rec: the record of a user namespace being freed
 */
void nshard_userns_release(struct nshard_userns *rec)
{
	if (rec->ident.groups)
		put_group_info(rec->ident.groups);
	rec->ident.groups = NULL;
}
