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
		SKIP(return, "the policy is not \"%s\"",
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
 * mode the harness set.
 */
TEST_F(userns, as_self_in_current_mode)
{
	int mode = read_mode();

	TH_LOG("mode %s, %s", mode_names[mode],
	       privileged() ? "privileged" : "unprivileged");
	EXPECT_EQ(expected_userns_errno(mode, privileged()),
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

/* uid 0 is not what makes a creator privileged: CAP_SYS_ADMIN is. */
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
