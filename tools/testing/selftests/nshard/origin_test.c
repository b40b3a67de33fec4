// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - the origin of a user namespace, and whom uid= and gid=
 * rules see inside one
 *
 * Origin: a user namespace is of privileged origin only if its creator
 * holds CAP_SYS_ADMIN in the initial user namespace, its effective uid is 0
 * and its parent is of privileged origin.  commoncap gives every task of
 * the owner's uid in the parent namespace every capability in a user
 * namespace, and the right to setns(2) into it: one created by a helper
 * that runs as uid 1000 with CAP_SYS_ADMIN (setpriv --ambient-caps, a
 * service with User= and AmbientCapabilities=) is uid 1000's, and
 * restricted.
 *
 * Identity: inside any user namespace but the initial one, uid= and gid=
 * rules see the effective uid, gid and supplementary groups of the task that
 * created the outermost user namespace, recorded then: a uid taken inside
 * (from a subordinate range, by newuidmap(1)) or groups dropped inside
 * (setgroups(2) once newgidmap(1) allowed it) do not escape a rule.
 *
 * Each test says in its header the old behaviour it catches, or that it is
 * a control.  Assertions marked "OLD:" fail on a kernel that made any
 * creator holding CAP_SYS_ADMIN in the initial user namespace a privileged
 * one, whatever its euid (origin), or that matched uid= and gid= rules
 * against the task's current ids (identity); the mark says what that kernel
 * answers.  The other assertions are controls that pass on both kernels.
 *
 * The tests load policies: as the unprivileged user they are skipped.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <linux/nsfs.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "common.h"

#define SETPRIV		"/usr/bin/setpriv"
#define UNSHARE		"/usr/bin/unshare"
#define NEWUIDMAP	"/usr/bin/newuidmap"
#define NEWGIDMAP	"/usr/bin/newgidmap"

/* The subordinate ids /etc/subuid and /etc/subgid give the test user. */
#define SUBID_NAME	"user"
#define SUBID_FIRST	100000
#define SUBID_COUNT	65536
/* uid 0 is the test user itself, uids 1.. its subordinate uids. */
#define SUBID_MAP	"0 1000 1\n1 100000 65536\n"
#define OWN_MAP		"0 1000 1\n"

/* A supplementary group of the test user, and a user without rules. */
#define TEST_GROUP	2000
#define OTHER_UID	1001

#define NO_NS_INO	((ino_t)0)

/* Report why a helper child gives up, as a TAP comment, and exit. */
static void child_fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "# pid %d: %s (errno %d: %s)\n", getpid(), what, err,
		strerror(err));
	_exit(CHILD_SETUP_FAILED);
}

/* ------------------------------------------------------------ turns -- */

/* Two pipes, for a parent and a child to take turns. */
struct turns {
	int to_child[2];
	int to_parent[2];
};

static int turns_init(struct turns *t)
{
	return pipe2(t->to_child, O_CLOEXEC) || pipe2(t->to_parent, O_CLOEXEC);
}

/*
 * After fork(): each side keeps the ends it uses, so that either sees EOF,
 * not a hang, if the other dies.
 */
static void turns_side(struct turns *t, bool child)
{
	close(child ? t->to_child[1] : t->to_child[0]);
	close(child ? t->to_parent[0] : t->to_parent[1]);
	if (child) {
		t->to_child[1] = -1;
		t->to_parent[0] = -1;
	} else {
		t->to_child[0] = -1;
		t->to_parent[1] = -1;
	}
}

static int turn_give(int fds[2])
{
	char c = 0;

	return write(fds[1], &c, 1) == 1 ? 0 : -1;
}

static int turn_wait(int fds[2])
{
	char c;

	return read(fds[0], &c, 1) == 1 ? 0 : -1;
}

static void turns_close(struct turns *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (t->to_child[i] >= 0)
			close(t->to_child[i]);
		if (t->to_parent[i] >= 0)
			close(t->to_parent[i]);
	}
}

/* ----------------------------------------------------- capabilities -- */

/* Set the effective, permitted and inheritable sets. */
static int set_caps(__u64 eff, __u64 prm, __u64 inh)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	int i;

	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		data[i].effective = eff >> (32 * i);
		data[i].permitted = prm >> (32 * i);
		data[i].inheritable = inh >> (32 * i);
	}
	return syscall(SYS_capset, &hdr, data);
}

