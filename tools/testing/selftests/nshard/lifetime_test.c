// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - the lifetime of user namespace records
 *
 * Create and destroy 100,000 user namespaces (and 200 more with every other
 * type), from one process per CPU, root's of privileged origin and the test
 * user's of restricted origin; then 1,000 whose creation fails after the user
 * namespace was made, because the network namespace of the same call is
 * refused.  The number of live records, in the counters file, counts a held
 * namespace and returns to where it started.  The kmemleak check after the
 * tests looks for anything left behind.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include "../kselftest_harness.h"
#include "common.h"

#define CYCLES		100000
#define FULL_CYCLES	200
#define REFUSED_CYCLES	1000

/* Live user namespace records, from the counters file. */
static long long live_records(void)
{
	char *s = read_file(NSHARD_COUNTERS_PATH, NULL), *p;
	long long n = -1;

	p = s ? strstr(s, "\nuserns ") : NULL;
	if (p)
		n = strtoll(p + 8, NULL, 10);
	free(s);
	return n;
}

/* Freed user namespaces go from a work item: give them time. */
static long long settle(long long expect)
{
	long long n = live_records();
	int i;

	for (i = 0; i < 300 && n != expect; i++) {
		usleep(100000);
		n = live_records();
	}
	return n;
}

FIXTURE(lifetime) {};
FIXTURE_SETUP(lifetime) {}
FIXTURE_TEARDOWN(lifetime) {}

/* Minutes under emulation: well over the default 30 s timeout. */
TEST_F_TIMEOUT(lifetime, create_and_destroy, 1800)
{
	int workers = sysconf(_SC_NPROCESSORS_ONLN);
	long long start, peak;
	int i, w, failed = 0;
	pid_t pids[64], holder, pid;
	char *saved;

	ASSERT_TRUE(nshard_active());
	if (workers < 1 || workers > 64)
		workers = 1;
	start = live_records();
	ASSERT_LE(0, start) {
		TH_LOG("no userns line in " NSHARD_COUNTERS_PATH);
	}
	if (getuid() != 0 || !privileged())
		SKIP(return, "the root run covers it, under an empty policy");
	saved = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, saved);
	ASSERT_EQ(0, write_policy(""));

	/* A namespace that is held is counted. */
	holder = spawn_holder(CLONE_NEWUSER, true);
	ASSERT_LT(0, holder);
	EXPECT_EQ(start + 1, live_records());
	kill_holder(holder);
	ASSERT_EQ(start, settle(start));

	for (w = 0; w < workers; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (pids[w] == 0) {
			int n = 0;

			/* Every other worker's namespaces are restricted. */
			if (w % 2 && drop_to_test_user())
				_exit(CHILD_SETUP_FAILED);

			for (i = w; i < CYCLES; i += workers)
				n += vfork_create(CLONE_NEWUSER) != 0;
			for (i = w; i < FULL_CYCLES; i += workers)
				n += vfork_create(CLONE_NEWUSER | CLONE_NEWNS |
					   CLONE_NEWUTS | CLONE_NEWIPC |
					   CLONE_NEWPID | CLONE_NEWCGROUP |
					   CLONE_NEWNET) != 0;
			_exit(n ? 1 : 0);
		}
	}
	for (w = 0; w < workers; w++)
		failed += wait_child(pids[w]) != 0;
	peak = live_records();
	EXPECT_EQ(0, failed) {
		TH_LOG("%d workers saw failed creations", failed);
	}
	EXPECT_EQ(start, settle(start)) {
		TH_LOG("%lld records at the start, %lld right after", start,
		       peak);
	}

	/* The user namespace is made, then the call fails and frees it. */
	ASSERT_EQ(0, write_policy("deny create net restricted\n"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int n = 0;

		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		for (i = 0; i < REFUSED_CYCLES; i++)
			n += vfork_create(CLONE_NEWUSER | CLONE_NEWNET) != EPERM;
		_exit(n ? 1 : 0);
	}
	EXPECT_EQ(0, wait_child(pid)) {
		TH_LOG("creations the policy should have refused");
	}
	EXPECT_EQ(start, settle(start));
	TH_LOG("%d user namespaces created and freed by %d processes, %d more refused",
	       CYCLES + FULL_CYCLES, workers, REFUSED_CYCLES);
	TH_LOG("records: %lld before, %lld right after, %lld in the end",
	       start, peak, live_records());
	EXPECT_EQ(0, write_policy(saved));
	free(saved);
}

TEST_HARNESS_MAIN
