/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nshard selftests - common helpers
 *
 * The tests run as root and as an unprivileged user.  As root they load the
 * policies they need, switch nshard's mode and drop to NSHARD_TEST_UID in
 * child processes to test both kinds of creator.  As the unprivileged user
 * they test the mode they find, under the policy they need, which they read
 * first (the policy file is world-readable): a test that finds another
 * policy SKIPs, saying which one it needs loaded by root.
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SELFTESTS_NSHARD_COMMON_H
#define _SELFTESTS_NSHARD_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/nshard.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECURITYFS		"/sys/kernel/security"
#define NSHARD_PATH(file)	SECURITYFS "/" NSHARD_FS_DIR "/" file
#define NSHARD_MODE_PATH	NSHARD_PATH(NSHARD_FS_MODE)
#define NSHARD_POLICY_PATH	NSHARD_PATH(NSHARD_FS_POLICY)
#define NSHARD_SEAL_PATH	NSHARD_PATH(NSHARD_FS_SEAL)
#define NSHARD_DIGEST_PATH	NSHARD_PATH(NSHARD_FS_DIGEST)
#define NSHARD_GENERATION_PATH	NSHARD_PATH(NSHARD_FS_GENERATION)
#define NSHARD_COUNTERS_PATH	NSHARD_PATH(NSHARD_FS_COUNTERS)

/* The policy the unprivileged runs are made under (see run-tests.sh). */
#define RESTRICT_USERNS_POLICY	"deny create user restricted\n"

/* The unprivileged user root drops to, and the harness runs tests as. */
#define NSHARD_TEST_UID		1000
#define NSHARD_TEST_GID		1000

/* Exit status of a helper child that failed before the operation tested. */
#define CHILD_SETUP_FAILED	255

enum test_mode {
	MODE_OFF,
	MODE_AUDIT,
	MODE_ENFORCE,
	MODE_COUNT,
};

static const char *const mode_names[MODE_COUNT] = {
	[MODE_OFF] = NSHARD_MODE_OFF_NAME,
	[MODE_AUDIT] = NSHARD_MODE_AUDIT_NAME,
	[MODE_ENFORCE] = NSHARD_MODE_ENFORCE_NAME,
};

/* Is nshard in the list of active LSMs? */
static inline bool nshard_active(void)
{
	char buf[512], *tok, *save;
	ssize_t len;
	int fd;

	fd = open(SECURITYFS "/lsm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, "nshard"))
			return true;
	return false;
}

/* Read the mode file; returns a mode, or -1 if it reads anything else. */
static inline int read_mode(void)
{
	char buf[32];
	ssize_t len;
	int fd, m;

	fd = open(NSHARD_MODE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (m = 0; m < MODE_COUNT; m++) {
		if (len == (ssize_t)strlen(mode_names[m]) + 1 &&
		    !strncmp(buf, mode_names[m], len - 1) && buf[len - 1] == '\n')
			return m;
	}
	return -1;
}

/* Write @len bytes of @buf to an nshard file at offset 0: 0 or -errno. */
static inline int write_file(const char *path, const char *buf, size_t len)
{
	ssize_t ret;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, buf, len);
	if (ret < 0)
		err = -errno;
	else if ((size_t)ret != len)
		err = -EIO;
	close(fd);
	return err;
}

/* Read a whole file into a malloc()ed, NUL-terminated buffer. */
static inline char *read_file(const char *path, size_t *lenp)
{
	size_t len = 0, size = 4096;
	char *buf = malloc(size);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, size - len - 1)) > 0) {
		len += n;
		if (len + 1 == size) {
			char *bigger = realloc(buf, size *= 2);

			if (!bigger) {
				n = -1;
				break;
			}
			buf = bigger;
		}
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static inline int write_policy(const char *text)
{
	return write_file(NSHARD_POLICY_PATH, text, strlen(text));
}

/* The generation number of the active policy, or 0 on error. */
static inline unsigned long long read_generation(void)
{
	char *s = read_file(NSHARD_GENERATION_PATH, NULL);
	unsigned long long g = s ? strtoull(s, NULL, 10) : 0;

	free(s);
	return g;
}

/* Does the active policy read exactly @text? */
static inline bool policy_is(const char *text)
{
	char *s = read_file(NSHARD_POLICY_PATH, NULL);
	bool same = s && !strcmp(s, text);

	free(s);
	return same;
}

/*
 * One counter of the counters file: @op is "create user", @column one of
 * NSHARD_COUNTER_*.  Returns -1 if the line is missing.
 */
static inline long long read_counter(const char *op, int column)
{
	char *s = read_file(NSHARD_COUNTERS_PATH, NULL), *line, *save;
	unsigned long long v[NSHARD_COUNTER_COUNT];
	long long ret = -1;
	size_t oplen = strlen(op);

	for (line = s ? strtok_r(s, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, op, oplen) || line[oplen] != ' ')
			continue;
		if (sscanf(line + oplen, "%llu %llu %llu", &v[0], &v[1],
			   &v[2]) == 3)
			ret = v[column];
		break;
	}
	free(s);
	return ret;
}

