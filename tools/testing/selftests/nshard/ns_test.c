// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - creating and entering every namespace type
 *
 * For each type other than user: creation through unshare(2), clone(2) and
 * clone3(2), by an unprivileged creator (in a new user namespace: restricted
 * origin) and by root (privileged origin), allowed and denied by policy, in
 * audit and enforce mode; depth limits; setns(2) by namespace file, by root
 * and by the test user, and by pidfd with several or all types at once;
 * every combination of flags in one call.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <sys/mount.h>
#include <sys/stat.h>

#include "../kselftest_harness.h"
#include "common.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

FIXTURE(ns) {
	int saved_mode;
	char *saved_policy;
};

FIXTURE_VARIANT(ns) {
	unsigned long flag;
};

FIXTURE_VARIANT_ADD(ns, mnt) { .flag = CLONE_NEWNS };
FIXTURE_VARIANT_ADD(ns, uts) { .flag = CLONE_NEWUTS };
FIXTURE_VARIANT_ADD(ns, ipc) { .flag = CLONE_NEWIPC };
FIXTURE_VARIANT_ADD(ns, pid) { .flag = CLONE_NEWPID };
FIXTURE_VARIANT_ADD(ns, net) { .flag = CLONE_NEWNET };
FIXTURE_VARIANT_ADD(ns, cgroup) { .flag = CLONE_NEWCGROUP };
FIXTURE_VARIANT_ADD(ns, time) { .flag = CLONE_NEWTIME };

FIXTURE_SETUP(ns)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
}

FIXTURE_TEARDOWN(ns)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

/* Load "<prefix> <type><suffix>" as the policy. */
static int load(const char *prefix, unsigned long flag, const char *suffix)
{
	char text[256];

	snprintf(text, sizeof(text), "%s %s%s\n", prefix, ns_type_name(flag),
		 suffix);
	return write_policy(text);
}

/* clone(2) cannot take CLONE_NEWTIME: it is the exit signal's bits. */
static bool clone_can(enum create_method m, unsigned long flag)
{
	return !(m == BY_CLONE && flag == CLONE_NEWTIME);
}

TEST_F(ns, create_restricted)
{
	static const enum create_method methods[] = {
		BY_UNSHARE, BY_CLONE, BY_CLONE3,
	};
	unsigned long flags = CLONE_NEWUSER | variant->flag;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(methods); i++) {
		enum create_method m = methods[i];

		if (!clone_can(m, variant->flag))
			continue;
		ASSERT_EQ(0, write_mode(MODE_ENFORCE));
		ASSERT_EQ(0, write_policy(""));
		EXPECT_EQ(0, try_create(m, flags, AS_TEST_USER)) {
			TH_LOG("method %u: refused without a rule", m);
		}
		ASSERT_EQ(0, load("deny create", variant->flag, " restricted"));
		EXPECT_EQ(EPERM, try_create(m, flags, AS_TEST_USER)) {
			TH_LOG("method %u", m);
		}
		/* The user namespace alone is still allowed. */
		EXPECT_EQ(0, try_create(m, CLONE_NEWUSER, AS_TEST_USER));
		/* Audit mode lets it through. */
		ASSERT_EQ(0, write_mode(MODE_AUDIT));
		EXPECT_EQ(0, try_create(m, flags, AS_TEST_USER));
	}
}

TEST_F(ns, create_privileged)
{
	static const enum create_method methods[] = {
		BY_UNSHARE, BY_CLONE, BY_CLONE3,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(methods); i++) {
		enum create_method m = methods[i];

		if (!clone_can(m, variant->flag))
			continue;
		ASSERT_EQ(0, write_mode(MODE_ENFORCE));
		/* Owned by the initial user namespace: privileged origin. */
		ASSERT_EQ(0, load("deny create", variant->flag, " restricted"));
		EXPECT_EQ(0, try_create(m, variant->flag, AS_SELF)) {
			TH_LOG("method %u", m);
		}
		ASSERT_EQ(0, load("deny create", variant->flag, " privileged"));
		EXPECT_EQ(EPERM, try_create(m, variant->flag, AS_SELF)) {
			TH_LOG("method %u", m);
		}
		ASSERT_EQ(0, write_mode(MODE_AUDIT));
		EXPECT_EQ(0, try_create(m, variant->flag, AS_SELF)) {
			TH_LOG("method %u", m);
		}
	}
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	/*
	 * Owned by the user namespace root creates in the same call: of
	 * privileged origin too.
	 */
	EXPECT_EQ(EPERM, try_create(BY_UNSHARE, CLONE_NEWUSER | variant->flag,
				    AS_SELF));
	/* The test user's are of restricted origin. */
	EXPECT_EQ(0, try_create(BY_UNSHARE, CLONE_NEWUSER | variant->flag,
				AS_TEST_USER));
}

