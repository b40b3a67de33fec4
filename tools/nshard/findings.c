// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: what /proc tells
 *
 * One finding per fact about a process: a status ("ok", "!!" for what
 * helps an attacker inside the process, "--" for information), a name, a
 * value, and what it means for an attacker inside.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

void nsh_finding(struct nsh_inspect *in, const char *section,
		 const char *status, const char *name, const char *value,
		 const char *fmt, ...)
{
	struct nsh_finding *f;
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	f = realloc(in->f, (in->nr_f + 1) * sizeof(*f));
	if (!f)
		nsh_die_oom();
	in->f = f;
	f += in->nr_f++;
	f->section = section;
	nsh_copy(f->status, sizeof(f->status), status);
	nsh_copy(f->name, sizeof(f->name), name);
	f->value = nsh_strdup(value);
	f->why = nsh_strdup(why);
}

static void nsh_find_ids(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	bool host = nsh_in_init_userns(in);
	char v[128];

	snprintf(v, sizeof(v), "%ld %ld %ld %ld", p->uid[0], p->uid[1],
		 p->uid[2], p->uid[3]);
	if (host && p->uid[1] == 0)
		nsh_finding(in, "credentials", "!!", "Uid", v,
			    "root of the host: it owns the system's files, and can rewrite /etc even without capabilities");
	else if (host && (p->uid[0] == 0 || p->uid[2] == 0))
		nsh_finding(in, "credentials", "!!", "Uid", v,
			    "it can switch back to uid 0, the owner of the system's files, at will");
	else if (host)
		nsh_finding(in, "credentials", "--", "Uid", v,
			    "an ordinary user: it reaches what file permissions grant uid %ld",
			    p->uid[1]);
	else
		nsh_finding(in, "credentials", "--", "Uid", v,
			    "real, effective, saved and file-system uids, as this tool's user namespace sees them");
	snprintf(v, sizeof(v), "%ld %ld %ld %ld", p->gid[0], p->gid[1],
		 p->gid[2], p->gid[3]);
	nsh_finding(in, "credentials", "--", "Gid", v,
		    "real, effective, saved and file-system gids");
	nsh_finding(in, "credentials", "--", "Groups",
		    p->groups[0] ? p->groups : "none",
		    "supplementary groups: their files and devices are its too");
}

/* CapEff and CapPrm. */
static void nsh_find_active_caps(struct nsh_inspect *in, const char *name,
				 unsigned long long mask, bool eff,
				 const char *v)
{
	bool host = nsh_in_init_userns(in);
	const char *power, *how = eff ? "" : "it can make these effective at any time: ";
	unsigned int worst, w;

	w = nsh_caps_host_weight(mask, &worst);
	power = nsh_cap_power(worst);
	if (!mask)
		nsh_finding(in, "capabilities", "ok", name, v, "%s",
			    eff ? "no capability: only what file permissions grant its ids" :
			    "no capability it could raise");
	else if (!host && (mask & NSH_CAP_ALL) == NSH_CAP_ALL)
		nsh_finding(in, "capabilities", "!!", name, v,
			    "%sfull root powers over whatever its user namespace owns (its namespaces, mounts and network), and the kernel code behind them",
			    how);
	else if (!host)
		nsh_finding(in, "capabilities", "!!", name, v,
			    "%spowers over whatever its user namespace owns, not over the host",
			    how);
	else if ((mask & NSH_CAP_ALL) == NSH_CAP_ALL)
		nsh_finding(in, "capabilities", "!!", name, v,
			    "%sfull root powers over the whole machine", how);
	else if (power)
		nsh_finding(in, "capabilities", w >= 30 ? "!!" : "--", name,
			    v, "%scapabilities over the whole machine; with CAP_%s it %s",
			    how, nsh_cap_name(worst), power);
	else
		nsh_finding(in, "capabilities", "--", name, v,
			    "%scapabilities over the whole machine, none of which is root by itself",
			    how);
}