static inline int write_mode(int mode)
{
	return write_file(NSHARD_MODE_PATH, mode_names[mode],
			  strlen(mode_names[mode]));
}

/* Does the calling task hold @cap in its effective set? */
static inline bool have_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

/*
 * Privileged as nshard understands it for setns(2): CAP_SYS_ADMIN in the
 * initial user namespace.  The tests start in the initial user namespace.
 */
static inline bool privileged(void)
{
	return have_cap(CAP_SYS_ADMIN);
}

/*
 * Would a user namespace the calling task creates be of privileged origin?
 * Only if its creator has effective uid 0 and CAP_SYS_ADMIN in the initial
 * user namespace (its parent, the initial one, is of privileged origin):
 * root without CAP_SYS_ADMIN, and a user that holds CAP_SYS_ADMIN without
 * being root (an ambient capability, file capabilities), both create
 * namespaces of restricted origin.  See nshard_new_userns_origin().
 */
static inline bool creates_privileged_userns(void)
{
	return geteuid() == 0 && privileged();
}

/* Remove @cap from every capability set of the calling task. */
static inline int drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	data[CAP_TO_INDEX(cap)].permitted &= ~CAP_TO_MASK(cap);
	data[CAP_TO_INDEX(cap)].inheritable &= ~CAP_TO_MASK(cap);
	return syscall(SYS_capset, &hdr, data);
}

/*
 * Become NSHARD_TEST_UID, with no capabilities; needs root.  The task stays
 * dumpable, as one the test user started would be, so that it owns its
 * /proc/self files (uid_map, ...).
 */
static inline int drop_to_test_user(void)
{
	if (setgroups(0, NULL) || setresgid(NSHARD_TEST_GID, NSHARD_TEST_GID,
					    NSHARD_TEST_GID) ||
	    setresuid(NSHARD_TEST_UID, NSHARD_TEST_UID, NSHARD_TEST_UID) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return have_cap(CAP_SYS_ADMIN) ? -1 : 0;
}

/*
 * Wait for @pid; returns its exit status, or CHILD_SETUP_FAILED if it did not
 * exit normally.
 */
static inline int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return CHILD_SETUP_FAILED;
	if (!WIFEXITED(status))
		return CHILD_SETUP_FAILED;
	return WEXITSTATUS(status);
}

enum create_method {
	BY_UNSHARE,
	BY_CLONE,
	BY_CLONE3,
};

static inline int clone_child_fn(void *arg)
{
	return 0;
}

/*
 * Create the namespaces in @flags with @method, in the calling process, and
 * return 0 or the errno of the failed call.  Meant to run in a child.
 */
static inline int create_ns(enum create_method method, unsigned long flags)
{
	static char stack[64 * 1024];
	struct clone_args args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	switch (method) {
	case BY_UNSHARE:
		return unshare(flags) ? errno : 0;
	case BY_CLONE:
		/* The stack grows down from a 16-byte aligned top. */
		pid = clone(clone_child_fn,
			    (void *)(((unsigned long)stack + sizeof(stack)) &
				     ~15UL),
			    flags | SIGCHLD, NULL);
		break;
	case BY_CLONE3:
		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0)
			_exit(0);
		break;
	default:
		return CHILD_SETUP_FAILED;
	}
	if (pid < 0)
		return errno;
	return wait_child(pid) ? CHILD_SETUP_FAILED : 0;
}

