// SPDX-License-Identifier: GPL-2.0
/*
 * nshard: the administration tool, tools/nshard/, against the kernel it
 * runs on: status, check and load as root and as uid 1000, and inspect of
 * processes in namespaces made by unshare(1) and bubblewrap, its output
 * checked against what the test set up.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <limits.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "common.h"

#define UNSHARE		"/usr/bin/unshare"
#define BWRAP		"/usr/bin/bwrap"
#define OUT_SIZE	65536
#define POLICY_A	"/tmp/nshard-tool-a.policy"
#define POLICY_B	"/tmp/nshard-tool-b.policy"

FIXTURE(tool) {
	int saved_mode;
	char *saved_policy;
	char nshard[PATH_MAX + 16];
	char out[OUT_SIZE];
};

FIXTURE_SETUP(tool)
{
	char dir[PATH_MAX];
	ssize_t len;

	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "uid %d: root loads the policies, then runs the tool as uid %u too",
		     getuid(), NSHARD_TEST_UID);
	len = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	ASSERT_LT(0, len);
	dir[len] = '\0';
	*strrchr(dir, '/') = '\0';
	snprintf(self->nshard, sizeof(self->nshard), "%s/nshard", dir);
	ASSERT_EQ(0, access(self->nshard, X_OK)) {
		TH_LOG("%s is built with this test", self->nshard);
	}
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(tool)
{
	unlink(POLICY_A);
	unlink(POLICY_B);
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

static int put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* unshare(CLONE_NEWUSER) as the test user: 0 or its errno. */
static int userns_as_test_user(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		_exit(unshare(CLONE_NEWUSER) ? errno : 0);
	}
	return wait_child(pid);
}

#define EXPECT_OUT(out, text) do {					\
	const char *_o = (out), *_t = (text);				\
									\
	EXPECT_NE(NULL, strstr(_o, _t))					\
		TH_LOG("no \"%s\" in:\n%s", _t, _o);			\
} while (0)

