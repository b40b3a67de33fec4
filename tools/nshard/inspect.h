/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard - administration tool for the nshard LSM: inspect
 *
 * inspect gathers what nshard's task file reports on a process (task.c),
 * what /proc says about it (inspect.c), judges it (score.c) and prints the
 * findings as text or JSON (output.c).
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef NSHARD_TOOL_INSPECT_H
#define NSHARD_TOOL_INSPECT_H

#include <stdbool.h>

#include "linux/nshard.h"

#include "caps.h"
#include "util.h"

/* Actions of a decision, in increasing strictness; NONE: not reported. */
enum nsh_act {
	NSH_ACT_NONE,
	NSH_ACT_ALLOW,
	NSH_ACT_AUDIT,
	NSH_ACT_DENY,
};

/* Capability sets of /proc/PID/status, in the order of its lines. */
enum nsh_capset {
	NSH_CAP_INH,
	NSH_CAP_PRM,
	NSH_CAP_EFF,
	NSH_CAP_BND,
	NSH_CAP_AMB,
	NSH_CAPSET_COUNT
};

/* Tri-state facts. */
#define NSH_UNKNOWN	(-1)

struct nsh_dec {
	int action;		/* enum nsh_act */
	char source[96];	/* "default", "policy 1 line 12", "drop"... */
};

/* Decisions per operation, indexed as in include/uapi/linux/nshard.h. */
struct nsh_verdicts {
	struct nsh_dec create[NSHARD_NS_COUNT];
	struct nsh_dec cap[NSH_CAP_COUNT];
	struct nsh_dec gate[NSHARD_GATE_COUNT];
};

struct nsh_userns {
	unsigned long long ino;
	unsigned long level;
	char origin[16];	/* "restricted" or "privileged" */
	unsigned long uid;
	unsigned long policy;
	char drop[512];		/* "-" or CAP,CAP... */
};

/* What nshard says about the process, and what its policy predicts. */
struct nsh_report {
	bool active;		/* nshard's securityfs directory exists */
	bool ok;		/* the task file's report was read */
	char why[320];		/* why there is no report */
	char note[160];		/* something odd about the report */
	char mode[16];		/* "" if unknown */
	unsigned long pid;
	unsigned long policy;
	struct nsh_userns userns[NSHARD_DEPTH_MAX + 1];
	int nr_userns;
	char program[1024];	/* "" if none */
	bool inherit;
	bool host;		/* cap and gate lines say "host" */
	struct nsh_verdicts v;
	/* For a user namespace the process would create now: child lines. */
	bool child_lines;
	bool predicted;
	char predict_note[160];
	struct nsh_verdicts p;
};

struct nsh_ns {
	unsigned long long ino;	/* 0 if unknown */
	int host;		/* 1 the host's, 0 its own, NSH_UNKNOWN */
	char err[64];
};

/* What /proc and securityfs say about the process. */
struct nsh_proc {
	char pid[24];		/* as given: "self" or a number */
	char name[64];
	bool status_ok;
	char status_err[160];
	long uid[4];		/* real, effective, saved, fs; -1 unknown */
	long gid[4];
	char groups[512];
	bool cap_ok;
	unsigned long long cap[NSH_CAPSET_COUNT];
	int nnp;
	int seccomp;
	int seccomp_filters;
	struct nsh_ns ns[NSHARD_NS_COUNT];
	bool lsm_ok;
	char lsm[256];
	char apparmor[256];	/* "" if not available */
	char selinux[256];
	char smack[256];
	int yama;
	long max_userns;	/* sysctls, -1 when absent */
	long userns_clone;
	long aa_restrict_userns;
	struct nsh_buf cgroup;
};

struct nsh_finding {
	const char *section;
	char status[3];		/* "ok", "!!" or "--" */
	char name[24];
	char *value;
	char *why;
};

/* One term of the score, in tenths of a point. */
struct nsh_part {
	const char *key;
	int tenths;
	char *why;
};

struct nsh_inspect {
	struct nsh_proc proc;
	struct nsh_report rep;
	struct nsh_finding *f;
	int nr_f;
	struct nsh_part part[16];
	int nr_part;
	int score;		/* tenths, 0 to 100 */
	int threshold;		/* tenths, or -1 */
	const char *verdict;
};

/* task.c */
const char *nsh_ns_name(unsigned int type);
const char *nsh_gate_name(unsigned int gate);
unsigned int nsh_gate_weight(unsigned int gate);
int nsh_gate_cap(unsigned int gate);
const char *nsh_act_name(int action);
int nsh_act_parse(const char *s);
int nsh_ns_lookup(const char *s);
int nsh_gate_lookup(const char *s);
int nsh_words(char *line, char **w, int max);
void nsh_report_read(struct nsh_report *r, const struct nsh_proc *p);

/* inspect.c */
bool nsh_in_init_userns(const struct nsh_inspect *in);
bool nsh_lsm_active(const struct nsh_proc *p, const char *name);

/* findings.c */
__printf(6, 7)
void nsh_finding(struct nsh_inspect *in, const char *section,
		 const char *status, const char *name, const char *value,
		 const char *fmt, ...);
int nsh_mac_state(const struct nsh_proc *p, const char **who);
void nsh_find_proc(struct nsh_inspect *in);

/* score.c */
void nsh_judge(struct nsh_inspect *in);
bool nsh_closed(const struct nsh_report *r, const struct nsh_dec *d);

/* output.c */
void nsh_print_text(const struct nsh_inspect *in);
void nsh_print_json(const struct nsh_inspect *in);

#endif /* NSHARD_TOOL_INSPECT_H */
