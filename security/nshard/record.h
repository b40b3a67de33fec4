/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - what nshard remembers of each user namespace
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_RECORD_H
#define _SECURITY_NSHARD_RECORD_H

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/user_namespace.h>

#include "policy.h"

/**
 * struct nshard_userns - nshard's record of a user namespace
 * @restricted: created by a task without CAP_SYS_ADMIN in the initial user
 *              namespace, or nested in a namespace that was
 * @depth: nesting depth: 0 for the initial user namespace
 * @drop: capabilities that do not work in this namespace and its
 *        descendants, from the drop= of the rules that allowed their creation
 *
 * Lives in the namespace's security blob: it follows the namespace, not the
 * task, so that a task that enters the namespace with setns(2), and every
 * process that inherits it, is judged by it.  Set before the namespace is
 * visible and never changed, so it is read without a lock.
 */
struct nshard_userns {
	bool restricted;
	u8 depth;
	u64 drop;
};

/**
 * struct nshard_task - nshard's per-task state
 * @new_userns: what the userns_create hook decided about the user namespace
 *              this task is creating, for the namespace_alloc hook that the
 *              same task runs right after, once the namespace exists
 * @new_userns.restricted: the origin the decision used
 * @new_userns.drop: the capabilities the deciding rule drops
 */
struct nshard_task {
	struct {
		bool restricted;
		u64 drop;
	} new_userns;
};

extern struct lsm_blob_sizes nshard_blob_sizes;
extern atomic_long_t nshard_userns_live;

/**
 * nshard_userns - the record of a user namespace
 * @ns: the user namespace
 *
 * Return: its record; every user namespace has one once nshard is active.
 */
static inline struct nshard_userns *
nshard_userns(const struct user_namespace *ns)
{
	return ns->ns.security + nshard_blob_sizes.lbs_ns;
}

/**
 * nshard_task - nshard's state of a task
 * @task: the task
 *
 * Return: the state.
 */
static inline struct nshard_task *nshard_task(const struct task_struct *task)
{
	return task->security + nshard_blob_sizes.lbs_task;
}

/**
 * nshard_userns_origin - origin of a user namespace, as rules name it
 * @ns: the user namespace
 *
 * Return: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED.
 */
static inline enum nshard_origin
nshard_userns_origin(const struct user_namespace *ns)
{
	return nshard_userns(ns)->restricted ? NSHARD_ORIGIN_RESTRICTED :
					       NSHARD_ORIGIN_PRIVILEGED;
}

void nshard_userns_init(struct nshard_userns *rec,
			const struct nshard_userns *parent,
			bool privileged_creator, u64 drop);

void __init nshard_add_record_hooks(void);

#endif /* _SECURITY_NSHARD_RECORD_H */
