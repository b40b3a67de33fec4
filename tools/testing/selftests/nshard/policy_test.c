// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - the policy file and what the policy decides
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <linux/audit.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "common.h"

#define UNSHARE "/usr/bin/unshare"

/* SHA-256 of canonical texts, as sha256sum(1) prints them. */
#define SHA256_DENY_CREATE_NET \
	"6e64acb13323cb7f61cf0d7151e8b00cf2520fb02aaaa96c3bc8ecd192c3e7a4\n"
#define SHA256_DENY_CREATE_PID \
	"4568f8fb629db78693ea0af2f9457d72b5076c7922f92f3a984dfe897bc7b42a\n"
#define SHA256_RESTRICT_USERNS \
	"ad48c3973fb4ca3cf3d79ae756bf4c1bbca73e6b39886e5e25742974542c505d\n"

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
	/* The SHA-256 of the canonical text, not just any 64 digits. */
	EXPECT_STREQ(SHA256_DENY_CREATE_NET, d1);
	EXPECT_STREQ(SHA256_DENY_CREATE_NET, d2);
	EXPECT_STREQ(SHA256_DENY_CREATE_PID, d3);
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
	unsigned long long gen;
	pid_t pid;
	int fd;

	if (!self->root) {
		gen = read_generation();
		ASSERT_LT(0, gen);
		EXPECT_EQ(-EACCES, write_policy("deny create net\n"));
		EXPECT_POLICY(self->saved_policy);
		EXPECT_EQ(gen, read_generation());
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

/*
 * The status files, read by anyone, hold exact values: the digest of the
 * policy in force, a line per operation this kernel mediates, and counters
 * that count each decision once, as the mode says.  As root, under the
 * policy of the unprivileged runs, loaded; as anyone else, under that
 * policy if root loaded it.
 */
TEST_F(policy, everyone_reads_the_status)
{
	const char *op = "create user";
	long long before[NSHARD_COUNTER_COUNT], after[NSHARD_COUNTER_COUNT];
	int mode = read_mode(), want, got, c, lines = 0;
	char *counters, *line, *save;
	struct stat st;

	ASSERT_EQ(0, stat(NSHARD_POLICY_PATH, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	ASSERT_EQ(0, stat(NSHARD_DIGEST_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 07777);
	ASSERT_EQ(0, stat(NSHARD_GENERATION_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 07777);
	ASSERT_EQ(0, stat(NSHARD_COUNTERS_PATH, &st));
	EXPECT_EQ(0444, st.st_mode & 07777);
	EXPECT_LT(0, read_generation());

	if (self->root) {
		ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
	} else if (!policy_is(RESTRICT_USERNS_POLICY)) {
		SKIP(return, "needs the policy \"%s\" loaded by root",
		     RESTRICT_USERNS_POLICY);
	}
	if (!self->root && creates_privileged_userns())
		SKIP(return,
		     "euid 0 with CAP_SYS_ADMIN but not CAP_MAC_ADMIN: the root run covers it");
	ASSERT_LE(0, mode);

	/* The SHA-256 of what the policy file reads. */
	line = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_NE(NULL, line);
	EXPECT_STREQ(SHA256_RESTRICT_USERNS, line);
	free(line);

	/*
	 * The header, then one line per operation: every namespace type
	 * twice (create, setns), every capability, every gate; then the
	 * records.  "cap NO_SUCH_CAP" is not one.
	 */
	counters = read_file(NSHARD_COUNTERS_PATH, NULL);
	ASSERT_NE(NULL, counters);
	EXPECT_EQ(0, strncmp(counters, "# operation allowed denied audited\n",
			     35));
	for (line = strtok_r(counters, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v[3];
		char class[16], arg[32];
		int n = 0, fields;

		if (line[0] == '#' || !strncmp(line, "userns ", 7))
			continue;
		fields = sscanf(line, "%15s %31s %llu %llu %llu%n", class, arg,
				&v[0], &v[1], &v[2], &n);
		EXPECT_EQ(5, fields) {
			TH_LOG("counters line \"%s\"", line);
		}
		EXPECT_EQ((int)strlen(line), n);
		lines++;
	}
	free(counters);
	EXPECT_EQ(2 * NSHARD_NS_COUNT + CAP_LAST_CAP + 1 + NSHARD_GATE_COUNT,
		  lines);
	/* The last capability and the last gate are there (-1: missing). */
	EXPECT_NE(-1, read_counter("cap CHECKPOINT_RESTORE",
				   NSHARD_COUNTER_DENIED));
	EXPECT_NE(-1, read_counter("gate modload", NSHARD_COUNTER_AUDITED));
	EXPECT_EQ(-1, read_counter("cap NO_SUCH_CAP", 0));

	/*
	 * One creation of restricted origin, refused in enforce mode (denied
	 * + 1), reported in audit mode (audited + 1), not even counted in off
	 * mode.
	 */
	for (c = 0; c < NSHARD_COUNTER_COUNT; c++) {
		before[c] = read_counter(op, c);
		ASSERT_LE(0, before[c]);
	}
	want = mode == MODE_ENFORCE ? EPERM : 0;
	got = try_create(BY_UNSHARE, CLONE_NEWUSER,
			 self->root ? AS_TEST_USER : AS_SELF);
	EXPECT_EQ(want, got);
	for (c = 0; c < NSHARD_COUNTER_COUNT; c++)
		after[c] = read_counter(op, c);
	EXPECT_EQ(before[NSHARD_COUNTER_ALLOWED], after[NSHARD_COUNTER_ALLOWED]);
	EXPECT_EQ(before[NSHARD_COUNTER_DENIED] + (mode == MODE_ENFORCE),
		  after[NSHARD_COUNTER_DENIED]);
	EXPECT_EQ(before[NSHARD_COUNTER_AUDITED] + (mode == MODE_AUDIT),
		  after[NSHARD_COUNTER_AUDITED]) {
		TH_LOG("mode %s", mode_names[mode]);
	}
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
	/*
	 * Executed while the policy naming it is in force, as every run
	 * below is: exe= rules match only those (and run them with
	 * AT_SECURE, which unshare(1) does not mind); exempt_test covers
	 * one started before the policy.
	 */
	EXPECT_EQ(0, run_as_test_user(copy));
	/*
	 * The same program at another inode is not exempt: unshare(1)
	 * exits with 1 when unshare(2) fails (255: it did not run).
	 */
	EXPECT_EQ(1, run_as_test_user(UNSHARE));
	/* Renamed, it still is. */
	ASSERT_EQ(0, rename(copy, moved));
	EXPECT_EQ(0, run_as_test_user(moved));
	/* Replaced at the original path by another inode: not exempt. */
	ASSERT_EQ(0, copy_file(UNSHARE, copy));
	EXPECT_EQ(1, run_as_test_user(copy));
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
	unsigned long long gen;
	char *log, want[256];
	pid_t pid;
	int fd;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("# line 1\ndeny create user restricted\n"));
	gen = read_generation();
	ASSERT_LT(0, gen);
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, lseek(fd, 0, SEEK_END));
	/* Reports are rate-limited: start a new 5 s window. */
	sleep(6);
	/* The refused task is this child: its pid is in the report. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		_exit(create_ns(BY_CLONE, CLONE_NEWUSER));
	}
	EXPECT_EQ(EPERM, wait_child(pid));
	usleep(200000);
	log = read_kmsg(fd);
	close(fd);
	ASSERT_NE(NULL, log);
	/*
	 * The whole line: the child, the test user, this program (the child
	 * keeps its comm), the initial user namespace (PROC_USER_INIT_INO),
	 * the policy and line that refused.
	 */
	snprintf(want, sizeof(want),
		 "nshard: denied create user: pid=%d uid=1000 comm=\"policy_test\" userns=4026531837 origin=restricted: policy %llu line 2\n",
		 pid, gen);
	EXPECT_NE(NULL, strstr(log, want)) {
		TH_LOG("no \"%s\" in the kernel log: %s", want, log);
	}
	/* The AUDIT_NSHARD_ACCESS record, with the same rule. */
	snprintf(want, sizeof(want),
		 "type=%d audit(", AUDIT_NSHARD_ACCESS);
	EXPECT_NE(NULL, strstr(log, want)) {
		TH_LOG("no AUDIT_NSHARD_ACCESS record");
	}
	snprintf(want, sizeof(want),
		 "op=\"create user\" decision=denied userns=4026531837 origin=restricted rule=\"policy %llu line 2\"",
		 gen);
	EXPECT_NE(NULL, strstr(log, want)) {
		TH_LOG("no \"%s\" in the kernel log", want);
	}
	free(log);
}

TEST_HARNESS_MAIN
