// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - opening the policy file pins no memory
 *
 * What this proves: the policy file is world-readable, and opening it must
 * not let an unprivileged user make the kernel allocate memory that no limit
 * of theirs bounds.  Root loads a policy of NSHARD_POLICY_MAX_RULES
 * statements (about 3.4 MiB of canonical text, under the 4 MiB
 * NSHARD_POLICY_MAX_SIZE), and a child confined to a cgroup v2 with
 * memory.max = 64M, running as the test user with RLIMIT_NOFILE raised by
 * root to PIN_NOFILE, opens the policy file read-only PIN_OPENS (10,000)
 * times and keeps every descriptor.  The test checks that:
 *
 *  - all PIN_OPENS opens succeed;
 *  - MemAvailable drops by less than PIN_AVAIL_DROP_MAX_KB (64 MiB) across
 *    them: an open takes a reference on the immutable policy, not a copy;
 *  - the cgroup stays under memory.max, with no OOM ("oom 0", "oom_kill 0"
 *    in memory.events);
 *  - every descriptor still reads the whole policy: the first and last bytes
 *    and end of file through several, the whole text through two, equal to
 *    what a fresh open reads and to the text root loaded.
 *
 * How it fails on the old code: each read-open copied the whole text
 * (kvmalloc, not charged to the opener's memory cgroup, under a mutex), so
 * 10,000 opens would need 10,000 x 3.4 MiB = 33 GiB of kernel memory that
 * memory.max does not see, in a 2 GiB guest.  The child checks MemAvailable
 * every PIN_GUARD_EVERY opens and stops as soon as it has dropped by 64 MiB
 * (after some 20 opens on the old code), and an open that fails (ENOMEM)
 * also ends the loop: the test fails ("MemAvailable dropped by ... after
 * ... opens") instead of exhausting the guest's memory or looping.
 *
 * Needs root, and the cgroup v2 memory controller at /sys/fs/cgroup
 * (CONFIG_MEMCG): skips, saying why, without them.  The mode, the policy and
 * cgroup.subtree_control are restored and the cgroup removed at the end.
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <limits.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "common.h"

#define CGROUP_ROOT		"/sys/fs/cgroup"

/* The policy: as many statements as allowed, in canonical form. */
#define PIN_STATEMENTS		NSHARD_POLICY_MAX_RULES
#define PIN_UID_BASE		1000000000u
#define PIN_LINE_FMT		"allow cap CHECKPOINT_RESTORE uid=%u restricted\n"
#define PIN_LINE_LEN		55	/* with a 10-digit uid */

#define PIN_OPENS		10000
#define PIN_NOFILE		10240
#define PIN_MEMCG_MAX		(64LL << 20)
#define PIN_AVAIL_DROP_MAX_KB	(64LL * 1024)
#define PIN_GUARD_EVERY		8
#define PIN_PROBE		64	/* bytes read at each end */
#define PIN_WAIT_MS		300000

/* What the child did: shared (MAP_SHARED), use the __atomic builtins. */
struct pin {
	int stage;		/* enum pin_stage it failed at, or PIN_OK */
	int stage_errno;
	int opened;
	int open_errno;		/* of the first open that failed */
	int guard;		/* stopped: MemAvailable dropped too much */
	long long avail_before_kb;
	long long avail_after_kb;
	int checked;		/* descriptors whose ends were read */
	int bad_head, bad_tail, bad_eof;
	int full_read;		/* descriptors read whole */
	int bad_full;		/* ...that did not read the fresh text */
	int fresh_is_text;	/* a fresh open reads the text root loaded */
	int done;
	int release;
};

enum pin_stage {
	PIN_OK,
	PIN_CGROUP,
	PIN_RLIMIT,
	PIN_DROP,
	PIN_MEMINFO,
	PIN_ALLOC,
};

static const char *const pin_stage_names[] = {
	[PIN_OK] = "none",
	[PIN_CGROUP] = "joining the cgroup",
	[PIN_RLIMIT] = "setting RLIMIT_NOFILE",
	[PIN_DROP] = "dropping to the test user",
	[PIN_MEMINFO] = "reading MemAvailable",
	[PIN_ALLOC] = "allocating",
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * The value of "@key <number>" (or "@key: <number> kB") in the file @path,
 * read without allocating; -1 if missing.
 */
static long long read_keyed(const char *path, const char *key)
{
	char buf[8192], *line, *save;
	size_t klen = strlen(key);
	long long val = -1;
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) ||
		    (line[klen] != ' ' && line[klen] != ':'))
			continue;
		line += klen + (line[klen] == ':');
		if (sscanf(line, " %lld", &val) != 1)
			val = -1;
		break;
	}
	return val;
}

