// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: judging a process
 *
 * The exposure score, 0.0 to 10.0, higher is more exposed (like
 * systemd-analyze security), is a sum of terms, capped at 10.0:
 *
 *   caps-host   capabilities permitted (CapPrm, CapAmb) in the initial
 *               user namespace: the sum of each one's weight (caps.c:
 *               SYS_ADMIN, SYS_MODULE, SYS_RAWIO 6.0; DAC_OVERRIDE,
 *               SETUID, SYS_PTRACE 4.0; CHOWN, FOWNER, SETGID, SETFCAP,
 *               MAC_ADMIN, MAC_OVERRIDE, SYS_BOOT, BPF 3.0; NET_ADMIN 2.5;
 *               the others 0.1 to 1.5), at most 6.0.  Every capability:
 *               the score is 10.0, whatever the other terms say.
 *   uid0        uid 0 in the initial user namespace (real, effective or
 *               saved): +2.0, it owns the system's files.
 *   userns      the kernel surface behind capabilities in a user
 *               namespace, the one it is in or one it may create: up to
 *               4.0 in proportion to the gates that stay open (task.c:
 *               netfilter 1.0, tc 0.8, xtables, fs-mount, modload 0.5,
 *               xfrm, overlay 0.4, genl-admin, packet, cgroup1, link 0.3,
 *               raw, netdev-ioctl, netlink-other, family-other 0.2,
 *               link-other 0.1).  A gate is closed when nshard denies it
 *               in enforce mode, or denies (or drop= removed) the
 *               capability the kernel asks for first (NET_ADMIN, NET_RAW,
 *               SYS_ADMIN), or the process does not hold that capability.
 *               No nshard: every gate is open.
 *   seccomp     none +1.0; filters +0.2 (their rules are not read).
 *   nnp         no_new_privs unset +0.8 (+0.4 with an empty bounding set).
 *   mac         not confined by AppArmor, SELinux or Smack +1.0; an
 *               AppArmor profile in complain mode +0.7.  Landlock cannot be
 *               seen, and earns nothing.
 *   namespaces  shared with the host: mnt +0.8, net +0.8, pid +0.4,
 *               ipc +0.2, uts +0.1, cgroup +0.1; unknown counts half.
 *   yama        ptrace_scope 0, or Yama not active: +0.2.
 *
 * Unknown facts count half, or as the worse case where noted.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

#define NSH_USERNS_MAX	40	/* tenths: the userns term at most */
#define NSH_CAPS_MAX	60	/* tenths: the caps-host term at most */

static const unsigned int nsh_ns_weight[NSHARD_NS_COUNT] = {
	[NSHARD_NS_MNT] = 8, [NSHARD_NS_NET] = 8, [NSHARD_NS_PID] = 4,
	[NSHARD_NS_IPC] = 2, [NSHARD_NS_UTS] = 1, [NSHARD_NS_CGROUP] = 1,
};

/*
 * Whether a decision refuses the operation now: a deny in enforce mode, or
 * a capability dropped at the namespace's creation, which holds in every
 * mode.
 */
bool nsh_closed(const struct nsh_report *r, const struct nsh_dec *d)
{
	if (d->action != NSH_ACT_DENY)
		return false;
	return !strncmp(d->source, "drop", 4) ||
	       !strcmp(r->mode, NSHARD_MODE_ENFORCE_NAME);
}

/*
 * "name", "name (source)" with @sources, and " [logged]" for what proceeds
 * and is logged (audit rules, deny rules in audit mode).
 */
static void nsh_list_add(struct nsh_buf *b, const struct nsh_report *r,
			 const char *name, const struct nsh_dec *d,
			 bool sources)
{
	bool show = sources && d->source[0] && strcmp(d->source, "default");

	nsh_buf_addf(b, "%s%s%s%s%s", b->len ? ", " : "", name,
		     show ? " (" : "", show ? d->source : "", show ? ")" : "");
	if (d->action >= NSH_ACT_AUDIT && !nsh_closed(r, d))
		nsh_buf_addf(b, " [logged]");
}

static void nsh_find_creates(struct nsh_inspect *in)
{
	const struct nsh_report *r = &in->rep;
	struct nsh_buf ok = { 0 }, no = { 0 };
	unsigned int t;

	for (t = 0; t < NSHARD_NS_COUNT; t++) {
		const struct nsh_dec *d = &r->v.create[t];

		if (!d->action)
			continue;
		nsh_list_add(nsh_closed(r, d) ? &no : &ok, r, nsh_ns_name(t),
			     d, nsh_closed(r, d));
	}
	nsh_finding(in, "nshard", strstr(ok.data ? ok.data : "", "user") ?
		    "!!" : "--", "may-create", ok.len ? ok.data : "none",
		    "namespaces it may create now; a user namespace brings every capability over what it owns");
	if (no.len)
		nsh_finding(in, "nshard", "ok", "create-refused", no.data,
			    "namespaces nshard refuses it");
	nsh_buf_free(&ok);
	nsh_buf_free(&no);
}

