// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: load and check
 *
 * Both commands concatenate their files in the order given, each ended by
 * a newline, and hand the text to the kernel in one write(2), as nshard
 * demands.  The kernel names errors by line of that text; they are mapped
 * back to the file and line they came from.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/nshard.h"

#include "nshard.h"
#include "util.h"

#define NSH_CHECK_FILE	"check"

/* Flags of nsh_check_text(). */
#define NSH_CHECK_CANONICAL	1	/* print the canonical text */
#define NSH_CHECK_QUIET		2	/* print nothing when valid */

/* One input file: its name and the lines it holds in the whole text. */
struct nsh_src {
	const char *name;
	unsigned long first;
	unsigned long lines;
};

struct nsh_text {
	struct nsh_buf buf;
	struct nsh_src *src;
	int nr_src;
};

static unsigned long nsh_count_lines(const char *s, size_t len)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* Append one file ("-" is standard input).  0, 1 (too large) or 2. */
static int nsh_text_add(struct nsh_text *t, const char *name)
{
	size_t start = t->buf.len, room = 0;
	struct nsh_src *s;
	int fd, err;

	if (t->buf.len <= NSHARD_POLICY_MAX_SIZE)
		room = NSHARD_POLICY_MAX_SIZE - t->buf.len;
	fd = strcmp(name, "-") ? open(name, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		nsh_err("cannot open %s: %s", name, strerror(errno));
		return NSH_EXIT_ENV;
	}
	err = nsh_read_fd(fd, &t->buf, room);
	if (fd)
		close(fd);
	if (err) {
		nsh_err("cannot read %s: %s", name, strerror(-err));
		return NSH_EXIT_ENV;
	}
	if (t->buf.len > start && t->buf.data[t->buf.len - 1] != '\n')
		nsh_buf_add(&t->buf, "\n", 1);
	if (t->buf.len > NSHARD_POLICY_MAX_SIZE) {
		nsh_err("the policy is larger than the kernel accepts (%d bytes, NSHARD_POLICY_MAX_SIZE) by the end of %s; nothing was written",
			NSHARD_POLICY_MAX_SIZE, name);
		return NSH_EXIT_FAIL;
	}
	s = realloc(t->src, (t->nr_src + 1) * sizeof(*s));
	if (!s)
		nsh_die_oom();
	t->src = s;
	s += t->nr_src++;
	s->name = strcmp(name, "-") ? name : "<stdin>";
	s->first = nsh_count_lines(t->buf.data, start) + 1;
	s->lines = nsh_count_lines(t->buf.data + start, t->buf.len - start);
	return NSH_EXIT_OK;
}

static int nsh_text_gather(struct nsh_text *t, int argc, char **argv)
{
	int i, ret;

	for (i = 0; i < argc; i++) {
		ret = nsh_text_add(t, argv[i]);
		if (ret)
			return ret;
	}
	/* A policy without statements is one blank line, not zero bytes. */
	if (!t->buf.len)
		nsh_buf_add(&t->buf, "\n", 1);
	return NSH_EXIT_OK;
}

static void nsh_text_free(struct nsh_text *t)
{
	nsh_buf_free(&t->buf);
	free(t->src);
}

/* The file, and line in it, of line @line of the whole text. */
static const struct nsh_src *nsh_text_locate(const struct nsh_text *t,
					     unsigned long line,
					     unsigned long *fline)
{
	const struct nsh_src *found = NULL;
	int i;

	for (i = 0; i < t->nr_src; i++)
		if (t->src[i].lines && t->src[i].first <= line)
			found = &t->src[i];
	if (found)
		*fline = line - found->first + 1;
	return found;
}

/* For the kernel log: which lines of the whole text each file holds. */
static void nsh_text_print_map(const struct nsh_text *t)
{
	int i;

	if (t->nr_src < 2)
		return;
	fprintf(stderr, "  lines of the concatenated text:\n");
	for (i = 0; i < t->nr_src; i++)
		if (t->src[i].lines)
			fprintf(stderr, "    %lu-%lu: %s\n", t->src[i].first,
				t->src[i].first + t->src[i].lines - 1,
				t->src[i].name);
}

/* "error line N: MESSAGE" from the check file, as "FILE:LINE: MESSAGE". */
static void nsh_print_error(const struct nsh_text *t, const char *answer)
{
	const struct nsh_src *src;
	unsigned long line, fline;
	const char *msg;
	char *end;

	answer += strspn(answer, " ");
	if (strncmp(answer, "error line ", 11)) {
		nsh_err("the kernel's answer: %.*s", (int)strcspn(answer, "\n"),
			answer);
		return;
	}
	line = strtoul(answer + 11, &end, 10);
	msg = *end == ':' ? end + 1 + strspn(end + 1, " ") : end;
	src = nsh_text_locate(t, line, &fline);
	fflush(stdout);
	if (src && line)
		fprintf(stderr, "%s:%lu: %.*s\n", src->name, fline,
			(int)strcspn(msg, "\n"), msg);
	else
		fprintf(stderr, "%s: %.*s\n", src ? src->name : "policy",
			(int)strcspn(msg, "\n"), msg);
}