static long long mem_available_kb(void)
{
	return read_keyed("/proc/meminfo", "MemAvailable");
}

/* A single number in a cgroup file, such as memory.current: -1 on error. */
static long long read_number(const char *path)
{
	char *s = read_file(path, NULL);
	long long v = -1;

	if (s) {
		char *end;

		v = strtoll(s, &end, 10);
		if (end == s)
			v = -1;
	}
	free(s);
	return v;
}

/* Is @word one of the blank-separated words of the file @path? */
static bool file_has_word(const char *path, const char *word)
{
	char *s = read_file(path, NULL), *tok, *save;
	bool found = false;

	for (tok = s ? strtok_r(s, "\n ", &save) : NULL; tok && !found;
	     tok = strtok_r(NULL, "\n ", &save))
		found = !strcmp(tok, word);
	free(s);
	return found;
}

/* Read all of @fd from offset 0 into @buf (of @size): bytes read, or -1. */
static ssize_t pread_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size && (n = pread(fd, buf + len, size - len, len)) > 0)
		len += n;
	return n < 0 ? -1 : (ssize_t)len;
}

static void pin_fail(struct pin *r, enum pin_stage stage)
{
	r->stage = stage;
	r->stage_errno = errno;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	_exit(CHILD_SETUP_FAILED);
}

/*
 * Check the descriptors the child holds: ends and end of file through a
 * few, the whole text through two, against a fresh open and @text.
 */
static void pin_check(struct pin *r, const int *fds, const char *text,
		      size_t len)
{
	static const int idx[] = {
		0, 1, PIN_OPENS / 2, PIN_OPENS - 2, PIN_OPENS - 1,
	};
	static const int whole[] = { 0, PIN_OPENS - 1 };
	char head[PIN_PROBE], tail[PIN_PROBE], c;
	size_t flen = 0;
	char *fresh, *buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		int fd = fds[idx[i]];

		if (pread(fd, head, PIN_PROBE, 0) != PIN_PROBE ||
		    memcmp(head, text, PIN_PROBE))
			r->bad_head++;
		if (pread(fd, tail, PIN_PROBE, len - PIN_PROBE) != PIN_PROBE ||
		    memcmp(tail, text + len - PIN_PROBE, PIN_PROBE))
			r->bad_tail++;
		if (pread(fd, &c, 1, len) != 0)
			r->bad_eof++;
		r->checked++;
	}

	fresh = read_file(NSHARD_POLICY_PATH, &flen);
	r->fresh_is_text = fresh && flen == len && !memcmp(fresh, text, len);
	buf = malloc(len + 1);
	if (!fresh || !buf) {
		free(fresh);
		free(buf);
		pin_fail(r, PIN_ALLOC);
	}
	for (i = 0; i < ARRAY_SIZE(whole); i++) {
		/* One byte more than expected: a longer text shows. */
		ssize_t n = pread_all(fds[whole[i]], buf, len + 1);

		if (n != (ssize_t)flen || memcmp(buf, fresh, flen))
			r->bad_full++;
		r->full_read++;
	}
	/* Given back: memory.current then shows what the opens hold. */
	free(buf);
	free(fresh);
}

