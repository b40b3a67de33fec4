// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - benchmark of the operations nshard mediates
 *
 * Not a test: it prints figures.  Run as root, in kernels booted with and
 * without nshard, to compare them (the harness's "make bench" does that):
 *
 *   userns     clone(2) of a child in a new user namespace, which exits
 *   userns+net the same with a new network namespace
 *   setns      setns(2) into another network namespace and back
 *   capable    sethostname(2) in the initial namespaces: one capability
 *              check against the initial user namespace, and little else
 *   capable-in sethostname(2) in a user namespace of the caller's
 *
 * Each operation runs a warm-up round, then ROUNDS rounds; printed, one line
 * per operation: "<name> <mean ns> <min ns> <max ns>", the mean over all
 * the rounds, and the fastest and the slowest round's ns/op.  The mean, not
 * the median, is the figure: it charges each operation its share of the
 * work the kernel defers (RCU callbacks, the freeing of user namespaces
 * from a workqueue), which lands in some rounds and not in others.
 *
 * Usage: nshard_bench [SCALE [OPERATION]]: SCALE multiplies the number of
 * iterations (default 1); OPERATION runs only the operation of that name.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <time.h>

#include "common.h"

#define ROUNDS	9

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static int other_net = -1, own_net = -1;
static char hostname[64];

static int op_userns(void)
{
	return vfork_create(CLONE_NEWUSER);
}

static int op_userns_net(void)
{
	return vfork_create(CLONE_NEWUSER | CLONE_NEWNET);
}

static int op_setns(void)
{
	return setns(other_net, CLONE_NEWNET) || setns(own_net, CLONE_NEWNET);
}

static int op_capable(void)
{
	return sethostname(hostname, strlen(hostname));
}

/* Only the operation named on the command line, if one is. */
static const char *only;

static void bench(const char *name, int (*op)(void), unsigned int iters)
{
	unsigned long long ns[ROUNDS + 1], total = 0;
	unsigned int r, i;

	if (only && strcmp(only, name))
		return;

	for (r = 0; r <= ROUNDS; r++) {
		unsigned long long t0 = now_ns();

		for (i = 0; i < iters; i++) {
			if (op()) {
				printf("%s failed: %s\n", name, strerror(errno));
				exit(1);
			}
		}
		ns[r] = now_ns() - t0;
		/* Round 0 warms up. */
		if (r)
			total += ns[r];
	}
	qsort(ns + 1, ROUNDS, sizeof(ns[0]), cmp);
	printf("%s %llu %llu %llu\n", name, total / ROUNDS / iters,
	       ns[1] / iters, ns[ROUNDS] / iters);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned int scale = argc > 1 ? atoi(argv[1]) : 1;
	pid_t holder, pid;

	if (!scale)
		scale = 1;
	only = argc > 2 ? argv[2] : NULL;
	if (gethostname(hostname, sizeof(hostname)))
		return 1;
	/* The network namespace to enter: the test user's, restricted. */
	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, true);
	if (holder < 0)
		return 1;
	other_net = open_ns(holder, CLONE_NEWNET);
	own_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (other_net < 0 || own_net < 0)
		return 1;

	bench("userns", op_userns, 200 * scale);
	bench("userns+net", op_userns_net, 20 * scale);
	bench("setns", op_setns, 10000 * scale);
	bench("capable", op_capable, 20000 * scale);

	/* The same check, against a user namespace: nshard's slow path. */
	pid = fork();
	if (pid == 0) {
		if (enter_userns_as_root() || unshare(CLONE_NEWUTS))
			_exit(1);
		bench("capable-in", op_capable, 20000 * scale);
		_exit(0);
	}
	kill_holder(holder);
	return wait_child(pid);
}