/*
 * Create the namespaces in @flags in a child that shares our memory and
 * exits at once: much cheaper than fork(), for tests and benchmarks that
 * create many.  Returns 0, the errno of clone(2), or CHILD_SETUP_FAILED if
 * the child did not exit with 0.
 */
static inline int vfork_create(unsigned long flags)
{
	static char stack[16 * 1024];
	pid_t pid;

	pid = clone(clone_child_fn,
		    (void *)(((unsigned long)stack + sizeof(stack)) & ~15UL),
		    CLONE_VM | CLONE_VFORK | flags | SIGCHLD, NULL);
	if (pid < 0)
		return errno;
	return wait_child(pid) ? CHILD_SETUP_FAILED : 0;
}

/*
 * In a child process, optionally drop to the test user (or only lose
 * CAP_SYS_ADMIN), then create the namespaces in @flags.  Returns 0 or the
 * errno of the creation, CHILD_SETUP_FAILED if the child could not be set up.
 */
enum creator {
	AS_SELF,
	AS_TEST_USER,
	AS_ROOT_WITHOUT_SYS_ADMIN,
};

static inline int try_create(enum create_method method, unsigned long flags,
			     enum creator creator)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (creator == AS_TEST_USER && drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		if (creator == AS_ROOT_WITHOUT_SYS_ADMIN &&
		    drop_cap(CAP_SYS_ADMIN))
			_exit(CHILD_SETUP_FAILED);
		_exit(create_ns(method, flags));
	}
	return wait_child(pid);
}

/*
 * Enter a new user namespace and map the caller's uid and gid to root in it,
 * so that it may in turn create nested namespaces (the kernel requires the
 * creator's ids to be mapped).  Returns 0 or an errno.
 */
static inline int enter_userns_as_root(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int len;

	if (unshare(CLONE_NEWUSER))
		return errno;
	if (write_file("/proc/self/setgroups", "deny", 4))
		return CHILD_SETUP_FAILED;
	len = snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/uid_map", map, len))
		return CHILD_SETUP_FAILED;
	len = snprintf(map, sizeof(map), "0 %u 1", gid);
	if (write_file("/proc/self/gid_map", map, len))
		return CHILD_SETUP_FAILED;
	return 0;
}

/*
 * In a child process, enter @levels nested user namespaces (mapped, so that
 * only an LSM can refuse one).  Returns 0, or the errno of the first refused
 * level, CHILD_SETUP_FAILED if the child could not be set up.
 */
static inline int nest_userns(int levels)
{
	pid_t pid = fork();
	int i, err = 0;

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		for (i = 0; i < levels && !err; i++)
			err = enter_userns_as_root();
		_exit(err);
	}
	return wait_child(pid);
}

/*
 * Have the test user write @buf to @fd, a descriptor the caller (root)
 * opened.  Returns 0 or the errno of the write.
 */
static inline int write_fd_as_test_user(int fd, const char *buf)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		_exit(write(fd, buf, strlen(buf)) < 0 ? errno : 0);
	}
	return wait_child(pid);
}

/* Every namespace type but user, as CLONE_NEW* flags. */
#define ALL_NS_BUT_USER	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
			 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | \
			 CLONE_NEWTIME)

/* The policy-language name of a namespace type, from its CLONE_NEW* flag. */
static inline const char *ns_type_name(unsigned long flag)
{
	switch (flag) {
	case CLONE_NEWUSER: return "user";
	case CLONE_NEWNS: return "mnt";
	case CLONE_NEWNET: return "net";
	case CLONE_NEWPID: return "pid";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWCGROUP: return "cgroup";
	case CLONE_NEWTIME: return "time";
	default: return "?";
	}
}

/* Its name under /proc/PID/ns/: what setns(2) is given. */
static inline const char *ns_proc_name(unsigned long flag)
{
	switch (flag) {
	case CLONE_NEWNS: return "mnt";
	case CLONE_NEWPID: return "pid_for_children";
	case CLONE_NEWTIME: return "time_for_children";
	default: return ns_type_name(flag);
	}
}

