// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - sealing
 *
 * Sealing cannot be undone until reboot, so this test seals only when
 * NSHARD_TEST_SEAL=1 is in its environment: the harness runs it last, and
 * again in a guest booted with nshard.seal=1.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include "../kselftest_harness.h"
#include "common.h"

static bool sealed(void)
{
	char *s = read_file(NSHARD_SEAL_PATH, NULL);
	bool ret = s && !strcmp(s, "1\n");

	free(s);
	return ret;
}

TEST(seal)
{
	unsigned long long gen;
	char *policy, *now;
	int mode, m;

	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !have_cap(CAP_MAC_ADMIN)) {
		EXPECT_EQ(-EACCES, write_file(NSHARD_SEAL_PATH, "1", 1));
		EXPECT_EQ(-EACCES, write_policy(""));
		return;
	}
	if (!sealed()) {
		const char *env = getenv("NSHARD_TEST_SEAL");

		if (!env || strcmp(env, "1"))
			SKIP(return, "sealing lasts until reboot; set NSHARD_TEST_SEAL=1");
		/* Only "1" seals. */
		EXPECT_EQ(-EINVAL, write_file(NSHARD_SEAL_PATH, "0", 1));
		EXPECT_EQ(-EINVAL, write_file(NSHARD_SEAL_PATH, "yes", 3));
		EXPECT_FALSE(sealed());
		ASSERT_EQ(0, write_policy("deny create net restricted\n"));
		ASSERT_EQ(0, write_file(NSHARD_SEAL_PATH, "1\n", 2));
	} else {
		TH_LOG("sealed at boot: the built-in policy is in force");
		EXPECT_EQ(1, read_generation());
	}
	ASSERT_TRUE(sealed());

	gen = read_generation();
	mode = read_mode();
	policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, policy);

	/* Nothing changes any more, for anyone. */
	EXPECT_EQ(-EPERM, write_policy("deny create pid\n"));
	EXPECT_EQ(-EPERM, write_policy(policy));
	for (m = 0; m < MODE_COUNT; m++)
		EXPECT_EQ(-EPERM, write_mode(m));
	EXPECT_EQ(-EPERM, write_file(NSHARD_SEAL_PATH, "1", 1));
	EXPECT_EQ(-EPERM, write_file(NSHARD_SEAL_PATH, "0", 1));

	EXPECT_TRUE(sealed());
	EXPECT_EQ(gen, read_generation());
	EXPECT_EQ(mode, read_mode());
	now = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, now);
	EXPECT_STREQ(policy, now);
	free(policy);
	free(now);
}

TEST_HARNESS_MAIN
