/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - programs named by exe= rules, bound to their execution
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_EXEC_H
#define _SECURITY_NSHARD_EXEC_H

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/sched.h>

#include "policy.h"

/**
 * struct nshard_task - nshard's per-task state
 * @exe: identity of the program the task executed, if @named
 * @named: the task executed a program that exe= rules of the policy then
 *         active named, and has executed nothing since
 * @exempt: that program was exempting: the task is protected from ptrace
 * @pending: what the execution in progress found, until it commits
 * @pending_named: @pending is valid
 * @pending_exempt: and exempting
 */
struct nshard_task {
	struct nshard_exe_id exe;
	bool named;
	bool exempt;
	struct nshard_exe_id pending;
	bool pending_named;
	bool pending_exempt;
};

extern struct lsm_blob_sizes nshard_blob_sizes;

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

struct linux_binprm;

bool nshard_exec_identity(struct nshard_exe_id *id);
bool nshard_task_identity(struct task_struct *task, struct nshard_exe_id *id);
const char *nshard_exec_unsafe(const struct linux_binprm *bprm);

void __init nshard_add_exec_hooks(void);

#endif /* _SECURITY_NSHARD_EXEC_H */