TEST_F(tool, status)
{
	char *const argv[] = { self->nshard, "status", NULL };
	char *digest;

	ASSERT_EQ(0, write_policy("deny create user restricted\n"));
	digest = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_NE(NULL, digest);
	*strchr(digest, '\n') = '\0';
	/* A refusal, so that the table has a line. */
	EXPECT_EQ(EPERM, userns_as_test_user());

	EXPECT_EQ(0, run_output(false, argv, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, "enforce");
	EXPECT_OUT(self->out, digest);
	EXPECT_OUT(self->out, "create user");
	/* Everyone may read the state. */
	EXPECT_EQ(0, run_output(true, argv, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, digest);
	free(digest);
}

TEST_F(tool, check_loads_nothing_load_loads)
{
	char *const check[] = { self->nshard, "check", POLICY_A, POLICY_B, NULL };
	char *const load[] = { self->nshard, "load", POLICY_A, POLICY_B, NULL };
	unsigned long long g;
	char *digest;

	ASSERT_EQ(0, write_policy(""));
	ASSERT_EQ(0, put(POLICY_A, "# desktops\ndeny gate tc restricted\n"));
	ASSERT_EQ(0, put(POLICY_B, "deny cap NET_RAW restricted\n"));
	g = read_generation();

	EXPECT_EQ(0, run_output(false, check, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, "ok");
	EXPECT_OUT(self->out, "2 statements");
	EXPECT_EQ(g, read_generation());
	EXPECT_TRUE(policy_is(""));

	EXPECT_EQ(0, run_output(false, load, self->out, sizeof(self->out)));
	EXPECT_EQ(g + 1, read_generation());
	EXPECT_TRUE(policy_is("deny cap NET_RAW restricted\n"
			      "deny gate tc restricted\n"));
	digest = read_file(NSHARD_DIGEST_PATH, NULL);
	ASSERT_NE(NULL, digest);
	*strchr(digest, '\n') = '\0';
	EXPECT_OUT(self->out, digest);
	free(digest);
}

/* An error is named by the file and the line it is on. */
TEST_F(tool, errors_name_file_and_line)
{
	char *const check[] = { self->nshard, "check", POLICY_A, POLICY_B, NULL };
	char *const load[] = { self->nshard, "load", POLICY_A, POLICY_B, NULL };
	unsigned long long g;

	ASSERT_EQ(0, write_policy("deny gate xfrm restricted\n"));
	g = read_generation();
	ASSERT_EQ(0, put(POLICY_A, "deny gate tc restricted\n"));
	ASSERT_EQ(0, put(POLICY_B, "# line 1\n\ndeny gate no-such-gate\n"));

	EXPECT_EQ(1, run_output(false, check, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, POLICY_B ":3:");
	EXPECT_OUT(self->out, "no-such-gate");
	EXPECT_EQ(1, run_output(false, load, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, POLICY_B ":3:");
	EXPECT_EQ(g, read_generation());
	EXPECT_TRUE(policy_is("deny gate xfrm restricted\n"));
}

#define POLICY_DIR	"/tmp/nshard-tool-policy.d"

/* The site policy at boot: a directory, in order, whole or not at all. */
TEST_F(tool, boot_loads_a_directory)
{
	char *const boot[] = {
		self->nshard, "boot", "--dir", POLICY_DIR, NULL,
	};
	const char *first, *second;
	unsigned long long g;

	ASSERT_EQ(0, write_policy("deny gate xfrm restricted\n"));
	ASSERT_EQ(0, mkdir(POLICY_DIR, 0755) && errno != EEXIST);
	g = read_generation();

	/* Nothing to load: the policy in force stays, and that is fine. */
	EXPECT_EQ(0, run_output(false, boot, self->out, sizeof(self->out)));
	EXPECT_EQ(g, read_generation());

	ASSERT_EQ(0, put(POLICY_DIR "/20-net.policy",
			 "deny gate tc restricted\n"));
	ASSERT_EQ(0, put(POLICY_DIR "/10-base.policy",
			 "deny cap NET_RAW restricted\n"));
	ASSERT_EQ(0, put(POLICY_DIR "/README", "not a policy\n"));
	EXPECT_EQ(0, run_output(false, boot, self->out, sizeof(self->out)));
	EXPECT_EQ(g + 1, read_generation());
	EXPECT_TRUE(policy_is("deny cap NET_RAW restricted\n"
			      "deny gate tc restricted\n"));
	first = strstr(self->out, "10-base.policy");
	second = strstr(self->out, "20-net.policy");
	EXPECT_TRUE(first && second && first < second);

	/* One bad file: none of it is loaded, loudly. */
	ASSERT_EQ(0, put(POLICY_DIR "/30-bad.policy", "deny gate nosuch\n"));
	EXPECT_EQ(1, run_output(false, boot, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, POLICY_DIR "/30-bad.policy:1:");
	EXPECT_OUT(self->out, "THE SITE POLICY WAS NOT LOADED");
	EXPECT_EQ(g + 1, read_generation());
	EXPECT_TRUE(policy_is("deny cap NET_RAW restricted\n"
			      "deny gate tc restricted\n"));
	EXPECT_EQ(2, run_output(true, boot, self->out, sizeof(self->out)));

	unlink(POLICY_DIR "/10-base.policy");
	unlink(POLICY_DIR "/20-net.policy");
	unlink(POLICY_DIR "/30-bad.policy");
	unlink(POLICY_DIR "/README");
	rmdir(POLICY_DIR);
}

TEST_F(tool, check_and_load_need_root)
{
	char *const check[] = { self->nshard, "check", POLICY_A, NULL };
	char *const load[] = { self->nshard, "load", POLICY_A, NULL };
	unsigned long long g = read_generation();

	ASSERT_EQ(0, put(POLICY_A, "deny gate tc restricted\n"));
	EXPECT_EQ(2, run_output(true, check, self->out, sizeof(self->out)));
	EXPECT_EQ(2, run_output(true, load, self->out, sizeof(self->out)));
	EXPECT_EQ(g, read_generation());
}

/* What uid 1000 reads of itself in "unshare -r", with a capability dropped. */
TEST_F(tool, inspect_in_unshare)
{
	char *const argv[] = {
		UNSHARE, "--user", "--map-root-user", self->nshard, "inspect",
		"--json", NULL,
	};

	ASSERT_EQ(0, write_policy("allow create user restricted drop=NET_RAW\n"
				  "deny gate tc restricted\n"));
	EXPECT_EQ(0, run_output(true, argv, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, "\"origin\": \"restricted\"");
	EXPECT_OUT(self->out, "NET_RAW");
	EXPECT_OUT(self->out, "\"score\"");
	TH_LOG("%s", self->out);
}

/*
 * On the host, where nshard mediates nothing of uid 1000's own, what a
 * sandbox it starts would meet: the kernel's child lines.
 */
TEST_F(tool, inspect_on_host)
{
	char *const argv[] = { self->nshard, "inspect", NULL };

	ASSERT_EQ(0, write_policy("allow create user restricted drop=NET_RAW\n"
				  "deny gate tc restricted\n"));
	EXPECT_EQ(0, run_output(true, argv, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, "new-caps-refused  NET_RAW");
	EXPECT_OUT(self->out, "new-gates-closed  tc");
	TH_LOG("%s", self->out);
}

/* In a bubblewrap sandbox, as Flatpak makes one: text, and a threshold. */
TEST_F(tool, inspect_in_bwrap)
{
	char *const argv[] = {
		BWRAP, "--unshare-all", "--ro-bind", "/", "/", "--dev", "/dev",
		"--proc", "/proc", self->nshard, "inspect", NULL,
	};
	char *const strict[] = {
		BWRAP, "--unshare-all", "--ro-bind", "/", "/", "--dev", "/dev",
		"--proc", "/proc", self->nshard, "inspect", "--threshold", "0",
		NULL,
	};
	char *const lax[] = {
		BWRAP, "--unshare-all", "--ro-bind", "/", "/", "--dev", "/dev",
		"--proc", "/proc", self->nshard, "inspect", "--threshold", "10",
		NULL,
	};

	if (access(BWRAP, X_OK))
		SKIP(return, "no " BWRAP);
	ASSERT_EQ(0, write_policy("deny gate netfilter restricted\n"));
	EXPECT_EQ(0, run_output(true, argv, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, "restricted");
	EXPECT_OUT(self->out, "netfilter");
	EXPECT_OUT(self->out, "verdict");
	TH_LOG("%s", self->out);
	EXPECT_EQ(1, run_output(true, strict, self->out, sizeof(self->out)));
	EXPECT_EQ(0, run_output(true, lax, self->out, sizeof(self->out)));
}

/* Root inspects a user's process by PID; the user may not inspect root's. */
TEST_F(tool, inspect_other_process)
{
	char pid[16];
	char *const argv[] = { self->nshard, "inspect", "--json", pid, NULL };
	int ready[2];
	pid_t child;
	char c;

	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"));
	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(ready[0]);
		if (drop_to_test_user() || enter_userns_as_root() ||
		    write(ready[1], "r", 1) != 1)
			_exit(CHILD_SETUP_FAILED);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	snprintf(pid, sizeof(pid), "%d", child);
	EXPECT_EQ(0, run_output(false, argv, self->out, sizeof(self->out)));
	EXPECT_OUT(self->out, "\"origin\": \"restricted\"");
	EXPECT_OUT(self->out, "\"tc\"");
	kill_holder(child);

	snprintf(pid, sizeof(pid), "1");
	run_output(true, argv, self->out, sizeof(self->out));
	EXPECT_EQ(NULL, strstr(self->out, "\"level\": 0, \"origin\""))
		TH_LOG("uid %u read PID 1's report:\n%s", NSHARD_TEST_UID,
		       self->out);
}

TEST_HARNESS_MAIN
