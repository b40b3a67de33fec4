// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - the policy file and what the policy decides
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "common.h"

#define UNSHARE "/usr/bin/unshare"

FIXTURE(policy) {
	int saved_mode;
	char *saved_policy;
	bool root;
};

FIXTURE_SETUP(policy)
{
	ASSERT_TRUE(nshard_active());
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->root = getuid() == 0 && have_cap(CAP_MAC_ADMIN);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
}

FIXTURE_TEARDOWN(policy)
{
	if (self->root) {
		EXPECT_EQ(0, write_mode(self->saved_mode));
		EXPECT_EQ(0, write_policy(self->saved_policy));
	}
	free(self->saved_policy);
}

/* The active policy reads back as @expect, byte for byte. */
#define EXPECT_POLICY(expect) do { \
	char *_text = read_file(NSHARD_POLICY_PATH, NULL); \
	ASSERT_NE(NULL, _text); \
	EXPECT_STREQ(expect, _text); \
	free(_text); \
} while (0)

TEST_F(policy, write_read_replace)
{
	unsigned long long gen;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	gen = read_generation();
	ASSERT_LT(0, gen);

	ASSERT_EQ(0, write_policy("# a comment\n\ndeny   create net\t"
				  "restricted\nlimit depth user 3\n"));
	EXPECT_POLICY("limit depth user 3\ndeny create net restricted\n");
	EXPECT_EQ(gen + 1, read_generation());

	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN uid=1000\n"));
	EXPECT_POLICY("deny cap NET_ADMIN uid=1000\n");
	EXPECT_EQ(gen + 2, read_generation());

	/* The empty policy is a policy. */
	ASSERT_EQ(0, write_policy(""));
	EXPECT_POLICY("");
	EXPECT_EQ(gen + 3, read_generation());
}

TEST_F(policy, canonical_form_is_a_fixed_point)
{
	static const char text[] =
		"allow gate netfilter gid=27\n"
		"deny gate netfilter restricted\n"
		"audit create user restricted drop=NET_RAW,NET_ADMIN\n"
		"default setns net deny\n"
		"limit depth user 4 restricted\n";
	char *first, *second;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy(text));
	first = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, first);
	ASSERT_EQ(0, write_policy(first));
	second = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, second);
	EXPECT_STREQ(first, second);
	EXPECT_STREQ("limit depth user 4 restricted\n"
		     "default setns net deny\n"
		     "audit create user restricted drop=NET_ADMIN,NET_RAW\n"
		     "deny gate netfilter restricted\n"
		     "allow gate netfilter gid=27\n", second);
	free(first);
	free(second);
}

TEST_F(policy, digest_follows_the_policy)
{
	char *d1, *d2, *d3;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy("deny create net\n"));
	d1 = read_file(NSHARD_DIGEST_PATH, NULL);
	/* Same policy written differently: same digest. */
	ASSERT_EQ(0, write_policy("  deny create net # again\n"));
	d2 = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_EQ(0, write_policy("deny create pid\n"));
	d3 = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_NE(NULL, d1);
	ASSERT_NE(NULL, d2);
	ASSERT_NE(NULL, d3);
	EXPECT_EQ(65, strlen(d1));
	EXPECT_STREQ(d1, d2);
	EXPECT_STRNE(d1, d3);
	free(d1);
	free(d2);
	free(d3);
}

static const char *const bad_policies[] = {
	"deny create users\n",
	"deny create user\nallow create user\n",
	"deny cap net_admin\n",
	"limit depth user 33\n",
	"allow create user drop=FOO\n",
	"deny create user uid=-1\n",
	"deny create user exe=relative\n",
	"deny create user\r\n",
	"deny create user\n\x01\n",
	"deny create user extra\n",
	"default create user\n",
};

TEST_F(policy, bad_policy_changes_nothing)
{
	unsigned long long gen;
	char *digest, *now;
	unsigned int i;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy("deny create net restricted\n"));
	gen = read_generation();
	digest = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_NE(NULL, digest);

	for (i = 0; i < ARRAY_SIZE(bad_policies); i++) {
		EXPECT_EQ(-EINVAL, write_policy(bad_policies[i])) {
			TH_LOG("accepted: %s", bad_policies[i]);
		}
		EXPECT_POLICY("deny create net restricted\n");
		EXPECT_EQ(gen, read_generation());
		now = read_file(NSHARD_DIGEST_PATH, NULL);
		ASSERT_NE(NULL, now);
		EXPECT_STREQ(digest, now);
		free(now);
	}
	/* A NUL byte inside the text. */
	EXPECT_EQ(-EINVAL, write_file(NSHARD_POLICY_PATH,
				      "deny create net\0\n", 17));
	EXPECT_EQ(gen, read_generation());
	free(digest);
}

TEST_F(policy, exe_that_does_not_exist)
{
	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy("deny create pid\n"));
	EXPECT_EQ(-ENOENT, write_policy("allow create user exe=/nonexistent\n"));
	EXPECT_EQ(-EINVAL, write_policy("allow create user exe=/tmp\n"));
	EXPECT_POLICY("deny create pid\n");
}

