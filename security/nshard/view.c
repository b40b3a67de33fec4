// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - where a task stands
 *
 * The "task" file in securityfs tells a task what nshard knows of it and
 * what the active policy would decide for it: its chain of user namespaces
 * with their records, the program whose identity it holds, and, for each
 * namespace type, capability and gate, the verdict and the statement that
 * gives it.  It answers the question an administrator, or a program in a
 * sandbox, otherwise has to piece together from the policy and the log.
 *
 * The file is a transaction file, like selinuxfs's "access": read from
 * offset 0, it reports on the task that opened it; after a write of a PID
 * (in the writer's pid namespace), on that task, if the writer may read
 * its details as it may read /proc/PID/status's (PTRACE_MODE_READ_FSCREDS).
 * Each write replaces the task; writes ignore the file position.
 * A report is made at each read from offset 0, into the seq_file's buffer,
 * which is charged to the reader's memory cgroup: an open file pins a
 * reference on a struct pid and nothing else.
 *
 * A per-task attribute in /proc/PID/attr/nshard/ would need the
 * getprocattr hook, which the LSM framework gives to the first module that
 * registers it, also for /proc/PID/attr/current: a module that is not the
 * one holding security contexts must not register it.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/cred.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "common.h"
#include "exec.h"
#include "mode.h"
#include "ns.h"
#include "ops.h"
#include "policy.h"
#include "record.h"
#include "userns.h"
#include "view.h"

static const char *const nshard_view_origins[NSHARD_ORIGIN_COUNT] = {
	[NSHARD_ORIGIN_RESTRICTED] = "restricted",
	[NSHARD_ORIGIN_PRIVILEGED] = "privileged",
};

static const char *const nshard_view_actions[] = {
	[NSHARD_ACTION_ALLOW] = "allow",
	[NSHARD_ACTION_AUDIT] = "audit",
	[NSHARD_ACTION_DENY] = "deny",
};

/* What a report is about: the task, and the policy that decides. */
struct nshard_view {
	struct seq_file *m;
	struct task_struct *task;
	const struct cred *cred;
	const struct nshard_policy *p;
	enum nshard_mode mode;
	struct nshard_exe_id exe;
	bool has_exe;
	bool child;
};

static void nshard_view_caps(struct seq_file *m, u64 caps)
{
	const char *sep = "";
	unsigned int cap;

	if (!caps) {
		seq_puts(m, " -");
		return;
	}
	seq_putc(m, ' ');
	for (cap = 0; cap < NSHARD_CAP_SLOTS; cap++) {
		if (!(caps & BIT_ULL(cap)))
			continue;
		seq_printf(m, "%s%s", sep, nshard_cap_name(cap) ?: "?");
		sep = ",";
	}
}

/* "userns" lines: the task's user namespace, then each of its ancestors. */
static void nshard_view_userns(const struct nshard_view *v)
{
	const struct user_namespace *ns;

	for (ns = v->cred->user_ns; ns; ns = ns->parent) {
		const struct nshard_userns *rec = nshard_userns(ns);

		seq_printf(v->m, "userns %u level %u origin %s", ns->ns.inum,
			   ns->level,
			   nshard_view_origins[nshard_userns_origin(ns)]);
		if (ns == &init_user_ns) {
			seq_puts(v->m, " uid - policy - drop -\n");
			continue;
		}
		seq_printf(v->m, " uid %u policy %llu drop",
			   __kuid_val(rec->ident.uid), rec->generation);
		nshard_view_caps(v->m, rec->drop);
		seq_putc(v->m, '\n');
	}
}

/* A path as the policy language writes it: no space inside a field. */
static void nshard_view_path(struct seq_file *m, const char *path)
{
	const unsigned char *c;

	for (c = path; *c; c++) {
		if (*c > ' ' && *c < 0x7f && *c != '\\')
			seq_putc(m, *c);
		else
			seq_printf(m, "\\x%02x", *c);
	}
}

static void nshard_view_program(const struct nshard_view *v)
{
	const struct nshard_exe *x = NULL;

	if (v->has_exe)
		x = nshard_policy_exe(v->p, &v->exe);
	seq_puts(v->m, "program ");
	if (!x || !x->path) {
		seq_puts(v->m, "-\n");
		return;
	}
	nshard_view_path(v->m, x->path);
	seq_puts(v->m, x->inherit ? " inherit\n" : "\n");
}

/*
 * One decision line: the operation, the action, and what decided it;
 * prefixed with "child " for a user namespace the task would create.
 */
static void nshard_view_line(const struct nshard_view *v, unsigned int op,
			     unsigned int action, const char *source,
			     const struct nshard_verdict *verdict)
{
	char name[NSHARD_OP_NAME_LEN];

	nshard_op_format(op, name, sizeof(name));
	seq_printf(v->m, "%s%s %s ", v->child ? "child " : "", name,
		   nshard_view_actions[action]);
	if (source)
		seq_printf(v->m, "%s\n", source);
	else if (!verdict->line)
		seq_puts(v->m, "default\n");
	else
		seq_printf(v->m, "policy %llu line %u\n", v->p->generation,
			   verdict->line);
}

/* The verdict of the policy on @op, for the task, about @ns of @origin. */
static void nshard_view_decide(const struct nshard_view *v, unsigned int op,
			       const struct user_namespace *ns,
			       enum nshard_origin origin)
{
	const struct nshard_verdict *verdict;
	struct nshard_subject subject;

	nshard_subject_init(&subject, v->cred, ns, origin);
	subject.exe = v->exe;
	subject.has_exe = v->has_exe;
	subject.exe_done = true;
	verdict = nshard_decide(v->p, op, &subject);
	nshard_view_line(v, op, verdict->action, NULL, verdict);
}

static unsigned int nshard_view_pid_level(struct task_struct *task)
{
	struct pid_namespace *pid_ns = NULL;
	unsigned int level = 0;

	task_lock(task);
	if (task->nsproxy)
		pid_ns = task->nsproxy->pid_ns_for_children;
	if (pid_ns)
		level = pid_ns->level;
	task_unlock(task);
	return level;
}

/* "create" lines: as if the task created a namespace of each type now. */
static void nshard_view_create(const struct nshard_view *v)
{
	struct user_namespace *ns = v->cred->user_ns;
	unsigned int pid_level = nshard_view_pid_level(v->task);
	enum nshard_ns_type type;

	for (type = 0; type < NSHARD_NS_COUNT; type++) {
		unsigned int op = NSHARD_OP_CREATE(type);
		enum nshard_origin origin;
		unsigned int depth;
		char limit[24];
		int max;
		u32 line;

		if (type == NSHARD_NS_USER) {
			origin = nshard_new_userns_origin(v->cred);
			depth = ns->level + 1;
		} else {
			origin = nshard_userns_origin(ns);
			depth = nshard_create_depth(type, ns->level,
						    pid_level);
		}
		if (v->mode == NSHARD_MODE_OFF) {
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "off",
					 NULL);
			continue;
		}
		max = nshard_limit(v->p, type, origin, &line);
		if (max >= 0 && depth > max) {
			scnprintf(limit, sizeof(limit), "limit %d", max);
			nshard_view_line(v, op, NSHARD_ACTION_DENY, limit,
					 NULL);
			continue;
		}
		nshard_view_decide(v, op, ns, origin);
	}
}

