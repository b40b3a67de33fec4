// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: nshard's view of a task
 *
 * Reads the report of the task file (the process's user namespace chain,
 * its program exemption, and how nshard would decide every operation for
 * it), with, for a process of the initial user namespace, whose
 * capabilities and gates nshard does not mediate, what a user namespace it
 * creates would be refused: the report's "child" lines.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "inspect.h"

#define NSH_TASK_FILE	"task"

static const char *const nsh_ns_names[NSHARD_NS_COUNT] = {
	"user", "mnt", "net", "pid", "ipc", "uts", "cgroup", "time",
};

/*
 * Gates, in the order of enum nshard_gate; weight: tenths of the exposure
 * score's namespace term (see score.c), after how many user-namespace
 * exploits went through each; cap: the capability the kernel asks for
 * before the gate's code, or -1 when it asks for none.
 */
static const struct {
	const char *name;
	unsigned int weight;
	int cap;
} nsh_gates[] = {
	{ "netfilter", 10, NSH_CAP_NET_ADMIN },
	{ "xtables", 5, NSH_CAP_NET_ADMIN },
	{ "tc", 8, NSH_CAP_NET_ADMIN },
	{ "xfrm", 4, NSH_CAP_NET_ADMIN },
	{ "genl-admin", 3, NSH_CAP_NET_ADMIN },
	{ "packet", 3, NSH_CAP_NET_RAW },
	{ "raw", 2, NSH_CAP_NET_RAW },
	{ "fs-mount", 5, NSH_CAP_SYS_ADMIN },
	{ "cgroup1", 3, NSH_CAP_SYS_ADMIN },
	{ "overlay", 4, NSH_CAP_SYS_ADMIN },
	{ "modload", 5, -1 },
	{ "link", 3, NSH_CAP_NET_ADMIN },
	{ "netdev-ioctl", 2, NSH_CAP_NET_ADMIN },
	{ "netlink-other", 2, NSH_CAP_NET_ADMIN },
	{ "link-other", 1, NSH_CAP_NET_ADMIN },
	{ "family-other", 2, -1 },
};

static_assert(ARRAY_SIZE(nsh_gates) == NSHARD_GATE_COUNT,
	      "one entry per gate of include/uapi/linux/nshard.h");

const char *nsh_ns_name(unsigned int type)
{
	return type < NSHARD_NS_COUNT ? nsh_ns_names[type] : "?";
}

const char *nsh_gate_name(unsigned int gate)
{
	return gate < NSHARD_GATE_COUNT ? nsh_gates[gate].name : "?";
}

unsigned int nsh_gate_weight(unsigned int gate)
{
	return gate < NSHARD_GATE_COUNT ? nsh_gates[gate].weight : 0;
}

int nsh_gate_cap(unsigned int gate)
{
	return gate < NSHARD_GATE_COUNT ? nsh_gates[gate].cap : -1;
}

const char *nsh_act_name(int action)
{
	static const char *const names[] = { "-", "allow", "audit", "deny" };

	return action >= 0 && action < (int)ARRAY_SIZE(names) ?
	       names[action] : "?";
}

int nsh_act_parse(const char *s)
{
	int a;

	for (a = NSH_ACT_ALLOW; a <= NSH_ACT_DENY; a++)
		if (!strcmp(s, nsh_act_name(a)))
			return a;
	return NSH_ACT_NONE;
}

int nsh_ns_lookup(const char *s)
{
	unsigned int i;

	for (i = 0; i < NSHARD_NS_COUNT; i++)
		if (!strcmp(nsh_ns_names[i], s))
			return i;
	return -1;
}

int nsh_gate_lookup(const char *s)
{
	unsigned int i;

	for (i = 0; i < NSHARD_GATE_COUNT; i++)
		if (!strcmp(nsh_gates[i].name, s))
			return i;
	return -1;
}

/* The decision slot of "<class> <arg>", or NULL. */
static struct nsh_dec *nsh_slot(struct nsh_verdicts *v, const char *cls,
				const char *arg)
{
	int i;

	if (!strcmp(cls, "create")) {
		i = nsh_ns_lookup(arg);
		return i < 0 ? NULL : &v->create[i];
	}
	if (!strcmp(cls, "cap")) {
		i = nsh_cap_lookup(arg);
		return i < 0 ? NULL : &v->cap[i];
	}
	if (!strcmp(cls, "gate")) {
		i = nsh_gate_lookup(arg);
		return i < 0 ? NULL : &v->gate[i];
	}
	return NULL;
}