/* Write @t whole in one write(2).  0, or -errno (-EIO if short). */
static int nsh_write_once(int fd, const struct nsh_text *t)
{
	ssize_t n = write(fd, t->buf.data, t->buf.len);

	if (n < 0)
		return -errno;
	if ((size_t)n != t->buf.len) {
		nsh_err("short write: %zd of %zu bytes; the kernel takes a policy only in one write",
			n, t->buf.len);
		return -EIO;
	}
	return 0;
}

static int nsh_check_open_error(int err)
{
	if (err == -ENOENT && !nsh_fs_active()) {
		nsh_explain_absent();
		nsh_err("validation needs root on a running nshard kernel");
	} else if (err == -ENOENT) {
		nsh_err("this kernel's nshard has no %s/%s file (it predates it): validation needs root on a running nshard kernel that has one",
			nsh_fs_dir(), NSH_CHECK_FILE);
	} else if (err == -EACCES || err == -EPERM) {
		nsh_err("cannot open %s/%s: %s: validation needs root (CAP_MAC_ADMIN in the initial user namespace) on a running nshard kernel",
			nsh_fs_dir(), NSH_CHECK_FILE, strerror(-err));
	} else {
		nsh_err("cannot open %s/%s: %s", nsh_fs_dir(), NSH_CHECK_FILE,
			strerror(-err));
	}
	return NSH_EXIT_ENV;
}

static int nsh_check_answer(const struct nsh_text *t, const char *answer,
			    bool valid, int flags)
{
	unsigned long statements;
	char digest[80], *nl;

	if (!valid) {
		nsh_print_error(t, answer);
		return NSH_EXIT_FAIL;
	}
	if (sscanf(answer, "ok %lu %79s", &statements, digest) != 2) {
		nsh_err("unexpected answer from %s/%s: %.*s", nsh_fs_dir(),
			NSH_CHECK_FILE, (int)strcspn(answer, "\n"), answer);
		return NSH_EXIT_ENV;
	}
	if (!(flags & NSH_CHECK_QUIET))
		printf("ok: %lu statements, digest %s\n", statements, digest);
	nl = strchr(answer, '\n');
	if ((flags & NSH_CHECK_CANONICAL) && nl)
		fputs(nl + 1, stdout);
	return NSH_EXIT_OK;
}

/* Have the kernel check @t.  0 valid, 1 invalid, 2 could not check. */
static int nsh_check_text(const struct nsh_text *t, int flags)
{
	struct nsh_buf answer = { 0 };
	char path[NSH_PATH_LEN];
	int fd, err, ret;

	nsh_fs_path(path, sizeof(path), NSH_CHECK_FILE);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return nsh_check_open_error(-errno);
	err = nsh_write_once(fd, t);
	if (err && err != -EINVAL) {
		if (err == -E2BIG)
			nsh_err("the policy is too large (over %d bytes or %d statements)",
				NSHARD_POLICY_MAX_SIZE,
				NSHARD_POLICY_MAX_RULES);
		else if (err == -EPERM || err == -EACCES)
			nsh_err("writing %s: %s: validation needs root (CAP_MAC_ADMIN in the initial user namespace)",
				path, strerror(-err));
		else if (err != -EIO)
			nsh_err("writing %s: %s", path, strerror(-err));
		close(fd);
		return err == -E2BIG ? NSH_EXIT_FAIL : NSH_EXIT_ENV;
	}
	ret = lseek(fd, 0, SEEK_SET) < 0 ? -errno : 0;
	if (!ret)
		ret = nsh_read_fd(fd, &answer, NSHARD_POLICY_MAX_SIZE * 2);
	close(fd);
	if (ret) {
		nsh_err("reading %s: %s", path, strerror(-ret));
		nsh_buf_free(&answer);
		return NSH_EXIT_ENV;
	}
	ret = nsh_check_answer(t, answer.data, !err, flags);
	nsh_buf_free(&answer);
	return ret;
}