/*
 * A rule naming the creator beats the rule for everyone: the test user may,
 * root may not.
 */
TEST_F(ns, create_by_subject)
{
	char text[256];

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	snprintf(text, sizeof(text),
		 "deny create %s\nallow create %s uid=%d\n",
		 ns_type_name(variant->flag), ns_type_name(variant->flag),
		 NSHARD_TEST_UID);
	ASSERT_EQ(0, write_policy(text));
	EXPECT_EQ(0, try_create(BY_CLONE3, CLONE_NEWUSER | variant->flag,
				AS_TEST_USER));
	EXPECT_EQ(EPERM, try_create(BY_CLONE3, variant->flag, AS_SELF));
}

/*
 * A depth limit of 0 for restricted namespaces: none of this type in a new
 * user namespace (depth 1); root's are of privileged origin.
 */
TEST_F(ns, depth_limit)
{
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, load("limit depth", variant->flag, " 0 restricted"));
	EXPECT_EQ(EPERM, try_create(BY_UNSHARE, CLONE_NEWUSER | variant->flag,
				    AS_TEST_USER));
	EXPECT_EQ(0, try_create(BY_UNSHARE, variant->flag, AS_SELF));
	/* One level more is enough. */
	ASSERT_EQ(0, load("limit depth", variant->flag, " 1 restricted"));
	EXPECT_EQ(0, try_create(BY_UNSHARE, CLONE_NEWUSER | variant->flag,
				AS_TEST_USER));
}

TEST_F(ns, setns_by_fd)
{
	pid_t restricted, privileged, rinner, pinner;
	int rfd, pfd, userfd;
	char text[256];

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy(""));
	/* pid and time namespaces are entered through the holders' child. */
	restricted = spawn_holder_inner(CLONE_NEWUSER | ALL_NS_BUT_USER, true,
					&rinner);
	ASSERT_LT(0, restricted);
	privileged = spawn_holder_inner(ALL_NS_BUT_USER, false, &pinner);
	ASSERT_LT(0, privileged);
	rfd = open_ns(rinner, variant->flag);
	pfd = open_ns(pinner, variant->flag);
	userfd = open_ns(rinner, CLONE_NEWUSER);
	ASSERT_LE(0, rfd);
	ASSERT_LE(0, pfd);
	ASSERT_LE(0, userfd);

	EXPECT_EQ(0, try_setns(rfd, variant->flag, false));
	EXPECT_EQ(0, try_setns(pfd, variant->flag, false));
	/* The test user, from inside the user namespace that owns it. */
	EXPECT_EQ(0, try_setns_in(userfd, rfd, variant->flag, true));
	ASSERT_EQ(0, load("deny setns", variant->flag, " restricted"));
	/* Judged by the namespace entered, even when root enters it. */
	EXPECT_EQ(EPERM, try_setns(rfd, variant->flag, false));
	EXPECT_EQ(EPERM, try_setns(rfd, 0, false));
	EXPECT_EQ(EPERM, try_setns_in(userfd, rfd, variant->flag, true));
	EXPECT_EQ(0, try_setns(pfd, variant->flag, false));
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, try_setns(rfd, variant->flag, false));
	EXPECT_EQ(0, try_setns_in(userfd, rfd, variant->flag, true));

	/*
	 * No statement on setns, one on creating: a task without
	 * CAP_SYS_ADMIN in the initial user namespace entering a namespace
	 * of restricted origin is judged as creating one.  The test user is
	 * refused (CHILD_SETUP_FAILED would mean it could not enter the
	 * owning user namespace first); root is not.
	 */
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, load("deny create", variant->flag, " restricted"));
	EXPECT_EQ(EPERM, try_setns_in(userfd, rfd, variant->flag, true));
	EXPECT_EQ(0, try_setns(rfd, variant->flag, false));
	/* A statement on setns, when there is one, applies instead. */
	snprintf(text, sizeof(text),
		 "deny create %s restricted\nallow setns %s restricted\n",
		 ns_type_name(variant->flag), ns_type_name(variant->flag));
	ASSERT_EQ(0, write_policy(text));
	EXPECT_EQ(0, try_setns_in(userfd, rfd, variant->flag, true));
	/* Audit mode refuses nothing. */
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	ASSERT_EQ(0, load("deny create", variant->flag, " restricted"));
	EXPECT_EQ(0, try_setns_in(userfd, rfd, variant->flag, true));

	close(userfd);
	close(rfd);
	close(pfd);
	kill_holder(restricted);
	kill_holder(privileged);
}

