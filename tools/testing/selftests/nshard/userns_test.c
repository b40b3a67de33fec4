// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - user namespace creation
 *
 * Every test runs once per way of creating a user namespace: unshare(2),
 * clone(2) and clone3(2).
 *
 * Copyright (C) 2026 The nshard authors
 */

#include "../kselftest_harness.h"
#include "common.h"

FIXTURE(userns) {
	int saved_mode;
	char *saved_policy;
	bool root;
};

FIXTURE_VARIANT(userns) {
	enum create_method method;
};

FIXTURE_VARIANT_ADD(userns, unshare) {
	.method = BY_UNSHARE,
};

FIXTURE_VARIANT_ADD(userns, clone) {
	.method = BY_CLONE,
};

FIXTURE_VARIANT_ADD(userns, clone3) {
	.method = BY_CLONE3,
};

FIXTURE_SETUP(userns)
{
	ASSERT_TRUE(nshard_active()) {
		TH_LOG("nshard is not in " SECURITYFS "/lsm");
	}
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->root = getuid() == 0 && privileged();
	/* The policy these tests are about; see run-tests.sh. */
	if (self->root) {
		self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
		ASSERT_NE(NULL, self->saved_policy);
		ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
	} else if (!policy_is(RESTRICT_USERNS_POLICY)) {
		SKIP(return, "needs the policy \"%s\" loaded by root",
		     RESTRICT_USERNS_POLICY);
	}
}

FIXTURE_TEARDOWN(userns)
{
	if (self->root) {
		EXPECT_EQ(0, write_mode(self->saved_mode));
		EXPECT_EQ(0, write_policy(self->saved_policy));
		free(self->saved_policy);
	}
}

/*
 * Under "deny create user restricted": whoever runs the test, in whatever
 * mode the harness set.  The namespace is of privileged origin only if this
 * process has euid 0 and CAP_SYS_ADMIN in the initial user namespace: a
 * user holding CAP_SYS_ADMIN without being root (setpriv --ambient-caps)
 * creates restricted ones, and is refused in enforce mode.
 */
TEST_F(userns, as_self_in_current_mode)
{
	bool priv = creates_privileged_userns();
	int mode = read_mode();

	ASSERT_LE(0, mode);
	TH_LOG("mode %s, %s", mode_names[mode],
	       priv ? "privileged origin" : "restricted origin");
	EXPECT_EQ(expected_userns_errno(mode, priv),
		  try_create(variant->method, CLONE_NEWUSER, AS_SELF));
}

TEST_F(userns, unprivileged_creator_in_each_mode)
{
	int mode;

	if (!self->root)
		SKIP(return, "switching modes needs root");

	for (mode = 0; mode < MODE_COUNT; mode++) {
		ASSERT_EQ(0, write_mode(mode));
		EXPECT_EQ(mode == MODE_ENFORCE ? EPERM : 0,
			  try_create(variant->method, CLONE_NEWUSER,
				     AS_TEST_USER)) {
			TH_LOG("mode %s", mode_names[mode]);
		}
	}
}

TEST_F(userns, privileged_creator_in_each_mode)
{
	int mode;

	if (!self->root)
		SKIP(return, "switching modes needs root");

	for (mode = 0; mode < MODE_COUNT; mode++) {
		ASSERT_EQ(0, write_mode(mode));
		EXPECT_EQ(0, try_create(variant->method, CLONE_NEWUSER,
					AS_SELF)) {
			TH_LOG("mode %s", mode_names[mode]);
		}
	}
}

/*
 * uid 0 alone does not make a creator privileged: it takes euid 0 and
 * CAP_SYS_ADMIN in the initial user namespace, both.
 */
TEST_F(userns, root_without_cap_sys_admin)
{
	if (!self->root)
		SKIP(return, "needs root");

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	EXPECT_EQ(EPERM, try_create(variant->method, CLONE_NEWUSER,
				    AS_ROOT_WITHOUT_SYS_ADMIN));
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, try_create(variant->method, CLONE_NEWUSER,
				AS_ROOT_WITHOUT_SYS_ADMIN));
}

/*
 * The test user keeping CAP_SYS_ADMIN, as a service with User= and
 * AmbientCapabilities=CAP_SYS_ADMIN would: needs root.
 */
static int become_test_user_with_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) ||
	    setresgid(NSHARD_TEST_GID, NSHARD_TEST_GID, NSHARD_TEST_GID) ||
	    setresuid(NSHARD_TEST_UID, NSHARD_TEST_UID, NSHARD_TEST_UID))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective = CAP_TO_MASK(CAP_SYS_ADMIN);
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].permitted = CAP_TO_MASK(CAP_SYS_ADMIN);
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	return geteuid() == NSHARD_TEST_UID && have_cap(CAP_SYS_ADMIN) ? 0 : -1;
}

/*
 * CAP_SYS_ADMIN alone does not make a creator privileged either: a user
 * namespace is of privileged origin only if its creator has euid 0 too,
 * since commoncap gives every task of the owner's uid every capability in
 * it.  (Before, this creator's namespaces were of privileged origin.)
 */
TEST_F(userns, test_user_with_cap_sys_admin)
{
	int mode;

	if (!self->root)
		SKIP(return, "needs root");

	for (mode = 0; mode < MODE_COUNT; mode++) {
		pid_t pid;

		ASSERT_EQ(0, write_mode(mode));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (become_test_user_with_sys_admin())
				_exit(CHILD_SETUP_FAILED);
			_exit(create_ns(variant->method, CLONE_NEWUSER));
		}
		EXPECT_EQ(mode == MODE_ENFORCE ? EPERM : 0, wait_child(pid)) {
			TH_LOG("mode %s", mode_names[mode]);
		}
	}
}

/*
 * Other namespace types are not mediated by this rule: an unprivileged
 * creator may still combine them with a new user namespace when the user
 * namespace itself is allowed, and is refused as a whole otherwise.
 */
TEST_F(userns, combined_flags)
{
	const unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS |
				    CLONE_NEWUTS | CLONE_NEWIPC;

	if (!self->root)
		SKIP(return, "switching modes needs root");

	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, try_create(variant->method, flags, AS_TEST_USER));
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	EXPECT_EQ(EPERM, try_create(variant->method, flags, AS_TEST_USER));
	EXPECT_EQ(0, try_create(variant->method, flags, AS_SELF));
}

/*
 * A task inside a user namespace has no CAP_SYS_ADMIN in the initial one,
 * even if root created the namespace: the namespaces it creates are of
 * restricted origin.
 */
TEST_F(userns, nested_creation_inside_root_created_namespace)
{
	int mode;

	if (!self->root)
		SKIP(return, "needs root");

	for (mode = 0; mode < MODE_COUNT; mode++) {
		pid_t pid;

		ASSERT_EQ(0, write_mode(mode));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			/* Mapped, so that only nshard can refuse. */
			if (enter_userns_as_root())
				_exit(CHILD_SETUP_FAILED);
			_exit(create_ns(variant->method, CLONE_NEWUSER));
		}
		EXPECT_EQ(mode == MODE_ENFORCE ? EPERM : 0, wait_child(pid)) {
			TH_LOG("mode %s", mode_names[mode]);
		}
	}
}

TEST_HARNESS_MAIN
