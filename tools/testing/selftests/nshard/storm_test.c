// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - replacing the policy while decisions are being made
 *
 * WRITERS processes load policies as fast as they can, each cycling through
 * the storm's policies from a different one, so that loads of different
 * policies race with each other.  This is the regression test for a
 * use-after-free: a load was reported after the configuration lock was
 * dropped, from a policy that a concurrent load could already have
 * replaced and freed.  KASAN reports that read; the kernel log check that
 * follows the tests (run-tests.sh) catches it, and oopses, lockdep and
 * RCU reports.
 *
 * Meanwhile worker processes make decisions, each bracketed by two reads of
 * the generation with a read of the policy file between them.  When both
 * reads give the same generation, no load happened in between: the
 * decision was made under the policy read, and must be exactly the one
 * that policy gives, not another's and not a mix of two.  Two storms:
 *
 *  creation: the test user creates user namespaces, alone and with other
 *            types, under two policies that refuse and allow them;
 *  setns and capabilities: root, from the initial namespaces, and the test
 *            user, from inside the restricted user namespace that owns
 *            them, enter network namespaces of restricted origin; the test
 *            user, root in a user namespace of its own, sets the host name
 *            (CAP_SYS_ADMIN) and brings lo up (CAP_NET_ADMIN) there; under
 *            an empty policy and four that each refuse some of these.
 *
 * After each burst of loads the writers wait while the test loads each
 * policy in turn and leaves it in force for PAUSE_US: every check must see
 * both of its outcomes under a stable generation, or the storm proved
 * nothing.  Loop counts are constants; nothing is measured by time.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "common.h"

#define WRITERS		4	/* processes loading policies concurrently */
#define BURSTS		16	/* bursts of loads, each followed by a pause */
#define BURST		17	/* loads per writer and burst */
#define PAUSE_US	100000	/* a policy left in force after each burst */

#define MAX_POLICIES	5
#define MAX_WORKERS	3
#define MAX_CHECKS	2
#define MAX_TEXT	256

enum worker_kind {
	CREATE_USER,		/* the test user: clone(CLONE_NEWUSER) */
	CREATE_USER_NET,	/* ... with CLONE_NEWNET */
	CREATE_USER_MNT_UTS_IPC, /* ... with CLONE_NEWNS, _NEWUTS, _NEWIPC */
	SETNS_BY_ROOT,		/* root enters the holder's network namespace */
	SETNS_BY_TEST_USER,	/* the test user, from inside its user ns */
	CAPS_IN_USERNS,		/* sethostname(2) and lo up, in its own ns */
};

struct storm_check {
	const char *name;
	int want[MAX_POLICIES];	/* the outcome under each policy: 0, errno */
};

struct storm_def {
	const char *name;
	int nr_policies;
	const char *policies[MAX_POLICIES];
	int nr_workers;
	struct {
		enum worker_kind kind;
		int nr_checks;
		struct storm_check checks[MAX_CHECKS];
	} workers[MAX_WORKERS];
};

/*
 * The policies differ in exactly what the checks test.  The first is in
 * force while the workers set up.
 */
static const struct storm_def creation_storm = {
	.name = "creation",
	.nr_policies = 2,
	.policies = {
		/* Refuse the test user's user namespaces, through a uid rule. */
		"allow create user restricted\n"
		"deny create user uid=1000 restricted\n"
		"limit depth user 8\n",
		/* Allow them, through a default. */
		"default create user allow\n"
		"deny create user uid=1001 restricted\n",
	},
	.nr_workers = 3,
	.workers = {
		{ CREATE_USER, 1, { { "create user", { EPERM, 0 } } } },
		{ CREATE_USER_NET, 1,
		  { { "create user+net", { EPERM, 0 } } } },
		{ CREATE_USER_MNT_UTS_IPC, 1,
		  { { "create user+mnt+uts+ipc", { EPERM, 0 } } } },
	},
};

/*
 * Expectations, by policy:
 *
 * ""                       everything is allowed.
 * deny setns net restricted
 *                          entering either network namespace is refused,
 *                          to root too: the rule names no subject.
 * deny create net restricted
 *                          no statement on setns: the test user, without
 *                          CAP_SYS_ADMIN in the initial user namespace,
 *                          entering a namespace of restricted origin is
 *                          judged as creating one, and refused; root is
 *                          privileged and is not.
 * deny cap SYS_ADMIN restricted
 *                          setns(2) needs CAP_SYS_ADMIN over the user
 *                          namespace that owns the network namespace, a
 *                          restricted one: refused to both, root included
 *                          (nshard judges the namespace, not the caller);
 *                          sethostname(2) is refused, lo up is not.
 * deny cap NET_ADMIN restricted
 *                          only lo up is refused.
 */
