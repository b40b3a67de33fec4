// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - capabilities inside user namespaces, and bypasses
 *
 * CAP_NET_ADMIN is exercised by bringing lo up (SIOCSIFFLAGS), CAP_NET_RAW
 * by opening an AF_PACKET socket, both in a network namespace owned by the
 * user namespace under test.  The record of a user namespace follows it:
 * whoever enters it, inherits it or runs a setuid program in it is judged by
 * it.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "../kselftest_harness.h"
#include "common.h"

#define LO_UP_HELPER "nshard_lo_up"

/* Open an AF_PACKET socket: needs CAP_NET_RAW.  Returns 0 or the errno. */
static int packet_socket(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

enum act {
	LO_UP,
	PACKET_SOCKET,
};

static int act(enum act a)
{
	return a == LO_UP ? lo_up() : packet_socket();
}

/*
 * In a child: become @creator, create a user namespace and a network
 * namespace, then @a.  Returns 0 or the errno of @a.
 */
static int in_new_netns(enum creator creator, enum act a)
{
	pid_t pid = fork();
	int err;

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (creator == AS_TEST_USER && drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		if (creator != AS_SELF || !privileged()) {
			err = enter_userns_as_root();
			if (err)
				_exit(CHILD_SETUP_FAILED);
		}
		if (unshare(CLONE_NEWNET))
			_exit(CHILD_SETUP_FAILED);
		_exit(act(a));
	}
	return wait_child(pid);
}

/* As in_new_netns(), root creating the user namespace itself. */
static int in_root_userns_netns(enum act a)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		if (enter_userns_as_root() || unshare(CLONE_NEWNET))
			_exit(CHILD_SETUP_FAILED);
		_exit(act(a));
	}
	return wait_child(pid);
}

FIXTURE(cap) {
	int saved_mode;
	char *saved_policy;
};

FIXTURE_SETUP(cap)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "needs root to load policies");
	self->saved_mode = read_mode();
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(cap)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

TEST_F(cap, rules_apply_to_restricted_namespaces)
{
	ASSERT_EQ(0, write_policy(""));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, LO_UP));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, PACKET_SOCKET));

	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"));
	EXPECT_EQ(EPERM, in_new_netns(AS_TEST_USER, LO_UP));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, PACKET_SOCKET));

	ASSERT_EQ(0, write_policy("deny cap NET_RAW restricted\n"));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, LO_UP));
	EXPECT_EQ(EPERM, in_new_netns(AS_TEST_USER, PACKET_SOCKET));

	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, PACKET_SOCKET));
	ASSERT_EQ(0, write_mode(MODE_OFF));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, PACKET_SOCKET));
}

TEST_F(cap, privileged_origin_and_initial_namespace)
{
	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"
				  "deny cap NET_RAW privileged\n"));
	/* Root's network namespace, owned by the initial user namespace. */
	EXPECT_EQ(0, in_new_netns(AS_SELF, LO_UP));
	EXPECT_EQ(0, in_new_netns(AS_SELF, PACKET_SOCKET));
	/* A user namespace root created: privileged origin. */
	EXPECT_EQ(EPERM, in_root_userns_netns(PACKET_SOCKET));

	/* Rules never reach the initial user namespace. */
	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN\ndeny cap NET_RAW\n"));
	EXPECT_EQ(0, in_new_netns(AS_SELF, LO_UP));
	EXPECT_EQ(0, in_new_netns(AS_SELF, PACKET_SOCKET));
}

TEST_F(cap, rules_by_subject)
{
	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"
				  "allow cap NET_ADMIN uid=1000\n"));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, LO_UP));
	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"
				  "allow cap NET_ADMIN uid=1001\n"));
	EXPECT_EQ(EPERM, in_new_netns(AS_TEST_USER, LO_UP));
}

/* drop=: the namespace is created, without the capability. */
TEST_F(cap, drop_at_creation)
{
	ASSERT_EQ(0, write_policy("allow create user restricted drop=NET_ADMIN\n"));
	EXPECT_EQ(EPERM, in_new_netns(AS_TEST_USER, LO_UP));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, PACKET_SOCKET));
	/* Privileged creators are not matched by the rule. */
	EXPECT_EQ(0, in_root_userns_netns(LO_UP));
	/* Audit mode lets the dropped capability through, and says so. */
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	EXPECT_EQ(0, in_new_netns(AS_TEST_USER, LO_UP));
}

