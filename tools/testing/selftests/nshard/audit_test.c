// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - one user's denials cannot hide another's from auditd
 *
 * What this proves: every refusal nshard makes reaches the audit daemon as
 * its own AUDIT_NSHARD_ACCESS (1425) record, whoever else is being refused
 * at the same time.  The test becomes the audit daemon itself over
 * NETLINK_AUDIT (AUDIT_SET: enabled=1, pid=getpid(), a large backlog limit,
 * no rate limit), loads "deny create user restricted" in enforce mode, has
 * the test user (uid 1000) flood its own refused unshare(CLONE_NEWUSER) -
 * at least FLOOD_MIN of them - and, while the flood goes on, has uid 1001
 * make ONE refused unshare.  It then checks, by the pid of each process:
 *
 *  - the record of uid 1001's refusal arrived, exactly one, naming
 *    op="create user" decision=denied and uid=1001;
 *  - exactly one record arrived for each of uid 1000's refusals (thousands,
 *    not a rate limit's 20 per 5 seconds);
 *  - nshard's "create user" denied counter rose by exactly the number of
 *    refusals, so that each attempt was one decision of nshard's.
 *
 * How it fails on the old code: audit records and kernel log lines shared
 * ONE global ratelimit (20 per 5 s).  The flood uses up every window's 20
 * within its first milliseconds, so uid 1001's record, made while the
 * flood goes on, is suppressed and never reaches auditd ("no record of uid
 * 1001's refusal"), and only about 20 of uid 1000's records per 5 seconds
 * arrive instead of one per refusal.  The wait for records ends after
 * RECORD_QUIET_MS without a new one, so the old code fails in seconds.
 *
 * Needs root (CAP_MAC_ADMIN, CAP_AUDIT_CONTROL).  Skips when the kernel has
 * no audit support (CONFIG_AUDIT=n or audit=0: no NETLINK_AUDIT), when an
 * audit daemon is already registered, or when the audit configuration is
 * locked.  The audit state changed (enabled, pid, backlog limit, rate
 * limit), the mode and the policy are restored at the end.
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "common.h"

/* The second unprivileged user, whose one refusal must not be hidden. */
#define OTHER_UID		1001
#define OTHER_GID		1001

/* Refusals of the test user before the other user's, and a safety cap. */
#define FLOOD_MIN		2000
#define FLOOD_MAX		200000

/*
 * Audit settings while the test is the audit daemon.  With audit enabled a
 * refusal also brings SYSCALL, PROCTITLE and EOE records, so the backlog is
 * made large enough for the whole flood even if the reader falls behind.
 */
#define AUDIT_TEST_BACKLOG	65536
#define AUDIT_RCVBUF		(32 << 20)

/* Waits, in milliseconds. */
#define REPLY_TIMEOUT_MS	5000
#define DRAIN_QUIET_MS		500
#define DRAIN_MAX_MS		10000
#define FLOOD_START_MAX_MS	300000
#define RECORD_QUIET_MS		10000
#define RECORD_MAX_MS		120000
#define RECORD_GRACE_MS		500

#define RECORD_OP		"op=\"create user\" decision=denied "

/* The longest record the kernel sends (MAX_AUDIT_MESSAGE_LENGTH in libaudit). */
#define AUDIT_MSG_MAX		8970
#define AUDIT_BUF_SIZE		(AUDIT_MSG_MAX + NLMSG_HDRLEN + 64)

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------ NETLINK_AUDIT helpers -- */

static unsigned int audit_seq;

static int audit_send(int fd, int type, unsigned int flags, const void *data,
		      size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nh;
		char data[sizeof(struct audit_status)];
	} req = {};

	if (len > sizeof(req.data))
		return -EINVAL;
	req.nh.nlmsg_len = NLMSG_LENGTH(len);
	req.nh.nlmsg_type = type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	req.nh.nlmsg_seq = ++audit_seq;
	memcpy(req.data, data, len);
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != (ssize_t)req.nh.nlmsg_len)
		return -errno;
	return 0;
}

/*
 * Receive one datagram from the kernel within @timeout_ms.  Returns its
 * length, 0 on timeout, or -errno.  Audit records are one message per
 * datagram, and their nlmsg_len leaves out the header: the payload is the
 * rest of the datagram.
 */
