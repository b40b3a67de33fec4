// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - replacing the policy while namespaces are created
 *
 * One process replaces the policy 1000 times, alternating between a policy
 * that refuses the test user's user namespaces and one that allows them,
 * while other processes create namespaces as the test user.  Whenever the
 * generation number is the same before and after a creation, the outcome
 * must be the one that generation's policy gives: no decision is made under
 * a mix of two policies, or under a stale one.  The kernel log check that
 * follows the tests catches oopses, lockdep and KASAN reports.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "common.h"

#define REPLACEMENTS	1000
#define WORKERS		3

static const char *const storm_policies[2] = {
	/* Odd steps from the start: refuse, through a uid rule. */
	"allow create user restricted\n"
	"deny create user uid=1000 restricted\n"
	"limit depth user 8\n",
	/* Even steps: allow, through a default. */
	"default create user allow\n"
	"deny create user uid=1001 restricted\n",
};

struct storm {
	int stop;	/* shared between processes: use __atomic builtins */
	unsigned long long gen0;
	unsigned long decisions[WORKERS];
	unsigned long stable[WORKERS];
	unsigned long wrong[WORKERS];
};

/* The outcome the policy of generation @gen gives the test user. */
static int expected(const struct storm *s, unsigned long long gen)
{
	return (gen - s->gen0) % 2 ? EPERM : 0;
}

static void worker(struct storm *s, int w)
{
	static const unsigned long flags[WORKERS] = {
		CLONE_NEWUSER,
		CLONE_NEWUSER | CLONE_NEWNET,
		CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC,
	};

	if (drop_to_test_user())
		_exit(CHILD_SETUP_FAILED);
	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
		unsigned long long g1, g2;
		int ret;

		g1 = read_generation();
		ret = vfork_create(flags[w]);
		g2 = read_generation();
		s->decisions[w]++;
		if (g1 != g2 || g1 == s->gen0)
			continue;
		s->stable[w]++;
		if (ret != expected(s, g1))
			s->wrong[w]++;
	}
	_exit(0);
}

TEST(reload_storm)
{
	unsigned long decisions = 0, stable = 0, wrong = 0;
	pid_t pids[WORKERS];
	char *saved_policy;
	struct storm *s;
	int saved_mode, i;

	if (getuid() != 0 || !have_cap(CAP_MAC_ADMIN))
		SKIP(return, "needs CAP_MAC_ADMIN");
	saved_mode = read_mode();
	saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, saved_policy);
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s);

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	s->gen0 = read_generation();
	for (i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			worker(s, i);
	}
	for (i = 0; i < REPLACEMENTS; i++) {
		ASSERT_EQ(0, write_policy(storm_policies[i % 2]));
		/* Bursts, and pauses long enough for stable samples. */
		if (i % 20 == 19)
			usleep(50000);
	}
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < WORKERS; i++) {
		EXPECT_EQ(0, wait_child(pids[i]));
		decisions += s->decisions[i];
		stable += s->stable[i];
		wrong += s->wrong[i];
	}
	TH_LOG("%d replacements, %lu creations, %lu under a stable generation",
	       REPLACEMENTS, decisions, stable);
	EXPECT_EQ(s->gen0 + REPLACEMENTS, read_generation());
	EXPECT_EQ(0, wrong);
	EXPECT_LT(10, stable);

	EXPECT_EQ(0, write_mode(saved_mode));
	EXPECT_EQ(0, write_policy(saved_policy));
	free(saved_policy);
	munmap(s, sizeof(*s));
}

TEST_HARNESS_MAIN