/* Two pipes, for a parent and a child to take turns. */
struct turns {
	int to_child[2];
	int to_parent[2];
};

static int turns_init(struct turns *t)
{
	return pipe2(t->to_child, O_CLOEXEC) || pipe2(t->to_parent, O_CLOEXEC);
}

static int turn_give(int fds[2])
{
	char c = 0;

	return write(fds[1], &c, 1) == 1 ? 0 : -1;
}

static int turn_wait(int fds[2])
{
	char c;

	return read(fds[0], &c, 1) == 1 ? 0 : -1;
}

static void turns_close(struct turns *t)
{
	close(t->to_child[0]);
	close(t->to_child[1]);
	close(t->to_parent[0]);
	close(t->to_parent[1]);
}

/*
 * A nested namespace inherits what its parent lost, even when the rule that
 * allows its own creation drops nothing.
 */
TEST_F(cap, drop_is_inherited)
{
	struct turns t;
	pid_t pid;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, turns_init(&t));
		ASSERT_EQ(0, write_policy(i ? "allow create user restricted drop=NET_ADMIN\n" :
					  ""));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (drop_to_test_user() || enter_userns_as_root() ||
			    turn_give(t.to_parent) || turn_wait(t.to_child))
				_exit(CHILD_SETUP_FAILED);
			/* Nested, under a policy that drops nothing. */
			if (enter_userns_as_root() || unshare(CLONE_NEWNET))
				_exit(CHILD_SETUP_FAILED);
			_exit(lo_up());
		}
		ASSERT_EQ(0, turn_wait(t.to_parent));
		ASSERT_EQ(0, write_policy(""));
		ASSERT_EQ(0, turn_give(t.to_child));
		EXPECT_EQ(i ? EPERM : 0, wait_child(pid));
		turns_close(&t);
	}
}

/*
 * A drop= decided in enforce mode stays with the namespace in every mode,
 * off included: switching nshard to audit or off mode does not give the
 * capability back to a namespace created without it.  (drop_at_creation
 * shows that one decided in audit mode is only reported.)  The child says
 * in which modes lo came up: bit 0 audit, 1 off, 2 enforce again.
 */
TEST_F(cap, enforced_drop_outlives_the_mode)
{
	static const int modes[] = { MODE_AUDIT, MODE_OFF, MODE_ENFORCE };
	struct turns t;
	unsigned int i;
	pid_t pid;

	ASSERT_EQ(0, turns_init(&t));
	ASSERT_EQ(0, write_policy("allow create user restricted drop=NET_ADMIN\n"));
	/* Created in enforce mode (the fixture's). */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int up = 0;

		if (drop_to_test_user() || enter_userns_as_root() ||
		    unshare(CLONE_NEWNET) || prctl(PR_SET_PDEATHSIG, SIGKILL))
			_exit(CHILD_SETUP_FAILED);
		for (i = 0; i < ARRAY_SIZE(modes); i++) {
			if (turn_give(t.to_parent) || turn_wait(t.to_child))
				_exit(CHILD_SETUP_FAILED);
			up |= (lo_up() != EPERM) << i;
		}
		_exit(up);
	}
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		ASSERT_EQ(0, turn_wait(t.to_parent));
		ASSERT_EQ(0, write_mode(modes[i]));
		ASSERT_EQ(0, turn_give(t.to_child));
	}
	EXPECT_EQ(0, wait_child(pid));
	turns_close(&t);
}

/*
 * Bypass: root creates a user namespace (privileged origin), maps the test
 * user in it and hands it over; what the test user creates in it is
 * restricted: its creator has neither euid 0 nor CAP_SYS_ADMIN in the
 * initial user namespace (either would be enough to make it so).
 */
TEST_F(cap, handed_over_namespace)
{
	char path[64];
	struct turns t;
	pid_t pid;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, turns_init(&t));
		ASSERT_EQ(0, write_policy(i ? "deny create user restricted\n" :
					  ""));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (unshare(CLONE_NEWUSER) || turn_give(t.to_parent) ||
			    turn_wait(t.to_child))
				_exit(CHILD_SETUP_FAILED);
			/* Mapped by root outside: become the test user. */
			if (setgroups(0, NULL) ||
			    setresgid(1000, 1000, 1000) ||
			    setresuid(1000, 1000, 1000))
				_exit(CHILD_SETUP_FAILED);
			_exit(unshare(CLONE_NEWUSER) ? errno : 0);
		}
		ASSERT_EQ(0, turn_wait(t.to_parent));
		snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
		ASSERT_EQ(0, write_file(path, "0 0 1\n1000 1000 1\n", 19));
		snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
		ASSERT_EQ(0, write_file(path, "0 0 1\n1000 1000 1\n", 19));
		ASSERT_EQ(0, turn_give(t.to_child));
		EXPECT_EQ(i ? EPERM : 0, wait_child(pid));
		turns_close(&t);
	}
}