/* Make the effective set the permitted set. */
static int raise_effective(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	int i;

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	for (i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		data[i].effective = data[i].permitted;
	return syscall(SYS_capset, &hdr, data);
}

/* ------------------------------------------------------- creators -- */

enum who {
	ROOT,			/* uid 0, every capability: privileged */
	TEST_USER,		/* drop_to_test_user(): no groups */
	TEST_USER_IN_GROUP,	/* the test user with TEST_GROUP */
	OTHER_USER,		/* OTHER_UID, no groups */
	/* The test user keeping CAP_SYS_ADMIN, as setpriv --ambient-caps. */
	TEST_USER_WITH_SYS_ADMIN,
};

static const char *const who_names[] = {
	[ROOT] = "root",
	[TEST_USER] = "uid 1000",
	[TEST_USER_IN_GROUP] = "uid 1000 in group 2000",
	[OTHER_USER] = "uid 1001",
	[TEST_USER_WITH_SYS_ADMIN] = "uid 1000 with ambient CAP_SYS_ADMIN",
};

/* Become @uid with primary group @uid and the supplementary group @group. */
static int become_user(uid_t uid, gid_t group)
{
	if (setgroups(group ? 1 : 0, &group) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid) || prctl(PR_SET_DUMPABLE, 1))
		return -1;
	return have_cap(CAP_SYS_ADMIN) ? -1 : 0;
}

/*
 * What systemd does for User=1000 and AmbientCapabilities=CAP_SYS_ADMIN,
 * and setpriv --reuid=1000 --regid=1000 --clear-groups
 * --inh-caps=+sys_admin --ambient-caps=+sys_admin: keep the permitted set
 * across the change of uid, then CAP_SYS_ADMIN alone, in every set the
 * process has, the ambient one included.  Checks the result.
 */
static int become_test_user_with_sys_admin(void)
{
	const __u64 admin = 1ULL << CAP_SYS_ADMIN;

	if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) ||
	    setresgid(NSHARD_TEST_GID, NSHARD_TEST_GID, NSHARD_TEST_GID) ||
	    setresuid(NSHARD_TEST_UID, NSHARD_TEST_UID, NSHARD_TEST_UID) ||
	    prctl(PR_SET_KEEPCAPS, 0) || set_caps(admin, admin, admin) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return -1;
	if (getuid() != NSHARD_TEST_UID || geteuid() != NSHARD_TEST_UID ||
	    getegid() != NSHARD_TEST_GID || !have_cap(CAP_SYS_ADMIN) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_SYS_ADMIN, 0,
		  0) != 1) {
		errno = 0;
		return -1;
	}
	return 0;
}

static int become(enum who who)
{
	gid_t groups[2];

	switch (who) {
	case ROOT:
		return 0;
	case TEST_USER:
		return drop_to_test_user();
	case TEST_USER_IN_GROUP:
		/* Not drop_to_test_user(): it clears the groups. */
		if (become_user(NSHARD_TEST_UID, TEST_GROUP))
			return -1;
		if (getgroups(2, groups) != 1 || groups[0] != TEST_GROUP) {
			errno = 0;
			return -1;
		}
		return 0;
	case OTHER_USER:
		return become_user(OTHER_UID, 0);
	case TEST_USER_WITH_SYS_ADMIN:
		return become_test_user_with_sys_admin();
	}
	return -1;
}

/* -------------------------------------------------------- helpers -- */

/* Inode number of a namespace file, or NO_NS_INO. */
static ino_t ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? NO_NS_INO : st.st_ino;
}

static ino_t userns_ino_of(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	return ns_ino(path);
}

/* Owner of the user namespace of @pid, as NS_GET_OWNER_UID says, or -1. */
static long userns_owner_of(pid_t pid)
{
	uid_t uid;
	int fd = open_ns(pid, CLONE_NEWUSER);
	long ret = -1;

	if (fd < 0)
		return -1;
	if (!ioctl(fd, NS_GET_OWNER_UID, &uid))
		ret = uid;
	close(fd);
	return ret;
}

/*
 * Run @argv, as the test user if @drop, its output collected in @out.
 * Returns its exit status, 128 + signal if killed, or -1.
 */