static void nsh_find_caps(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	struct nsh_buf v[NSH_CAPSET_COUNT] = { 0 };
	unsigned int worst;
	int i;

	if (!p->cap_ok)
		return;
	for (i = 0; i < NSH_CAPSET_COUNT; i++)
		nsh_caps_format(p->cap[i], &v[i]);
	nsh_find_active_caps(in, "CapEff", p->cap[NSH_CAP_EFF], true,
			     v[NSH_CAP_EFF].data);
	nsh_find_active_caps(in, "CapPrm", p->cap[NSH_CAP_PRM], false,
			     v[NSH_CAP_PRM].data);
	nsh_finding(in, "capabilities", p->cap[NSH_CAP_INH] ? "--" : "ok",
		    "CapInh", v[NSH_CAP_INH].data, "%s",
		    p->cap[NSH_CAP_INH] ?
		    "kept through execve(2) into programs whose file capabilities name them" :
		    "nothing to pass on to programs with inheritable file capabilities");
	if (p->nnp == 1 || !p->cap[NSH_CAP_BND])
		nsh_finding(in, "capabilities", "ok", "CapBnd",
			    v[NSH_CAP_BND].data, "%s", p->nnp == 1 ?
			    "the most an executed program could gain; no_new_privs makes it moot" :
			    "no program it executes can gain any capability");
	else
		nsh_finding(in, "capabilities",
			    nsh_caps_host_weight(p->cap[NSH_CAP_BND], &worst) >= 60 &&
			    nsh_in_init_userns(in) ? "!!" : "--",
			    "CapBnd", v[NSH_CAP_BND].data,
			    "what a set-user-ID root or file-capability program it executes can gain");
	nsh_finding(in, "capabilities", p->cap[NSH_CAP_AMB] ? "!!" : "ok",
		    "CapAmb", v[NSH_CAP_AMB].data, "%s",
		    p->cap[NSH_CAP_AMB] ?
		    "passed to every program it executes, set-user-ID or not" :
		    "no capability passes to the programs it executes");
	for (i = 0; i < NSH_CAPSET_COUNT; i++)
		nsh_buf_free(&v[i]);
}

static void nsh_find_sandbox(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	char v[64];

	if (p->nnp == 1)
		nsh_finding(in, "confinement", "ok", "NoNewPrivs", "1",
			    "set-user-ID and file-capability programs cannot raise its privileges");
	else if (p->nnp == 0)
		nsh_finding(in, "confinement", "!!", "NoNewPrivs", "0",
			    "executing a set-user-ID or file-capability program can raise its privileges");
	snprintf(v, sizeof(v), "filter (%d)", p->seccomp_filters);
	if (p->seccomp == 2)
		nsh_finding(in, "confinement", "ok", "Seccomp", v,
			    "its system calls pass through seccomp filters; their rules are not inspected here");
	else if (p->seccomp == 1)
		nsh_finding(in, "confinement", "ok", "Seccomp", "strict",
			    "only read, write, exit and sigreturn: next to nothing of the kernel is reachable");
	else if (p->seccomp == 0)
		nsh_finding(in, "confinement", "!!", "Seccomp", "disabled",
			    "every system call is reachable, unshare(2) and clone(2) included");
}

/* 0: confined, 1: only logged (complain), 2: not confined. */
int nsh_mac_state(const struct nsh_proc *p, const char **who)
{
	const char *t = p->selinux;
	int i;

	*who = NULL;
	if (p->apparmor[0] && strstr(p->apparmor, " (enforce)")) {
		*who = "AppArmor";
		return 0;
	}
	for (i = 0; i < 2 && t; i++) {
		t = strchr(t, ':');
		t = t ? t + 1 : NULL;
	}
	if (t && !strstr(t, "unconfined") && strncmp(t, "kernel_t", 8) &&
	    strncmp(t, "init_t", 6) && strncmp(t, "spc_t", 5)) {
		*who = "SELinux";
		return 0;
	}
	if (p->smack[0] && nsh_lsm_active(p, "smack") &&
	    !strchr("_*^@", p->smack[0])) {
		*who = "Smack";
		return 0;
	}
	if (p->apparmor[0] && strstr(p->apparmor, " (complain)")) {
		*who = "AppArmor";
		return 1;
	}
	return 2;
}

