// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: loading at boot
 *
 * "nshard boot" loads the site policy, the files
 * /etc/nshard/policy.d/NAME.policy in the C locale's order of their names,
 * concatenated and loaded in one write, so that the kernel validates it
 * whole: a site policy is in force entirely or not at all.  When it is
 * rejected, the policy in force, the built-in one at boot, stays, and the
 * tool says so loudly and fails, so that the service fails and the journal
 * shows it.  It never unloads or weakens anything; there is nothing to undo
 * at shutdown.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/nshard.h"
#include "nshard.h"
#include "util.h"

#define NSH_POLICY_DIR	"/etc/nshard/policy.d"
#define NSH_POLICY_EXT	".policy"

static int nsh_is_policy(const struct dirent *d)
{
	size_t len = strlen(d->d_name), ext = strlen(NSH_POLICY_EXT);

	return d->d_name[0] != '.' && len > ext &&
	       !strcmp(d->d_name + len - ext, NSH_POLICY_EXT);
}

/* The site policy's files, in order; returns their number or -errno. */
static int nsh_boot_files(const char *dir, char ***paths)
{
	struct dirent **list;
	char **p;
	int n, i;

	n = scandir(dir, &list, nsh_is_policy, alphasort);
	if (n < 0)
		return -errno;
	p = calloc(n + 1, sizeof(*p));
	for (i = 0; i < n; i++) {
		if (p && asprintf(&p[i], "%s/%s", dir, list[i]->d_name) < 0)
			p[i] = NULL;
		free(list[i]);
	}
	free(list);
	for (i = 0; p && i < n; i++)
		if (!p[i])
			break;
	if (!p || i < n) {
		for (i = 0; p && i < n; i++)
			free(p[i]);
		free(p);
		return -ENOMEM;
	}
	*paths = p;
	return n;
}

static int nsh_boot(const char *dir)
{
	char gen[64] = "?";
	char **paths = NULL;
	int n, i, ret;

	n = nsh_boot_files(dir, &paths);
	if (n < 0) {
		nsh_err("boot: cannot read %s: %s; the policy in force stays",
			dir, strerror(-n));
		return n == -ENOENT ? NSH_EXIT_OK : NSH_EXIT_ENV;
	}
	if (!n) {
		nsh_read_fs_value(NSHARD_FS_GENERATION, gen, sizeof(gen));
		printf("no *%s file in %s: policy generation %s stays in force\n",
		       NSH_POLICY_EXT, dir, gen);
		free(paths);
		return NSH_EXIT_OK;
	}
	for (i = 0; i < n; i++)
		printf("site policy: %s\n", paths[i]);
	fflush(stdout);
	ret = nsh_load_files(n, paths);
	if (ret) {
		nsh_read_fs_value(NSHARD_FS_GENERATION, gen, sizeof(gen));
		nsh_err("boot: THE SITE POLICY WAS NOT LOADED: policy generation %s stays in force; fix the file named above and run 'nshard boot' again",
			gen);
	}
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return ret;
}

int nsh_cmd_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NSH_POLICY_DIR;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		if (c == 'h')
			return nsh_help(stdout, "boot") ? NSH_EXIT_ENV :
							  NSH_EXIT_OK;
		if (c == 'd') {
			dir = optarg;
			continue;
		}
		nsh_err("boot: unknown option or missing argument %s",
			argv[optind - 1]);
		nsh_usage_hint("boot");
		return NSH_EXIT_ENV;
	}
	if (optind < argc) {
		nsh_err("boot: unexpected argument %s", argv[optind]);
		nsh_usage_hint("boot");
		return NSH_EXIT_ENV;
	}
	return nsh_boot(dir);
}
