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
#include <linux/user_namespace.h>

#include "../mode.h"
#include "../policy.h"
#include "../record.h"
#include "../setup.h"
#include "../userns.h"
#include "kunit_state.h"

/* Credentials of the test thread without @cap in any set. */
static struct cred *creds_without(struct kunit *test, int cap)
{
	struct cred *cred = nshard_kunit_cred(test);

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

	/* Any other capability is irrelevant. */
	cred = creds_without(test, CAP_NET_ADMIN);
	KUNIT_EXPECT_TRUE(test, nshard_cred_privileged(cred));

	/* Only the effective set counts. */
	cred = nshard_kunit_cred(test);
	cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
	KUNIT_EXPECT_FALSE(test, nshard_cred_privileged(cred));
}

static void test_new_userns_origin(struct kunit *test)
{
	struct cred *cred = creds_without(test, CAP_SYS_ADMIN);

	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(current_cred()),
			NSHARD_ORIGIN_PRIVILEGED);
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(cred),
			NSHARD_ORIGIN_RESTRICTED);

	/*
	 * CAP_SYS_ADMIN held by an ordinary uid (file capabilities, ambient
	 * capabilities): the owner rule gives that uid the namespace.
	 */
	cred = nshard_kunit_cred(test);
	cred->euid = KUIDT_INIT(1000);
	KUNIT_EXPECT_TRUE(test, nshard_cred_privileged(cred));
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(cred),
			NSHARD_ORIGIN_RESTRICTED);
	/* The real uid does not own the namespace: the effective one does. */
	cred = nshard_kunit_cred(test);
	cred->uid = KUIDT_INIT(1000);
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(cred),
			NSHARD_ORIGIN_PRIVILEGED);
}

/* Create a user namespace as create_user_ns() does: 0 or its error. */
static int try_create(struct kunit *test, struct cred *cred)
{
	struct cred *c = prepare_creds();
	int err;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->euid = cred->euid;
	c->cap_effective = cred->cap_effective;
	err = create_user_ns(c);
	abort_creds(c);
	return err;
}

/*
 * Go through the LSM framework, as create_user_ns() does, to check that the
 * registered hooks apply the active policy in the current mode.
 */
static void test_userns_create_hook(struct kunit *test)
{
	struct cred *unpriv = creds_without(test, CAP_SYS_ADMIN);
	struct cred *priv = nshard_kunit_cred(test);

	nshard_kunit_own_state(test);
	nshard_kunit_load(test, "deny create user restricted\n");

	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, try_create(test, unpriv), 0);
	KUNIT_EXPECT_EQ(test, try_create(test, priv), 0);

	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, try_create(test, unpriv), 0);
	KUNIT_EXPECT_EQ(test, try_create(test, priv), 0);

	nshard_mode_set(NSHARD_MODE_ENFORCE);
	KUNIT_EXPECT_EQ(test, try_create(test, unpriv), -EPERM);
	KUNIT_EXPECT_EQ(test, try_create(test, priv), 0);

	/* The policy, not the mode alone, decides. */
	nshard_kunit_load(test, "deny create user privileged\n");
	KUNIT_EXPECT_EQ(test, try_create(test, unpriv), 0);
	KUNIT_EXPECT_EQ(test, try_create(test, priv), -EPERM);

	/* The initial namespace is level 0: a new one is at depth 1. */
	nshard_kunit_load(test, "limit depth user 0\n");
	KUNIT_EXPECT_EQ(test, try_create(test, priv), -EPERM);
	nshard_kunit_load(test, "limit depth user 1\n");
	KUNIT_EXPECT_EQ(test, try_create(test, priv), 0);
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
