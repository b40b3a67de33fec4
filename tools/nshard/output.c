// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: inspect's output
 *
 * Text: one line per finding, "STATUS  NAME  VALUE  - explanation", by
 * section, then the terms of the score and a verdict.  JSON: one object
 * with the same facts.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inspect.h"

static const char *const nsh_sections[] = {
	"nshard", "credentials", "capabilities", "confinement", "namespaces",
	"user namespaces", "cgroup",
};

/* What would lower each term of the score. */
static const char *nsh_hint(const struct nsh_inspect *in, const char *key)
{
	static const char *const hints[][2] = {
		{
			"caps-host",
			"drop the capabilities it does not need (CapabilityBoundingSet=, capsh --drop=)",
		}, {
			"uid0",
			"run it as an unprivileged user",
		}, {
			"seccomp",
			"add a seccomp filter (SystemCallFilter=, bwrap --seccomp)",
		}, {
			"seccomp-filter",
			"make its seccomp filter refuse what it does not need",
		}, {
			"nnp",
			"set no_new_privs (NoNewPrivileges=yes, setpriv --no-new-privs)",
		}, {
			"mac",
			"confine it with an AppArmor or SELinux profile",
		}, {
			"namespaces",
			"give it namespaces of its own (PrivateNetwork=, ProtectSystem=, bwrap --unshare-all)",
		}, {
			"yama",
			"set kernel.yama.ptrace_scope=1 or more",
		}, {
			"userns-none",
			"boot with nshard (lsm=...,nshard) to close the kernel surfaces behind user namespaces",
		}, {
			"userns-mode",
			"put nshard in enforce mode",
		}, {
			"userns",
			"close the gates left open in nshard's policy (deny gate NAME restricted)",
		},
	};
	size_t i;

	if (!strcmp(key, "seccomp") && in->proc.seccomp == 2)
		key = "seccomp-filter";
	else if (!strcmp(key, "userns") && !in->rep.active)
		key = "userns-none";
	else if (!strcmp(key, "userns") &&
		 strcmp(in->rep.mode, NSHARD_MODE_ENFORCE_NAME))
		key = "userns-mode";
	for (i = 0; i < ARRAY_SIZE(hints); i++)
		if (!strcmp(key, hints[i][0]))
			return hints[i][1];
	return NULL;
}

static void nsh_pid_label(const struct nsh_inspect *in, char *buf,
			  size_t size)
{
	if (strcmp(in->proc.pid, "self"))
		snprintf(buf, size, "pid %s", in->proc.pid);
	else
		snprintf(buf, size, "pid %d", (int)getpid());
}

/* The two largest terms of the score, or NULL. */
static void nsh_top_parts(const struct nsh_inspect *in,
			  const struct nsh_part **a, const struct nsh_part **b)
{
	int i;

	*a = NULL;
	*b = NULL;
	for (i = 0; i < in->nr_part; i++) {
		const struct nsh_part *p = &in->part[i];

		if (!*a || p->tenths > (*a)->tenths) {
			*b = *a;
			*a = p;
		} else if (!*b || p->tenths > (*b)->tenths) {
			*b = p;
		}
	}
}

/* The verdict, one sentence. */
static void nsh_summary(const struct nsh_inspect *in, struct nsh_buf *s)
{
	const struct nsh_part *a, *b;
	char who[64];

	nsh_pid_label(in, who, sizeof(who));
	nsh_top_parts(in, &a, &b);
	nsh_buf_addf(s, "%s (%s) is %s: %d.%d/10", who,
		     in->proc.name[0] ? in->proc.name : "?", in->verdict,
		     in->score / 10, in->score % 10);
	if (a && !strcmp(a->key, "caps-host") && a->tenths == 100) {
		nsh_buf_addf(s, "; %s, and nothing else matters.", a->why);
		return;
	}
	if (!a) {
		nsh_buf_addf(s, ".");
		return;
	}
	nsh_buf_addf(s, ", mostly %s (+%d.%d)", a->key, a->tenths / 10,
		     a->tenths % 10);
	if (b)
		nsh_buf_addf(s, " and %s (+%d.%d)", b->key, b->tenths / 10,
			     b->tenths % 10);
	nsh_buf_addf(s, "; to lower it, %s", nsh_hint(in, a->key));
	if (b && nsh_hint(in, b->key))
		nsh_buf_addf(s, ", and %s", nsh_hint(in, b->key));
	nsh_buf_addf(s, ".");
}