/* Capabilities and gates nshard closes, and gates it leaves open. */
static void nsh_find_closed(struct nsh_inspect *in,
			    const struct nsh_verdicts *v, const char *prefix,
			    bool sources)
{
	const struct nsh_report *r = &in->rep;
	struct nsh_buf caps = { 0 }, shut = { 0 }, open = { 0 };
	char name[24];
	unsigned int i;

	for (i = 0; i < NSH_CAP_COUNT; i++)
		if (nsh_closed(r, &v->cap[i]))
			nsh_list_add(&caps, r, nsh_cap_name(i), &v->cap[i],
				     sources);
	for (i = 0; i < NSHARD_GATE_COUNT; i++) {
		int cap = nsh_gate_cap(i);

		if (!v->gate[i].action)
			continue;
		if (cap >= 0 && !nsh_closed(r, &v->gate[i]) &&
		    nsh_closed(r, &v->cap[cap]))
			nsh_buf_addf(&shut, "%s%s (CAP_%s refused)",
				     shut.len ? ", " : "", nsh_gate_name(i),
				     nsh_cap_name(cap));
		else
			nsh_list_add(nsh_closed(r, &v->gate[i]) ? &shut : &open,
				     r, nsh_gate_name(i), &v->gate[i], sources);
	}
	snprintf(name, sizeof(name), "%scaps-refused", prefix);
	nsh_finding(in, "nshard", caps.len ? "ok" : "--", name,
		    caps.len ? caps.data : "none",
		    "capabilities nshard refuses in that user namespace, whatever CapEff says");
	snprintf(name, sizeof(name), "%sgates-closed", prefix);
	nsh_finding(in, "nshard", shut.len ? "ok" : "--", name,
		    shut.len ? shut.data : "none",
		    "kernel surfaces nshard closes to that user namespace");
	snprintf(name, sizeof(name), "%sgates-open", prefix);
	nsh_finding(in, "nshard", open.len ? "!!" : "ok", name,
		    open.len ? open.data : "none",
		    "kernel surfaces left open to it, with the capability the kernel asks for");
	nsh_buf_free(&caps);
	nsh_buf_free(&shut);
	nsh_buf_free(&open);
}

static void nsh_find_chain(struct nsh_inspect *in)
{
	const struct nsh_report *r = &in->rep;
	const struct nsh_userns *u;
	char v[768];
	int i;

	for (i = 0; i < r->nr_userns; i++) {
		u = &r->userns[i];
		snprintf(v, sizeof(v),
			 "%llu level %lu origin %s uid %lu policy %lu drop %s",
			 u->ino, u->level, u->origin, u->uid, u->policy,
			 u->drop);
		if (u->level == 0)
			nsh_finding(in, "nshard", "--", "userns", v,
				    "the initial user namespace: capabilities here are over the whole machine");
		else if (!strcmp(u->origin, "restricted"))
			nsh_finding(in, "nshard", "--", "userns", v,
				    "an unprivileged user made it: restricted rules apply to it and to what it owns");
		else
			nsh_finding(in, "nshard", "--", "userns", v,
				    "root made it (a container root started): only privileged and unqualified rules apply");
	}
	if (r->program[0])
		nsh_finding(in, "nshard", "--", "program", r->program,
			    "it holds the exemption of the exe= rules naming this program%s",
			    r->inherit ? ", and the children it forks inherit it" : "");
	else
		nsh_finding(in, "nshard", "ok", "program", "none",
			    "no exe= rule exempts it");
}

static void nsh_find_new_userns(struct nsh_inspect *in)
{
	const struct nsh_report *r = &in->rep;
	const struct nsh_dec *d = &r->p.create[NSHARD_NS_USER];
	char v[128];

	snprintf(v, sizeof(v), "%s%s%s", nsh_closed(r, d) ? "refused" : "allowed",
		 d->source[0] ? ", " : "", d->source);
	nsh_finding(in, "nshard", nsh_closed(r, d) ? "ok" : "!!", "new-userns",
		    v, "%s", r->predict_note);
	if (!nsh_closed(r, d))
		nsh_find_closed(in, &r->p, "new-", false);
}

