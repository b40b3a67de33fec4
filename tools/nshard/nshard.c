// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM
 *
 *	nshard status [--all]
 *	nshard load FILE...
 *	nshard check [--canonical] FILE...
 *	nshard inspect [--json] [--threshold N] [PID]
 *	nshard help [COMMAND]
 *
 * nshard hardens unprivileged user namespaces; see
 * Documentation/admin-guide/LSM/nshard.rst.  This tool reads and writes its
 * files in securityfs (/sys/kernel/security/nshard, or $NSHARD_FS) and, for
 * inspect, what /proc (or $NSHARD_PROC) says about a process.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/nshard.h"

#include "nshard.h"
#include "util.h"

#define NSH_STATUS_TOP	15

struct nsh_counter {
	char op[64];
	unsigned long long n[NSHARD_COUNTER_COUNT];
};

struct nsh_counters {
	struct nsh_counter *c;
	size_t nr;
	unsigned long long total[NSHARD_COUNTER_COUNT];
	struct nsh_buf gauges;	/* "userns 12 (record live)" lines */
};

/* Split @line in place into at most @max words. */
static int nsh_split(char *line, char **word, int max)
{
	int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t", &save); w && n < max;
	     w = strtok_r(NULL, " \t", &save))
		word[n++] = w;
	return n;
}

static bool nsh_is_number(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* "<operation> <argument> <allowed> <denied> <audited>" */
static void nsh_counter_add(struct nsh_counters *cs, char **w, int n)
{
	struct nsh_counter *c;
	int i;

	c = realloc(cs->c, (cs->nr + 1) * sizeof(*c));
	if (!c)
		nsh_die_oom();
	cs->c = c;
	c += cs->nr++;
	snprintf(c->op, sizeof(c->op), "%s %s", w[0], n == 5 ? w[1] : "");
	for (i = 0; i < NSHARD_COUNTER_COUNT; i++) {
		c->n[i] = strtoull(w[n - NSHARD_COUNTER_COUNT + i], NULL, 10);
		cs->total[i] += c->n[i];
	}
}

/*
 * Lines starting with '#' name the columns of the lines after them; a line
 * of an operation and three numbers is a counter, a name and one number is
 * a gauge (such as the live user namespace records), kept with its header.
 */
static void nsh_counters_parse(struct nsh_counters *cs, char *text)
{
	char header[128] = "", *save = NULL, *line, *w[8];
	int n;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#') {
			nsh_copy(header, sizeof(header),
				 line + 1 + strspn(line + 1, " "));
			continue;
		}
		n = nsh_split(line, w, ARRAY_SIZE(w));
		if ((n == 4 || n == 5) && nsh_is_number(w[n - 1]) &&
		    nsh_is_number(w[n - 2]) && nsh_is_number(w[n - 3]))
			nsh_counter_add(cs, w, n);
		else if (n == 2 && nsh_is_number(w[1]))
			nsh_buf_addf(&cs->gauges, "%s %s (%s)\n", w[0], w[1],
				     header);
	}
}

/* Most denied first, then most audited, then most allowed, then name. */
static int nsh_counter_cmp(const void *a, const void *b)
{
	const struct nsh_counter *x = a, *y = b;
	static const int order[] = { NSHARD_COUNTER_DENIED,
				     NSHARD_COUNTER_AUDITED,
				     NSHARD_COUNTER_ALLOWED };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (x->n[order[i]] != y->n[order[i]])
			return x->n[order[i]] > y->n[order[i]] ? -1 : 1;
	return strcmp(x->op, y->op);
}

static bool nsh_counter_shown(const struct nsh_counter *c, bool all)
{
	return c->n[NSHARD_COUNTER_DENIED] || c->n[NSHARD_COUNTER_AUDITED] ||
	       (all && c->n[NSHARD_COUNTER_ALLOWED]);
}

static void nsh_counters_table(struct nsh_counters *cs, bool all)
{
	size_t i, shown = 0, more = 0;

	qsort(cs->c, cs->nr, sizeof(*cs->c), nsh_counter_cmp);
	for (i = 0; i < cs->nr; i++) {
		if (!nsh_counter_shown(&cs->c[i], all))
			continue;
		if (!all && shown == NSH_STATUS_TOP) {
			more++;
			continue;
		}
		if (!shown++)
			printf("\n%-28s %12s %12s %12s\n", "OPERATION", "ALLOWED",
			       "DENIED", "AUDITED");
		printf("%-28s %12llu %12llu %12llu\n", cs->c[i].op,
		       cs->c[i].n[NSHARD_COUNTER_ALLOWED],
		       cs->c[i].n[NSHARD_COUNTER_DENIED],
		       cs->c[i].n[NSHARD_COUNTER_AUDITED]);
	}
	if (more)
		printf("(%zu more: --all lists every operation counted)\n",
		       more);
	if (!shown && all)
		printf("\nno operation has been counted since boot\n");
	else if (!shown)
		printf("\n%s\n",
		       "no operation has been denied or audited since boot (--all lists the allowed ones)");
}