void nsh_print_text(const struct nsh_inspect *in)
{
	struct nsh_buf summary = { 0 };
	char who[64];
	size_t s;
	int i;

	nsh_pid_label(in, who, sizeof(who));
	printf("nshard inspect: %s (", who);
	nsh_put_safe(stdout, in->proc.name[0] ? in->proc.name : "?");
	printf(")%s\n", strcmp(in->proc.pid, "self") ? "" : ", this tool itself");
	for (s = 0; s < ARRAY_SIZE(nsh_sections); s++) {
		bool header = false;

		for (i = 0; i < in->nr_f; i++) {
			const struct nsh_finding *f = &in->f[i];

			if (strcmp(f->section, nsh_sections[s]))
				continue;
			if (!header)
				printf("\n%s\n", nsh_sections[s]);
			header = true;
			printf("  %-2s  %-16s  ", f->status, f->name);
			nsh_put_safe(stdout, f->value);
			printf("  - %s\n", f->why);
		}
	}
	printf("\nexposure score (0 = confined, 10 = root of the machine)\n");
	for (i = 0; i < in->nr_part; i++) {
		snprintf(who, sizeof(who), "+%d.%d", in->part[i].tenths / 10,
			 in->part[i].tenths % 10);
		printf("  %5s  %-10s  %s\n", who, in->part[i].key,
		       in->part[i].why);
	}
	snprintf(who, sizeof(who), "%d.%d", in->score / 10, in->score % 10);
	printf("  %5s  %s\n", who, in->verdict);
	if (in->threshold >= 0)
		printf("  threshold %d.%d: %s\n", in->threshold / 10,
		       in->threshold % 10, in->score > in->threshold ?
		       "exceeded (exit status 1)" : "not exceeded");
	nsh_summary(in, &summary);
	printf("\nverdict: %s\n", summary.data);
	nsh_buf_free(&summary);
}

/* ------------------------------------------------------------ JSON -- */

struct nsh_json {
	FILE *f;
	int depth;
	bool more[16];		/* an item was printed at this depth */
};

static void nsh_j_key(struct nsh_json *j, const char *key)
{
	fputs(j->more[j->depth] ? ",\n" : "\n", j->f);
	j->more[j->depth] = true;
	fprintf(j->f, "%*s", 2 * j->depth, "");
	if (key) {
		nsh_json_str(j->f, key);
		fputs(": ", j->f);
	}
}

static void nsh_j_open(struct nsh_json *j, const char *key, char brace)
{
	if (j->depth)
		nsh_j_key(j, key);
	fputc(brace, j->f);
	j->more[++j->depth] = false;
}

static void nsh_j_close(struct nsh_json *j, char brace)
{
	if (j->more[j->depth])
		fprintf(j->f, "\n%*s", 2 * (j->depth - 1), "");
	j->depth--;
	fputc(brace, j->f);
}

static void nsh_j_str(struct nsh_json *j, const char *key, const char *v)
{
	nsh_j_key(j, key);
	nsh_json_str(j->f, v);
}

/* A number, or null when negative (unknown). */
static void nsh_j_num(struct nsh_json *j, const char *key, long long v)
{
	nsh_j_key(j, key);
	if (v < 0)
		fputs("null", j->f);
	else
		fprintf(j->f, "%lld", v);
}

static void nsh_j_raw(struct nsh_json *j, const char *key, const char *v)
{
	nsh_j_key(j, key);
	fputs(v, j->f);
}

static void nsh_j_tenths(struct nsh_json *j, const char *key, int v)
{
	nsh_j_key(j, key);
	fprintf(j->f, "%d.%d", v / 10, v % 10);
}