/*
 * Bring the loopback interface up in the current network namespace: needs
 * CAP_NET_ADMIN over it.  Returns 0 or the errno.
 */
static inline int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		err = errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			err = errno;
	}
	close(fd);
	return err;
}

/*
 * A process that holds namespaces for others to enter: it (optionally drops
 * to the test user,) enters a new mapped user namespace if CLONE_NEWUSER is
 * in @flags, unshares the other types, forks a child that lives in all of
 * them (the pid and time namespaces included, which only the holder's
 * children enter) and ends with it, and waits to be killed.  Returns its
 * pid, or -1; if @inner is not NULL, stores the child's pid there.
 */
static inline pid_t spawn_holder_inner(unsigned long flags, bool as_test_user,
				       pid_t *inner)
{
	struct {
		int err;
		pid_t inner;
	} msg = { 0, 0 };
	int ready[2], life[2];
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int err;

		close(ready[0]);
		err = as_test_user && drop_to_test_user() ? CHILD_SETUP_FAILED :
		      0;
		if (!err && (flags & CLONE_NEWUSER))
			err = enter_userns_as_root();
		if (!err && unshare(flags & ALL_NS_BUT_USER))
			err = errno;
		/* The child waits for the end of a pipe only the holder keeps. */
		if (!err && pipe2(life, O_CLOEXEC))
			err = errno;
		if (!err) {
			msg.inner = fork();
			if (msg.inner == 0) {
				char c;

				close(life[1]);
				_exit(read(life[0], &c, 1));
			}
			if (msg.inner < 0)
				err = errno;
			close(life[0]);
		}
		msg.err = err;
		if (write(ready[1], &msg, sizeof(msg)) != sizeof(msg) || err)
			_exit(err ?: CHILD_SETUP_FAILED);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &msg, sizeof(msg)) != sizeof(msg) || msg.err) {
		close(ready[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	if (inner)
		*inner = msg.inner;
	return pid;
}

static inline pid_t spawn_holder(unsigned long flags, bool as_test_user)
{
	return spawn_holder_inner(flags, as_test_user, NULL);
}

static inline void kill_holder(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* Open /proc/@pid/ns/ of the namespace of type @flag. */
static inline int open_ns(pid_t pid, unsigned long flag)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid,
		 ns_proc_name(flag));
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * In a child, optionally as the test user, enter the user namespace @userfd
 * (if not -1), then setns(2) to @fd: 0 or the errno of the second setns.
 */
static inline int try_setns_in(int userfd, int fd, int nstype,
			       bool as_test_user)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (as_test_user && drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		if (userfd >= 0 && setns(userfd, CLONE_NEWUSER))
			_exit(CHILD_SETUP_FAILED);
		_exit(setns(fd, nstype) ? errno : 0);
	}
	return wait_child(pid);
}

/* setns(2) to @fd in a child, optionally as the test user: 0 or errno. */
static inline int try_setns(int fd, int nstype, bool as_test_user)
{
	return try_setns_in(-1, fd, nstype, as_test_user);
}

/*
 * What nshard must answer, under RESTRICT_USERNS_POLICY, to a user namespace
 * creation by a creator whose namespaces are of privileged origin if
 * @is_privileged (see creates_privileged_userns()).
 */
static inline int expected_userns_errno(int mode, bool is_privileged)
{
	return (mode == MODE_ENFORCE && !is_privileged) ? EPERM : 0;
}

/*
 * Run @argv as root or, with @as_test_user, as NSHARD_TEST_UID, its standard
 * output and error into @out (NUL-terminated, truncated to @size - 1);
 * returns its exit status, or -1 if it did not exit.
 */
static inline int run_output(bool as_test_user, char *const argv[],
			     char *out, size_t size)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], 1) != 1 || dup2(fds[1], 2) != 2 ||
		    (as_test_user && drop_to_test_user()))
			_exit(CHILD_SETUP_FAILED);
		execv(argv[0], argv);
		_exit(CHILD_SETUP_FAILED);
	}
	close(fds[1]);
	while (len < size - 1 &&
	       (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* _SELFTESTS_NSHARD_COMMON_H */