/*
 * Split a line into words at blanks; a double-quoted span (an exe= path of
 * the policy language, with its escapes) stays within its word.
 */
int nsh_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		bool quoted = false;

		p += strspn(p, " \t");
		if (!*p || *p == '#')
			break;
		w[n++] = p;
		for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
			if (*p == '\\' && quoted && p[1])
				p++;
			else if (*p == '"')
				quoted = !quoted;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static void nsh_report_decision(struct nsh_report *r, char **w, int n)
{
	struct nsh_verdicts *v = &r->v;
	struct nsh_dec *d;
	size_t len = 0;
	int i;

	/* "child cap|gate ...": a user namespace it would create now. */
	if (!strcmp(w[0], "child")) {
		if (n < 5)
			return;
		v = &r->p;
		r->child_lines = true;
		w++;
		n--;
	}
	d = nsh_slot(v, w[0], w[1]);
	if (!d)
		return;
	d->action = nsh_act_parse(w[2]);
	d->source[0] = '\0';
	for (i = 3; i < n; i++)
		len += snprintf(d->source + len, sizeof(d->source) - len,
				"%s%s", i > 3 ? " " : "", w[i]);
	if (v == &r->v && !strcmp(d->source, "host") && strcmp(w[0], "create"))
		r->host = true;
}

/*
 * For a process of the initial user namespace, or of one of privileged
 * origin (whose own decisions follow privileged rules), what a user
 * namespace it would create would meet: the kernel's "child" lines.  The
 * tool never evaluates the policy itself.
 */
static void nsh_report_child(struct nsh_report *r)
{
	if (!r->ok || !(r->host || (r->nr_userns &&
				    !strcmp(r->userns[0].origin, "privileged"))))
		return;
	if (!r->child_lines) {
		nsh_copy(r->predict_note, sizeof(r->predict_note),
			 "this kernel's report has no child lines: what a user namespace it creates would meet is unknown");
		return;
	}
	r->predicted = true;
	nsh_copy(r->predict_note, sizeof(r->predict_note),
		 "from nshard's report: a user namespace it would create now");
}

/* "userns INO level L origin O uid U policy G drop D" */
static void nsh_report_userns(struct nsh_report *r, char **w, int n)
{
	struct nsh_userns *u;
	int i;

	if (r->nr_userns >= (int)ARRAY_SIZE(r->userns))
		return;
	u = &r->userns[r->nr_userns++];
	u->ino = strtoull(w[1], NULL, 10);
	nsh_copy(u->drop, sizeof(u->drop), "-");
	for (i = 2; i + 1 < n; i += 2) {
		if (!strcmp(w[i], "level"))
			u->level = strtoul(w[i + 1], NULL, 10);
		else if (!strcmp(w[i], "origin"))
			nsh_copy(u->origin, sizeof(u->origin), w[i + 1]);
		else if (!strcmp(w[i], "uid"))
			u->uid = strtoul(w[i + 1], NULL, 10);
		else if (!strcmp(w[i], "policy"))
			u->policy = strtoul(w[i + 1], NULL, 10);
		else if (!strcmp(w[i], "drop"))
			nsh_copy(u->drop, sizeof(u->drop), w[i + 1]);
	}
}

static void nsh_report_line(struct nsh_report *r, char *line)
{
	char *w[16];
	int n = nsh_words(line, w, ARRAY_SIZE(w));

	if (n == 2 && !strcmp(w[0], "pid"))
		r->pid = strtoul(w[1], NULL, 10);
	else if (n == 2 && !strcmp(w[0], "mode"))
		nsh_copy(r->mode, sizeof(r->mode), w[1]);
	else if (n == 2 && !strcmp(w[0], "policy"))
		r->policy = strtoul(w[1], NULL, 10);
	else if (n >= 2 && !strcmp(w[0], "userns"))
		nsh_report_userns(r, w, n);
	else if (n >= 2 && !strcmp(w[0], "program"))
		r->inherit = n > 2 && !strcmp(w[2], "inherit");
	else if (n >= 4)
		nsh_report_decision(r, w, n);
	if (n >= 2 && !strcmp(w[0], "program"))
		nsh_copy(r->program, sizeof(r->program),
			 strcmp(w[1], "-") ? w[1] : "");
}

/*
 * Capabilities drop= removed from the process's user namespace or one of
 * its parents are refused there, whether the report lists them or not.
 */
