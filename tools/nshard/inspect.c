// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: inspect
 *
 * nshard inspect [--json] [--threshold N] [PID]
 *
 * Gathers what /proc says about a process: its credentials and capability
 * sets, no_new_privs and seccomp, its MAC labels, its namespaces and
 * cgroup, and the system-wide knobs on user namespaces; task.c adds
 * nshard's own report, score.c judges the whole.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspect.h"
#include "nshard.h"

/*
 * Inode numbers of the initial namespaces, fixed by the kernel
 * (PROC_*_INIT_INO in include/linux/proc_ns.h); 0 where there is none (the
 * initial mount and network namespaces are numbered like any other).
 */
static const unsigned long long nsh_init_ino[NSHARD_NS_COUNT] = {
	[NSHARD_NS_USER] = 0xEFFFFFFDULL,
	[NSHARD_NS_PID] = 0xEFFFFFFCULL,
	[NSHARD_NS_IPC] = 0xEFFFFFFFULL,
	[NSHARD_NS_UTS] = 0xEFFFFFFEULL,
	[NSHARD_NS_CGROUP] = 0xEFFFFFFBULL,
	[NSHARD_NS_TIME] = 0xEFFFFFFAULL,
};

static void nsh_status_ids(long *ids, const char *v)
{
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		ids[i] = strtol(v, &end, 10);
		if (end == v)
			ids[i] = -1;
		v = end;
	}
}

/* One "Key:\tvalue" line of /proc/PID/status. */
static void nsh_status_line(struct nsh_proc *p, const char *key,
			    const char *v)
{
	static const char *const capkeys[NSH_CAPSET_COUNT] = {
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	};
	int i;

	if (!strcmp(key, "Name"))
		nsh_copy(p->name, sizeof(p->name), v);
	else if (!strcmp(key, "Uid"))
		nsh_status_ids(p->uid, v);
	else if (!strcmp(key, "Gid"))
		nsh_status_ids(p->gid, v);
	else if (!strcmp(key, "Groups"))
		nsh_copy(p->groups, sizeof(p->groups), v);
	else if (!strcmp(key, "NoNewPrivs"))
		p->nnp = atoi(v);
	else if (!strcmp(key, "Seccomp"))
		p->seccomp = atoi(v);
	else if (!strcmp(key, "Seccomp_filters"))
		p->seccomp_filters = atoi(v);
	for (i = 0; i < NSH_CAPSET_COUNT; i++) {
		if (strcmp(key, capkeys[i]))
			continue;
		p->cap[i] = strtoull(v, NULL, 16);
		p->cap_ok |= i == NSH_CAP_EFF;
	}
}

