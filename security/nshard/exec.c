// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - programs named by exe= rules, bound to their execution
 *
 * A rule "allow create user exe=/usr/bin/bwrap" must exempt bwrap, not
 * whatever code a user manages to run under bwrap's name.  So a task holds
 * the identity of a program only from an execve(2) of that very file, made
 * while a policy naming it was active, until its next execve(2), and only
 * while its memory still maps that file as its executable.  And an
 * execution of a program that an allow or audit rule names is treated like
 * a set-user-ID one:
 *
 *  - the dynamic loader is told (AT_SECURE) to ignore LD_PRELOAD,
 *    LD_LIBRARY_PATH, LD_AUDIT and the like, and the personality flags that
 *    weaken the address space layout are cleared;
 *  - the identity is withheld if the execution happens under ptrace by an
 *    unprivileged tracer, under a seccomp filter (whose user notifications
 *    could answer the loader's system calls) or with a shared fs_struct: the
 *    program runs, without its exemption.  no_new_privs alone is no reason:
 *    it lets nobody into the program (Chromium execs its zygote with it);
 *  - the task cannot be attached to, nor its memory read or written through
 *    /proc/PID/mem or process_vm_*(), nor its descriptors taken, by a task
 *    that is neither privileged nor running the same exempt program;
 *  - children the program forks lose the identity, unless the program's
 *    rules say "inherit"; threads keep it.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/mm.h>
#include <linux/personality.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/seccomp.h>
#include <linux/security.h>

#include "audit.h"
#include "common.h"
#include "exec.h"
#include "policy.h"
#include "setup.h"

/* Does @exe, whose reference this drops, hold the identity @t noted? */
static bool nshard_identity_of(const struct nshard_task *t, struct file *exe,
			       struct nshard_exe_id *id)
{
	struct nshard_exe_id now;
	bool same;

	if (!exe)
		return false;
	nshard_exe_id_of(file_inode(exe), &now);
	fput(exe);
	same = now.ino == t->exe.ino && now.dev == t->exe.dev &&
	       now.gen == t->exe.gen;
	if (same)
		*id = t->exe;
	return same;
}

/**
 * nshard_exec_identity - identity of the program the current task executed
 * @id: where to store it
 *
 * Return: true if the task holds the identity of a program exe= rules
 * named when it executed it, and its executable file is still that program
 * (PR_SET_MM can change it); false otherwise, and for kernel threads.
 */
bool nshard_exec_identity(struct nshard_exe_id *id)
{
	const struct nshard_task *t = nshard_task(current);

	if (!t->named || !current->mm)
		return false;
	return nshard_identity_of(t, get_mm_exe_file(current->mm), id);
}

/**
 * nshard_task_identity - identity of the program a task executed
 * @task: the task, not necessarily current
 * @id: where to store it
 *
 * As nshard_exec_identity(), for a report on @task: @task may be executing
 * another program meanwhile, and the answer is then either program's.
 *
 * Return: true if @task holds the identity of a program exe= rules named
 * when it executed it, and its executable file is still that program.
 */
bool nshard_task_identity(struct task_struct *task, struct nshard_exe_id *id)
{
	const struct nshard_task *t = nshard_task(task);

	if (!READ_ONCE(t->named))
		return false;
	return nshard_identity_of(t, get_task_exe_file(task), id);
}

/**
 * nshard_exec_unsafe - tell why an execution cannot be trusted
 * @bprm: the execution
 *
 * Return: why an exempting program executed so may not be trusted to run as
 * itself, or NULL if it may.
 */
const char *nshard_exec_unsafe(const struct linux_binprm *bprm)
{
	if ((bprm->unsafe & LSM_UNSAFE_PTRACE) &&
	    !ptracer_capable(current, &init_user_ns))
		return "traced by an unprivileged tracer";
#ifdef CONFIG_SECCOMP
	if (current->seccomp.mode != SECCOMP_MODE_DISABLED)
		return "a seccomp filter is installed";
#endif
	if (bprm->unsafe & LSM_UNSAFE_SHARE)
		return "its fs_struct is shared";
	return NULL;
}

/*
 * @file is the program that will run (the interpreter of a script).  This
 * is the last hook before the point of no return that may still change how
 * the program is loaded: note what it is, for bprm_committing_creds.
 */
static int nshard_bprm_creds_from_file(struct linux_binprm *bprm,
				       const struct file *file)
{
	struct nshard_task *t = nshard_task(current);
	const struct nshard_policy *p;
	const struct nshard_exe *x;
	struct nshard_exe_id id;
	const char *why;

	t->pending_named = false;
	t->pending_exempt = false;
	rcu_read_lock();
	p = nshard_policy_get();
	if (!p->has_exe)
		goto out;
	nshard_exe_id_of(file_inode(file), &id);
	x = nshard_policy_exe(p, &id);
	if (!x)
		goto out;
	if (x->exempting) {
		why = nshard_exec_unsafe(bprm);
		if (why) {
			nshard_report_exec(x->path, "withheld", why);
			goto out;
		}
		bprm->secureexec = 1;
		bprm->per_clear |= PER_CLEAR_ON_SETID;
		t->pending_exempt = true;
	}
	t->pending = id;
	t->pending_named = true;
out:
	rcu_read_unlock();
	return 0;
}

/* Past the point of no return: the task runs the new program. */
static void nshard_bprm_committing_creds(const struct linux_binprm *bprm)
{
	struct nshard_task *t = nshard_task(current);

	t->exe = t->pending;
	WRITE_ONCE(t->named, t->pending_named);
	WRITE_ONCE(t->exempt, t->pending_exempt);
	t->pending_named = false;
	t->pending_exempt = false;
}

/* Threads keep the identity; other children if the program inherits. */
static int nshard_task_alloc(struct task_struct *task,
			     unsigned long clone_flags)
{
	const struct nshard_task *parent = nshard_task(current);
	struct nshard_task *child = nshard_task(task);
	const struct nshard_exe *x;
	bool keep;

	if (!parent->named)
		return 0;
	keep = clone_flags & CLONE_THREAD;
	if (!keep) {
		rcu_read_lock();
		x = nshard_policy_exe(nshard_policy_get(), &parent->exe);
		keep = x && x->inherit;
		rcu_read_unlock();
	}
	if (keep) {
		child->exe = parent->exe;
		child->named = true;
		child->exempt = parent->exempt;
	}
	return 0;
}

/* May @tracer, not privileged, access @target, exempt? */
static bool nshard_same_exempt(const struct task_struct *tracer,
			       const struct nshard_task *target)
{
	const struct nshard_task *t = nshard_task(tracer);

	return READ_ONCE(t->exempt) && t->exe.ino == target->exe.ino &&
	       t->exe.dev == target->exe.dev && t->exe.gen == target->exe.gen;
}

static const char *nshard_exempt_path(const struct nshard_task *t)
{
	const struct nshard_exe *x;

	x = nshard_policy_exe(nshard_policy_get(), &t->exe);
	return x ? x->path : "(a program no longer named)";
}

/*
 * Attaching, and reading or writing memory (/proc/PID/mem, process_vm_*),
 * taking descriptors (pidfd_getfd): PTRACE_MODE_ATTACH.  Called with the
 * target's task_lock held.
 */
static int nshard_ptrace_access_check(struct task_struct *child,
				      unsigned int mode)
{
	const struct nshard_task *t = nshard_task(child);

	if (!(mode & PTRACE_MODE_ATTACH) || !READ_ONCE(t->exempt) ||
	    nshard_same_exempt(current, t) ||
	    cap_capable(current_cred(), &init_user_ns, CAP_SYS_PTRACE,
			CAP_OPT_NOAUDIT) == 0)
		return 0;
	rcu_read_lock();
	nshard_report_ptrace(child, nshard_exempt_path(t), "ptrace");
	rcu_read_unlock();
	return -EPERM;
}

/* An exempt task asking its parent to trace it. */
static int nshard_ptrace_traceme(struct task_struct *parent)
{
	const struct nshard_task *t = nshard_task(current);
	int ret = 0;

	if (!READ_ONCE(t->exempt) || nshard_same_exempt(parent, t))
		return 0;
	rcu_read_lock();
	if (cap_capable(__task_cred(parent), &init_user_ns, CAP_SYS_PTRACE,
			CAP_OPT_NOAUDIT)) {
		nshard_report_ptrace(current, nshard_exempt_path(t),
				     "ptrace traceme");
		ret = -EPERM;
	}
	rcu_read_unlock();
	return ret;
}

static struct security_hook_list nshard_exec_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(bprm_creds_from_file, nshard_bprm_creds_from_file),
	LSM_HOOK_INIT(bprm_committing_creds, nshard_bprm_committing_creds),
	LSM_HOOK_INIT(task_alloc, nshard_task_alloc),
	LSM_HOOK_INIT(ptrace_access_check, nshard_ptrace_access_check),
	LSM_HOOK_INIT(ptrace_traceme, nshard_ptrace_traceme),
};

/**
 * nshard_add_exec_hooks - register the hooks that bind programs to their
 *                         execution
 */
void __init nshard_add_exec_hooks(void)
{
	security_add_hooks(nshard_exec_hooks, ARRAY_SIZE(nshard_exec_hooks),
			   &nshard_lsmid);
}