static const struct storm_def setns_cap_storm = {
	.name = "setns and capabilities",
	.nr_policies = 5,
	.policies = {
		"",
		"deny setns net restricted\n",
		"deny create net restricted\n",
		"deny cap SYS_ADMIN restricted\n",
		"deny cap NET_ADMIN restricted\n",
	},
	.nr_workers = 3,
	.workers = {
		{ SETNS_BY_ROOT, 1,
		  { { "setns net by root", { 0, EPERM, 0, EPERM, 0 } } } },
		{ SETNS_BY_TEST_USER, 1,
		  { { "setns net by the test user",
		      { 0, EPERM, EPERM, EPERM, 0 } } } },
		{ CAPS_IN_USERNS, 2,
		  { { "sethostname", { 0, 0, 0, EPERM, 0 } },
		    { "lo up", { 0, 0, 0, 0, EPERM } } } },
	},
};

struct tally {
	unsigned long made;	/* decisions */
	unsigned long stable;	/* under a stable generation */
	unsigned long refused;	/* of those, rightly refused */
	unsigned long allowed;	/* rightly allowed */
	unsigned long wrong;	/* not what the policy read gives */
	/* The first wrong one. */
	unsigned long long gen;
	int policy;		/* index, -1 for a text not of the storm */
	int got;
};

/* Shared between processes: counters are each one process's own. */
struct storm {
	int stop;		/* __atomic: the workers stop */
	int round;		/* __atomic: bursts the writers may start */
	int arrived;		/* __atomic: bursts the writers finished */
	int ready;		/* __atomic: workers set up */
	unsigned long write_errors[WRITERS];
	int write_error[WRITERS];
	int worker_error[MAX_WORKERS];
	char canon[MAX_POLICIES][MAX_TEXT];
	struct tally tally[MAX_WORKERS][MAX_CHECKS];
};

/* Which policy of the storm @text is, in canonical form; -1 if none. */
static int policy_index(const struct storm *s, const struct storm_def *def,
			const char *text)
{
	int i;

	for (i = 0; i < def->nr_policies; i++)
		if (!strcmp(text, s->canon[i]))
			return i;
	return -1;
}

/* The decision of worker @kind's check @c, made now: 0 or the errno. */
static int decide(enum worker_kind kind, int c, unsigned long i, int net_a,
		  int net_b)
{
	switch (kind) {
	case CREATE_USER:
		return vfork_create(CLONE_NEWUSER);
	case CREATE_USER_NET:
		return vfork_create(CLONE_NEWUSER | CLONE_NEWNET);
	case CREATE_USER_MNT_UTS_IPC:
		return vfork_create(CLONE_NEWUSER | CLONE_NEWNS |
				    CLONE_NEWUTS | CLONE_NEWIPC);
	case SETNS_BY_ROOT:
		return setns(net_a, CLONE_NEWNET) ? errno : 0;
	case SETNS_BY_TEST_USER:
		/* Both are of restricted origin, owned by the same one. */
		return setns(i % 2 ? net_a : net_b, CLONE_NEWNET) ? errno : 0;
	case CAPS_IN_USERNS:
		if (c == 0)
			return sethostname("nshard-storm", 12) ? errno : 0;
		return lo_up();
	}
	return CHILD_SETUP_FAILED;
}

/*
 * A worker: set up as @w of @def says, report ready, then decide until
 * told to stop.  @net_a and @userfd: the holder's network and user
 * namespaces.  Never returns.
 */