/* The child: join @cg, become the test user, open and hold, check. */
static void pin_child(struct pin *r, const char *cg, const char *text,
		      size_t len)
{
	struct rlimit rl = { PIN_NOFILE, PIN_NOFILE };
	char path[PATH_MAX], pid[24];
	long long avail;
	long long deadline;
	int *fds, i;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_file(path, pid, strlen(pid)))
		pin_fail(r, PIN_CGROUP);
	if (setrlimit(RLIMIT_NOFILE, &rl))
		pin_fail(r, PIN_RLIMIT);
	if (drop_to_test_user())
		pin_fail(r, PIN_DROP);
	fds = calloc(PIN_OPENS, sizeof(*fds));
	if (!fds)
		pin_fail(r, PIN_ALLOC);

	r->avail_before_kb = mem_available_kb();
	if (r->avail_before_kb < 0)
		pin_fail(r, PIN_MEMINFO);
	for (i = 0; i < PIN_OPENS; i++) {
		fds[i] = open(NSHARD_POLICY_PATH, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			r->open_errno = errno;
			break;
		}
		r->opened = i + 1;
		if ((i + 1) % PIN_GUARD_EVERY)
			continue;
		/* Stop before the old code's copies exhaust the guest. */
		avail = mem_available_kb();
		if (avail < 0)
			pin_fail(r, PIN_MEMINFO);
		if (r->avail_before_kb - avail >= PIN_AVAIL_DROP_MAX_KB) {
			r->guard = 1;
			r->avail_after_kb = avail;
			break;
		}
	}
	if (!r->guard)
		r->avail_after_kb = mem_available_kb();
	if (r->opened == PIN_OPENS)
		pin_check(r, fds, text, len);

	/* Hold the descriptors while the parent reads the cgroup's files. */
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	deadline = now_ms() + PIN_WAIT_MS;
	while (!__atomic_load_n(&r->release, __ATOMIC_ACQUIRE) &&
	       now_ms() < deadline)
		usleep(10000);
	_exit(0);
}

FIXTURE(pin) {
	int saved_mode;
	char *saved_policy;
	bool root;
	char cg[128];
	bool cg_made;
	bool memory_enabled;
	char *text;
	struct pin *r;
	pid_t child;
};

FIXTURE_SETUP(pin)
{
	ASSERT_TRUE(nshard_active());
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->root = getuid() == 0 && have_cap(CAP_MAC_ADMIN) &&
		     have_cap(CAP_SYS_ADMIN);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	self->r = mmap(NULL, sizeof(*self->r), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->r);
}

FIXTURE_TEARDOWN(pin)
{
	int i, ret = -1;

	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	if (self->cg_made) {
		/* The cgroup may be busy for a moment after the child is reaped. */
		for (i = 0; i < 50 && (ret = rmdir(self->cg)) && errno == EBUSY;
		     i++)
			usleep(100000);
		EXPECT_EQ(0, ret) {
			TH_LOG("rmdir %s: %s", self->cg, strerror(errno));
		}
	}
	if (self->memory_enabled &&
	    write_file(CGROUP_ROOT "/cgroup.subtree_control", "-memory", 7))
		TH_LOG("could not disable the memory controller again");
	if (self->root) {
		EXPECT_EQ(0, write_mode(self->saved_mode));
		EXPECT_EQ(0, write_policy(self->saved_policy));
	}
	munmap(self->r, sizeof(*self->r));
	free(self->text);
	free(self->saved_policy);
}