static int nsh_read_status(struct nsh_proc *p)
{
	char path[NSH_PATH_LEN], *save = NULL, *line, *colon;
	struct nsh_buf b = { 0 };
	int err;

	nsh_proc_path(path, sizeof(path), p->pid, "status");
	err = nsh_read_file(path, &b, 1 << 20);
	if (err) {
		nsh_fmt(p->status_err, sizeof(p->status_err), "%s: %s", path,
			strerror(-err));
		nsh_buf_free(&b);
		return err;
	}
	for (line = strtok_r(b.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon++ = '\0';
		nsh_status_line(p, line, colon + strspn(colon, " \t"));
	}
	/* Groups may end with a blank. */
	p->groups[strcspn(p->groups, "\t")] = '\0';
	while (*p->groups && p->groups[strlen(p->groups) - 1] == ' ')
		p->groups[strlen(p->groups) - 1] = '\0';
	p->status_ok = true;
	nsh_buf_free(&b);
	return 0;
}

/* "type:[inode]" of /proc/PID/ns/TYPE, or 0 with the error noted. */
static unsigned long long nsh_ns_ino(const char *pid, unsigned int type,
				     char *err, size_t size)
{
	char path[NSH_PATH_LEN], link[128], name[64];
	ssize_t n;
	char *open;

	snprintf(name, sizeof(name), "ns/%s", nsh_ns_name(type));
	nsh_proc_path(path, sizeof(path), pid, name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (err)
			snprintf(err, size, "%s", strerror(errno));
		return 0;
	}
	link[n] = '\0';
	open = strchr(link, '[');
	return open ? strtoull(open + 1, NULL, 10) : 0;
}

static void nsh_read_ns(struct nsh_proc *p)
{
	unsigned long long init_pid, ref;
	char err[64];
	unsigned int t;
	struct nsh_ns *ns;

	/* /proc/1 is the host's init only if it is in the initial pid ns. */
	init_pid = nsh_ns_ino("1", NSHARD_NS_PID, err, sizeof(err));
	for (t = 0; t < NSHARD_NS_COUNT; t++) {
		ns = &p->ns[t];
		ns->host = NSH_UNKNOWN;
		ns->ino = nsh_ns_ino(p->pid, t, ns->err, sizeof(ns->err));
		if (!ns->ino)
			continue;
		if (nsh_init_ino[t]) {
			ns->host = ns->ino == nsh_init_ino[t];
			continue;
		}
		if (!init_pid)
			nsh_fmt(ns->err, sizeof(ns->err),
				"pid 1's namespaces: %s", err);
		else if (init_pid != nsh_init_ino[NSHARD_NS_PID])
			nsh_copy(ns->err, sizeof(ns->err),
				 "pid 1 here is not the host's init");
		ref = nsh_ns_ino("1", t, err, sizeof(err));
		if (ref && init_pid == nsh_init_ino[NSHARD_NS_PID])
			ns->host = ns->ino == ref;
		else if (init_pid == nsh_init_ino[NSHARD_NS_PID])
			nsh_fmt(ns->err, sizeof(ns->err),
				"pid 1's namespaces: %s", err);
	}
}

static long nsh_read_long(const char *path)
{
	char v[64];
	char *end;
	long n;

	if (nsh_read_value(path, v, sizeof(v)))
		return -1;
	n = strtol(v, &end, 10);
	return end == v ? -1 : n;
}

static bool nsh_lsm_listed(const struct nsh_proc *p, const char *name)
{
	size_t len = strlen(name);
	const char *s;

	for (s = strstr(p->lsm, name); s; s = strstr(s + 1, name))
		if ((s == p->lsm || s[-1] == ',') &&
		    (s[len] == ',' || s[len] == '\0'))
			return true;
	return false;
}

static void nsh_read_attr(const struct nsh_proc *p, const char *attr,
			  char *buf, size_t size)
{
	char path[NSH_PATH_LEN];

	nsh_proc_path(path, sizeof(path), p->pid, attr);
	if (nsh_read_value(path, buf, size))
		buf[0] = '\0';
}

static void nsh_read_lsm(struct nsh_proc *p)
{
	char path[NSH_PATH_LEN];

	snprintf(path, sizeof(path), "%s/lsm", nsh_secfs_dir());
	p->lsm_ok = nsh_read_value(path, p->lsm, sizeof(p->lsm)) == 0;
	nsh_read_attr(p, "attr/apparmor/current", p->apparmor,
		      sizeof(p->apparmor));
	if (!p->apparmor[0] && nsh_lsm_listed(p, "apparmor"))
		nsh_read_attr(p, "attr/current", p->apparmor,
			      sizeof(p->apparmor));
	if (nsh_lsm_listed(p, "selinux"))
		nsh_read_attr(p, "attr/current", p->selinux,
			      sizeof(p->selinux));
	nsh_read_attr(p, "attr/smack/current", p->smack, sizeof(p->smack));
	nsh_proc_path(path, sizeof(path), NULL, "sys/kernel/yama/ptrace_scope");
	p->yama = nsh_read_long(path);
}

static void nsh_read_sysctls(struct nsh_proc *p)
{
	char path[NSH_PATH_LEN];

	nsh_proc_path(path, sizeof(path), NULL, "sys/user/max_user_namespaces");
	p->max_userns = nsh_read_long(path);
	nsh_proc_path(path, sizeof(path), NULL,
		      "sys/kernel/unprivileged_userns_clone");
	p->userns_clone = nsh_read_long(path);
	nsh_proc_path(path, sizeof(path), NULL,
		      "sys/kernel/apparmor_restrict_unprivileged_userns");
	p->aa_restrict_userns = nsh_read_long(path);
}

bool nsh_lsm_active(const struct nsh_proc *p, const char *name)
{
	return nsh_lsm_listed(p, name);
}

/* Gather everything /proc says.  0, or an exit status. */
static int nsh_proc_read(struct nsh_proc *p)
{
	char path[NSH_PATH_LEN];
	struct stat st;
	int i;

	nsh_proc_path(path, sizeof(path), p->pid, "");
	if (stat(path, &st) < 0) {
		nsh_err("inspect: no process %s (%s: %s)", p->pid, path,
			strerror(errno));
		return NSH_EXIT_ENV;
	}
	p->nnp = NSH_UNKNOWN;
	p->seccomp = NSH_UNKNOWN;
	p->seccomp_filters = NSH_UNKNOWN;
	for (i = 0; i < 4; i++) {
		p->uid[i] = -1;
		p->gid[i] = -1;
	}
	nsh_read_status(p);
	nsh_read_ns(p);
	nsh_read_lsm(p);
	nsh_read_sysctls(p);
	nsh_proc_path(path, sizeof(path), p->pid, "cgroup");
	if (nsh_read_file(path, &p->cgroup, 1 << 16))
		nsh_buf_free(&p->cgroup);
	return 0;
}

/* Whether the process is in the initial user namespace; if unknown, yes. */
bool nsh_in_init_userns(const struct nsh_inspect *in)
{
	if (in->proc.ns[NSHARD_NS_USER].host != NSH_UNKNOWN)
		return in->proc.ns[NSHARD_NS_USER].host;
	if (in->rep.ok && in->rep.nr_userns)
		return in->rep.userns[0].level == 0;
	return true;
}

/* "N" or "N.N", 0 to 10, into tenths; -1 if invalid. */
static int nsh_parse_threshold(const char *s)
{
	unsigned long whole = 0, tenth = 0;
	const char *p = s;

	while (*p >= '0' && *p <= '9' && whole <= 10)
		whole = whole * 10 + (*p++ - '0');
	if (p == s)
		return -1;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		tenth = p[1] - '0';
		p += 2;
	} else if (*p == '.' && !p[1]) {
		p++;
	}
	if (*p || whole * 10 + tenth > 100)
		return -1;
	return whole * 10 + tenth;
}