static const char *nsh_j_bool(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

static void nsh_j_decision(struct nsh_json *j, const struct nsh_report *r,
			   const char *cls, const char *arg,
			   const struct nsh_dec *d)
{
	if (!d->action)
		return;
	nsh_j_open(j, NULL, '{');
	nsh_j_str(j, "class", cls);
	nsh_j_str(j, "arg", arg);
	nsh_j_str(j, "action", nsh_act_name(d->action));
	nsh_j_str(j, "source", d->source);
	nsh_j_raw(j, "refused", nsh_j_bool(nsh_closed(r, d)));
	nsh_j_close(j, '}');
}

static void nsh_j_verdicts(struct nsh_json *j, const struct nsh_report *r,
			   const char *key, const struct nsh_verdicts *v)
{
	unsigned int i;

	nsh_j_open(j, key, '[');
	for (i = 0; i < NSHARD_NS_COUNT; i++)
		nsh_j_decision(j, r, "create", nsh_ns_name(i), &v->create[i]);
	for (i = 0; i < NSH_CAP_COUNT; i++)
		nsh_j_decision(j, r, "cap", nsh_cap_name(i), &v->cap[i]);
	for (i = 0; i < NSHARD_GATE_COUNT; i++)
		nsh_j_decision(j, r, "gate", nsh_gate_name(i), &v->gate[i]);
	nsh_j_close(j, ']');
}

/* A list of words separated by any of @seps, as a JSON array. */
static void nsh_j_words(struct nsh_json *j, const char *key, const char *s,
			const char *seps)
{
	char *copy = nsh_strdup(s), *save = NULL, *w;

	nsh_j_open(j, key, '[');
	for (w = strtok_r(copy, seps, &save); w; w = strtok_r(NULL, seps, &save))
		nsh_j_str(j, NULL, w);
	nsh_j_close(j, ']');
	free(copy);
}

static void nsh_j_userns(struct nsh_json *j, const struct nsh_userns *u)
{
	nsh_j_open(j, NULL, '{');
	nsh_j_num(j, "inode", u->ino);
	nsh_j_num(j, "level", u->level);
	nsh_j_str(j, "origin", u->origin);
	nsh_j_num(j, "uid", u->uid);
	nsh_j_num(j, "policy", u->policy);
	nsh_j_words(j, "drop", strcmp(u->drop, "-") ? u->drop : "", ",");
	nsh_j_close(j, '}');
}

static void nsh_j_nshard(struct nsh_json *j, const struct nsh_report *r)
{
	int i;

	nsh_j_open(j, "nshard", '{');
	nsh_j_raw(j, "active", nsh_j_bool(r->active));
	nsh_j_raw(j, "report", nsh_j_bool(r->ok));
	nsh_j_str(j, "reason", r->ok ? NULL : r->why);
	nsh_j_str(j, "mode", r->mode[0] ? r->mode : NULL);
	nsh_j_num(j, "policy", r->ok ? (long long)r->policy : -1);
	nsh_j_str(j, "note", r->note[0] ? r->note : NULL);
	nsh_j_open(j, "userns", '[');
	for (i = 0; i < r->nr_userns; i++)
		nsh_j_userns(j, &r->userns[i]);
	nsh_j_close(j, ']');
	nsh_j_str(j, "program", r->program[0] ? r->program : NULL);
	nsh_j_raw(j, "inherit", nsh_j_bool(r->inherit));
	nsh_j_verdicts(j, r, "decisions", &r->v);
	if (r->predicted) {
		nsh_j_open(j, "new_userns", '{');
		nsh_j_str(j, "note", r->predict_note);
		nsh_j_verdicts(j, r, "decisions", &r->p);
		nsh_j_close(j, '}');
	} else {
		nsh_j_raw(j, "new_userns", "null");
	}
	nsh_j_close(j, '}');
}

static void nsh_j_caps(struct nsh_json *j, const struct nsh_proc *p)
{
	static const char *const keys[NSH_CAPSET_COUNT] = {
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	};
	char hex[24], name[24];
	unsigned int s, c;

	nsh_j_open(j, "capabilities", '{');
	for (s = 0; p->cap_ok && s < NSH_CAPSET_COUNT; s++) {
		nsh_j_open(j, keys[s], '{');
		snprintf(hex, sizeof(hex), "%016llx", p->cap[s]);
		nsh_j_str(j, "hex", hex);
		nsh_j_open(j, "names", '[');
		for (c = 0; c < 64; c++) {
			if (!(p->cap[s] & (1ULL << c)))
				continue;
			if (nsh_cap_name(c))
				snprintf(name, sizeof(name), "CAP_%s",
					 nsh_cap_name(c));
			else
				snprintf(name, sizeof(name), "cap_%u", c);
			nsh_j_str(j, NULL, name);
		}
		nsh_j_close(j, ']');
		nsh_j_close(j, '}');
	}
	nsh_j_close(j, '}');
}

static void nsh_j_proc(struct nsh_json *j, const struct nsh_proc *p)
{
	unsigned int t;
	int i;

	nsh_j_open(j, "credentials", '{');
	nsh_j_open(j, "uid", '[');
	for (i = 0; i < 4; i++)
		nsh_j_num(j, NULL, p->uid[i]);
	nsh_j_close(j, ']');
	nsh_j_open(j, "gid", '[');
	for (i = 0; i < 4; i++)
		nsh_j_num(j, NULL, p->gid[i]);
	nsh_j_close(j, ']');
	nsh_j_words(j, "groups", p->groups, " ");
	nsh_j_close(j, '}');
	nsh_j_caps(j, p);
	nsh_j_num(j, "no_new_privs", p->nnp);
	nsh_j_open(j, "seccomp", '{');
	nsh_j_num(j, "mode", p->seccomp);
	nsh_j_str(j, "name", p->seccomp == 0 ? "disabled" : p->seccomp == 1 ?
		  "strict" : p->seccomp == 2 ? "filter" : NULL);
	nsh_j_num(j, "filters", p->seccomp_filters);
	nsh_j_close(j, '}');
	nsh_j_open(j, "lsm", '{');
	if (p->lsm_ok)
		nsh_j_words(j, "active", p->lsm, ",");
	else
		nsh_j_raw(j, "active", "null");
	nsh_j_str(j, "apparmor", p->apparmor[0] ? p->apparmor : NULL);
	nsh_j_str(j, "selinux", p->selinux[0] ? p->selinux : NULL);
	nsh_j_str(j, "smack", p->smack[0] ? p->smack : NULL);
	nsh_j_open(j, "landlock", '{');
	nsh_j_raw(j, "enabled", nsh_j_bool(p->lsm_ok ?
					   nsh_lsm_active(p, "landlock") : -1));
	nsh_j_raw(j, "restricts_process", "null");
	nsh_j_close(j, '}');
	nsh_j_num(j, "yama_ptrace_scope", p->yama);
	nsh_j_close(j, '}');
	nsh_j_open(j, "namespaces", '{');
	for (t = 0; t < NSHARD_NS_COUNT; t++) {
		nsh_j_open(j, nsh_ns_name(t), '{');
		nsh_j_num(j, "inode", p->ns[t].ino ? (long long)p->ns[t].ino : -1);
		nsh_j_raw(j, "host", nsh_j_bool(p->ns[t].host));
		nsh_j_close(j, '}');
	}
	nsh_j_close(j, '}');
	nsh_j_open(j, "userns_sysctls", '{');
	nsh_j_num(j, "max_user_namespaces", p->max_userns);
	nsh_j_num(j, "unprivileged_userns_clone", p->userns_clone);
	nsh_j_num(j, "apparmor_restrict_unprivileged_userns",
		  p->aa_restrict_userns);
	nsh_j_close(j, '}');
	nsh_j_words(j, "cgroup", p->cgroup.data ? p->cgroup.data : "", "\n");
}

static void nsh_j_findings(struct nsh_json *j, const struct nsh_inspect *in)
{
	int i;

	nsh_j_open(j, "findings", '[');
	for (i = 0; i < in->nr_f; i++) {
		nsh_j_open(j, NULL, '{');
		nsh_j_str(j, "section", in->f[i].section);
		nsh_j_str(j, "status", in->f[i].status);
		nsh_j_str(j, "name", in->f[i].name);
		nsh_j_str(j, "value", in->f[i].value);
		nsh_j_str(j, "explanation", in->f[i].why);
		nsh_j_close(j, '}');
	}
	nsh_j_close(j, ']');
	nsh_j_open(j, "score_terms", '[');
	for (i = 0; i < in->nr_part; i++) {
		nsh_j_open(j, NULL, '{');
		nsh_j_str(j, "term", in->part[i].key);
		nsh_j_tenths(j, "points", in->part[i].tenths);
		nsh_j_str(j, "why", in->part[i].why);
		nsh_j_close(j, '}');
	}
	nsh_j_close(j, ']');
}

void nsh_print_json(const struct nsh_inspect *in)
{
	struct nsh_json j = { .f = stdout };
	struct nsh_buf summary = { 0 };
	unsigned long pid = getpid();

	if (strcmp(in->proc.pid, "self"))
		nsh_parse_ulong(in->proc.pid, &pid);
	nsh_j_open(&j, NULL, '{');
	nsh_j_num(&j, "pid", pid);
	nsh_j_raw(&j, "self", nsh_j_bool(!strcmp(in->proc.pid, "self")));
	nsh_j_str(&j, "name", in->proc.name[0] ? in->proc.name : NULL);
	nsh_j_nshard(&j, &in->rep);
	nsh_j_proc(&j, &in->proc);
	nsh_j_findings(&j, in);
	nsh_j_tenths(&j, "score", in->score);
	nsh_j_str(&j, "verdict", in->verdict);
	nsh_summary(in, &summary);
	nsh_j_str(&j, "summary", summary.data);
	if (in->threshold >= 0)
		nsh_j_tenths(&j, "threshold", in->threshold);
	else
		nsh_j_raw(&j, "threshold", "null");
	nsh_j_raw(&j, "over_threshold",
		  nsh_j_bool(in->threshold >= 0 && in->score > in->threshold));
	nsh_j_close(&j, '}');
	fputc('\n', stdout);
	nsh_buf_free(&summary);
}