static void worker(struct storm *s, const struct storm_def *def, int w,
		   int net_a, int userfd)
{
	enum worker_kind kind = def->workers[w].kind;
	int nr_checks = def->workers[w].nr_checks;
	int self_net = -1, net_b = -1, err = 0;
	unsigned long i;

	switch (kind) {
	case SETNS_BY_ROOT:
		self_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		err = self_net < 0;
		break;
	case SETNS_BY_TEST_USER:
		/* Owner of the holder's namespace: CAP_SYS_ADMIN there. */
		err = drop_to_test_user() || setns(userfd, CLONE_NEWUSER) ||
		      unshare(CLONE_NEWNET);
		if (!err) {
			net_b = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
			err = net_b < 0;
		}
		break;
	case CAPS_IN_USERNS:
		err = drop_to_test_user() || enter_userns_as_root() ||
		      unshare(CLONE_NEWNET | CLONE_NEWUTS);
		break;
	default:
		err = drop_to_test_user();
		break;
	}
	/* After the change of ids, which resets it. */
	if (err || prctl(PR_SET_PDEATHSIG, SIGKILL)) {
		s->worker_error[w] = errno;
		_exit(CHILD_SETUP_FAILED);
	}
	__atomic_add_fetch(&s->ready, 1, __ATOMIC_SEQ_CST);

	for (i = 0; !__atomic_load_n(&s->stop, __ATOMIC_RELAXED); i++) {
		int c = i % nr_checks, got, p;
		struct tally *t = &s->tally[w][c];
		unsigned long long g1, g2;
		char *text;

		g1 = read_generation();
		text = read_file(NSHARD_POLICY_PATH, NULL);
		got = decide(kind, c, i, net_a, net_b);
		g2 = read_generation();
		t->made++;
		/* Back to the initial network namespace, for the next one. */
		if (kind == SETNS_BY_ROOT && !got &&
		    setns(self_net, CLONE_NEWNET)) {
			s->worker_error[w] = errno;
			free(text);
			_exit(2);
		}
		if (!text || !g1 || g1 != g2) {
			free(text);
			continue;
		}
		p = policy_index(s, def, text);
		free(text);
		t->stable++;
		if (p >= 0 && got == def->workers[w].checks[c].want[p]) {
			if (got)
				t->refused++;
			else
				t->allowed++;
			continue;
		}
		if (!t->wrong++) {
			t->gen = g1;
			t->policy = p;
			t->got = got;
		}
	}
	_exit(0);
}

/*
 * A writer: BURSTS bursts of BURST loads, cycling through the policies from
 * the @w-th on, so that the writers load different ones.  No return.
 */
static void writer(struct storm *s, const struct storm_def *def, int w)
{
	int b, k, n = w, err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (b = 0; b < BURSTS; b++) {
		while (__atomic_load_n(&s->round, __ATOMIC_ACQUIRE) <= b)
			usleep(1000);
		for (k = 0; k < BURST; k++, n++) {
			err = write_policy(def->policies[n % def->nr_policies]);
			if (err) {
				s->write_errors[w]++;
				s->write_error[w] = err;
			}
		}
		__atomic_add_fetch(&s->arrived, 1, __ATOMIC_SEQ_CST);
	}
	/* Until the end: a writer that exits early is one that died. */
	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED))
		usleep(1000);
	_exit(0);
}

/*
 * Wait until *@counter reaches @target; false if one of @pids exits
 * first (then the counter never will).
 */
static bool wait_for(int *counter, int target, const pid_t *pids, int n)
{
	int i;

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < target) {
		for (i = 0; i < n; i++)
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
				return false;
		usleep(1000);
	}
	return true;
}

FIXTURE(storm) {
	int saved_mode;
	char *saved_policy;
	struct storm *s;
	pid_t holder;
};

FIXTURE_SETUP(storm)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !have_cap(CAP_MAC_ADMIN) || !privileged())
		SKIP(return, "needs root to load policies");
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->s = mmap(NULL, sizeof(*self->s), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->s);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
}

FIXTURE_TEARDOWN(storm)
{
	kill_holder(self->holder);
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
	munmap(self->s, sizeof(*self->s));
}

/* Stop and reap every process of the storm, before the test gives up. */
static void storm_abort(struct storm *s, const pid_t *pids, int n)
{
	int i;

	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
	}
}