static ssize_t audit_recv(int fd, char *buf, size_t size, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_nl from;
	socklen_t fromlen = sizeof(from);
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return 0;
	n = recvfrom(fd, buf, size, MSG_DONTWAIT, (struct sockaddr *)&from,
		     &fromlen);
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
	if (from.nl_pid != 0 || (size_t)n < NLMSG_HDRLEN)
		return 0;
	return n;
}

/* AUDIT_GET: the audit status, read into @s.  0 or -errno. */
static int audit_get(int fd, struct audit_status *s)
{
	long long deadline = now_ms() + REPLY_TIMEOUT_MS;
	unsigned int seq;
	char buf[AUDIT_BUF_SIZE];
	int err;

	err = audit_send(fd, AUDIT_GET, 0, NULL, 0);
	if (err)
		return err;
	seq = audit_seq;
	while (now_ms() < deadline) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		ssize_t n = audit_recv(fd, buf, sizeof(buf), 100);

		if (n < 0)
			return n;
		if (n == 0 || nh->nlmsg_seq != seq)
			continue;	/* an audit record, or nothing yet */
		if (nh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nh);

			if (e->error)
				return e->error;
			continue;
		}
		if (nh->nlmsg_type != AUDIT_GET)
			continue;
		memset(s, 0, sizeof(*s));
		memcpy(s, NLMSG_DATA(nh),
		       n - NLMSG_HDRLEN < (ssize_t)sizeof(*s) ?
		       (size_t)(n - NLMSG_HDRLEN) : sizeof(*s));
		return 0;
	}
	return -ETIMEDOUT;
}

/* AUDIT_SET @s, and wait for the kernel's answer: 0 or -errno. */
static int audit_set(int fd, const struct audit_status *s)
{
	long long deadline = now_ms() + REPLY_TIMEOUT_MS;
	unsigned int seq;
	char buf[AUDIT_BUF_SIZE];
	int err;

	err = audit_send(fd, AUDIT_SET, NLM_F_ACK, s, sizeof(*s));
	if (err)
		return err;
	seq = audit_seq;
	while (now_ms() < deadline) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		ssize_t n = audit_recv(fd, buf, sizeof(buf), 100);

		if (n < 0)
			return n;
		if (n == 0 || nh->nlmsg_type != NLMSG_ERROR ||
		    nh->nlmsg_seq != seq)
			continue;
		return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
	}
	return -ETIMEDOUT;
}

/* ------------------------------------------------------- the reader -- */

/*
 * What the reader thread saw.  Fields other threads read or write use the
 * __atomic builtins.
 */
struct audit_watch {
	int fd;
	int stop;
	long long last_msg_ms;		/* any message */
	long long last_match_ms;	/* a record of a watched pid */
	pid_t flood_pid;		/* 0 until set */
	pid_t other_pid;
	unsigned long nshard_records;	/* every 1425 record */
	unsigned long flood_records;	/* flooder's refusals, uid=1000 */
	unsigned long flood_wrong;	/* flooder's, but not as expected */
	unsigned long other_records;	/* uid 1001's refusal, uid=1001 */
	unsigned long other_wrong;
	int recv_errno;			/* last receive error, e.g. ENOBUFS */
	unsigned long recv_errors;
	char other_text[AUDIT_BUF_SIZE];	/* the record of uid 1001's refusal */
};

/* Does the 1425 record @text report a refusal of create user by @pid? */
static bool record_of(const char *text, pid_t pid)
{
	char pat[32];

	if (pid <= 0 || !strstr(text, RECORD_OP))
		return false;
	/* " pid=" (not " ppid=") is the task's own, see audit_log_task_info */
	snprintf(pat, sizeof(pat), " pid=%d ", pid);
	return strstr(text, pat);
}

