// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nshard's user namespace decisions
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/security.h>
#include <linux/slab.h>

#include "../mode.h"
#include "../policy.h"
#include "../setup.h"
#include "../userns.h"

/* Credentials of the test thread without @cap in any set. */
static struct cred *creds_without(struct kunit *test, int cap)
{
	struct cred *cred = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, cap);
	cap_lower(cred->cap_permitted, cap);
	cap_lower(cred->cap_inheritable, cap);
	cap_lower(cred->cap_bset, cap);
	cap_lower(cred->cap_ambient, cap);
	return cred;
}

static void test_cred_privileged(struct kunit *test)
{
	struct cred *cred;

	/* KUnit runs in a kernel thread with the initial credentials. */
	KUNIT_EXPECT_TRUE(test, nshard_cred_privileged(current_cred()));

	cred = creds_without(test, CAP_SYS_ADMIN);
	KUNIT_EXPECT_FALSE(test, nshard_cred_privileged(cred));
	abort_creds(cred);

	/* Any other capability is irrelevant. */
	cred = creds_without(test, CAP_NET_ADMIN);
	KUNIT_EXPECT_TRUE(test, nshard_cred_privileged(cred));
	abort_creds(cred);

	/* Only the effective set counts. */
	cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, cred);
	cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
	KUNIT_EXPECT_FALSE(test, nshard_cred_privileged(cred));
	abort_creds(cred);
}

static void test_new_userns_origin(struct kunit *test)
{
	struct cred *cred = creds_without(test, CAP_SYS_ADMIN);

	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(current_cred()),
			NSHARD_ORIGIN_PRIVILEGED);
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(cred),
			NSHARD_ORIGIN_RESTRICTED);
	abort_creds(cred);
}

/* Load @text as the active policy, or fail the test. */
static void load(struct kunit *test, const char *text)
{
	struct nshard_parse_error err;

	KUNIT_ASSERT_GT_MSG(test, nshard_policy_load(text, strlen(text), &err),
			    0, "line %u: %s", err.line, err.msg);
}

/*
 * Go through the LSM framework, as create_user_ns() does, to check that the
 * registered hook applies the active policy in the current mode.
 */
static void test_userns_create_hook(struct kunit *test)
{
	enum nshard_mode saved_mode = nshard_mode_get();
	struct cred *unpriv;
	char *saved;

	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");

	rcu_read_lock();
	saved = kmemdup_nul(nshard_policy_get()->text,
			    nshard_policy_get()->text_len, GFP_ATOMIC);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, saved);
	unpriv = creds_without(test, CAP_SYS_ADMIN);
	load(test, "deny create user restricted\n");

	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), 0);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), 0);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	nshard_mode_set(NSHARD_MODE_ENFORCE);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), -EPERM);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	/* The policy, not the mode alone, decides. */
	load(test, "deny create user privileged\n");
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), 0);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), -EPERM);

	/* The initial namespace is level 0: a new one is at depth 1. */
	load(test, "limit depth user 0\n");
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), -EPERM);
	load(test, "limit depth user 1\n");
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	nshard_mode_set(saved_mode);
	load(test, saved);
	kfree(saved);
	abort_creds(unpriv);
}

static struct kunit_case nshard_userns_test_cases[] = {
	KUNIT_CASE(test_cred_privileged),
	KUNIT_CASE(test_new_userns_origin),
	KUNIT_CASE(test_userns_create_hook),
	{}
};

static struct kunit_suite nshard_userns_test_suite = {
	.name = "nshard_userns",
	.test_cases = nshard_userns_test_cases,
};

kunit_test_suite(nshard_userns_test_suite);
