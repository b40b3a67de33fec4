// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - helper: code an attacker gets loaded into an exempt
 * program, built as libnshard_evil.so (for LD_PRELOAD and LD_AUDIT) and as
 * libnshard_plugin.so (for a dlopen() that LD_LIBRARY_PATH redirects).
 *
 * Wherever it runs, it tries to create a user namespace and appends
 * "evil ERRNO\n" (0: it got one) to the file $NSHARD_EVIL_REPORT names: an
 * empty report means it never ran.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void try_userns(void)
{
	const char *path = getenv("NSHARD_EVIL_REPORT");
	int err = unshare(CLONE_NEWUSER) ? errno : 0;
	char line[32];
	int fd, len;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line), "evil %d\n", err);
	if (write(fd, line, len) != len)
		err = errno;
	close(fd);
}

/* LD_PRELOAD, dlopen(); LD_AUDIT runs audit modules' constructors too. */
__attribute__((constructor)) static void evil_init(void)
{
	try_userns();
}

/* LD_AUDIT: the first function of an audit module ld.so calls. */
unsigned int la_version(unsigned int version)
{
	try_userns();
	return LAV_CURRENT;
}