TEST_F(policy, oversize_write)
{
	size_t len = NSHARD_POLICY_MAX_SIZE + 1;
	char *big;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy("deny create pid\n"));
	big = malloc(len);
	ASSERT_NE(NULL, big);
	memset(big, '\n', len);
	EXPECT_EQ(-E2BIG, write_file(NSHARD_POLICY_PATH, big, len));
	/* At the limit, blank lines are a valid (empty) policy. */
	EXPECT_EQ(0, write_file(NSHARD_POLICY_PATH, big, len - 1));
	EXPECT_POLICY("");
	free(big);
}

TEST_F(policy, partial_writes_are_refused)
{
	unsigned long long gen;
	int fd;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy("deny create pid\n"));
	gen = read_generation();
	fd = open(NSHARD_POLICY_PATH, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, "deny create net\n", 16, 5));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_POLICY("deny create pid\n");
	EXPECT_EQ(gen, read_generation());

	/* Each write is a whole policy: a second one is at an offset. */
	EXPECT_EQ(16, write(fd, "deny create net\n", 16));
	EXPECT_EQ(-1, write(fd, "deny create uts\n", 16));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_POLICY("deny create net\n");
	EXPECT_EQ(gen + 1, read_generation());

	/* Half a policy is an invalid one. */
	EXPECT_EQ(-EINVAL, write_policy("deny creat"));
	EXPECT_POLICY("deny create net\n");
}

TEST_F(policy, unprivileged_writes_are_refused)
{
	pid_t pid;
	int fd;

	if (!self->root) {
		EXPECT_EQ(-EACCES, write_policy("deny create net\n"));
		return;
	}
	ASSERT_EQ(0, write_policy("deny create pid\n"));

	/* The test user, with a descriptor root opened. */
	fd = open(NSHARD_POLICY_PATH, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, write_fd_as_test_user(fd, "deny create net\n"));

	/* Root in a user namespace, with that descriptor and with its own. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER) ||
		    write_file("/proc/self/uid_map", "0 0 1", 5))
			_exit(CHILD_SETUP_FAILED);
		if (write(fd, "deny create net\n", 16) >= 0 || errno != EPERM)
			_exit(1);
		_exit(-write_policy("deny create net\n"));
	}
	EXPECT_EQ(EPERM, wait_child(pid));
	close(fd);
	EXPECT_POLICY("deny create pid\n");
}

TEST_F(policy, everyone_reads_the_status)
{
	struct stat st;

	EXPECT_LT(0, read_generation());
	EXPECT_LE(0, read_counter("create user", NSHARD_COUNTER_ALLOWED));
	EXPECT_LE(0, read_counter("cap CHECKPOINT_RESTORE",
				  NSHARD_COUNTER_DENIED));
	EXPECT_LE(0, read_counter("gate modload", NSHARD_COUNTER_AUDITED));
	EXPECT_EQ(-1, read_counter("cap NO_SUCH_CAP", 0));
	ASSERT_EQ(0, stat(NSHARD_POLICY_PATH, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	ASSERT_EQ(0, stat(NSHARD_DIGEST_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 07777);
}

/* Create a user namespace as @uid (with supplementary group @gid, if any). */
static int create_as(uid_t uid, gid_t gid)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (setgroups(gid ? 1 : 0, &gid) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid))
			_exit(CHILD_SETUP_FAILED);
		_exit(unshare(CLONE_NEWUSER) ? errno : 0);
	}
	return wait_child(pid);
}

TEST_F(policy, subjects)
{
	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("deny create user restricted\n"
				  "allow create user uid=1001\n"
				  "allow create user gid=2000 restricted\n"
				  "deny create user gid=3000\n"));
	EXPECT_EQ(EPERM, create_as(1000, 0));
	EXPECT_EQ(0, create_as(1001, 0));	/* uid rule */
	EXPECT_EQ(0, create_as(1000, 2000));	/* gid rule */
	EXPECT_EQ(0, create_as(1001, 3000));	/* uid beats gid */
	EXPECT_EQ(EPERM, create_as(1002, 3000));
	/* Root is privileged: "restricted" rules do not apply. */
	EXPECT_EQ(0, create_as(0, 0));
	EXPECT_EQ(EPERM, create_as(0, 3000));
}

/* Run @prog as the test user; returns its exit status. */
static int run_as_test_user(const char *prog)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		execl(prog, prog, "--user", "/bin/true", NULL);
		_exit(CHILD_SETUP_FAILED);
	}
	return wait_child(pid);
}

/* Copy @from to @to, executable. */
static int copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	int fd, ok;

	data = read_file(from, &len);
	if (!data)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;
	if (fd >= 0)
		close(fd);
	free(data);
	return ok ? 0 : -1;
}