static void nsh_status_counters(bool all)
{
	struct nsh_counters cs = { 0 };
	char path[NSH_PATH_LEN];
	struct nsh_buf text = { 0 };
	int err;

	nsh_fs_path(path, sizeof(path), NSHARD_FS_COUNTERS);
	err = nsh_read_file(path, &text, 1 << 24);
	if (err) {
		printf("  %-11s unknown (%s: %s)\n", "decisions", path,
		       strerror(-err));
		nsh_buf_free(&text);
		return;
	}
	nsh_counters_parse(&cs, text.data);
	nsh_buf_free(&text);
	printf("  %-11s %llu allowed, %llu denied, %llu audited, since boot\n",
	       "decisions", cs.total[NSHARD_COUNTER_ALLOWED],
	       cs.total[NSHARD_COUNTER_DENIED],
	       cs.total[NSHARD_COUNTER_AUDITED]);
	if (cs.gauges.len)
		printf("  %-11s %s", "records", cs.gauges.data);
	nsh_counters_table(&cs, all);
	free(cs.c);
	nsh_buf_free(&cs.gauges);
}

/* Read one of nshard's value files, or describe why it is unknown. */
static void nsh_status_value(const char *name, char *buf, size_t size)
{
	int err = nsh_read_fs_value(name, buf, size);

	if (err)
		snprintf(buf, size, "unknown (%s)", strerror(-err));
}

static const char *nsh_mode_meaning(const char *mode)
{
	static const char *const meaning[][2] = {
		{
			NSHARD_MODE_ENFORCE_NAME,
			"it refuses and logs what its policy denies",
		}, {
			NSHARD_MODE_AUDIT_NAME,
			"it logs what enforce mode would refuse, and refuses nothing",
		}, {
			NSHARD_MODE_OFF_NAME,
			"it decides and counts nothing; drop= of namespaces created in enforce mode still holds",
		},
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(meaning); i++)
		if (!strcmp(mode, meaning[i][0]))
			return meaning[i][1];
	return "its mode is unknown";
}

static const char *nsh_yes_no_file(const char *name)
{
	char path[NSH_PATH_LEN];

	nsh_fs_path(path, sizeof(path), name);
	return access(path, F_OK) == 0 ? "yes" : "no";
}

static int nsh_status(bool all)
{
	char mode[64], seal[64], gen[64], digest[128];

	if (!nsh_fs_active()) {
		nsh_explain_absent();
		return NSH_EXIT_ENV;
	}
	nsh_status_value(NSHARD_FS_MODE, mode, sizeof(mode));
	nsh_status_value(NSHARD_FS_SEAL, seal, sizeof(seal));
	nsh_status_value(NSHARD_FS_GENERATION, gen, sizeof(gen));
	nsh_status_value(NSHARD_FS_DIGEST, digest, sizeof(digest));

	printf("nshard is active (%s): %s.\n", nsh_fs_dir(), nsh_mode_meaning(mode));
	printf("  %-11s %s\n", "mode", mode);
	printf("  %-11s %s\n", "sealed", !strcmp(seal, "1") ?
	       "yes: mode and policy cannot change until reboot" :
	       !strcmp(seal, "0") ? "no" : seal);
	printf("  %-11s generation %s%s\n", "policy", gen,
	       !strcmp(gen, "1") ? " (the built-in policy)" : "");
	printf("  %-11s %s\n", "digest", digest);
	printf("  %-11s task %s, check %s\n", "interfaces",
	       nsh_yes_no_file("task"), nsh_yes_no_file("check"));
	nsh_status_counters(all);
	return strncmp(mode, "unknown", 7) ? NSH_EXIT_OK : NSH_EXIT_ENV;
}

int nsh_cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool all = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		if (c == 'h')
			return nsh_help(stdout, "status") ? NSH_EXIT_ENV : 0;
		if (c == 'a') {
			all = true;
			continue;
		}
		nsh_err("status: unknown option %s", argv[optind - 1]);
		nsh_usage_hint("status");
		return NSH_EXIT_ENV;
	}
	if (optind < argc) {
		nsh_err("status: unexpected argument %s", argv[optind]);
		nsh_usage_hint("status");
		return NSH_EXIT_ENV;
	}
	return nsh_status(all);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} nsh_commands[] = {
	{ "status", nsh_cmd_status },
	{ "load", nsh_cmd_load },
	{ "check", nsh_cmd_check },
	{ "boot", nsh_cmd_boot },
	{ "inspect", nsh_cmd_inspect },
	{ "help", nsh_cmd_help },
};

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	size_t i;

	if (!cmd) {
		nsh_err("no command given");
		nsh_usage_hint(NULL);
		return NSH_EXIT_ENV;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return nsh_help(stdout, NULL) ? NSH_EXIT_ENV : NSH_EXIT_OK;
	for (i = 0; i < ARRAY_SIZE(nsh_commands); i++)
		if (!strcmp(cmd, nsh_commands[i].name))
			return nsh_commands[i].fn(argc - 1, argv + 1);
	nsh_err("unknown command '%s'", cmd);
	nsh_usage_hint(NULL);
	return NSH_EXIT_ENV;
}