TEST_F_TIMEOUT(pin, unprivileged_opens_pin_no_memory, 600)
{
	char path[PATH_MAX], buf[32];
	long long current, peak, oom, oom_kill, drop, deadline;
	unsigned long long gen;
	struct pin *r = self->r;
	size_t len = 0;
	int i, err, status;

	if (!self->root)
		SKIP(return, "needs root (CAP_MAC_ADMIN, CAP_SYS_ADMIN)");
	if (access(CGROUP_ROOT "/cgroup.controllers", R_OK))
		SKIP(return, "no cgroup v2 hierarchy at " CGROUP_ROOT);
	if (!file_has_word(CGROUP_ROOT "/cgroup.controllers", "memory"))
		SKIP(return,
		     "the memory controller is unavailable (CONFIG_MEMCG=n, or taken by cgroup v1)");
	if (!file_has_word(CGROUP_ROOT "/cgroup.subtree_control", "memory")) {
		err = write_file(CGROUP_ROOT "/cgroup.subtree_control",
				 "+memory", 7);
		if (err)
			SKIP(return, "cannot enable the memory controller in "
			     CGROUP_ROOT "/cgroup.subtree_control: %s",
			     strerror(-err));
		self->memory_enabled = true;
	}
	snprintf(self->cg, sizeof(self->cg), CGROUP_ROOT "/nshard_pin_test.%d",
		 getpid());
	ASSERT_EQ(0, mkdir(self->cg, 0755)) {
		TH_LOG("mkdir %s: %s", self->cg, strerror(errno));
	}
	self->cg_made = true;
	snprintf(path, sizeof(path), "%s/memory.max", self->cg);
	snprintf(buf, sizeof(buf), "%lld", PIN_MEMCG_MAX);
	ASSERT_EQ(0, write_file(path, buf, strlen(buf)));
	ASSERT_EQ(PIN_MEMCG_MAX, read_number(path));

	/* The largest policy there may be, in canonical form. */
	self->text = malloc((size_t)PIN_STATEMENTS * PIN_LINE_LEN + 1);
	ASSERT_NE(NULL, self->text);
	for (i = 0; i < PIN_STATEMENTS; i++)
		len += sprintf(self->text + len, PIN_LINE_FMT,
			       PIN_UID_BASE + i);
	ASSERT_EQ((size_t)PIN_STATEMENTS * PIN_LINE_LEN, len);
	ASSERT_GE((size_t)NSHARD_POLICY_MAX_SIZE, len);
	gen = read_generation();
	ASSERT_LT(0, gen);
	ASSERT_EQ(0, write_file(NSHARD_POLICY_PATH, self->text, len));
	ASSERT_EQ(gen + 1, read_generation());
	ASSERT_TRUE(policy_is(self->text));

	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0)
		pin_child(r, self->cg, self->text, len);

	deadline = now_ms() + PIN_WAIT_MS;
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
		ASSERT_EQ(0, waitpid(self->child, &status, WNOHANG)) {
			TH_LOG("the child ended early (status %#x) after %d opens: OOM-killed?",
			       status, r->opened);
			self->child = 0;
		}
		ASSERT_GT(deadline, now_ms()) {
			TH_LOG("the child is still at it after %d s, %d opens",
			       PIN_WAIT_MS / 1000, r->opened);
		}
		usleep(10000);
	}

	/* While the child still holds its descriptors. */
	snprintf(path, sizeof(path), "%s/memory.current", self->cg);
	current = read_number(path);
	snprintf(path, sizeof(path), "%s/memory.peak", self->cg);
	peak = read_number(path);
	snprintf(path, sizeof(path), "%s/memory.events", self->cg);
	oom = read_keyed(path, "oom");
	oom_kill = read_keyed(path, "oom_kill");
	__atomic_store_n(&r->release, 1, __ATOMIC_RELEASE);
	status = wait_child(self->child);
	self->child = 0;

	ASSERT_EQ(PIN_OK, r->stage) {
		TH_LOG("the child failed at %s: %s",
		       pin_stage_names[r->stage], strerror(r->stage_errno));
	}
	ASSERT_EQ(0, status);
	drop = r->avail_before_kb - r->avail_after_kb;
	TH_LOG("%d opens of a %zu-byte policy: MemAvailable %lld -> %lld kB",
	       r->opened, len, r->avail_before_kb, r->avail_after_kb);
	TH_LOG("memory.current %lld, memory.peak %lld", current, peak);
	EXPECT_EQ(0, r->guard) {
		TH_LOG("stopped: MemAvailable down %lld MiB after %d opens: each open pins memory",
		       drop / 1024, r->opened);
	}
	EXPECT_EQ(0, r->open_errno) {
		TH_LOG("open #%d failed: %s", r->opened + 1,
		       strerror(r->open_errno));
	}
	ASSERT_EQ(PIN_OPENS, r->opened);
	EXPECT_GT(PIN_AVAIL_DROP_MAX_KB, drop);

	/* The cgroup's own limit held, and nothing was OOM-killed. */
	ASSERT_LE(0, current);
	EXPECT_GT(PIN_MEMCG_MAX, current);
	if (peak >= 0)
		EXPECT_GT(PIN_MEMCG_MAX, peak);
	EXPECT_EQ(0, oom);
	EXPECT_EQ(0, oom_kill);

	/* Every descriptor still reads the whole policy. */
	EXPECT_EQ(1, r->fresh_is_text);
	EXPECT_EQ(5, r->checked);
	EXPECT_EQ(0, r->bad_head);
	EXPECT_EQ(0, r->bad_tail);
	EXPECT_EQ(0, r->bad_eof);
	EXPECT_EQ(2, r->full_read);
	EXPECT_EQ(0, r->bad_full);
}

TEST_HARNESS_MAIN