/* An exemption follows the file, not its path. */
TEST_F(policy, exe_is_bound_to_the_file)
{
	static const char copy[] = "/tmp/nshard-unshare-copy";
	static const char moved[] = "/tmp/nshard-unshare-moved";

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	if (access(UNSHARE, X_OK))
		SKIP(return, "needs " UNSHARE);
	ASSERT_EQ(0, copy_file(UNSHARE, copy));
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("deny create user restricted\n"
				  "allow create user exe=/tmp/nshard-unshare-copy\n"));
	EXPECT_EQ(0, run_as_test_user(copy));
	/* The same program at another inode is not exempt. */
	EXPECT_NE(0, run_as_test_user(UNSHARE));
	/* Renamed, it still is. */
	ASSERT_EQ(0, rename(copy, moved));
	EXPECT_EQ(0, run_as_test_user(moved));
	/* Replaced at the original path by another inode: not exempt. */
	ASSERT_EQ(0, copy_file(UNSHARE, copy));
	EXPECT_NE(0, run_as_test_user(copy));
	/* This test program itself is not exempt either. */
	EXPECT_EQ(EPERM, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_TEST_USER));
	unlink(copy);
	unlink(moved);
}

TEST_F(policy, depth_limit)
{
	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("limit depth user 2\n"));
	/* Depth 1, 2: allowed; 3: refused, even for root. */
	EXPECT_EQ(0, nest_userns(2));
	EXPECT_EQ(EPERM, nest_userns(3));

	/* The control: one level deeper is allowed. */
	ASSERT_EQ(0, write_policy("limit depth user 3\n"));
	EXPECT_EQ(0, nest_userns(3));

	/* A limit for one origin only. */
	ASSERT_EQ(0, write_policy("limit depth user 0 restricted\n"));
	EXPECT_EQ(0, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_SELF));
	EXPECT_EQ(EPERM, try_create(BY_CLONE3, CLONE_NEWUSER, AS_TEST_USER));
}

TEST_F(policy, counters_and_audit_mode)
{
	long long allowed, denied, audited;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_policy("deny create user restricted\n"
				  "audit create user privileged\n"));
	allowed = read_counter("create user", NSHARD_COUNTER_ALLOWED);
	denied = read_counter("create user", NSHARD_COUNTER_DENIED);
	audited = read_counter("create user", NSHARD_COUNTER_AUDITED);
	ASSERT_LE(0, allowed);

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	EXPECT_EQ(EPERM, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_TEST_USER));
	EXPECT_EQ(denied + 1, read_counter("create user",
					   NSHARD_COUNTER_DENIED));
	/* An audit rule lets the operation through, and counts it. */
	EXPECT_EQ(0, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_SELF));
	EXPECT_EQ(audited + 1, read_counter("create user",
					    NSHARD_COUNTER_AUDITED));
	/* Audit mode: what enforce would refuse is counted as audited. */
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_TEST_USER));
	EXPECT_EQ(audited + 2, read_counter("create user",
					    NSHARD_COUNTER_AUDITED));
	EXPECT_EQ(denied + 1, read_counter("create user",
					   NSHARD_COUNTER_DENIED));
	/* Off mode: nothing is decided, nothing is counted. */
	ASSERT_EQ(0, write_mode(MODE_OFF));
	EXPECT_EQ(0, try_create(BY_UNSHARE, CLONE_NEWUSER, AS_TEST_USER));
	EXPECT_EQ(audited + 2, read_counter("create user",
					    NSHARD_COUNTER_AUDITED));
	EXPECT_EQ(allowed, read_counter("create user",
					NSHARD_COUNTER_ALLOWED));
}

/* Read what /dev/kmsg has after @fd's position; returns a malloc()ed text. */
static char *read_kmsg(int fd)
{
	size_t len = 0, size = 1 << 16;
	char *buf = malloc(size);
	ssize_t n;

	if (!buf)
		return NULL;
	/* One record per read; EAGAIN at the end. */
	while (len + 1024 < size &&
	       (n = read(fd, buf + len, size - len - 1)) > 0)
		len += n;
	buf[len] = '\0';
	return buf;
}

/*
 * A refusal is logged, names its rule, and goes to the audit subsystem
 * (with no audit daemon, the kernel prints audit records itself).
 */
TEST_F(policy, refusal_is_logged_and_audited)
{
	char *log;
	int fd;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("# line 1\ndeny create user restricted\n"));
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, lseek(fd, 0, SEEK_END));
	/* Reports are rate-limited: start a new 5 s window. */
	sleep(6);
	EXPECT_EQ(EPERM, try_create(BY_CLONE, CLONE_NEWUSER, AS_TEST_USER));
	usleep(200000);
	log = read_kmsg(fd);
	close(fd);
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, "nshard: denied create user: pid=")) {
		TH_LOG("kernel log: %s", log);
	}
	EXPECT_NE(NULL, strstr(log, "uid=1000 comm=\"userns_test\"") ?:
		  strstr(log, "uid=1000 comm=\"policy_test\""));
	EXPECT_NE(NULL, strstr(log, "userns=4026531837 origin=restricted: policy "));
	EXPECT_NE(NULL, strstr(log, " line 2\n"));
	EXPECT_NE(NULL, strstr(log, "type=1425 ")) {
		TH_LOG("no AUDIT_NSHARD_ACCESS record");
	}
	EXPECT_NE(NULL, strstr(log, "op=\"create user\" decision=denied"));
	free(log);
}

TEST_HARNESS_MAIN
