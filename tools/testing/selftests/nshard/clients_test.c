// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - real user-space clients
 *
 * util-linux unshare(1) and bubblewrap are what users run; their behaviour
 * under each mode, with a policy that denies user namespaces of restricted
 * origin, is what users see.  As root, each variant switches to its
 * mode and runs the clients as the test user; as the test user, only the
 * variant of the current mode runs.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include "../kselftest_harness.h"
#include "common.h"

#define UNSHARE	"/usr/bin/unshare"
#define BWRAP	"/usr/bin/bwrap"
#define NSENTER	"/usr/bin/nsenter"

/*
 * The exit status of util-linux unshare(1) and nsenter(1), and of
 * bubblewrap, when a system call fails: err(EXIT_FAILURE, ...), die().
 */
#define TOOL_FAILED	1

/*
 * The statements of security/nshard/default.policy, the built-in policy
 * nshard ships with: keep them in step.
 */
static const char default_policy[] =
	"limit depth user 8 restricted\n"
	"deny cap NET_RAW restricted\n"
	"deny gate netfilter restricted\n"
	"deny gate xtables restricted\n"
	"deny gate tc restricted\n"
	"deny gate xfrm restricted\n"
	"deny gate genl-admin restricted\n"
	"deny gate packet restricted\n"
	"deny gate raw restricted\n"
	"deny gate netdev-ioctl restricted\n"
	"deny gate fs-mount restricted\n"
	"deny gate cgroup1 restricted\n"
	"deny gate modload restricted\n";

/*
 * Run @argv, as the test user if @drop, and collect its output in @out.
 * Returns the exit status, 128 + signal if killed, or -1.
 */