static void nsh_find_apparmor(struct nsh_inspect *in)
{
	const char *l = in->proc.apparmor;

	if (!l[0] && !nsh_lsm_active(&in->proc, "apparmor"))
		return;
	if (!l[0])
		nsh_finding(in, "confinement", "--", "apparmor", "unknown",
			    "AppArmor is active, but its label of the process is not readable");
	else if (strstr(l, " (enforce)") || strstr(l, " (kill)"))
		nsh_finding(in, "confinement", "ok", "apparmor", l,
			    "an AppArmor profile confines it, and refuses what it does not allow");
	else if (strstr(l, " (complain)"))
		nsh_finding(in, "confinement", "!!", "apparmor", l,
			    "its AppArmor profile is in complain mode: it logs, and refuses nothing");
	else
		nsh_finding(in, "confinement", "!!", "apparmor", l,
			    "AppArmor does not confine it");
}

static void nsh_find_lsms(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	const char *who;
	char v[32];

	nsh_finding(in, "confinement", "--", "lsm",
		    p->lsm_ok ? p->lsm : "unknown", "%s", p->lsm_ok ?
		    "the security modules active in this kernel" :
		    "securityfs is not mounted or not readable: the active security modules are unknown");
	nsh_find_apparmor(in);
	if (p->selinux[0])
		nsh_finding(in, "confinement",
			    nsh_mac_state(p, &who) || strcmp(who, "SELinux") ?
			    "!!" : "ok", "selinux", p->selinux,
			    "its SELinux domain: an unconfined one is not restricted; any other is, when SELinux enforces");
	if (p->smack[0] && nsh_lsm_active(p, "smack"))
		nsh_finding(in, "confinement", "--", "smack", p->smack,
			    "its Smack label: access follows the Smack rules for it");
	if (nsh_lsm_active(p, "landlock"))
		nsh_finding(in, "confinement", "--", "landlock", "unknown",
			    "Landlock is enabled, but the kernel offers no query of whether a given process is landlocked");
	else if (!p->lsm_ok)
		nsh_finding(in, "confinement", "--", "landlock", "unknown",
			    "whether Landlock is enabled is unknown, and whether a process is landlocked cannot be queried");
	snprintf(v, sizeof(v), "ptrace_scope %d", p->yama);
	if (p->yama < 0)
		nsh_finding(in, "confinement", "!!", "yama", "not active",
			    "classic ptrace rules: it may trace every process of its uid and read their memory");
	else
		nsh_finding(in, "confinement", p->yama ? "ok" : "!!", "yama",
			    v, "%s", p->yama == 0 ?
			    "it may trace every process of its uid and read their memory" :
			    p->yama == 1 ? "it may trace only its own descendants" :
			    "only privileged processes may trace others");
}

/* What sharing each namespace type with the host gives an attacker. */
static const char *const nsh_ns_shared[NSHARD_NS_COUNT] = {
	"the initial user namespace: any capabilities it holds are over the whole machine",
	"it sees the host's file systems as the host mounted them",
	"it reaches every network service of the host, those on localhost and abstract unix sockets included",
	"it sees every process of the host, and may signal or trace those its ids allow",
	"it shares System V IPC and POSIX message queues with the host",
	"it shares the host's host name",
	"it sees the host's cgroup paths",
	"it shares the host's clocks (harmless)",
};

/* One line: which namespaces are the host's, which its own. */
static void nsh_find_ns_summary(struct nsh_inspect *in)
{
	struct nsh_buf b[3] = { 0 };
	struct nsh_buf v = { 0 };
	unsigned int t;
	int k;

	for (t = 0; t < NSHARD_NS_COUNT; t++) {
		k = in->proc.ns[t].host == 1 ? 0 : in->proc.ns[t].host ? 2 : 1;
		nsh_buf_addf(&b[k], "%s%s", b[k].len ? "," : "", nsh_ns_name(t));
	}
	nsh_buf_addf(&v, "host: %s; own: %s", b[0].len ? b[0].data : "none",
		     b[1].len ? b[1].data : "none");
	if (b[2].len)
		nsh_buf_addf(&v, "; unknown: %s", b[2].data);
	nsh_finding(in, "namespaces", b[1].len ? "--" : "!!", "shared", v.data,
		    "the namespaces it shares with the host, and those of its own");
	for (k = 0; k < 3; k++)
		nsh_buf_free(&b[k]);
	nsh_buf_free(&v);
}