static void nsh_find_nshard(struct nsh_inspect *in)
{
	const struct nsh_report *r = &in->rep;
	bool enforce = !strcmp(r->mode, NSHARD_MODE_ENFORCE_NAME);
	char v[64];

	if (!r->active) {
		nsh_finding(in, "nshard", "!!", "nshard", "not active", "%s",
			    "nothing restricts what unprivileged user namespaces reach in the kernel");
		return;
	}
	snprintf(v, sizeof(v), "%s, policy %lu", r->mode[0] ? r->mode : "?",
		 r->policy);
	if (!r->ok)
		nsh_finding(in, "nshard", enforce ? "ok" : "!!", "nshard",
			    r->mode[0] ? r->mode : "unknown", "%s", r->why);
	else
		nsh_finding(in, "nshard", enforce ? "ok" : "!!", "nshard", v,
			    "%s", enforce ? "nshard refuses what its policy denies" :
			    !strcmp(r->mode, "audit") ?
			    "audit mode: nshard logs what it would refuse, and refuses nothing" :
			    "off: nshard decides nothing, but capabilities drop= removed");
	if (r->note[0])
		nsh_finding(in, "nshard", "--", "report", "mismatch", "%s",
			    r->note);
	if (r->ok) {
		nsh_find_chain(in);
		nsh_find_creates(in);
		if (r->host)
			nsh_finding(in, "nshard", "--", "caps", "not mediated",
				    "in the initial user namespace nshard leaves capabilities and gates to the kernel's own checks");
		else
			nsh_find_closed(in, &r->v, "", true);
	}
	if (r->predicted)
		nsh_find_new_userns(in);
	else if (r->predict_note[0])
		nsh_finding(in, "nshard", "--", "new-userns", "unknown", "%s",
			    r->predict_note);
}

static __printf(4, 5)
void nsh_part(struct nsh_inspect *in, const char *key, int tenths,
	      const char *fmt, ...)
{
	struct nsh_part *p;
	char why[512];
	va_list ap;

	if (tenths <= 0 || in->nr_part >= (int)ARRAY_SIZE(in->part))
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	p = &in->part[in->nr_part++];
	p->key = key;
	p->tenths = tenths;
	p->why = nsh_strdup(why);
}

/* Returns true when every capability is permitted on the host. */
static bool nsh_score_host(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	unsigned long long mask = p->cap[NSH_CAP_PRM] | p->cap[NSH_CAP_AMB];
	unsigned int w, worst;

	bool root = p->cap_ok && (mask & NSH_CAP_ALL) == NSH_CAP_ALL;

	if (!nsh_in_init_userns(in))
		return false;
	w = nsh_caps_host_weight(mask, &worst);
	if (root)
		nsh_part(in, "caps-host", 100,
			 "every capability in the initial user namespace: it is root of the machine");
	else if (p->cap_ok)
		nsh_part(in, "caps-host", w > NSH_CAPS_MAX ? NSH_CAPS_MAX : w,
			 "capabilities in the initial user namespace, CAP_%s the heaviest",
			 nsh_cap_name(worst) ? nsh_cap_name(worst) : "?");
	if (p->uid[0] == 0 || p->uid[1] == 0 || p->uid[2] == 0)
		nsh_part(in, "uid0", 20,
			 "uid 0 in the initial user namespace: it owns the system's files");
	return root;
}

/* Tenths of the userns term for decisions @v (NULL: no nshard). */
static int nsh_surface(const struct nsh_report *r,
		       const struct nsh_verdicts *v, unsigned long long caps,
		       struct nsh_buf *list)
{
	unsigned int g, total = 0, open = 0;
	int cap;

	nsh_buf_add(list, "", 0);
	for (g = 0; g < NSHARD_GATE_COUNT; g++) {
		total += nsh_gate_weight(g);
		cap = nsh_gate_cap(g);
		if (cap >= 0 && !(caps & (1ULL << cap)))
			continue;
		if (v && (nsh_closed(r, &v->gate[g]) ||
			  (cap >= 0 && nsh_closed(r, &v->cap[cap]))))
			continue;
		open += nsh_gate_weight(g);
		nsh_buf_addf(list, "%s%s", list->len ? ", " : "",
			     nsh_gate_name(g));
	}
	return (NSH_USERNS_MAX * open + total / 2) / total;
}