static int nsh_inspect_args(int argc, char **argv, struct nsh_inspect *in,
			    bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "threshold", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long pid;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jt:h", opts, NULL)) != -1) {
		if (c == 'h')
			return nsh_help(stdout, "inspect") ? NSH_EXIT_ENV : 0;
		if (c == 'j') {
			*json = true;
			continue;
		}
		if (c == 't')
			in->threshold = nsh_parse_threshold(optarg);
		if (c == 't' && in->threshold >= 0)
			continue;
		if (c == 't')
			nsh_err("inspect: --threshold takes a score from 0 to 10, such as 5 or 7.5, not '%s'",
				optarg);
		else
			nsh_err("inspect: unknown option %s", argv[optind - 1]);
		nsh_usage_hint("inspect");
		return NSH_EXIT_ENV;
	}
	if (argc - optind > 1 ||
	    (optind < argc && strcmp(argv[optind], "self") &&
	     (nsh_parse_ulong(argv[optind], &pid) || !pid))) {
		nsh_err("inspect: expected at most one PID (a positive number, or \"self\")");
		nsh_usage_hint("inspect");
		return NSH_EXIT_ENV;
	}
	nsh_copy(in->proc.pid, sizeof(in->proc.pid),
		 optind < argc ? argv[optind] : "self");
	return -1;
}

static void nsh_inspect_free(struct nsh_inspect *in)
{
	int i;

	for (i = 0; i < in->nr_f; i++) {
		free(in->f[i].value);
		free(in->f[i].why);
	}
	free(in->f);
	for (i = 0; i < in->nr_part; i++)
		free(in->part[i].why);
	nsh_buf_free(&in->proc.cgroup);
}

int nsh_cmd_inspect(int argc, char **argv)
{
	struct nsh_inspect *in;
	bool json = false;
	int ret;

	in = calloc(1, sizeof(*in));
	if (!in)
		nsh_die_oom();
	in->threshold = -1;
	ret = nsh_inspect_args(argc, argv, in, &json);
	if (ret >= 0)
		goto out;
	ret = nsh_proc_read(&in->proc);
	if (ret)
		goto out;
	nsh_report_read(&in->rep, &in->proc);
	nsh_judge(in);
	if (json)
		nsh_print_json(in);
	else
		nsh_print_text(in);
	ret = in->threshold >= 0 && in->score > in->threshold ?
	      NSH_EXIT_FAIL : NSH_EXIT_OK;
out:
	nsh_inspect_free(in);
	free(in);
	return ret;
}