static void *audit_reader(void *arg)
{
	struct audit_watch *w = arg;
	static char buf[AUDIT_BUF_SIZE];

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		ssize_t n = audit_recv(w->fd, buf, sizeof(buf) - 1, 100);
		const char *text;

		if (n < 0) {
			w->recv_errno = -n;
			__atomic_add_fetch(&w->recv_errors, 1,
					   __ATOMIC_RELAXED);
			continue;
		}
		if (n == 0)
			continue;
		__atomic_store_n(&w->last_msg_ms, now_ms(), __ATOMIC_RELEASE);
		if (nh->nlmsg_type != AUDIT_NSHARD_ACCESS)
			continue;
		buf[n] = '\0';
		text = buf + NLMSG_HDRLEN;
		__atomic_add_fetch(&w->nshard_records, 1, __ATOMIC_RELAXED);
		if (record_of(text, __atomic_load_n(&w->flood_pid,
						    __ATOMIC_ACQUIRE))) {
			if (strstr(text, " uid=1000 "))
				__atomic_add_fetch(&w->flood_records, 1,
						   __ATOMIC_RELEASE);
			else
				__atomic_add_fetch(&w->flood_wrong, 1,
						   __ATOMIC_RELEASE);
		} else if (record_of(text, __atomic_load_n(&w->other_pid,
							   __ATOMIC_ACQUIRE))) {
			if (strstr(text, " uid=1001 ") &&
			    !__atomic_load_n(&w->other_records,
					     __ATOMIC_RELAXED))
				snprintf(w->other_text, sizeof(w->other_text),
					 "%s", text);
			if (strstr(text, " uid=1001 "))
				__atomic_add_fetch(&w->other_records, 1,
						   __ATOMIC_RELEASE);
			else
				__atomic_add_fetch(&w->other_wrong, 1,
						   __ATOMIC_RELEASE);
		} else {
			continue;
		}
		__atomic_store_n(&w->last_match_ms, now_ms(),
				 __ATOMIC_RELEASE);
	}
	return NULL;
}

/* ------------------------------------------------------- the flooder -- */

/* Shared with the flooder (MAP_SHARED): use the __atomic builtins. */
struct flood {
	int stop;
	unsigned long refused;	/* attempts refused with EPERM */
	int bad;		/* result of the first attempt not refused */
};

/* As the test user, once @go is readable: refuse, refuse, refuse... */
static void flooder(struct flood *f, int go)
{
	char c;

	if (drop_to_test_user() || read(go, &c, 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&f->refused, __ATOMIC_RELAXED) < FLOOD_MAX) {
		int ret = vfork_create(CLONE_NEWUSER);

		if (ret != EPERM) {
			f->bad = ret;
			_exit(1);
		}
		__atomic_add_fetch(&f->refused, 1, __ATOMIC_RELEASE);
	}
	_exit(0);
}

/* As uid/gid 1001, once @go is readable: one unshare; exits with its errno. */
static void other_user(int go)
{
	char c;

	if (setgroups(0, NULL) ||
	    setresgid(OTHER_GID, OTHER_GID, OTHER_GID) ||
	    setresuid(OTHER_UID, OTHER_UID, OTHER_UID) ||
	    have_cap(CAP_SYS_ADMIN) || read(go, &c, 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	_exit(unshare(CLONE_NEWUSER) ? errno : 0);
}

/* Fork a child running @fn, which starts when the returned pipe is written. */
static pid_t spawn_gated(void (*fn)(void *, int), void *arg, int *gate)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		fn(arg, p[0]);
		_exit(CHILD_SETUP_FAILED);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*gate = p[1];
	return pid;
}

static void run_flooder(void *arg, int go)
{
	flooder(arg, go);
}

static void run_other_user(void *arg, int go)
{
	other_user(go);
}

/* ------------------------------------------------------- the fixture -- */

FIXTURE(audit) {
	int saved_mode;
	char *saved_policy;
	bool root;
	int nl;
	bool registered;
	struct audit_status old;
	struct audit_watch w;
	pthread_t reader;
	bool reading;
	struct flood *flood;
	pid_t flood_pid;
	pid_t other_pid;
};

FIXTURE_SETUP(audit)
{
	ASSERT_TRUE(nshard_active());
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->root = getuid() == 0 && have_cap(CAP_MAC_ADMIN) &&
		     have_cap(CAP_AUDIT_CONTROL);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	self->nl = -1;
	self->flood = mmap(NULL, sizeof(*self->flood), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->flood);
}

static void stop_reader(struct audit_watch *w, pthread_t reader, bool *reading)
{
	if (!*reading)
		return;
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	pthread_join(reader, NULL);
	*reading = false;
}

static void reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
		*pid = 0;
	}
}