static void run_storm(struct __test_metadata *_metadata, struct storm *s,
		      const struct storm_def *def, int net_a, int userfd)
{
	/* The workers, then the writers. */
	pid_t pids[MAX_WORKERS + WRITERS] = { 0 }, *workers = pids;
	pid_t *writers = pids + def->nr_workers;
	int nr_pids = def->nr_workers + WRITERS;
	unsigned long long gen0;
	int i, j, b, pause_errors = 0;
	bool ok;

	/* The policies as the kernel prints them, which the workers read. */
	for (i = 0; i < def->nr_policies; i++) {
		char *text;

		ASSERT_EQ(0, write_policy(def->policies[i]));
		text = read_file(NSHARD_POLICY_PATH, NULL);
		ASSERT_NE(NULL, text);
		ASSERT_GT(sizeof(s->canon[i]), strlen(text));
		memcpy(s->canon[i], text, strlen(text) + 1);
		free(text);
		for (j = 0; j < i; j++)
			ASSERT_STRNE(s->canon[j], s->canon[i]);
	}
	ASSERT_EQ(0, write_policy(def->policies[0]));
	gen0 = read_generation();
	ASSERT_LT(0, gen0);

	for (i = 0; i < def->nr_workers; i++) {
		workers[i] = fork();
		if (workers[i] == 0)
			worker(s, def, i, net_a, userfd);
		if (workers[i] < 0)
			storm_abort(s, pids, nr_pids);
		ASSERT_LT(0, workers[i]);
	}
	ok = wait_for(&s->ready, def->nr_workers, workers, def->nr_workers);
	if (!ok)
		storm_abort(s, pids, nr_pids);
	ASSERT_TRUE(ok) {
		for (i = 0; i < def->nr_workers; i++)
			TH_LOG("worker %d: %s", i, strerror(s->worker_error[i]));
	}
	for (i = 0; i < WRITERS; i++) {
		writers[i] = fork();
		if (writers[i] == 0)
			writer(s, def, i);
		if (writers[i] < 0)
			storm_abort(s, pids, nr_pids);
		ASSERT_LT(0, writers[i]);
	}

	for (b = 0; b < BURSTS; b++) {
		__atomic_store_n(&s->round, b + 1, __ATOMIC_RELEASE);
		ok = wait_for(&s->arrived, WRITERS * (b + 1), writers, WRITERS);
		/* Stop the storm first: teardown's restore must load last. */
		if (!ok)
			storm_abort(s, pids, nr_pids);
		ASSERT_TRUE(ok) {
			TH_LOG("a writer died in burst %d", b);
		}
		/* Every policy in turn, in force long enough to be seen. */
		pause_errors += write_policy(def->policies[b % def->nr_policies])
				!= 0;
		usleep(PAUSE_US);
	}
	__atomic_store_n(&s->stop, 1, __ATOMIC_RELAXED);

	for (i = 0; i < WRITERS; i++) {
		EXPECT_EQ(0, wait_child(writers[i]));
		EXPECT_EQ(0, s->write_errors[i]) {
			TH_LOG("writer %d: %lu loads failed, the last with %s",
			       i, s->write_errors[i],
			       strerror(-s->write_error[i]));
		}
	}
	EXPECT_EQ(0, pause_errors);
	/* Every load took: one generation each, none lost or doubled. */
	EXPECT_EQ(gen0 + WRITERS * BURSTS * BURST + BURSTS, read_generation());

	for (i = 0; i < def->nr_workers; i++) {
		EXPECT_EQ(0, wait_child(workers[i])) {
			TH_LOG("worker %d: %s", i, strerror(s->worker_error[i]));
		}
		for (j = 0; j < def->workers[i].nr_checks; j++) {
			const struct storm_check *c = &def->workers[i].checks[j];
			const struct tally *t = &s->tally[i][j];

			TH_LOG("%s: %lu decisions, %lu under a stable generation",
			       c->name, t->made, t->stable);
			TH_LOG("%s: %lu refused, %lu allowed, %lu wrong",
			       c->name, t->refused, t->allowed, t->wrong);
			EXPECT_EQ(0, t->wrong) {
				TH_LOG("%s: first wrong: gen %llu, storm policy %d, got %d (%s)",
				       c->name, t->gen, t->policy, t->got,
				       strerror(t->got));
			}
			/* Both outcomes, or the storm tested nothing. */
			EXPECT_LT(0, t->refused);
			EXPECT_LT(0, t->allowed);
		}
	}
	TH_LOG("%s storm: %d writers, %d loads each, %d pauses",
	       def->name, WRITERS, BURSTS * BURST, BURSTS);
}

/* The test user creates namespaces while the policy changes under it. */
TEST_F_TIMEOUT(storm, creation, 120)
{
	run_storm(_metadata, self->s, &creation_storm, -1, -1);
}

/*
 * setns(2) into, and capabilities used in, namespaces of restricted origin
 * while the policy changes.
 */
TEST_F_TIMEOUT(storm, setns_and_capabilities, 120)
{
	int net_a, userfd;

	/* Made under "", the storm's first policy. */
	ASSERT_EQ(0, write_policy(setns_cap_storm.policies[0]));
	self->holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, true);
	ASSERT_LT(0, self->holder);
	net_a = open_ns(self->holder, CLONE_NEWNET);
	ASSERT_LE(0, net_a);
	userfd = open_ns(self->holder, CLONE_NEWUSER);
	ASSERT_LE(0, userfd);
	run_storm(_metadata, self->s, &setns_cap_storm, net_a, userfd);
	close(net_a);
	close(userfd);
}

TEST_HARNESS_MAIN