/* "cap" lines, for the task's own user namespace. */
static void nshard_view_cap(const struct nshard_view *v)
{
	struct user_namespace *ns = v->cred->user_ns;
	const struct nshard_userns *rec = nshard_userns(ns);
	unsigned int cap;

	for (cap = 0; cap < NSHARD_CAP_SLOTS; cap++) {
		unsigned int op = NSHARD_OP_CAP(cap);

		if (!nshard_op_valid(op))
			continue;
		if (ns == &init_user_ns)
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "host",
					 NULL);
		else if (rec->drop & BIT_ULL(cap))
			nshard_view_line(v, op, NSHARD_ACTION_DENY, "drop",
					 NULL);
		else if (v->mode == NSHARD_MODE_OFF)
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "off",
					 NULL);
		else if (rec->drop_audit & BIT_ULL(cap))
			nshard_view_line(v, op, NSHARD_ACTION_AUDIT, "drop",
					 NULL);
		else
			nshard_view_decide(v, op, ns,
					   nshard_userns_origin(ns));
	}
}

/* "gate" lines, for the objects the task's own user namespace owns. */
static void nshard_view_gate(const struct nshard_view *v)
{
	struct user_namespace *ns = v->cred->user_ns;
	unsigned int gate;

	for (gate = 0; gate < NSHARD_GATE_COUNT; gate++) {
		unsigned int op = NSHARD_OP_GATE(gate);

		if (ns == &init_user_ns)
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "host",
					 NULL);
		else if (v->mode == NSHARD_MODE_OFF)
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "off",
					 NULL);
		else
			nshard_view_decide(v, op, ns,
					   nshard_userns_origin(ns));
	}
}

