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

#include "../mode.h"
#include "../setup.h"
#include "../userns.h"

struct verdict_case {
	enum nshard_mode mode;
	bool privileged;
	enum nshard_verdict verdict;
};

static const struct verdict_case verdict_cases[] = {
	{ NSHARD_MODE_OFF, false, NSHARD_ALLOW },
	{ NSHARD_MODE_OFF, true, NSHARD_ALLOW },
	{ NSHARD_MODE_AUDIT, false, NSHARD_AUDIT },
	{ NSHARD_MODE_AUDIT, true, NSHARD_ALLOW },
	{ NSHARD_MODE_ENFORCE, false, NSHARD_DENY },
	{ NSHARD_MODE_ENFORCE, true, NSHARD_ALLOW },
};

static void verdict_case_desc(const struct verdict_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s",
		 nshard_mode_name(c->mode),
		 c->privileged ? "privileged" : "unprivileged");
}

KUNIT_ARRAY_PARAM(verdict, verdict_cases, verdict_case_desc);

static void test_userns_create_verdict(struct kunit *test)
{
	const struct verdict_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test,
			nshard_userns_create_verdict(c->mode, c->privileged),
			c->verdict);
}

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

/*
 * Go through the LSM framework, as create_user_ns() does, to check that the
 * registered hook applies the verdict of the current mode.
 */
static void test_userns_create_hook(struct kunit *test)
{
	enum nshard_mode saved = nshard_mode_get();
	struct cred *unpriv;

	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");

	unpriv = creds_without(test, CAP_SYS_ADMIN);

	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), 0);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), 0);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	nshard_mode_set(NSHARD_MODE_ENFORCE);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(unpriv), -EPERM);
	KUNIT_EXPECT_EQ(test, security_create_user_ns(current_cred()), 0);

	nshard_mode_set(saved);
	abort_creds(unpriv);
}

static struct kunit_case nshard_userns_test_cases[] = {
	KUNIT_CASE_PARAM(test_userns_create_verdict, verdict_gen_params),
	KUNIT_CASE(test_cred_privileged),
	KUNIT_CASE(test_userns_create_hook),
	{}
};

static struct kunit_suite nshard_userns_test_suite = {
	.name = "nshard_userns",
	.test_cases = nshard_userns_test_cases,
};

kunit_test_suite(nshard_userns_test_suite);