/* Bypass: root enters a restricted namespace from outside. */
TEST_F(cap, entering_from_outside)
{
	pid_t holder, pid;
	int netfd;

	ASSERT_EQ(0, write_policy(""));
	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, true);
	ASSERT_LT(0, holder);
	netfd = open_ns(holder, CLONE_NEWNET);
	ASSERT_LE(0, netfd);
	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setns(netfd, CLONE_NEWNET))
			_exit(CHILD_SETUP_FAILED);
		/* Root, in its own user namespace, over a restricted one. */
		_exit(lo_up());
	}
	EXPECT_EQ(EPERM, wait_child(pid));
	close(netfd);
	kill_holder(holder);
}

/*
 * Bypass: another process of the test user's enters a restricted namespace
 * and nests in it: a network namespace it owns, or a user namespace one
 * level deeper.  The child reports what was refused: 1 for the network
 * namespace, 2 for the user namespace, 8 for entering at all.
 *
 * Entering is judged as creating a user namespace would be (no setns
 * statement applies, and the test user lacks CAP_SYS_ADMIN in the initial
 * user namespace): depth limits take no part in it, so the first two
 * policies let it in; under "deny create user restricted" this way around
 * the rule is closed at the door.
 */
TEST_F(cap, nesting_from_another_process)
{
	static const struct {
		const char *policy;
		int refused;
	} cases[] = {
		{ "limit depth user 2 restricted\n", 0 },
		{ "deny create net restricted\nlimit depth user 1 restricted\n",
		  3 },
		{ "deny create user restricted\n", 8 },
	};
	pid_t holder, pid;
	unsigned int i;
	int userfd;

	ASSERT_EQ(0, write_policy(""));
	holder = spawn_holder(CLONE_NEWUSER, true);
	ASSERT_LT(0, holder);
	userfd = open_ns(holder, CLONE_NEWUSER);
	ASSERT_LE(0, userfd);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, write_policy(cases[i].policy));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int refused = 0;

			if (drop_to_test_user())
				_exit(CHILD_SETUP_FAILED);
			if (setns(userfd, CLONE_NEWUSER))
				_exit(errno == EPERM ? 8 : CHILD_SETUP_FAILED);
			if (unshare(CLONE_NEWNET))
				refused |= errno == EPERM ? 1 : 4;
			if (unshare(CLONE_NEWUSER))
				refused |= errno == EPERM ? 2 : 4;
			_exit(refused);
		}
		EXPECT_EQ(cases[i].refused, wait_child(pid)) {
			TH_LOG("under: %s", cases[i].policy);
		}
	}
	close(userfd);
	kill_holder(holder);
}

/* Bypass: the record follows the namespace through a double fork. */
TEST_F(cap, double_fork)
{
	pid_t pid;

	ASSERT_EQ(0, write_policy("deny cap NET_ADMIN restricted\n"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t child;

		if (drop_to_test_user() || enter_userns_as_root() ||
		    unshare(CLONE_NEWNET))
			_exit(CHILD_SETUP_FAILED);
		child = fork();
		if (child == 0) {
			pid_t grandchild = fork();

			if (grandchild == 0) {
				setsid();
				_exit(lo_up());
			}
			_exit(wait_child(grandchild));
		}
		_exit(wait_child(child));
	}
	EXPECT_EQ(EPERM, wait_child(pid));
}

/* Copy the helper next to this test to @to, owned by @uid, mode @mode. */
static int install_helper(const char *to, uid_t uid, mode_t mode)
{
	char *data;
	size_t len;
	int fd, ok;

	data = read_file(LO_UP_HELPER, &len);
	if (!data)
		return -1;
	unlink(to);
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	ok = fd >= 0 && write(fd, data, len) == (ssize_t)len &&
	     !fchown(fd, uid, uid) && !fchmod(fd, mode);
	if (fd >= 0)
		close(fd);
	free(data);
	return ok ? 0 : -1;
}

/* Clear every capability set but the bounding set. */
static int drop_all_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	return syscall(SYS_capset, &hdr, data);
}