/* Parse "[--canonical] FILE...".  Return -1 to go on, or an exit status. */
static int nsh_parse_files(int argc, char **argv, const char *cmd,
			   bool *canonical)
{
	static const struct option opts[] = {
		{ "canonical", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ch", opts, NULL)) != -1) {
		if (c == 'h')
			return nsh_help(stdout, cmd) ? NSH_EXIT_ENV : NSH_EXIT_OK;
		if (c == 'c' && canonical) {
			*canonical = true;
			continue;
		}
		nsh_err("%s: unknown option %s", cmd, argv[optind - 1]);
		nsh_usage_hint(cmd);
		return NSH_EXIT_ENV;
	}
	if (optind >= argc) {
		nsh_err("%s: no policy file given", cmd);
		nsh_usage_hint(cmd);
		return NSH_EXIT_ENV;
	}
	return -1;
}

int nsh_cmd_check(int argc, char **argv)
{
	struct nsh_text t = { 0 };
	bool canonical = false;
	int ret;

	ret = nsh_parse_files(argc, argv, "check", &canonical);
	if (ret >= 0)
		return ret;
	ret = nsh_text_gather(&t, argc - optind, argv + optind);
	if (!ret)
		ret = nsh_check_text(&t, canonical ? NSH_CHECK_CANONICAL : 0);
	nsh_text_free(&t);
	return ret;
}

/* After EINVAL: name the line, with the check file if there is one. */
static void nsh_load_explain(const struct nsh_text *t)
{
	char path[NSH_PATH_LEN];
	int ret;

	nsh_fs_path(path, sizeof(path), NSH_CHECK_FILE);
	if (access(path, F_OK) == 0) {
		ret = nsh_check_text(t, NSH_CHECK_QUIET);
		if (ret == NSH_EXIT_OK)
			nsh_err("the check file finds no error in it now: see the kernel log (dmesg | grep nshard)");
		if (ret != NSH_EXIT_ENV)
			return;
	}
	nsh_err("the kernel log names the line: dmesg | grep 'nshard: policy rejected'");
	nsh_text_print_map(t);
}

static int nsh_load_failed(const struct nsh_text *t, const char *path,
			   int err)
{
	char seal[16] = "";

	switch (err) {
	case -EINVAL:
		nsh_err("the kernel rejected the policy; the active policy is unchanged");
		nsh_load_explain(t);
		return NSH_EXIT_FAIL;
	case -E2BIG:
		nsh_err("the kernel rejected the policy as too large (over %d bytes or %d statements); the active policy is unchanged",
			NSHARD_POLICY_MAX_SIZE, NSHARD_POLICY_MAX_RULES);
		return NSH_EXIT_FAIL;
	case -EPERM:
		nsh_read_fs_value(NSHARD_FS_SEAL, seal, sizeof(seal));
		if (!strcmp(seal, "1"))
			nsh_err("nshard is sealed until reboot: the policy cannot change");
		else
			nsh_err("writing %s: %s: loading a policy needs CAP_MAC_ADMIN in the initial user namespace (root on the host, not in a container)",
				path, strerror(-err));
		return NSH_EXIT_ENV;
	case -ENOENT:
	case -EACCES:
	case -ENOTDIR:
	case -ELOOP:
		nsh_err("the kernel could not find a program an exe= rule names (%s); the active policy is unchanged",
			strerror(-err));
		nsh_load_explain(t);
		return NSH_EXIT_FAIL;
	case -EIO:
		return NSH_EXIT_ENV;
	}
	nsh_err("writing %s: %s", path, strerror(-err));
	return NSH_EXIT_ENV;
}

static int nsh_load_text(const struct nsh_text *t)
{
	char path[NSH_PATH_LEN], gen[64] = "?", digest[128] = "?";
	int fd, err;

	nsh_fs_path(path, sizeof(path), NSHARD_FS_POLICY);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !nsh_fs_active()) {
		nsh_explain_absent();
		return NSH_EXIT_ENV;
	}
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		nsh_err("cannot open %s: %s: loading a policy needs root (CAP_MAC_ADMIN in the initial user namespace)",
			path, strerror(errno));
		return NSH_EXIT_ENV;
	}
	if (fd < 0) {
		nsh_err("cannot open %s: %s", path, strerror(errno));
		return NSH_EXIT_ENV;
	}
	err = nsh_write_once(fd, t);
	close(fd);
	if (err)
		return nsh_load_failed(t, path, err);
	nsh_read_fs_value(NSHARD_FS_GENERATION, gen, sizeof(gen));
	nsh_read_fs_value(NSHARD_FS_DIGEST, digest, sizeof(digest));
	printf("loaded policy generation %s, digest %s\n", gen, digest);
	return NSH_EXIT_OK;
}

/**
 * nsh_load_files - load @n files, concatenated, as one policy
 * @n: how many
 * @paths: their paths
 *
 * Return: an NSH_EXIT_* status, the outcome printed.
 */
int nsh_load_files(int n, char **paths)
{
	struct nsh_text t = { 0 };
	int ret;

	ret = nsh_text_gather(&t, n, paths);
	if (!ret)
		ret = nsh_load_text(&t);
	nsh_text_free(&t);
	return ret;
}

int nsh_cmd_load(int argc, char **argv)
{
	struct nsh_text t = { 0 };
	int ret;

	ret = nsh_parse_files(argc, argv, "load", NULL);
	if (ret >= 0)
		return ret;
	ret = nsh_text_gather(&t, argc - optind, argv + optind);
	if (!ret)
		ret = nsh_load_text(&t);
	nsh_text_free(&t);
	return ret;
}