FIXTURE_TEARDOWN(audit)
{
	struct audit_status s = {}, now;

	__atomic_store_n(&self->flood->stop, 1, __ATOMIC_RELEASE);
	reap(&self->flood_pid);
	reap(&self->other_pid);
	stop_reader(&self->w, self->reader, &self->reading);
	if (self->registered) {
		/* Stop being the audit daemon; put back what was changed. */
		s.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID |
			 AUDIT_STATUS_RATE_LIMIT | AUDIT_STATUS_BACKLOG_LIMIT;
		s.enabled = self->old.enabled;
		s.pid = 0;
		s.rate_limit = self->old.rate_limit;
		s.backlog_limit = self->old.backlog_limit;
		EXPECT_EQ(0, audit_set(self->nl, &s));
		EXPECT_EQ(0, audit_get(self->nl, &now));
		EXPECT_EQ(0U, now.pid);
		EXPECT_EQ(self->old.enabled, now.enabled);
		EXPECT_EQ(self->old.rate_limit, now.rate_limit);
		EXPECT_EQ(self->old.backlog_limit, now.backlog_limit);
	}
	if (self->nl >= 0)
		close(self->nl);
	if (self->root) {
		EXPECT_EQ(0, write_mode(self->saved_mode));
		EXPECT_EQ(0, write_policy(self->saved_policy));
	}
	munmap(self->flood, sizeof(*self->flood));
	free(self->saved_policy);
}

/*
 * Wait until the reader has seen @flood flooder records and one of the other
 * user, or until RECORD_QUIET_MS pass without a new one (the old code's
 * suppressed records never come), or RECORD_MAX_MS in all.
 */
static void wait_for_records(struct audit_watch *w, unsigned long flood)
{
	long long start = now_ms();

	for (;;) {
		long long t = now_ms(), last;

		if (__atomic_load_n(&w->flood_records, __ATOMIC_ACQUIRE) >=
		    flood &&
		    __atomic_load_n(&w->other_records, __ATOMIC_ACQUIRE) >= 1) {
			/* Time for a duplicate, should there be one. */
			usleep(RECORD_GRACE_MS * 1000);
			return;
		}
		last = __atomic_load_n(&w->last_match_ms, __ATOMIC_ACQUIRE);
		if (last < start)
			last = start;
		if (t - last > RECORD_QUIET_MS || t - start > RECORD_MAX_MS)
			return;
		usleep(20000);
	}
}