static int run(char *const argv[], bool drop, char *out, size_t outlen)
{
	size_t used = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		if (drop && drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		execv(argv[0], argv);
		_exit(CHILD_SETUP_FAILED);
	}
	close(fds[1]);
	while (used + 1 < outlen &&
	       (n = read(fds[0], out + used, outlen - used - 1)) > 0)
		used += n;
	out[used] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The first of @paths that is executable, or NULL. */
static const char *first_executable(const char *const paths[])
{
	for (; *paths; paths++)
		if (!access(*paths, X_OK))
			return *paths;
	return NULL;
}

static const char *const sleep_paths[] = {
	"/bin/sleep", "/usr/bin/sleep", NULL,
};

static const char *const cat_paths[] = {
	"/bin/cat", "/usr/bin/cat", NULL,
};

/* The hexadecimal value of the "@field:" line of /proc/PID/status text. */
static unsigned long long status_hex(const char *status, const char *field)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), "\n%s:", field);
	p = strstr(status, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

/* ---------------------------------------------------------- holders -- */

/*
 * A process that, as @who, creates a user namespace (unmapped) and waits in
 * it to be killed.  Returns its pid, or -1.
 */
static pid_t spawn_userns_holder(enum who who)
{
	int ready[2], err = 0;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(ready[0]);
		if (become(who))
			err = errno ?: CHILD_SETUP_FAILED;
		else if (unshare(CLONE_NEWUSER))
			err = errno;
		if (write(ready[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(CHILD_SETUP_FAILED);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &err, sizeof(err)) != sizeof(err) || err) {
		fprintf(stderr, "# holder as %s: %s\n", who_names[who],
			strerror(err));
		close(ready[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	return pid;
}

/*
 * Start @argv, a command that ends up waiting in a new user namespace, and
 * wait (10 s at most) until the process is in a user namespace other than
 * ours.  Its output goes to @out if it fails.  Returns its pid, or -1.
 */
static pid_t spawn_exec_holder(char *const argv[], char *out, size_t outlen)
{
	ino_t ours = userns_ino_of(getpid());
	int fds[2], i, status;
	ssize_t n = 0;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(CHILD_SETUP_FAILED);
	}
	close(fds[1]);
	for (i = 0; i < 1000; i++) {
		ino_t ino = userns_ino_of(pid);

		if (ino != NO_NS_INO && ino != ours) {
			close(fds[0]);
			return pid;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			n = read(fds[0], out, outlen - 1);
			out[n > 0 ? n : 0] = '\0';
			close(fds[0]);
			return -1;
		}
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(fds[0]);
	snprintf(out, outlen, "no new user namespace after 10 s");
	return -1;
}

/*
 * In a child, as @who: open /proc/@holder/ns/user, setns(2) into it (as
 * the owner of the namespace, or as root, commoncap allows it), check that
 * this gave CAP_SYS_ADMIN there, and create a network namespace.  Returns
 * 0 or the errno of unshare(2); the child's pid goes to @child.
 */
static int enter_and_create_net(pid_t holder, enum who who, pid_t *child)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (become(who))
			child_fail("become the entering user");
		fd = open_ns(holder, CLONE_NEWUSER);
		if (fd < 0)
			child_fail("open /proc/PID/ns/user");
		if (setns(fd, CLONE_NEWUSER))
			child_fail("setns(CLONE_NEWUSER)");
		if (!have_cap(CAP_SYS_ADMIN)) {
			errno = 0;
			child_fail("no CAP_SYS_ADMIN after setns");
		}
		_exit(unshare(CLONE_NEWNET) ? errno : 0);
	}
	if (child)
		*child = pid;
	return wait_child(pid);
}

/* ------------------------------------------------------- kernel log -- */

/* Open /dev/kmsg at its end, or -1. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * The line nshard logged for refusing "create net" to @pid, read from
 * @fd, as a malloc()ed string; NULL if the log has none.
 */
static char *kmsg_refusal(int fd, pid_t pid)
{
	size_t len = 0, size = 1 << 16;
	char *buf = malloc(size), *line = NULL, *p, *end;
	char key[64];
	ssize_t n;

	if (!buf)
		return NULL;
	/* One record per read; EPIPE if one was overwritten; EAGAIN: end. */
	while (len + 1024 < size) {
		n = read(fd, buf + len, size - len - 1);
		if (n > 0)
			len += n;
		else if (n < 0 && errno == EPIPE)
			continue;
		else
			break;
	}
	buf[len] = '\0';
	snprintf(key, sizeof(key), "nshard: denied create net: pid=%d ", pid);
	p = strstr(buf, key);
	if (p) {
		end = strchr(p, '\n');
		line = strndup(p, end ? (size_t)(end - p) : strlen(p));
	}
	free(buf);
	return line;
}

/* --------------------------------------------------------- fixtures -- */

/* Holder processes, killed at teardown whatever happens. */
struct holders {
	pid_t pid[4];
	int nr;
};

static void keep_holder(struct holders *h, pid_t pid)
{
	if (pid > 0 && h->nr < (int)ARRAY_SIZE(h->pid))
		h->pid[h->nr++] = pid;
}

FIXTURE(origin) {
	int saved_mode;
	char *saved_policy;
	struct holders held;
	char out[4096];
};

FIXTURE_SETUP(origin)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	self->held.nr = 0;
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(origin)
{
	int i;

	for (i = 0; i < self->held.nr; i++)
		kill_holder(self->held.pid[i]);
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

/*
 * The checks common to both routes to a namespace created by uid 1000 with
 * CAP_SYS_ADMIN (@restricted) and to root's (@privileged):
 *
 * - the test user, with no capability, enters the restricted one (commoncap
 *   lets the owner's uid in) and creates a network namespace there: refused
 *   under "deny create net restricted", allowed under "... privileged";
 * - so does root entering it: origin belongs to the namespace;
 * - root's is of privileged origin, the other way round.
 *
 * The refusal's line in the kernel log names the namespace and says
 * origin=restricted.
 */
static void check_origins(struct __test_metadata *_metadata,
			  pid_t restricted, pid_t privileged)
{
	char *line, want[64];
	int kmsg, rootfd;
	pid_t child;

	ASSERT_EQ(NSHARD_TEST_UID, userns_owner_of(restricted));
	ASSERT_EQ(0, userns_owner_of(privileged));
	rootfd = open_ns(privileged, CLONE_NEWUSER);
	ASSERT_LE(0, rootfd);

	ASSERT_EQ(0, write_policy("deny create net restricted\n"));
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg);
	/* Log lines are rate-limited per user: start a new 5 s window. */
	sleep(6);
	/* OLD: 0, the namespace was of privileged origin. */
	EXPECT_EQ(EPERM, enter_and_create_net(restricted, TEST_USER, &child));
	usleep(100000);
	line = kmsg_refusal(kmsg, child);
	close(kmsg);
	/* OLD: no line, as there was no refusal. */
	EXPECT_NE(NULL, line) {
		TH_LOG("no \"denied create net\" line for pid %d", child);
	}
	if (line) {
		snprintf(want, sizeof(want), " userns=%lu origin=restricted: ",
			 (unsigned long)userns_ino_of(restricted));
		EXPECT_NE(NULL, strstr(line, " uid=1000 ")) {
			TH_LOG("%s", line);
		}
		EXPECT_NE(NULL, strstr(line, want)) {
			TH_LOG("%s: no \"%s\"", line, want);
		}
		free(line);
	}
	/* OLD: 0. */
	EXPECT_EQ(EPERM, enter_and_create_net(restricted, ROOT, NULL));
	EXPECT_EQ(0, enter_and_create_net(privileged, ROOT, NULL));
	/* commoncap: the test user may not enter root's namespace at all. */
	EXPECT_EQ(EPERM, try_setns(rootfd, CLONE_NEWUSER, true));
	close(rootfd);

	ASSERT_EQ(0, write_policy("deny create net privileged\n"));
	/* OLD: EPERM. */
	EXPECT_EQ(0, enter_and_create_net(restricted, TEST_USER, NULL));
	/* OLD: EPERM. */
	EXPECT_EQ(0, enter_and_create_net(restricted, ROOT, NULL));
	EXPECT_EQ(EPERM, enter_and_create_net(privileged, ROOT, NULL));
}

/*
 * Catches: a creator with CAP_SYS_ADMIN in the initial user namespace and
 * euid 1000 (a service with User= and AmbientCapabilities=CAP_SYS_ADMIN)
 * made a namespace of privileged origin, which every process of uid 1000
 * may enter with every capability: the old kernel let a plain uid 1000
 * process setns(2) into it and create a network namespace under "deny
 * create net restricted".  Here the creator is this program, set up with
 * capset(2) and PR_CAP_AMBIENT as systemd does, and checked.
 */
TEST_F(origin, ambient_sys_admin_creator)
{
	pid_t restricted, privileged;

	ASSERT_EQ(0, write_policy(""));
	restricted = spawn_userns_holder(TEST_USER_WITH_SYS_ADMIN);
	keep_holder(&self->held, restricted);
	ASSERT_LT(0, restricted);
	privileged = spawn_userns_holder(ROOT);
	keep_holder(&self->held, privileged);
	ASSERT_LT(0, privileged);
	check_origins(_metadata, restricted, privileged);
}

/*
 * Catches the same as ambient_sys_admin_creator, by the route the report
 * names: the real setpriv(1) and unshare(1),
 *   setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=+sys_admin
 *           --ambient-caps=+sys_admin unshare -U sleep 1000
 * against root's "unshare -U sleep 1000".  First checks that this setpriv
 * does give uid 1000 CAP_SYS_ADMIN, so that the test cannot pass on an
 * unprivileged creator.
 */
TEST_F(origin, setpriv_ambient_sys_admin_creator)
{
	const char *sleep_bin = first_executable(sleep_paths);
	const char *cat_bin = first_executable(cat_paths);
	char *const check[] = {
		SETPRIV, "--reuid=1000", "--regid=1000", "--clear-groups",
		"--inh-caps=+sys_admin", "--ambient-caps=+sys_admin",
		(char *)cat_bin, "/proc/self/status", NULL,
	};
	char *const user_holder[] = {
		SETPRIV, "--reuid=1000", "--regid=1000", "--clear-groups",
		"--inh-caps=+sys_admin", "--ambient-caps=+sys_admin",
		UNSHARE, "-U", (char *)sleep_bin, "1000", NULL,
	};
	char *const root_holder[] = {
		UNSHARE, "-U", (char *)sleep_bin, "1000", NULL,
	};
	const unsigned long long admin = 1ULL << CAP_SYS_ADMIN;
	pid_t restricted, privileged;

	if (access(SETPRIV, X_OK) || access(UNSHARE, X_OK))
		SKIP(return, "needs " SETPRIV " and " UNSHARE);
	if (!sleep_bin || !cat_bin)
		SKIP(return, "needs sleep and cat in /bin or /usr/bin");
	ASSERT_EQ(0, write_policy(""));

	ASSERT_EQ(0, run(check, false, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	ASSERT_NE(NULL, strstr(self->out, "\nUid:\t1000\t1000\t1000\t1000\n")) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(admin, status_hex(self->out, "CapEff") & admin) {
		TH_LOG("setpriv gave no CAP_SYS_ADMIN: %s", self->out);
	}
	ASSERT_EQ(admin, status_hex(self->out, "CapAmb") & admin);

	restricted = spawn_exec_holder(user_holder, self->out,
				       sizeof(self->out));
	keep_holder(&self->held, restricted);
	ASSERT_LT(0, restricted) {
		TH_LOG("setpriv ... unshare -U: %s", self->out);
	}
	privileged = spawn_exec_holder(root_holder, self->out,
				       sizeof(self->out));
	keep_holder(&self->held, privileged);
	ASSERT_LT(0, privileged) {
		TH_LOG("unshare -U: %s", self->out);
	}
	check_origins(_metadata, restricted, privileged);
}

/* ---------------------------------------- namespaces with id maps -- */

enum mapper {
	ROOT_WRITES_MAPS,	/* root writes uid_map and gid_map */
	NEWIDMAP_WRITES_MAPS,	/* the test user runs newuidmap, newgidmap */
};

/* Run @tool (newuidmap or newgidmap) as the test user on @pid, @map. */
static int run_newidmap(const char *tool, pid_t pid, const char *map)
{
	char pidstr[16], words[128], *argv[16], out[1024], *save, *w;
	int argc = 0, ret;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	snprintf(words, sizeof(words), "%s", map);
	argv[argc++] = (char *)tool;
	argv[argc++] = pidstr;
	for (w = strtok_r(words, "\n ", &save); w && argc < 15;
	     w = strtok_r(NULL, "\n ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	ret = run(argv, true, out, sizeof(out));
	if (ret) {
		/* One TAP comment line. */
		for (w = out; *w; w++)
			if (*w == '\n')
				*w = ' ';
		fprintf(stderr, "# %s %d: exit %d: %s\n", tool, pid, ret, out);
	}
	return ret;
}

/* Give the user namespace of @pid its maps; 0 or -1. */
static int write_maps(pid_t pid, enum mapper mapper, const char *uid_map,
		      const char *gid_map)
{
	char path[64], *s;
	bool allow;

	if (mapper == NEWIDMAP_WRITES_MAPS)
		return run_newidmap(NEWUIDMAP, pid, uid_map) ||
		       run_newidmap(NEWGIDMAP, pid, gid_map) ? -1 : 0;
	/* Left at "allow": setgroups(2) works inside once gid_map is set. */
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	s = read_file(path, NULL);
	allow = s && !strcmp(s, "allow\n");
	free(s);
	if (!allow) {
		fprintf(stderr, "# %s does not read \"allow\"\n", path);
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (write_file(path, uid_map, strlen(uid_map)))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	return write_file(path, gid_map, strlen(gid_map)) ? -1 : 0;
}

/*
 * In a child, as @creator: create a user namespace, have @mapper give it
 * @uid_map and @gid_map, and run @inside in it.  Returns what @inside
 * returns (0 or an errno), CHILD_SETUP_FAILED if anything before failed.
 */
static int in_new_userns(enum who creator, enum mapper mapper,
			 const char *uid_map, const char *gid_map,
			 int (*inside)(void))
{
	struct turns t;
	pid_t pid;
	int ret;

	if (turns_init(&t))
		return CHILD_SETUP_FAILED;
	pid = fork();
	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		turns_side(&t, true);
		if (become(creator))
			child_fail(who_names[creator]);
		if (unshare(CLONE_NEWUSER))
			child_fail("unshare(CLONE_NEWUSER)");
		if (turn_give(t.to_parent) || turn_wait(t.to_child))
			child_fail("waiting for the maps");
		_exit(inside());
	}
	turns_side(&t, false);
	if (turn_wait(t.to_parent) ||
	    write_maps(pid, mapper, uid_map, gid_map)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		turns_close(&t);
		return CHILD_SETUP_FAILED;
	}
	ret = turn_give(t.to_child) ? CHILD_SETUP_FAILED : wait_child(pid);
	turns_close(&t);
	return ret;
}

/* Create a network namespace, holding CAP_SYS_ADMIN: 0 or the errno. */
static int create_net(void)
{
	if (!have_cap(CAP_SYS_ADMIN)) {
		errno = 0;
		child_fail("no CAP_SYS_ADMIN in the user namespace");
	}
	return unshare(CLONE_NEWNET) ? errno : 0;
}

/* Inside: as uid 0 there, whom the creator is mapped to. */
static int inside_create_net(void)
{
	return create_net();
}

/*
 * Inside: become uid 1 and gid 1 there, the first subordinate ids (kuid
 * 100000), keeping the capabilities, then create a network namespace.
 */
static int inside_subuid_create_net(void)
{
	if (setresgid(1, 1, 1) || prctl(PR_SET_KEEPCAPS, 1) ||
	    setresuid(1, 1, 1) || prctl(PR_SET_KEEPCAPS, 0) ||
	    raise_effective())
		child_fail("become uid 1 with capabilities");
	if (geteuid() != 1 || getegid() != 1) {
		errno = 0;
		child_fail("not uid 1");
	}
	return create_net();
}

/*
 * Inside: become uid 1 and gid 1 there, the capabilities lost with it, and
 * get them back in a nested user namespace: the one a rootless container
 * runtime would make.
 */
static int inside_subuid_nested_net(void)
{
	if (setresgid(1, 1, 1) || setresuid(1, 1, 1))
		child_fail("become uid 1");
	if (geteuid() != 1 || getegid() != 1 || have_cap(CAP_SYS_ADMIN)) {
		errno = 0;
		child_fail("not uid 1 without capabilities");
	}
	return unshare(CLONE_NEWUSER | CLONE_NEWNET) ? errno : 0;
}

/* Drop every supplementary group inside; checks they were there before. */
static void drop_groups_inside(void)
{
	if (getgroups(0, NULL) != 1) {
		errno = 0;
		child_fail("the creator's group is not there");
	}
	if (setgroups(0, NULL))
		child_fail("setgroups(0, NULL)");
	if (getgroups(0, NULL) != 0) {
		errno = 0;
		child_fail("groups left after setgroups(0, NULL)");
	}
}

static int inside_drop_groups_create_net(void)
{
	drop_groups_inside();
	return create_net();
}

static int inside_drop_groups_nested_net(void)
{
	drop_groups_inside();
	return unshare(CLONE_NEWUSER | CLONE_NEWNET) ? errno : 0;
}

/*
 * Inside a namespace root created, mapped "0 1000 1": become uid 0 there,
 * kuid 1000, with the capabilities of the creator, and create a network
 * namespace.
 */
static int inside_become_root_create_net(void)
{
	if (setgroups(0, NULL) || setresgid(0, 0, 0) || setresuid(0, 0, 0))
		child_fail("become uid 0 (kuid 1000)");
	if (geteuid() != 0 || getegid() != 0) {
		errno = 0;
		child_fail("not uid 0");
	}
	return create_net();
}

/*
 * Control (passes on both kernels): the namespace root (euid 0, with
 * CAP_SYS_ADMIN) creates is of privileged origin, even once the task in it
 * is kuid 1000, mapped there as uid 0 by root from outside.  A kernel that
 * took a task's euid other than 0 for restricted origin, whoever created its
 * namespace, fails both assertions.
 */
TEST_F(origin, root_creator_namespace_run_as_test_user)
{
	ASSERT_EQ(0, write_policy("deny create net restricted\n"));
	EXPECT_EQ(0, in_new_userns(ROOT, ROOT_WRITES_MAPS, OWN_MAP, OWN_MAP,
				   inside_become_root_create_net));
	ASSERT_EQ(0, write_policy("deny create net privileged\n"));
	EXPECT_EQ(EPERM, in_new_userns(ROOT, ROOT_WRITES_MAPS, OWN_MAP, OWN_MAP,
				       inside_become_root_create_net));
	/* And the test user's own namespace is restricted. */
	EXPECT_EQ(0, in_new_userns(TEST_USER, ROOT_WRITES_MAPS, OWN_MAP,
				   OWN_MAP, inside_create_net));
}

FIXTURE(ident) {
	int saved_mode;
	char *saved_policy;
};

FIXTURE_SETUP(ident)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(ident)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

/*
 * The uid escape with maps @mapper writes: "0 1000 1" and "1 100000 65536",
 * as newuidmap(1) does for a user with subordinate ids.
 */
static void check_subuid_escape(struct __test_metadata *_metadata,
				enum mapper mapper)
{
	/* The same steps, under a rule that names nobody here: all work. */
	ASSERT_EQ(0, write_policy("deny create net uid=1001\n"));
	ASSERT_EQ(0, in_new_userns(TEST_USER, mapper, SUBID_MAP, SUBID_MAP,
				   inside_create_net));
	ASSERT_EQ(0, in_new_userns(TEST_USER, mapper, SUBID_MAP, SUBID_MAP,
				   inside_subuid_create_net));
	ASSERT_EQ(0, in_new_userns(TEST_USER, mapper, SUBID_MAP, SUBID_MAP,
				   inside_subuid_nested_net));

	ASSERT_EQ(0, write_policy("deny create net uid=1000\n"));
	/* As uid 0 there, kuid 1000: the rule matches on both kernels. */
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER, mapper, SUBID_MAP, SUBID_MAP,
				       inside_create_net));
	/* OLD: 0, kuid 100000 is not uid 1000. */
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER, mapper, SUBID_MAP, SUBID_MAP,
				       inside_subuid_create_net));
	/* OLD: 0, the nested namespace's creator was kuid 100000. */
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER, mapper, SUBID_MAP, SUBID_MAP,
				       inside_subuid_nested_net));
}

/*
 * Catches: under "deny create net uid=1000", the test user in its own user
 * namespace, given its subordinate uids (root writes the maps newuidmap
 * would: "0 1000 1\n1 100000 65536\n"), became uid 1 there (kuid 100000)
 * and created a network namespace, directly (keeping its capabilities) or
 * in a nested user namespace: the old kernel matched uid= against kuid
 * 100000.
 */
TEST_F(ident, subordinate_uid_escape)
{
	check_subuid_escape(_metadata, ROOT_WRITES_MAPS);
}

/*
 * Catches the same as subordinate_uid_escape, the maps written by the real
 * setuid newuidmap(1) and newgidmap(1), run by the test user, from its
 * /etc/subuid and /etc/subgid lines "user:100000:65536".
 */
TEST_F(ident, subordinate_uid_escape_by_newuidmap)
{
	static const char line[] = SUBID_NAME ":100000:65536\n";
	static const char *const files[] = { "/etc/subuid", "/etc/subgid" };
	static const char *const tools[] = { NEWUIDMAP, NEWGIDMAP };
	struct stat st;
	char *s;
	int i;

	for (i = 0; i < 2; i++) {
		if (stat(tools[i], &st) || !(st.st_mode & S_ISUID) ||
		    st.st_uid != 0 || access(tools[i], X_OK))
			SKIP(return, "needs %s, set-user-ID root", tools[i]);
		s = read_file(files[i], NULL);
		if (!s || (strncmp(s, line, strlen(line)) &&
			   !strstr(s, "\n" SUBID_NAME ":100000:65536\n"))) {
			free(s);
			SKIP(return, "needs the line \"%.*s\" in %s",
			     (int)strlen(line) - 1, line, files[i]);
		}
		free(s);
	}
	check_subuid_escape(_metadata, NEWIDMAP_WRITES_MAPS);
}

/*
 * Catches: under "deny create net gid=2000", the test user, in group 2000,
 * in its own user namespace whose gid_map root wrote with setgroups left at
 * "allow" (as newgidmap does for a user with subordinate gids), dropped
 * the group with setgroups(0, NULL) and created a network namespace,
 * directly or in a nested user namespace: the old kernel matched gid=
 * against the groups the task had then.
 */
TEST_F(ident, dropped_group_escape)
{
	/* The same steps, under a rule that names no group here: all work. */
	ASSERT_EQ(0, write_policy("deny create net gid=3000\n"));
	ASSERT_EQ(0, in_new_userns(TEST_USER_IN_GROUP, ROOT_WRITES_MAPS,
				   OWN_MAP, OWN_MAP,
				   inside_drop_groups_create_net));
	ASSERT_EQ(0, in_new_userns(TEST_USER_IN_GROUP, ROOT_WRITES_MAPS,
				   OWN_MAP, OWN_MAP,
				   inside_drop_groups_nested_net));

	ASSERT_EQ(0, write_policy("deny create net gid=2000\n"));
	/* With the group still held: matched on both kernels. */
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER_IN_GROUP, ROOT_WRITES_MAPS,
				       OWN_MAP, OWN_MAP, inside_create_net));
	/* OLD: 0, the task had no group 2000 any more. */
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER_IN_GROUP, ROOT_WRITES_MAPS,
				       OWN_MAP, OWN_MAP,
				       inside_drop_groups_create_net));
	/* OLD: 0. */
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER_IN_GROUP, ROOT_WRITES_MAPS,
				       OWN_MAP, OWN_MAP,
				       inside_drop_groups_nested_net));
	/* The test user without the group is not matched. */
	EXPECT_EQ(0, in_new_userns(TEST_USER, ROOT_WRITES_MAPS, OWN_MAP,
				   OWN_MAP, inside_create_net));
}

