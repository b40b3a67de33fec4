// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - the mode file
 *
 * Copyright (C) 2026 The nshard authors
 */

#include "../kselftest_harness.h"
#include "common.h"

FIXTURE(mode) {
	int saved_mode;
	bool root;
};

FIXTURE_SETUP(mode)
{
	ASSERT_TRUE(nshard_active());
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->root = getuid() == 0 && have_cap(CAP_MAC_ADMIN);
}

FIXTURE_TEARDOWN(mode)
{
	if (self->root)
		EXPECT_EQ(0, write_mode(self->saved_mode));
}

TEST_F(mode, read_is_a_mode_name)
{
	char buf[64] = {};
	int fd;

	fd = open(NSHARD_MODE_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_LE(0, read_mode()) {
		TH_LOG("mode file reads \"%s\"", buf);
	}
}

TEST_F(mode, write_each_mode)
{
	static const char *const forms[] = { "%s", "%s\n" };
	char buf[32];
	int mode, f;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");

	for (f = 0; f < 2; f++) {
		for (mode = 0; mode < MODE_COUNT; mode++) {
			snprintf(buf, sizeof(buf), forms[f], mode_names[mode]);
			ASSERT_EQ(0, write_file(NSHARD_MODE_PATH, buf,
						strlen(buf)));
			EXPECT_EQ(mode, read_mode());
		}
	}
}

/* Values with their exact length: embedded NULs are part of the write. */
#define VALUE(s) { s, sizeof(s) - 1 }

static const struct {
	const char *buf;
	size_t len;
} bad_values[] = {
	VALUE(""), VALUE("\n"), VALUE("Enforce"), VALUE("ENFORCE"),
	VALUE("enforced"), VALUE("enforc"), VALUE(" off"), VALUE("off "),
	VALUE("off\n\n"), VALUE("off\naudit"), VALUE("0"), VALUE("1"),
	VALUE("on"), VALUE("permissive"), VALUE("audit\0"), VALUE("\x01\x02"),
	VALUE("off\0enforce"),
};

TEST_F(mode, bad_values_are_rejected_and_change_nothing)
{
	unsigned int i;
	int mode;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");

	for (mode = 0; mode < MODE_COUNT; mode++) {
		ASSERT_EQ(0, write_mode(mode));
		for (i = 0; i < ARRAY_SIZE(bad_values); i++) {
			EXPECT_EQ(-EINVAL, write_file(NSHARD_MODE_PATH,
						      bad_values[i].buf,
						      bad_values[i].len)) {
				TH_LOG("bad value #%u accepted", i);
			}
			EXPECT_EQ(mode, read_mode());
		}
	}
}

TEST_F(mode, oversize_write_is_rejected)
{
	char buf[4096];

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");

	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	memset(buf, '\n', sizeof(buf));
	memcpy(buf, "enforce", 7);
	EXPECT_EQ(-EINVAL, write_file(NSHARD_MODE_PATH, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, write_file(NSHARD_MODE_PATH, buf,
				      NSHARD_VALUE_MAX_LEN + 1));
	/* Short enough to be read, then refused as a bad value. */
	EXPECT_EQ(-EINVAL, write_file(NSHARD_MODE_PATH, buf,
				      NSHARD_VALUE_MAX_LEN));
	EXPECT_EQ(MODE_AUDIT, read_mode());
}

TEST_F(mode, write_at_offset_is_rejected)
{
	int fd;

	if (!self->root)
		SKIP(return, "needs CAP_MAC_ADMIN");

	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	fd = open(NSHARD_MODE_PATH, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, "enforce", 7, 1));
	EXPECT_EQ(EINVAL, errno);
	/* A second write on the same descriptor is not at offset 0 either. */
	EXPECT_EQ(3, write(fd, "off", 3));
	EXPECT_EQ(-1, write(fd, "enforce", 7));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_EQ(MODE_OFF, read_mode());
}

/* As the test user: DAC refuses the open, whatever the value. */
TEST_F(mode, unprivileged_open_for_write_is_refused)
{
	pid_t pid;

	if (!self->root) {
		EXPECT_EQ(-EACCES, write_file(NSHARD_MODE_PATH, "off", 3));
		EXPECT_EQ(self->saved_mode, read_mode());
		return;
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		_exit(-write_file(NSHARD_MODE_PATH, "off", 3));
	}
	EXPECT_EQ(EACCES, wait_child(pid));
}

/*
 * A descriptor opened by root and handed to an unprivileged task does not
 * carry root's privilege: nshard checks the writer too.
 */
TEST_F(mode, unprivileged_write_on_root_descriptor_is_refused)
{
	int fd;

	if (!self->root)
		SKIP(return, "needs root to open the file");

	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	fd = open(NSHARD_MODE_PATH, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, write_fd_as_test_user(fd, "off"));
	close(fd);
	EXPECT_EQ(MODE_AUDIT, read_mode());
}

/* Map root in a new user namespace to the caller's uid. */
static int become_root_in_userns(void)
{
	char map[64];
	int len;

	len = snprintf(map, sizeof(map), "0 %d 1", getuid());
	if (unshare(CLONE_NEWUSER))
		return -1;
	return write_file("/proc/self/uid_map", map, len) ? -1 : 0;
}

/* Root inside a user namespace, opening the file there. */
TEST_F(mode, root_in_userns_is_refused)
{
	pid_t pid;
	int err;

	/*
	 * The user namespace is only the setting of this test.  Whether this
	 * user may create one depends on the active policy and mode (under
	 * run-tests.sh's "deny create user restricted", the test user may
	 * not in enforce mode), and, since namespaces are of privileged
	 * origin only when created by euid 0 with CAP_SYS_ADMIN, not on
	 * CAP_SYS_ADMIN alone: ask, rather than guess from privileged().
	 */
	err = try_create(BY_UNSHARE, CLONE_NEWUSER, AS_SELF);
	if (err)
		SKIP(return,
		     "this user may not create a user namespace here (%s, mode %s): nothing to test",
		     strerror(err), mode_names[self->saved_mode]);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (become_root_in_userns())
			_exit(CHILD_SETUP_FAILED);
		_exit(-write_file(NSHARD_MODE_PATH, "off", 3));
	}
	/*
	 * Real root maps to root in the namespace, passes DAC and reaches
	 * nshard's check; anyone else is refused by DAC already.
	 */
	EXPECT_EQ(self->root ? EPERM : EACCES, wait_child(pid));
	EXPECT_EQ(self->saved_mode, read_mode());
}

/* Root inside a user namespace, with a descriptor opened outside. */
TEST_F(mode, root_in_userns_with_outside_descriptor_is_refused)
{
	pid_t pid;
	int fd;

	if (!self->root)
		SKIP(return, "needs root to open the file");

	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	fd = open(NSHARD_MODE_PATH, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (become_root_in_userns())
			_exit(CHILD_SETUP_FAILED);
		_exit(write(fd, "off", 3) < 0 ? errno : 0);
	}
	EXPECT_EQ(EPERM, wait_child(pid));
	close(fd);
	EXPECT_EQ(MODE_AUDIT, read_mode());
}

TEST_HARNESS_MAIN