TEST_F(ns, setns_by_pidfd)
{
	unsigned long flags, all = CLONE_NEWUSER | ALL_NS_BUT_USER;
	pid_t holder, inner;
	int pidfd;

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy(""));
	holder = spawn_holder_inner(all, true, &inner);
	ASSERT_LT(0, holder);
	/* Its child: in the holder's pid and time namespaces too. */
	pidfd = syscall(SYS_pidfd_open, inner, 0);
	ASSERT_LE(0, pidfd);

	/* Several types at once, the user namespace first; then all. */
	flags = CLONE_NEWUSER | CLONE_NEWUTS | variant->flag;
	EXPECT_EQ(0, try_setns(pidfd, flags, true));
	EXPECT_EQ(0, try_setns(pidfd, flags, false));
	EXPECT_EQ(0, try_setns(pidfd, all, true));
	EXPECT_EQ(0, try_setns(pidfd, all, false));
	ASSERT_EQ(0, load("deny setns", variant->flag, " restricted"));
	EXPECT_EQ(EPERM, try_setns(pidfd, flags, true));
	EXPECT_EQ(EPERM, try_setns(pidfd, flags, false));
	EXPECT_EQ(EPERM, try_setns(pidfd, all, true));
	EXPECT_EQ(EPERM, try_setns(pidfd, all, false));
	/* Without the denied type, the rest goes through. */
	if (variant->flag != CLONE_NEWUTS)
		EXPECT_EQ(0, try_setns(pidfd, CLONE_NEWUSER | CLONE_NEWUTS,
				       true));
	EXPECT_EQ(0, try_setns(pidfd, all & ~variant->flag, true));
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, try_setns(pidfd, all, true));
	close(pidfd);
	kill_holder(holder);
}

/* The user namespace itself, entered by fd and by pidfd. */
TEST(setns_user)
{
	int fd, pidfd, saved_mode;
	pid_t holder;
	char *saved;

	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	saved_mode = read_mode();
	ASSERT_LE(0, saved_mode);
	saved = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, saved);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	holder = spawn_holder(CLONE_NEWUSER, true);
	ASSERT_LT(0, holder);
	fd = open_ns(holder, CLONE_NEWUSER);
	pidfd = syscall(SYS_pidfd_open, holder, 0);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, pidfd);

	ASSERT_EQ(0, write_policy(""));
	EXPECT_EQ(0, try_setns(fd, CLONE_NEWUSER, true));
	EXPECT_EQ(0, try_setns(pidfd, CLONE_NEWUSER, false));
	ASSERT_EQ(0, write_policy("deny setns user restricted\n"));
	EXPECT_EQ(EPERM, try_setns(fd, CLONE_NEWUSER, true));
	EXPECT_EQ(EPERM, try_setns(fd, CLONE_NEWUSER, false));
	EXPECT_EQ(EPERM, try_setns(pidfd, CLONE_NEWUSER, true));
	ASSERT_EQ(0, write_policy("deny setns user restricted\n"
				  "allow setns user uid=1000\n"));
	EXPECT_EQ(0, try_setns(fd, CLONE_NEWUSER, true));
	EXPECT_EQ(EPERM, try_setns(fd, CLONE_NEWUSER, false));

	/*
	 * No statement on setns user: entering a user namespace of
	 * restricted origin without CAP_SYS_ADMIN in the initial user
	 * namespace is judged as creating one, so that an exemption to
	 * create does not become everybody's by setns(2).  Under the
	 * unprivileged runs' policy the test user may not enter its own
	 * namespaces any more; root may.
	 */
	ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
	EXPECT_EQ(EPERM, try_setns(fd, CLONE_NEWUSER, true));
	EXPECT_EQ(EPERM, try_setns(pidfd, CLONE_NEWUSER, true));
	EXPECT_EQ(0, try_setns(fd, CLONE_NEWUSER, false));
	/* A statement on setns applies instead of the one on creating. */
	ASSERT_EQ(0, write_policy("deny create user restricted\n"
				  "allow setns user restricted\n"));
	EXPECT_EQ(0, try_setns(fd, CLONE_NEWUSER, true));
	ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, try_setns(fd, CLONE_NEWUSER, true));

	close(fd);
	close(pidfd);
	kill_holder(holder);
	EXPECT_EQ(0, write_mode(saved_mode));
	EXPECT_EQ(0, write_policy(saved));
	free(saved);
}

