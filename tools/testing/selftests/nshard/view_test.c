// SPDX-License-Identifier: GPL-2.0
/*
 * nshard: what the task and check files say, checked against what the
 * test set up: the user namespaces a task is in, the capabilities drop=
 * removed, the rule that decides each operation, the program it runs; who
 * may read whose report; and a dry run of a policy that loads nothing.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <limits.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "common.h"

#define NSHARD_TASK_PATH	NSHARD_PATH(NSHARD_FS_TASK)
#define NSHARD_CHECK_PATH	NSHARD_PATH(NSHARD_FS_CHECK)
#define INIT_USERNS_INO		4026531837U
#define REPORT_SIZE		16384

FIXTURE(view) {
	int saved_mode;
	char *saved_policy;
	char report[REPORT_SIZE];
};

FIXTURE_SETUP(view)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "uid %d: root loads the policies, then reads as uid %u",
		     getuid(), NSHARD_TEST_UID);
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(view)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

/* The inode number of the calling task's user namespace. */
static unsigned int userns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/user", &st) ? 0 : st.st_ino;
}

/* Read the task file from offset 0 into @buf, after writing @pid if set. */
static int read_report(const char *pid, char *buf, size_t size)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(NSHARD_TASK_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (pid && write(fd, pid, strlen(pid)) < 0)
		err = errno;
	n = err ? -1 : pread(fd, buf, size - 1, 0);
	if (!err && n < 0)
		err = errno;
	close(fd);
	if (!err)
		buf[n] = '\0';
	return err;
}

enum who { AS_ROOT, AS_USER };

/*
 * In a child, as @who in @levels nested user namespaces, write the report
 * on itself (or on @pid) to a pipe; the parent reads it into @buf.
 * Returns 0 or the child's errno.
 */