TEST_F_TIMEOUT(audit, flood_does_not_hide_other_users_denials, 600)
{
	struct audit_status set = {}, now, end;
	unsigned long refused, flood_records;
	long long denied0, denied1, start;
	int fd, gate, ret, status, rcvbuf = AUDIT_RCVBUF;

	if (!self->root)
		SKIP(return, "needs root (CAP_MAC_ADMIN and CAP_AUDIT_CONTROL)");
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0 && errno == EPROTONOSUPPORT)
		SKIP(return,
		     "no NETLINK_AUDIT: kernel without CONFIG_AUDIT, or booted with audit=0");
	ASSERT_LE(0, fd);
	self->nl = fd;
	ASSERT_EQ(0, audit_get(fd, &self->old));
	if (self->old.pid)
		SKIP(return, "an audit daemon is registered (pid %u): not taking its place",
		     self->old.pid);
	if (self->old.enabled == 2)
		SKIP(return, "the audit configuration is locked (enabled=2)");
	/* Room for records should the reader fall behind the flood. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	/* Become the audit daemon. */
	set.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID |
		   AUDIT_STATUS_BACKLOG_LIMIT | AUDIT_STATUS_RATE_LIMIT;
	set.enabled = 1;
	set.pid = getpid();
	set.backlog_limit = AUDIT_TEST_BACKLOG;
	set.rate_limit = 0;
	ASSERT_EQ(0, audit_set(fd, &set));
	self->registered = true;
	ASSERT_EQ(0, audit_get(fd, &now));
	ASSERT_EQ(getpid(), (pid_t)now.pid);
	ASSERT_EQ(1U, now.enabled);
	ASSERT_EQ((__u32)AUDIT_TEST_BACKLOG, now.backlog_limit);
	ASSERT_EQ(0U, now.rate_limit);

	ASSERT_EQ(0, write_policy(RESTRICT_USERNS_POLICY));
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));

	self->w.fd = fd;
	self->w.last_msg_ms = now_ms();
	ASSERT_EQ(0, pthread_create(&self->reader, NULL, audit_reader,
				    &self->w));
	self->reading = true;

	/*
	 * Records held from before (earlier tests, whose pids may be reused)
	 * come first: let them drain before watching any pid.
	 */
	start = now_ms();
	while (now_ms() - __atomic_load_n(&self->w.last_msg_ms,
					  __ATOMIC_ACQUIRE) < DRAIN_QUIET_MS &&
	       now_ms() - start < DRAIN_MAX_MS)
		usleep(50000);

	denied0 = read_counter("create user", NSHARD_COUNTER_DENIED);
	ASSERT_LE(0, denied0);

	/* The test user floods... */
	self->flood_pid = spawn_gated(run_flooder, self->flood, &gate);
	ASSERT_LT(0, self->flood_pid);
	__atomic_store_n(&self->w.flood_pid, self->flood_pid,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(1, write(gate, "g", 1));
	close(gate);
	start = now_ms();
	while (__atomic_load_n(&self->flood->refused, __ATOMIC_ACQUIRE) <
	       FLOOD_MIN) {
		ASSERT_EQ(0, waitpid(self->flood_pid, &status, WNOHANG)) {
			TH_LOG("the flooder ended early: status %#x, first result not refused: %d",
			       status, self->flood->bad);
			self->flood_pid = 0;
		}
		ASSERT_GT(FLOOD_START_MAX_MS, now_ms() - start) {
			TH_LOG("only %lu refusals in %d s", self->flood->refused,
			       FLOOD_START_MAX_MS / 1000);
		}
		usleep(10000);
	}

	/* ...and, while it still does, uid 1001 is refused once. */
	self->other_pid = spawn_gated(run_other_user, NULL, &gate);
	ASSERT_LT(0, self->other_pid);
	__atomic_store_n(&self->w.other_pid, self->other_pid,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(1, write(gate, "g", 1));
	close(gate);
	ret = wait_child(self->other_pid);
	self->other_pid = 0;

	__atomic_store_n(&self->flood->stop, 1, __ATOMIC_RELEASE);
	status = wait_child(self->flood_pid);
	self->flood_pid = 0;
	refused = __atomic_load_n(&self->flood->refused, __ATOMIC_ACQUIRE);

	ASSERT_EQ(EPERM, ret);
	ASSERT_EQ(0, status) {
		TH_LOG("a flood attempt was not refused: %d", self->flood->bad);
	}
	ASSERT_LE(FLOOD_MIN, refused);
	/* Each attempt was one refusal of nshard's, and nothing else was. */
	denied1 = read_counter("create user", NSHARD_COUNTER_DENIED);
	EXPECT_EQ(denied0 + (long long)refused + 1, denied1);

	wait_for_records(&self->w, refused);
	stop_reader(&self->w, self->reader, &self->reading);
	ASSERT_EQ(0, audit_get(fd, &end));

	flood_records = self->w.flood_records;
	TH_LOG("%lu refusals of uid 1000: %lu records; uid 1001: %lu",
	       refused, flood_records, self->w.other_records);
	TH_LOG("%lu nshard records in all; lost %u -> %u",
	       self->w.nshard_records, now.lost, end.lost);
	EXPECT_EQ(0, self->w.recv_errors) {
		TH_LOG("receive errors, last %s", strerror(self->w.recv_errno));
	}
	EXPECT_EQ(1, self->w.other_records) {
		TH_LOG("no record of uid 1001's refusal: hidden by uid 1000's flood");
	}
	EXPECT_EQ(0, self->w.other_wrong);
	if (self->w.other_records) {
		EXPECT_NE(NULL, strstr(self->w.other_text,
				       "op=\"create user\" decision=denied"));
		EXPECT_NE(NULL, strstr(self->w.other_text, " uid=1001 "));
		TH_LOG("uid 1001: %s", self->w.other_text);
	}
	/* One record per refusal: thousands, not 20 per 5 seconds. */
	EXPECT_LE(1000, flood_records);
	EXPECT_EQ(refused, flood_records);
	EXPECT_EQ(0, self->w.flood_wrong);
}

TEST_HARNESS_MAIN