/* Create a user namespace as @who: 0 or the errno. */
static int create_userns_as(enum who who)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (become(who))
			child_fail(who_names[who]);
		_exit(unshare(CLONE_NEWUSER) ? errno : 0);
	}
	return wait_child(pid);
}

/*
 * Controls (pass on both kernels): rules still match the user they name,
 * in the initial user namespace and in the namespace the user creates, and
 * nobody else.
 */
TEST_F(ident, rules_match_their_subject)
{
	ASSERT_EQ(0, write_policy("deny create user uid=1000\n"));
	EXPECT_EQ(EPERM, create_userns_as(TEST_USER));
	EXPECT_EQ(EPERM, create_userns_as(TEST_USER_IN_GROUP));
	EXPECT_EQ(0, create_userns_as(OTHER_USER));
	EXPECT_EQ(0, create_userns_as(ROOT));

	ASSERT_EQ(0, write_policy("deny create user gid=2000\n"));
	EXPECT_EQ(EPERM, create_userns_as(TEST_USER_IN_GROUP));
	EXPECT_EQ(0, create_userns_as(TEST_USER));

	ASSERT_EQ(0, write_policy("deny create net uid=1000\n"));
	EXPECT_EQ(EPERM, in_new_userns(TEST_USER, ROOT_WRITES_MAPS, OWN_MAP,
				       OWN_MAP, inside_create_net));
	EXPECT_EQ(0, in_new_userns(OTHER_USER, ROOT_WRITES_MAPS, "0 1001 1\n",
				   "0 1001 1\n", inside_create_net));
}

/*
 * Catches: inside a user namespace root created and handed to the test user
 * (mapped as uid 0 there, kuid 1000), rules see its creator, root, not the
 * kuid 1000 the task has; the old kernel matched "uid=1000" there, and not
 * "uid=0".
 */
TEST_F(ident, outermost_creator_is_seen)
{
	ASSERT_EQ(0, write_policy("deny create net uid=1000\n"));
	/* OLD: EPERM. */
	EXPECT_EQ(0, in_new_userns(ROOT, ROOT_WRITES_MAPS, OWN_MAP, OWN_MAP,
				   inside_become_root_create_net));
	ASSERT_EQ(0, write_policy("deny create net uid=0\n"));
	/* OLD: 0. */
	EXPECT_EQ(EPERM, in_new_userns(ROOT, ROOT_WRITES_MAPS, OWN_MAP,
				       OWN_MAP, inside_become_root_create_net));
}

TEST_HARNESS_MAIN