static int run(char *const argv[], bool drop, char *out, size_t outlen)
{
	size_t used = 0;
	int fds[2];
	ssize_t n;
	pid_t pid;
	int status;

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

FIXTURE(clients) {
	int saved_mode;
	char *saved_policy;
	bool root;
	char out[4096];
};

FIXTURE_VARIANT(clients) {
	int mode;
};

FIXTURE_VARIANT_ADD(clients, off) {
	.mode = MODE_OFF,
};

FIXTURE_VARIANT_ADD(clients, audit) {
	.mode = MODE_AUDIT,
};

FIXTURE_VARIANT_ADD(clients, enforce) {
	.mode = MODE_ENFORCE,
};

FIXTURE_SETUP(clients)
{
	ASSERT_TRUE(nshard_active());
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->root = getuid() == 0 && privileged();
	if (self->root) {
		self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
		ASSERT_NE(NULL, self->saved_policy);
		ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
		ASSERT_EQ(0, write_mode(variant->mode));
	} else if (self->saved_mode != variant->mode) {
		SKIP(return, "mode is %s; the root run covers %s",
		     mode_names[self->saved_mode], mode_names[variant->mode]);
	} else if (!policy_is(RESTRICT_USERNS_POLICY)) {
		SKIP(return, "needs the policy \"%s\" loaded by root",
		     RESTRICT_USERNS_POLICY);
	}
	if (access(UNSHARE, X_OK) || access(BWRAP, X_OK))
		SKIP(return, "needs " UNSHARE " and " BWRAP);
}

FIXTURE_TEARDOWN(clients)
{
	if (self->root) {
		EXPECT_EQ(0, write_mode(self->saved_mode));
		EXPECT_EQ(0, write_policy(self->saved_policy));
		free(self->saved_policy);
	}
}

/* unshare -r maps the user to root in a new user namespace. */
TEST_F(clients, unshare_r_as_test_user)
{
	char *const argv[] = { UNSHARE, "-r", "cat", "/proc/self/uid_map",
			       NULL };
	int ret;

	ret = run(argv, self->root, self->out, sizeof(self->out));
	TH_LOG("unshare -r: exit %d: %s", ret, self->out);
	if (variant->mode == MODE_ENFORCE) {
		EXPECT_EQ(TOOL_FAILED, ret);
		EXPECT_NE(NULL, strstr(self->out, "Operation not permitted"));
	} else {
		ASSERT_EQ(0, ret);
		EXPECT_NE(NULL, strstr(self->out, "1000")) {
			TH_LOG("uid_map does not map the test user");
		}
	}
}

TEST_F(clients, bwrap_unshare_all_as_test_user)
{
	char *const argv[] = { BWRAP, "--unshare-all", "--ro-bind", "/", "/",
			       "--proc", "/proc", "--dev", "/dev", "/bin/true",
			       NULL };
	int ret;

	ret = run(argv, self->root, self->out, sizeof(self->out));
	TH_LOG("bwrap --unshare-all: exit %d: %s", ret, self->out);
	/* Refused in enforce mode only. */
	if (variant->mode == MODE_ENFORCE) {
		EXPECT_EQ(TOOL_FAILED, ret);
		EXPECT_NE(NULL, strstr(self->out,
				       "No permissions to create new namespace"));
	} else {
		EXPECT_EQ(0, ret);
	}
}

/* A privileged unshare(1) is never affected. */
TEST_F(clients, unshare_user_as_root)
{
	char *const argv[] = { UNSHARE, "--user", "/bin/true", NULL };

	if (!self->root)
		SKIP(return, "needs root");
	EXPECT_EQ(0, run(argv, false, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
}

/*
 * The clients under policies that let user namespaces be, but mediate the
 * other types, setns and capabilities: what users see.
 */
FIXTURE(mediation) {
	int saved_mode;
	char *saved_policy;
	char out[4096];
};

FIXTURE_SETUP(mediation)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	if (access(UNSHARE, X_OK) || access(BWRAP, X_OK) || access(NSENTER, X_OK))
		SKIP(return, "needs " UNSHARE ", " BWRAP " and " NSENTER);
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(mediation)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

TEST_F(mediation, unshare_user_net_mount)
{
	char *const argv[] = { UNSHARE, "--user", "--map-root-user", "--net",
			       "--mount", "/bin/true", NULL };
	char *const no_net[] = { UNSHARE, "--user", "--map-root-user", "--uts",
				 "--mount", "/bin/true", NULL };
	int ret;

	ASSERT_EQ(0, write_policy(""));
	EXPECT_EQ(0, run(argv, true, self->out, sizeof(self->out)));
	ASSERT_EQ(0, write_policy("deny create net restricted\n"));
	ret = run(argv, true, self->out, sizeof(self->out));
	TH_LOG("unshare -U -r -n -m: exit %d: %s", ret, self->out);
	EXPECT_EQ(TOOL_FAILED, ret);
	EXPECT_NE(NULL, strstr(self->out, "Operation not permitted"));
	/* Without --net, it works. */
	EXPECT_EQ(0, run(no_net, true, self->out, sizeof(self->out)));
}

TEST_F(mediation, nsenter_all)
{
	char target[16];
	char *const argv[] = { NSENTER, "-t", target, "-a", "/bin/true", NULL };
	pid_t holder;
	int ret;

	ASSERT_EQ(0, write_policy(""));
	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS |
			      CLONE_NEWIPC | CLONE_NEWNS, true);
	ASSERT_LT(0, holder);
	snprintf(target, sizeof(target), "%d", holder);
	EXPECT_EQ(0, run(argv, false, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, write_policy("deny setns net restricted\n"));
	ret = run(argv, false, self->out, sizeof(self->out));
	TH_LOG("nsenter -t PID -a: exit %d: %s", ret, self->out);
	EXPECT_EQ(TOOL_FAILED, ret);
	EXPECT_NE(NULL, strstr(self->out, "Operation not permitted"));
	kill_holder(holder);
}

TEST_F(mediation, bwrap_unshare_all)
{
	char *const argv[] = { BWRAP, "--unshare-all", "--ro-bind", "/", "/",
			       "--proc", "/proc", "--dev", "/dev", "/bin/true",
			       NULL };
	int ret;

	ASSERT_EQ(0, write_policy(""));
	EXPECT_EQ(0, run(argv, true, self->out, sizeof(self->out)));

	/* Refused the namespace. */
	ASSERT_EQ(0, write_policy("deny create net restricted\n"));
	ret = run(argv, true, self->out, sizeof(self->out));
	TH_LOG("bwrap, create net denied: exit %d: %s", ret, self->out);
	EXPECT_EQ(TOOL_FAILED, ret);
	EXPECT_NE(NULL, strstr(self->out, "No permissions to create new namespace"));

	/* Given the namespace, refused the capability it sets lo up with. */
	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"));
	ret = run(argv, true, self->out, sizeof(self->out));
	TH_LOG("bwrap, cap NET_ADMIN denied: exit %d: %s", ret, self->out);
	EXPECT_EQ(TOOL_FAILED, ret);
	EXPECT_NE(NULL, strstr(self->out, "loopback"));

	/*
	 * The built-in policy leaves bubblewrap working.  Loaded from its
	 * text: the policy in force when the test started may be any.
	 */
	ASSERT_EQ(0, write_policy(default_policy));
	EXPECT_EQ(0, run(argv, true, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
}

TEST_HARNESS_MAIN