static void nsh_find_ns(struct nsh_inspect *in)
{
	const struct nsh_ns *ns;
	char name[24], v[96];
	unsigned int t;

	for (t = 0; t < NSHARD_NS_COUNT; t++) {
		ns = &in->proc.ns[t];
		snprintf(name, sizeof(name), "ns/%s", nsh_ns_name(t));
		if (!ns->ino) {
			snprintf(v, sizeof(v), "unknown (%s)", ns->err);
			if (t == NSHARD_NS_USER && nsh_in_init_userns(in))
				nsh_finding(in, "namespaces", "--", name, v,
					    "its namespace cannot be read: its capabilities are judged as the host's");
			else
				nsh_finding(in, "namespaces", "--", name, v,
					    "its namespace cannot be read: shared with the host or not is unknown");
			continue;
		}
		snprintf(v, sizeof(v), "%llu (%s)", ns->ino,
			 ns->host == 1 ? "host" : ns->host ? "unknown" : "own");
		if (ns->host == 1)
			nsh_finding(in, "namespaces",
				    t == NSHARD_NS_MNT || t == NSHARD_NS_NET ||
				    t == NSHARD_NS_PID ? "!!" : "--", name, v,
				    "%s", nsh_ns_shared[t]);
		else if (ns->host == 0 && t == NSHARD_NS_USER)
			nsh_finding(in, "namespaces", "ok", name, v,
				    "its own: its capabilities count only over what this user namespace owns");
		else if (ns->host == 0)
			nsh_finding(in, "namespaces", "ok", name, v,
				    "its own: the host's is out of its sight");
		else
			nsh_finding(in, "namespaces", "--", name, v,
				    "no reference to compare with (%s): shared with the host or not is unknown",
				    ns->err);
	}
}

static void nsh_find_userns_knobs(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	char v[32];

	snprintf(v, sizeof(v), "%ld", p->max_userns);
	if (p->max_userns > 0)
		nsh_finding(in, "user namespaces", "--", "max_user_namespaces", v,
			    "user namespaces may be created (user.max_user_namespaces, in this tool's user namespace)");
	else if (p->max_userns == 0)
		nsh_finding(in, "user namespaces", "ok", "max_user_namespaces", v,
			    "no user namespace can be created here");
	snprintf(v, sizeof(v), "%ld", p->userns_clone);
	if (p->userns_clone > 0)
		nsh_finding(in, "user namespaces", "--", "userns_clone", v,
			    "kernel.unprivileged_userns_clone lets unprivileged users create user namespaces");
	else if (p->userns_clone == 0)
		nsh_finding(in, "user namespaces", "ok", "userns_clone", v,
			    "kernel.unprivileged_userns_clone: only privileged processes may create user namespaces");
	snprintf(v, sizeof(v), "%ld", p->aa_restrict_userns);
	if (p->aa_restrict_userns > 0)
		nsh_finding(in, "user namespaces", "ok", "aa_restrict_userns", v,
			    "AppArmor gives unconfined processes user namespaces without capabilities");
	else if (p->aa_restrict_userns == 0)
		nsh_finding(in, "user namespaces", "--", "aa_restrict_userns", v,
			    "AppArmor does not restrict unprivileged user namespaces");
}

static void nsh_find_cgroup(struct nsh_inspect *in)
{
	char *text, *save = NULL, *line, *path;

	if (!in->proc.cgroup.data) {
		nsh_finding(in, "cgroup", "--", "cgroup", "unknown",
			    "its cgroup cannot be read");
		return;
	}
	text = nsh_strdup(in->proc.cgroup.data);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		path = strchr(line, ':');
		if (path && !strncmp(line, "0::", 3))
			nsh_finding(in, "cgroup", "--", "cgroup", line + 3,
				    "the cgroup v2 group that accounts and limits its resources");
		else if (path)
			nsh_finding(in, "cgroup", "--", "cgroup1", path + 1,
				    "a cgroup v1 hierarchy it belongs to");
	}
	free(text);
}

void nsh_find_proc(struct nsh_inspect *in)
{
	if (!in->proc.status_ok)
		nsh_finding(in, "credentials", "--", "status", "unknown",
			    "%s", in->proc.status_err);
	else
		nsh_find_ids(in);
	nsh_find_caps(in);
	nsh_find_sandbox(in);
	nsh_find_lsms(in);
	nsh_find_ns(in);
	nsh_find_ns_summary(in);
	nsh_find_userns_knobs(in);
	nsh_find_cgroup(in);
}