/*
 * Every combination of the other types with a new user namespace, in one
 * call: refused exactly when it holds the denied type.
 */
TEST(every_combination)
{
	unsigned long types[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID,
		CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME,
	};
	unsigned int combo, i, refused = 0, allowed = 0;
	int saved_mode;
	char *saved;

	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	saved_mode = read_mode();
	ASSERT_LE(0, saved_mode);
	saved = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, saved);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("deny create net restricted\n"
				  "deny create time restricted\n"));
	for (combo = 0; combo < 1U << ARRAY_SIZE(types); combo++) {
		unsigned long flags = CLONE_NEWUSER;
		int expect, got[2];

		for (i = 0; i < ARRAY_SIZE(types); i++)
			if (combo & (1U << i))
				flags |= types[i];
		expect = flags & (CLONE_NEWNET | CLONE_NEWTIME) ? EPERM : 0;
		got[0] = try_create(BY_CLONE3, flags, AS_TEST_USER);
		got[1] = try_create(BY_UNSHARE, flags, AS_TEST_USER);
		EXPECT_EQ(expect, got[0]) {
			TH_LOG("clone3 flags %#lx", flags);
		}
		EXPECT_EQ(expect, got[1]) {
			TH_LOG("unshare flags %#lx", flags);
		}
		for (i = 0; i < 2; i++) {
			refused += got[i] == EPERM;
			allowed += got[i] == 0;
		}
	}
	/*
	 * What the kernel answered, counted: of the 128 combinations, the
	 * 96 with a network or a time namespace are refused, the 32 others
	 * allowed, by each of the two calls.
	 */
	EXPECT_EQ(2 * 96, refused);
	EXPECT_EQ(2 * 32, allowed);
	EXPECT_EQ(0, write_mode(saved_mode));
	EXPECT_EQ(0, write_policy(saved));
	free(saved);
}

/* clone3 with set_tid: the pid namespace is still checked first. */
TEST(clone3_set_tid)
{
	pid_t tid = 1;
	struct clone_args args = {
		.flags = CLONE_NEWUSER | CLONE_NEWPID,
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&tid,
		.set_tid_size = 1,
	};
	int i, saved_mode;
	char *saved;

	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	saved_mode = read_mode();
	ASSERT_LE(0, saved_mode);
	saved = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, saved);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	for (i = 0; i < 2; i++) {
		pid_t pid;

		ASSERT_EQ(0, write_policy(i ? "deny create pid restricted\n" :
					  ""));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			pid_t child;

			if (drop_to_test_user())
				_exit(CHILD_SETUP_FAILED);
			child = syscall(SYS_clone3, &args, sizeof(args));
			if (child == 0)
				_exit(getpid() == 1 ? 0 : CHILD_SETUP_FAILED);
			if (child < 0)
				_exit(errno);
			_exit(wait_child(child));
		}
		EXPECT_EQ(i ? EPERM : 0, wait_child(pid));
	}
	EXPECT_EQ(0, write_mode(saved_mode));
	EXPECT_EQ(0, write_policy(saved));
	free(saved);
}

/* clone3 into a cgroup, with a new cgroup namespace. */
TEST(clone3_into_cgroup)
{
	struct clone_args args = {
		.flags = CLONE_NEWCGROUP | CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
	};
	int i, saved_mode;
	char *saved;

	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	args.cgroup = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((int)args.cgroup < 0)
		SKIP(return, "no cgroup2 hierarchy at /sys/fs/cgroup");
	saved_mode = read_mode();
	ASSERT_LE(0, saved_mode);
	saved = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, saved);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	for (i = 0; i < 2; i++) {
		pid_t child;

		ASSERT_EQ(0, write_policy(i ? "deny create cgroup\n" : ""));
		child = syscall(SYS_clone3, &args, sizeof(args));
		if (child == 0)
			_exit(0);
		if (i) {
			EXPECT_EQ(-1, child);
			EXPECT_EQ(EPERM, errno);
		} else {
			ASSERT_LT(0, child);
			EXPECT_EQ(0, wait_child(child));
		}
	}
	close(args.cgroup);
	EXPECT_EQ(0, write_mode(saved_mode));
	EXPECT_EQ(0, write_policy(saved));
	free(saved);
}

TEST_HARNESS_MAIN
