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
 *   socket     socket(2) of a UDP socket, and close(2)
 *   getlink    an RTM_GETLINK request for lo over rtnetlink, and its answer
 *   ioctl      ioctl(2) SIOCGIFFLAGS of lo on a UDP socket
 *   setsockopt setsockopt(2) SO_RCVBUF on a UDP socket
 *
 * The last four run in the initial namespaces (the host's sockets, which
 * nshard's gates must cost next to nothing) and, as "<name>-in", in a user
 * and network namespace of the caller's, of restricted origin, where the
 * gates classify them: none of them is gated.
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

#define _GNU_SOURCE
#include <linux/rtnetlink.h>
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

static int udp = -1, rtnl = -1;

static int op_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return fd < 0 || close(fd);
}

/* RTM_GETLINK for lo, and its answer. */
static int op_getlink(void)
{
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST,
		},
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 1 },
	};
	char buf[4096];

	if (send(rtnl, &req, sizeof(req), 0) != sizeof(req))
		return -1;
	return recv(rtnl, buf, sizeof(buf), 0) <= 0;
}

static int op_ioctl(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };

	return ioctl(udp, SIOCGIFFLAGS, &ifr);
}

static int op_setsockopt(void)
{
	int size = 65536;

	return setsockopt(udp, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/* The sockets the socket operations use, in the current namespaces. */
static int open_sockets(void)
{
	if (udp >= 0)
		close(udp);
	if (rtnl >= 0)
		close(rtnl);
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	rtnl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	return udp < 0 || rtnl < 0;
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

	if (open_sockets())
		return 1;
	bench("socket", op_socket, 20000 * scale);
	bench("getlink", op_getlink, 5000 * scale);
	bench("ioctl", op_ioctl, 20000 * scale);
	bench("setsockopt", op_setsockopt, 20000 * scale);
	bench("userns", op_userns, 200 * scale);
	bench("userns+net", op_userns_net, 20 * scale);
	bench("setns", op_setns, 10000 * scale);
	bench("capable", op_capable, 20000 * scale);

	/* The same check, against a user namespace: nshard's slow path. */
	pid = fork();
	if (pid == 0) {
		if (enter_userns_as_root() ||
		    unshare(CLONE_NEWUTS | CLONE_NEWNET) || lo_up() ||
		    open_sockets())
			_exit(1);
		bench("capable-in", op_capable, 20000 * scale);
		bench("socket-in", op_socket, 20000 * scale);
		bench("getlink-in", op_getlink, 5000 * scale);
		bench("ioctl-in", op_ioctl, 20000 * scale);
		bench("setsockopt-in", op_setsockopt, 20000 * scale);
		_exit(0);
	}
	kill_holder(holder);
	return wait_child(pid);
}
