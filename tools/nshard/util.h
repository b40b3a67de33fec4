/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard - administration tool for the nshard LSM: shared helpers
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef NSHARD_TOOL_UTIL_H
#define NSHARD_TOOL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/compiler.h>	/* tools/include: __printf, __noreturn */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Exit statuses, the same for every command. */
#define NSH_EXIT_OK	0	/* done */
#define NSH_EXIT_FAIL	1	/* invalid policy, or score over threshold */
#define NSH_EXIT_ENV	2	/* usage error, or nothing to work with */

#define NSH_FS_DEFAULT		"/sys/kernel/security/nshard"
#define NSH_PROC_DEFAULT	"/proc"

/* "statfs(2)" magic of securityfs, as in include/uapi/linux/magic.h. */
#define NSH_SECURITYFS_MAGIC	0x73636673

#define NSH_PATH_LEN	4096

/* A growing, NUL-terminated byte buffer. */
struct nsh_buf {
	char *data;
	size_t len;
	size_t size;
};

extern const char *nsh_prog;

__printf(1, 2) void nsh_err(const char *fmt, ...);
__noreturn void nsh_die_oom(void);

const char *nsh_fs_dir(void);
const char *nsh_proc_dir(void);
const char *nsh_secfs_dir(void);
void nsh_fs_path(char *buf, size_t size, const char *name);
void nsh_proc_path(char *buf, size_t size, const char *pid,
		   const char *name);

bool nsh_fs_active(void);
void nsh_explain_absent(void);

void nsh_buf_add(struct nsh_buf *b, const void *data, size_t len);
__printf(2, 3) void nsh_buf_addf(struct nsh_buf *b, const char *fmt, ...);
void nsh_buf_free(struct nsh_buf *b);

int nsh_read_fd(int fd, struct nsh_buf *b, size_t max);
int nsh_read_file(const char *path, struct nsh_buf *b, size_t max);
int nsh_read_value(const char *path, char *buf, size_t size);
int nsh_read_fs_value(const char *name, char *buf, size_t size);
int nsh_parse_ulong(const char *s, unsigned long *val);

void nsh_copy(char *dst, size_t size, const char *src);
__printf(3, 4) void nsh_fmt(char *buf, size_t size, const char *fmt, ...);
char *nsh_strdup(const char *s);
void nsh_put_safe(FILE *f, const char *s);
void nsh_json_str(FILE *f, const char *s);

#endif /* NSHARD_TOOL_UTIL_H */