static void nsh_report_drops(struct nsh_report *r)
{
	char list[sizeof(r->userns[0].drop)], *save = NULL, *name;
	struct nsh_dec *d;
	int i;

	for (i = 0; i < r->nr_userns; i++) {
		nsh_copy(list, sizeof(list), r->userns[i].drop);
		for (name = strtok_r(list, ",", &save); name;
		     name = strtok_r(NULL, ",", &save)) {
			d = nsh_slot(&r->v, "cap", name);
			if (!d || d->action)
				continue;
			d->action = NSH_ACT_DENY;
			nsh_copy(d->source, sizeof(d->source), "drop");
		}
	}
}

static void nsh_report_parse(struct nsh_report *r, char *text)
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		nsh_report_line(r, line);
	nsh_report_drops(r);
	r->ok = r->mode[0] && r->v.create[NSHARD_NS_USER].action;
	if (!r->ok)
		snprintf(r->why, sizeof(r->why),
			 "%s/%s did not answer with a report this tool understands",
			 nsh_fs_dir(), NSH_TASK_FILE);
}

static void nsh_report_error(struct nsh_report *r, const struct nsh_proc *p,
			     const char *path, int err, bool writing)
{
	if (!writing && err == ENOENT)
		snprintf(r->why, sizeof(r->why),
			 "this kernel's nshard has no %s file (it predates it): its decisions for this process are not known",
			 NSH_TASK_FILE);
	else if (writing && err == EACCES)
		snprintf(r->why, sizeof(r->why),
			 "nshard reports on pid %s only to who may ptrace-read it (as for the details of /proc/%s/status): run as its owner or as root",
			 p->pid, p->pid);
	else if (writing && err == ESRCH)
		snprintf(r->why, sizeof(r->why),
			 "nshard knows no pid %s in this pid namespace", p->pid);
	else
		snprintf(r->why, sizeof(r->why), "%s %s: %s",
			 writing ? "writing" : "opening", path, strerror(err));
}

/*
 * Ask the task file.  "self" reads the report on the opener; a pid is
 * written first, unless the file is not in securityfs (a test tree's static
 * report, which must not be overwritten).
 */
static int nsh_report_fetch(struct nsh_report *r, const struct nsh_proc *p,
			    struct nsh_buf *b)
{
	bool self = !strcmp(p->pid, "self"), ask;
	char path[NSH_PATH_LEN], chunk[4096];
	struct statfs sfs;
	off_t off = 0;
	ssize_t n;
	int fd;

	nsh_fs_path(path, sizeof(path), NSH_TASK_FILE);
	ask = !self && statfs(path, &sfs) == 0 &&
	      sfs.f_type == NSH_SECURITYFS_MAGIC;
	fd = open(path, (ask ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		nsh_report_error(r, p, path, errno, false);
		return -1;
	}
	n = ask ? snprintf(chunk, sizeof(chunk), "%s\n", p->pid) : 0;
	if (ask && write(fd, chunk, n) != n) {
		nsh_report_error(r, p, path, errno, true);
		close(fd);
		return -1;
	}
	nsh_buf_add(b, "", 0);
	while ((n = pread(fd, chunk, sizeof(chunk), off)) > 0 &&
	       off < 1 << 20) {
		nsh_buf_add(b, chunk, n);
		off += n;
	}
	if (n < 0)
		nsh_report_error(r, p, path, errno, false);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* Note when the report is not about the process asked for. */
static void nsh_report_check_pid(struct nsh_report *r,
				 const struct nsh_proc *p)
{
	unsigned long want;

	if (!strcmp(p->pid, "self"))
		want = getpid();
	else if (nsh_parse_ulong(p->pid, &want))
		return;
	if (r->ok && r->pid && r->pid != want)
		snprintf(r->note, sizeof(r->note),
			 "nshard's report names pid %lu, not pid %lu", r->pid,
			 want);
}

void nsh_report_read(struct nsh_report *r, const struct nsh_proc *p)
{
	struct nsh_buf text = { 0 };

	r->active = nsh_fs_active();
	if (!r->active) {
		snprintf(r->why, sizeof(r->why),
			 "nshard is not active in this kernel (no %s): boot with lsm=...,nshard",
			 nsh_fs_dir());
		return;
	}
	nsh_read_fs_value(NSHARD_FS_MODE, r->mode, sizeof(r->mode));
	if (nsh_report_fetch(r, p, &text) == 0) {
		nsh_report_parse(r, text.data);
		nsh_report_check_pid(r, p);
	}
	nsh_buf_free(&text);
	nsh_report_child(r);
}