/*
 * Bypass: a task without capabilities inside a restricted namespace runs a
 * setuid program owned by the namespace's root, and becomes root there with
 * every capability.  The namespace maps a second uid for the task to run as,
 * written by root from outside as newuidmap(1) does for rootless containers.
 * The new root is still judged by the namespace's record.
 */
TEST_F(cap, setuid_exec_inside)
{
	static const char helper[] = "/tmp/nshard_lo_up_setuid";
	static const char map[] = "0 1000 1\n1 100000 1\n";
	char path[64];
	struct turns t;
	pid_t pid;
	int i;

	if (access(LO_UP_HELPER, X_OK))
		SKIP(return, "needs " LO_UP_HELPER);
	/* Owned by uid 1000: root in the namespace. */
	ASSERT_EQ(0, install_helper(helper, NSHARD_TEST_UID, 04755));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, turns_init(&t));
		ASSERT_EQ(0, write_policy(i ? "deny cap NET_ADMIN restricted\n" :
					  ""));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (drop_to_test_user() ||
			    unshare(CLONE_NEWUSER | CLONE_NEWNET) ||
			    turn_give(t.to_parent) || turn_wait(t.to_child))
				_exit(CHILD_SETUP_FAILED);
			/* Become uid 1 there: no capabilities left... */
			if (setresgid(1, 1, 1) || setresuid(1, 1, 1) ||
			    have_cap(CAP_NET_ADMIN) || lo_up() != EPERM)
				_exit(CHILD_SETUP_FAILED);
			/* ...until the setuid program makes it root again. */
			execl(helper, helper, NULL);
			_exit(CHILD_SETUP_FAILED);
		}
		ASSERT_EQ(0, turn_wait(t.to_parent));
		snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
		ASSERT_EQ(0, write_file(path, map, strlen(map)));
		snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
		ASSERT_EQ(0, write_file(path, map, strlen(map)));
		ASSERT_EQ(0, turn_give(t.to_child));
		EXPECT_EQ(i ? EPERM : 0, wait_child(pid)) {
			TH_LOG("with%s the rule", i ? "" : "out");
		}
		turns_close(&t);
	}
	unlink(helper);
}

/* struct vfs_cap_data, revision 2: file capabilities, effective. */
static int set_file_cap(const char *path, int cap)
{
	struct vfs_cap_data data = {
		.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE,
	};

	data.data[CAP_TO_INDEX(cap)].permitted = CAP_TO_MASK(cap);
	return setxattr(path, "security.capability", &data, XATTR_CAPS_SZ_2, 0);
}

/*
 * Bypass: a task without capabilities inside a restricted namespace runs a
 * program with file capabilities, and gains them there.  Still judged by the
 * namespace's record.
 */
TEST_F(cap, file_caps_exec_inside)
{
	static const char helper[] = "/tmp/nshard_lo_up_fcaps";
	pid_t pid;
	int i;

	if (access(LO_UP_HELPER, X_OK))
		SKIP(return, "needs " LO_UP_HELPER);
	ASSERT_EQ(0, install_helper(helper, 0, 0755));
	if (set_file_cap(helper, CAP_NET_ADMIN)) {
		unlink(helper);
		SKIP(return, "no file capabilities on /tmp: %s", strerror(errno));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, write_policy(i ? "deny cap NET_ADMIN restricted\n" :
					  ""));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			/* Mapped as itself: not root in the namespace. */
			if (drop_to_test_user() ||
			    unshare(CLONE_NEWUSER | CLONE_NEWNET) ||
			    write_file("/proc/self/setgroups", "deny", 4) ||
			    write_file("/proc/self/uid_map", "1000 1000 1", 11) ||
			    write_file("/proc/self/gid_map", "1000 1000 1", 11) ||
			    drop_all_caps() || lo_up() != EPERM)
				_exit(CHILD_SETUP_FAILED);
			execl(helper, helper, NULL);
			_exit(CHILD_SETUP_FAILED);
		}
		EXPECT_EQ(i ? EPERM : 0, wait_child(pid)) {
			TH_LOG("with%s the rule", i ? "" : "out");
		}
	}
	unlink(helper);
}

TEST_HARNESS_MAIN