static int child_report(enum who who, int levels, const char *pid,
			char *buf, size_t size)
{
	char tmp[REPORT_SIZE], line[32];
	int fds[2], err, i;
	ssize_t n, len = 0;
	pid_t child;

	if (pipe(fds))
		return CHILD_SETUP_FAILED;
	child = fork();
	if (child < 0)
		return CHILD_SETUP_FAILED;
	if (child == 0) {
		close(fds[0]);
		if (who == AS_USER && drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		for (i = 0; i < levels; i++)
			if (enter_userns_as_root())
				_exit(CHILD_SETUP_FAILED);
		err = read_report(pid, tmp, sizeof(tmp));
		if (err)
			_exit(err);
		/* The inode the report should name first. */
		n = snprintf(line, sizeof(line), "%u\n", userns_ino());
		if (write(fds[1], line, n) != n ||
		    write(fds[1], tmp, strlen(tmp)) < 0)
			_exit(CHILD_SETUP_FAILED);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	return wait_child(child);
}

/* Does @report hold @line as a whole line? */
static bool has_line(const char *report, const char *line)
{
	size_t n = strlen(line);
	const char *p = report;

	while ((p = strstr(p, line))) {
		if ((p == report || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

#define EXPECT_LINE(report, ...) do {					\
	const char *_r = (report);					\
	char _l[PATH_MAX + 64];						\
									\
	snprintf(_l, sizeof(_l), __VA_ARGS__);				\
	EXPECT_TRUE(has_line(_r, _l))					\
		TH_LOG("no line \"%s\" in:\n%s", _l, _r);		\
} while (0)

/* The first line of a child's output: its user namespace's inode. */
static unsigned int first_ino(const char *out)
{
	return strtoul(out, NULL, 10);
}

TEST_F(view, restricted_namespace)
{
	unsigned long long g;
	unsigned int ino;

	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"
				  "allow create user restricted drop=NET_RAW\n"
				  "deny cap SYS_MODULE restricted\n"));
	g = read_generation();
	ASSERT_EQ(0, child_report(AS_USER, 1, NULL, self->report,
				  sizeof(self->report)));
	ino = first_ino(self->report);
	EXPECT_LINE(self->report, "mode enforce");
	EXPECT_LINE(self->report, "policy %llu", g);
	EXPECT_LINE(self->report,
		    "userns %u level 1 origin restricted uid %u policy %llu drop NET_RAW",
		    ino, NSHARD_TEST_UID, g);
	EXPECT_LINE(self->report,
		    "userns %u level 0 origin privileged uid - policy - drop -",
		    INIT_USERNS_INO);
	EXPECT_LINE(self->report, "program -");
	EXPECT_LINE(self->report, "create user allow policy %llu line 2", g);
	EXPECT_LINE(self->report, "create net allow default");
	EXPECT_LINE(self->report, "cap NET_RAW deny drop");
	EXPECT_LINE(self->report, "cap SYS_MODULE deny policy %llu line 3", g);
	EXPECT_LINE(self->report, "cap NET_ADMIN allow default");
	EXPECT_LINE(self->report, "gate tc deny policy %llu line 1", g);
	EXPECT_LINE(self->report, "gate netfilter allow default");
	/* A namespace it would create: drop= again, and the same rules. */
	EXPECT_LINE(self->report, "child cap NET_RAW deny drop");
	EXPECT_LINE(self->report, "child cap SYS_MODULE deny policy %llu line 3",
		    g);
	EXPECT_LINE(self->report, "child gate tc deny policy %llu line 1", g);
}

TEST_F(view, nested_namespaces_and_depth_limit)
{
	unsigned long long g;

	ASSERT_EQ(0, write_policy("limit depth user 3 restricted\n"));
	g = read_generation();
	ASSERT_EQ(0, child_report(AS_USER, 3, NULL, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report,
		    "userns %u level 3 origin restricted uid %u policy %llu drop -",
		    first_ino(self->report), NSHARD_TEST_UID, g);
	EXPECT_NE(NULL, strstr(self->report, " level 2 origin restricted uid 1000 "));
	EXPECT_NE(NULL, strstr(self->report, " level 1 origin restricted uid 1000 "));
	EXPECT_LINE(self->report, "create user deny limit 3");

	ASSERT_EQ(0, child_report(AS_USER, 2, NULL, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "create user allow default");
}

TEST_F(view, host_tasks)
{
	unsigned long long g;

	ASSERT_EQ(0, write_policy("deny create user restricted\n"
				  "deny gate tc restricted\n"));
	g = read_generation();

	/* Root creates namespaces of privileged origin: no rule applies. */
	ASSERT_EQ(0, child_report(AS_ROOT, 0, NULL, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "create user allow default");
	EXPECT_LINE(self->report, "cap NET_ADMIN allow host");
	EXPECT_LINE(self->report, "gate tc allow host");
	EXPECT_LINE(self->report, "child gate tc allow default");
	EXPECT_LINE(self->report,
		    "userns %u level 0 origin privileged uid - policy - drop -",
		    INIT_USERNS_INO);

	ASSERT_EQ(0, child_report(AS_USER, 0, NULL, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "create user deny policy %llu line 1", g);
	EXPECT_LINE(self->report, "gate tc allow host");
	/* What a sandbox it starts would meet, were it allowed to. */
	EXPECT_LINE(self->report, "child gate tc deny policy %llu line 2", g);
	EXPECT_LINE(self->report, "child cap NET_ADMIN allow default");
}

TEST_F(view, mode_off)
{
	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"));
	ASSERT_EQ(0, write_mode(MODE_OFF));
	ASSERT_EQ(0, child_report(AS_USER, 1, NULL, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "mode off");
	EXPECT_LINE(self->report, "create user allow off");
	EXPECT_LINE(self->report, "gate tc allow off");
	EXPECT_LINE(self->report, "cap SYS_ADMIN allow off");
	EXPECT_LINE(self->report, "child gate tc allow off");
}

/* A child that waits, in a user namespace of its own, until killed. */
static pid_t spawn_sleeper(enum who who)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if ((who == AS_USER && drop_to_test_user()) ||
		    enter_userns_as_root())
			_exit(CHILD_SETUP_FAILED);
		if (write(fds[1], "x", 1) != 1)
			_exit(CHILD_SETUP_FAILED);
		pause();
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &c, 1) != 1) {
		if (pid > 0)
			kill_holder(pid);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

TEST_F(view, other_tasks)
{
	char pid[16];
	pid_t user, root;

	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"));
	user = spawn_sleeper(AS_USER);
	ASSERT_LT(0, user);
	root = spawn_sleeper(AS_ROOT);
	ASSERT_LT(0, root);

	/* The user reads its own process, not root's, nor PID 1. */
	snprintf(pid, sizeof(pid), "%d\n", user);
	EXPECT_EQ(0, child_report(AS_USER, 0, pid, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "pid %d", user);
	EXPECT_NE(NULL, strstr(self->report, " level 1 origin restricted uid 1000 "));
	EXPECT_LINE(self->report, "gate tc deny policy %llu line 1",
		    read_generation());
	snprintf(pid, sizeof(pid), "%d\n", root);
	EXPECT_EQ(EACCES, child_report(AS_USER, 0, pid, self->report,
				       sizeof(self->report)));
	EXPECT_EQ(EACCES, child_report(AS_USER, 0, "1", self->report,
				       sizeof(self->report)));

	/* Root reads anyone's; nobody names a task that is not there. */
	snprintf(pid, sizeof(pid), "%d", user);
	EXPECT_EQ(0, read_report(pid, self->report, sizeof(self->report)));
	EXPECT_NE(NULL, strstr(self->report, " level 1 origin restricted uid 1000 "));
	snprintf(pid, sizeof(pid), "%d", root);
	EXPECT_EQ(0, read_report(pid, self->report, sizeof(self->report)));
	EXPECT_NE(NULL, strstr(self->report, " level 1 origin privileged uid 0 "));
	EXPECT_EQ(ESRCH, read_report("4194304", self->report,
				     sizeof(self->report)));
	EXPECT_EQ(EINVAL, read_report("one", self->report,
				      sizeof(self->report)));
	EXPECT_EQ(EINVAL, read_report("-1", self->report,
				      sizeof(self->report)));
	kill_holder(user);
	kill_holder(root);
}

/* In a pid namespace, a PID is the reader's: 1 is the child itself. */
TEST_F(view, pid_namespace)
{
	char buf[64];
	int fds[2];
	pid_t pid;

	ASSERT_EQ(0, write_policy(""));
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, unshare(CLONE_NEWPID) ? errno : 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(fds[0]);
		if (drop_to_test_user() ||
		    read_report("1", self->report, sizeof(self->report)))
			_exit(CHILD_SETUP_FAILED);
		_exit(write(fds[1], self->report, 64) == 64 ? 0 : 1);
	}
	close(fds[1]);
	ASSERT_EQ(64, read(fds[0], buf, 64));
	close(fds[0]);
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_EQ(0, strncmp(buf, "pid 1\n", 6));
}

#define VICTIM		"nshard_exempt_victim"

/*
 * Start the victim of exempt_test (victim.c) as the test user, with
 * "hold": it enters a user namespace, says so on descriptor 3, and waits
 * for a byte on its standard input, which @go writes.
 */
static pid_t start_victim(const char *path, int *go)
{
	int ready[2], in[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	if (pipe(in)) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		if (drop_to_test_user() || dup2(in[0], 0) != 0 ||
		    dup2(ready[1], 3) != 3)
			_exit(CHILD_SETUP_FAILED);
		execl(path, path, "hold", NULL);
		_exit(CHILD_SETUP_FAILED);
	}
	close(ready[1]);
	close(in[0]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(in[1]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	*go = in[1];
	return pid;
}

/* The program an exe= rule names, in the report on the task running it. */
TEST_F(view, program)
{
	char dir[PATH_MAX], victim[PATH_MAX + 32], policy[2 * PATH_MAX];
	unsigned long long g;
	char pid[16];
	int go = -1;
	ssize_t len;
	pid_t child;

	len = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	ASSERT_LT(0, len);
	dir[len] = '\0';
	*strrchr(dir, '/') = '\0';
	snprintf(victim, sizeof(victim), "%s/" VICTIM, dir);
	ASSERT_EQ(0, access(victim, X_OK));
	snprintf(policy, sizeof(policy),
		 "deny create user restricted\nallow create user exe=%s\n",
		 victim);
	ASSERT_EQ(0, write_policy(policy));
	g = read_generation();

	child = start_victim(victim, &go);
	ASSERT_LT(0, child);
	snprintf(pid, sizeof(pid), "%d", child);
	EXPECT_EQ(0, read_report(pid, self->report, sizeof(self->report)));
	EXPECT_LINE(self->report, "program %s", victim);
	EXPECT_NE(NULL, strstr(self->report, " level 1 origin restricted uid 1000 "));
	EXPECT_LINE(self->report, "create user allow policy %llu line 2", g);
	/* Its user, too, may read its details (it is not made undumpable). */
	EXPECT_EQ(0, child_report(AS_USER, 0, pid, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "program %s", victim);
	EXPECT_EQ(1, write(go, "g", 1));
	close(go);
	EXPECT_EQ(0, wait_child(child));

	/* Any other program of the same user: the rule for everyone. */
	ASSERT_EQ(0, child_report(AS_USER, 0, NULL, self->report,
				  sizeof(self->report)));
	EXPECT_LINE(self->report, "program -");
	EXPECT_LINE(self->report, "create user deny policy %llu line 1", g);
}

#define BWRAP		"/usr/bin/bwrap"

/* What a program in a bubblewrap sandbox reads: its sandbox's namespace. */
TEST_F(view, inside_bwrap)
{
	char *const argv[] = {
		BWRAP, "--unshare-all", "--ro-bind", "/", "/", "--dev", "/dev",
		"--proc", "/proc", "/bin/cat", NSHARD_TASK_PATH, NULL,
	};
	unsigned long long g;

	if (access(BWRAP, X_OK))
		SKIP(return, "no " BWRAP);
	ASSERT_EQ(0, write_policy("deny cap NET_RAW restricted\n"
				  "deny gate netfilter restricted\n"));
	g = read_generation();
	ASSERT_EQ(0, run_output(true, argv, self->report,
				sizeof(self->report)));
	EXPECT_LINE(self->report, "pid 2");
	EXPECT_NE(NULL, strstr(self->report, " level 1 origin restricted uid 1000 "));
	EXPECT_LINE(self->report, "cap NET_RAW deny policy %llu line 1", g);
	EXPECT_LINE(self->report, "gate netfilter deny policy %llu line 2", g);
	EXPECT_LINE(self->report, "gate tc allow default");
}

/* Write @text to the check file and read the outcome back. */
static int check_policy(const char *text, char *out, size_t size)
{
	int fd, err = 0;
	ssize_t n;

	fd = open(NSHARD_CHECK_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	n = pread(fd, out, size - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	return err;
}

TEST_F(view, check_loads_nothing)
{
	const char *text = "deny gate tc restricted\ndeny cap NET_RAW\n";
	unsigned long long g;
	char *digest, line[128];

	ASSERT_EQ(0, write_policy("deny gate xfrm restricted\n"));
	g = read_generation();

	ASSERT_EQ(0, check_policy(text, self->report, sizeof(self->report)));
	EXPECT_EQ(g, read_generation());
	EXPECT_TRUE(policy_is("deny gate xfrm restricted\n"));
	ASSERT_EQ(0, write_policy(text));
	digest = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_NE(NULL, digest);
	snprintf(line, sizeof(line), "ok 2 %s", digest);
	EXPECT_EQ(0, strncmp(self->report, line, strlen(line)))
		TH_LOG("expected \"%s\", read:\n%s", line, self->report);
	free(digest);
	digest = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, digest);
	EXPECT_STREQ(digest, strchr(self->report, '\n') + 1);
	free(digest);
}

TEST_F(view, check_names_the_error)
{
	unsigned long long g = read_generation();

	EXPECT_EQ(EINVAL, check_policy("deny gate tc restricted\n"
				       "deny gate no-such-gate\n",
				       self->report, sizeof(self->report)));
	EXPECT_EQ(0, strncmp(self->report, "error line 2: ", 14))
		TH_LOG("read: %s", self->report);
	EXPECT_NE(NULL, strstr(self->report, "no-such-gate"));
	EXPECT_EQ(g, read_generation());
}

TEST_F(view, check_needs_privilege)
{
	pid_t pid;
	int fd;

	/* The file is root's alone; a descriptor root opened is no way in. */
	fd = open(NSHARD_CHECK_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, write_fd_as_test_user(fd, "deny create user\n"));
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		fd = open(NSHARD_CHECK_PATH, O_RDWR | O_CLOEXEC);
		_exit(fd < 0 ? errno : 0);
	}
	EXPECT_EQ(EACCES, wait_child(pid));
}

TEST_HARNESS_MAIN
