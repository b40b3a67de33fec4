// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: shared helpers
 *
 * Paths (overridable for tests with NSHARD_FS and NSHARD_PROC), reading
 * small files, growing buffers, and printing untrusted strings safely to a
 * terminal or as JSON.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "util.h"

const char *nsh_prog = "nshard";

void nsh_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", nsh_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void nsh_die_oom(void)
{
	nsh_err("out of memory");
	exit(NSH_EXIT_ENV);
}

/* An environment variable, or @def when unset or empty. */
static const char *nsh_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

const char *nsh_fs_dir(void)
{
	return nsh_env("NSHARD_FS", NSH_FS_DEFAULT);
}

const char *nsh_proc_dir(void)
{
	return nsh_env("NSHARD_PROC", NSH_PROC_DEFAULT);
}

/* The securityfs root: the parent of nshard's directory. */
const char *nsh_secfs_dir(void)
{
	static char dir[NSH_PATH_LEN];
	char *slash;

	nsh_copy(dir, sizeof(dir), nsh_fs_dir());
	slash = strrchr(dir, '/');
	while (slash && slash > dir && slash[1] == '\0') {
		*slash = '\0';
		slash = strrchr(dir, '/');
	}
	if (!slash)
		return ".";
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

void nsh_fs_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", nsh_fs_dir(), name);
}

/* <proc>/<pid>/<name>, or <proc>/<name> when @pid is NULL. */
void nsh_proc_path(char *buf, size_t size, const char *pid, const char *name)
{
	if (pid)
		snprintf(buf, size, "%s/%s/%s", nsh_proc_dir(), pid, name);
	else
		snprintf(buf, size, "%s/%s", nsh_proc_dir(), name);
}

bool nsh_fs_active(void)
{
	struct stat st;

	return stat(nsh_fs_dir(), &st) == 0 && S_ISDIR(st.st_mode);
}

/* Tell why nshard's files are missing, and what to do about it. */
void nsh_explain_absent(void)
{
	const char *secfs = nsh_secfs_dir();
	char lsm[NSH_PATH_LEN], list[512];
	struct statfs sfs;
	bool mounted;

	nsh_err("nshard is not active in this kernel (no %s): boot with lsm=...,nshard",
		nsh_fs_dir());
	snprintf(lsm, sizeof(lsm), "%s/lsm", secfs);
	mounted = (statfs(secfs, &sfs) == 0 &&
		   sfs.f_type == NSH_SECURITYFS_MAGIC) ||
		  access(lsm, R_OK) == 0;
	if (!mounted) {
		fprintf(stderr,
			"  securityfs is not mounted on %s; if the kernel has nshard, mount it first:\n"
			"    mount -t securityfs none %s\n",
			secfs, secfs);
		return;
	}
	if (nsh_read_value(lsm, list, sizeof(list)) == 0)
		fprintf(stderr, "  securityfs is mounted on %s; active LSMs: %s\n",
			secfs, list);
	else
		fprintf(stderr, "  securityfs is mounted on %s\n", secfs);
}

void nsh_buf_add(struct nsh_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->size) {
		size_t size = b->size ? b->size : 256;
		char *p;

		while (size < b->len + len + 1)
			size *= 2;
		p = realloc(b->data, size);
		if (!p)
			nsh_die_oom();
		b->data = p;
		b->size = size;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void nsh_buf_addf(struct nsh_buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	nsh_buf_add(b, tmp, n);
}

void nsh_buf_free(struct nsh_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->size = 0;
}

/*
 * Read from @fd until end of file into @b, at most @max bytes more (one
 * byte more than that is read, so that the caller can tell "too large").
 * Return: 0, or a negative errno.
 */
int nsh_read_fd(int fd, struct nsh_buf *b, size_t max)
{
	char chunk[65536];
	size_t got = 0;
	ssize_t n;

	nsh_buf_add(b, "", 0);
	while (got <= max) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		nsh_buf_add(b, chunk, n);
		got += n;
	}
	return 0;
}

int nsh_read_file(const char *path, struct nsh_buf *b, size_t max)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = nsh_read_fd(fd, b, max);
	close(fd);
	return err;
}

/* First line of a small file, without its newline.  0 or -errno. */
int nsh_read_value(const char *path, char *buf, size_t size)
{
	struct nsh_buf b = { 0 };
	int err;

	err = nsh_read_file(path, &b, 65536);
	if (!err) {
		b.data[strcspn(b.data, "\n")] = '\0';
		nsh_copy(buf, size, b.data);
	}
	nsh_buf_free(&b);
	return err;
}

int nsh_read_fs_value(const char *name, char *buf, size_t size)
{
	char path[NSH_PATH_LEN];

	nsh_fs_path(path, sizeof(path), name);
	return nsh_read_value(path, buf, size);
}

/* Parse a whole decimal number.  0, or -EINVAL. */
int nsh_parse_ulong(const char *s, unsigned long *val)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/* Copy a string, truncated to fit and always terminated. */
void nsh_copy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* snprintf(), for messages that may be truncated. */
void nsh_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

char *nsh_strdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		nsh_die_oom();
	return p;
}

/* Print a string from the system, escaping control characters. */
void nsh_put_safe(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

/* Length of the valid UTF-8 sequence at @p, or 0 if it is not one. */
static size_t nsh_utf8_len(const unsigned char *p)
{
	size_t len, i;
	unsigned int cp;

	if (*p < 0x80)
		return 1;
	if ((*p & 0xe0) == 0xc0)
		len = 2;
	else if ((*p & 0xf0) == 0xe0)
		len = 3;
	else if ((*p & 0xf8) == 0xf0)
		len = 4;
	else
		return 0;
	cp = *p & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Print a JSON string: quoted, escaped, invalid UTF-8 replaced. */
void nsh_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	while (*p) {
		len = nsh_utf8_len(p);
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (!len)
			fputs("\\ufffd", f);
		else
			fwrite(p, 1, len, f);
		p += len ? len : 1;
	}
	fputc('"', f);
}