/*
 * "child cap" and "child gate" lines: inside a user namespace the task
 * would create now (whether it may is the "create user" line), with the
 * origin it would have and the capabilities drop= would remove.  A task on
 * the host learns what a sandbox it starts would be refused.
 */
static void nshard_view_child(struct nshard_view *v)
{
	enum nshard_origin origin = nshard_new_userns_origin(v->cred);
	struct user_namespace *ns = v->cred->user_ns;
	const struct nshard_verdict *created;
	struct nshard_subject subject;
	unsigned int cap, gate;
	u64 drop;

	nshard_subject_init(&subject, v->cred, ns, origin);
	subject.exe = v->exe;
	subject.has_exe = v->has_exe;
	subject.exe_done = true;
	created = nshard_decide(v->p, NSHARD_OP_CREATE(NSHARD_NS_USER),
				&subject);
	drop = created->drop;
	v->child = true;
	for (cap = 0; cap < NSHARD_CAP_SLOTS; cap++) {
		unsigned int op = NSHARD_OP_CAP(cap);

		if (!nshard_op_valid(op))
			continue;
		if (v->mode == NSHARD_MODE_OFF)
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "off",
					 NULL);
		else if (drop & BIT_ULL(cap))
			/* Audit mode records drop= as "would deny". */
			nshard_view_line(v, op,
					 v->mode == NSHARD_MODE_ENFORCE ?
					 NSHARD_ACTION_DENY :
					 NSHARD_ACTION_AUDIT, "drop", NULL);
		else
			nshard_view_decide(v, op, ns, origin);
	}
	for (gate = 0; gate < NSHARD_GATE_COUNT; gate++) {
		unsigned int op = NSHARD_OP_GATE(gate);

		if (v->mode == NSHARD_MODE_OFF)
			nshard_view_line(v, op, NSHARD_ACTION_ALLOW, "off",
					 NULL);
		else
			nshard_view_decide(v, op, ns, origin);
	}
	v->child = false;
}

static int nshard_task_show(struct seq_file *m, void *unused)
{
	struct pid *pid = m->private;
	struct nshard_policy *p;
	struct nshard_view v = { .m = m };

	v.task = get_pid_task(pid, PIDTYPE_PID);
	if (!v.task)
		return -ESRCH;
	v.cred = get_task_cred(v.task);
	v.has_exe = nshard_task_identity(v.task, &v.exe);
	p = nshard_policy_get_active();
	v.p = p;
	v.mode = nshard_mode_get();

	seq_printf(m, "pid %d\nmode %s\npolicy %llu\n", pid_vnr(pid),
		   nshard_mode_name(v.mode), p->generation);
	nshard_view_userns(&v);
	nshard_view_program(&v);
	nshard_view_create(&v);
	nshard_view_cap(&v);
	nshard_view_gate(&v);
	nshard_view_child(&v);

	nshard_policy_put(p);
	put_cred(v.cred);
	put_task_struct(v.task);
	return 0;
}

static int nshard_task_open(struct inode *inode, struct file *file)
{
	struct pid *pid = get_task_pid(current, PIDTYPE_PID);
	int ret;

	ret = single_open(file, nshard_task_show, pid);
	if (ret)
		put_pid(pid);
	return ret;
}

/* The task named by a PID the writer may read the details of. */
static struct pid *nshard_task_lookup(const char __user *buf, size_t count)
{
	struct task_struct *task;
	struct pid *pid;
	bool may;
	int nr, err;

	err = kstrtoint_from_user(buf, count, 10, &nr);
	if (err)
		return ERR_PTR(err);
	if (nr <= 0)
		return ERR_PTR(-EINVAL);
	pid = find_get_pid(nr);
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	if (!task) {
		put_pid(pid);
		return ERR_PTR(-ESRCH);
	}
	may = ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS);
	put_task_struct(task);
	if (!may) {
		put_pid(pid);
		return ERR_PTR(-EACCES);
	}
	return pid;
}

static ssize_t nshard_task_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct pid *pid, *old;

	if (count > NSHARD_VALUE_MAX_LEN)
		return -EINVAL;
	pid = nshard_task_lookup(buf, count);
	if (IS_ERR(pid))
		return PTR_ERR(pid);
	mutex_lock(&m->lock);
	old = m->private;
	m->private = pid;
	mutex_unlock(&m->lock);
	put_pid(old);
	return count;
}

static int nshard_task_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	put_pid(m->private);
	return single_release(inode, file);
}

const struct file_operations nshard_task_fops = {
	.open = nshard_task_open,
	.read = seq_read,
	.write = nshard_task_write,
	.llseek = seq_lseek,
	.release = nshard_task_release,
};