/* Whether the process may create a user namespace now; if not, why. */
static bool nsh_may_create_userns(const struct nsh_inspect *in,
				  const char **why)
{
	const struct nsh_report *r = &in->rep;
	const struct nsh_proc *p = &in->proc;
	const struct nsh_dec *d = NULL;
	const char *who;

	if (r->ok)
		d = &r->v.create[NSHARD_NS_USER];
	else if (r->predicted)
		d = &r->p.create[NSHARD_NS_USER];
	*why = "nshard refuses it new user namespaces";
	if (d && nsh_closed(r, d))
		return false;
	*why = "user.max_user_namespaces is 0";
	if (p->max_userns == 0)
		return false;
	*why = "kernel.unprivileged_userns_clone is 0";
	if (p->userns_clone == 0 &&
	    !(nsh_in_init_userns(in) &&
	      p->cap[NSH_CAP_PRM] & (1ULL << NSH_CAP_SYS_ADMIN)))
		return false;
	*why = "AppArmor gives it user namespaces without capabilities";
	if (p->aa_restrict_userns == 1 &&
	    (nsh_mac_state(p, &who) || strcmp(who, "AppArmor")))
		return false;
	return true;
}

static void nsh_score_userns(struct nsh_inspect *in)
{
	const struct nsh_report *r = &in->rep;
	struct nsh_buf own = { 0 }, made = { 0 };
	const struct nsh_verdicts *v = NULL;
	int s_own = 0, s_new = 0;
	const char *why;

	if (!nsh_in_init_userns(in))
		s_own = nsh_surface(r, r->ok && !r->host ? &r->v : NULL,
				    in->proc.cap[NSH_CAP_PRM], &own);
	if (r->ok && !r->host && r->nr_userns &&
	    !strcmp(r->userns[0].origin, "restricted"))
		v = &r->v;
	else if (r->predicted)
		v = &r->p;
	if (nsh_may_create_userns(in, &why))
		s_new = nsh_surface(r, v, NSH_CAP_ALL, &made);
	if (s_own >= s_new)
		nsh_part(in, "userns", s_own,
			 "with the capabilities it holds in its user namespace it reaches: %s",
			 own.data);
	else
		nsh_part(in, "userns", s_new,
			 "in a user namespace it may create it reaches: %s%s",
			 made.data, v || !r->active ? "" :
			 " (nshard's decisions there are unknown)");
	nsh_buf_free(&own);
	nsh_buf_free(&made);
}

static void nsh_score_sandbox(struct nsh_inspect *in)
{
	const struct nsh_proc *p = &in->proc;
	const char *who;
	int mac = nsh_mac_state(p, &who);

	if (p->seccomp == 0 || p->seccomp == NSH_UNKNOWN)
		nsh_part(in, "seccomp", p->seccomp ? 5 : 10,
			 "no seccomp filter%s", p->seccomp ? " (unknown)" : "");
	else if (p->seccomp == 2)
		nsh_part(in, "seccomp", 2,
			 "seccomp filters whose rules are not inspected");
	if (p->nnp != 1)
		nsh_part(in, "nnp", p->nnp ? 4 : p->cap[NSH_CAP_BND] ? 8 : 4,
			 "no_new_privs is %s", p->nnp ? "unknown" : "unset");
	nsh_part(in, "mac", mac == 2 ? 10 : mac == 1 ? 7 : 0, "%s",
		 mac == 2 ? "no AppArmor, SELinux or Smack confinement" :
		 "an AppArmor profile in complain mode");
	if (p->yama <= 0)
		nsh_part(in, "yama", 2, "it may ptrace every process of its uid");
}

static void nsh_score_ns(struct nsh_inspect *in)
{
	struct nsh_buf list = { 0 };
	unsigned int t, sum = 0;

	for (t = 0; t < NSHARD_NS_COUNT; t++) {
		int host = in->proc.ns[t].host;

		if (!nsh_ns_weight[t] || host == 0)
			continue;
		sum += host == 1 ? nsh_ns_weight[t] : nsh_ns_weight[t] / 2;
		nsh_buf_addf(&list, "%s%s%s", list.len ? ", " : "",
			     nsh_ns_name(t), host == 1 ? "" : " (unknown)");
	}
	nsh_part(in, "namespaces", sum, "shares the host's %s", list.data);
	nsh_buf_free(&list);
}

static void nsh_verdict(struct nsh_inspect *in, bool root)
{
	int i;

	in->score = 0;
	for (i = 0; i < in->nr_part; i++)
		in->score += in->part[i].tenths;
	if (in->score > 100 || root)
		in->score = 100;
	if (in->score >= 80)
		in->verdict = "highly exposed";
	else if (in->score >= 50)
		in->verdict = "exposed";
	else if (in->score >= 20)
		in->verdict = "partly confined";
	else
		in->verdict = "well confined";
}

void nsh_judge(struct nsh_inspect *in)
{
	bool root;

	nsh_find_nshard(in);
	nsh_find_proc(in);
	root = nsh_score_host(in);
	nsh_score_userns(in);
	nsh_score_sandbox(in);
	nsh_score_ns(in);
	nsh_verdict(in, root);
}
