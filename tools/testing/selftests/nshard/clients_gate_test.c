// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - the gates, with the tools people run
 *
 * nft, iptables, tc, ip and mount, run as the test user inside
 * "unshare --user --map-root-user --net [--mount]" (root of its own
 * namespaces, every capability there), under the two policies nshard
 * ships: the built-in one (security/nshard/default.policy) and
 * security/nshard/hardened.policy, both loaded from the copies the harness
 * installs in /opt/nshard.  Each refusal is checked three ways: the tool's
 * exit status and message (named in a comment: they go into the
 * documentation), and the kernel log line of the gate that refused it;
 * and the same command run under an empty policy shows that it reaches the
 * kernel code, so that a kernel without it fails the test.
 *
 * And the sandboxes keep working under both policies, with no refusal
 * counted: unshare -r, loopback set-up, bubblewrap, a Chromium-style
 * sandbox, pasta, slirp4netns, ping, and rootless overlay mounts under the
 * built-in policy.
 *
 * Only root can load policies: the unprivileged runs skip.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "common.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#define UNSHARE		"/usr/bin/unshare"
#define BWRAP		"/usr/bin/bwrap"
#define MOUNT		"/usr/bin/mount"
#define IP		"/usr/sbin/ip"
#define TC		"/usr/sbin/tc"
#define NFT		"/usr/sbin/nft"
#define IPT_LEGACY	"/usr/sbin/iptables-legacy"
#define IPT_NFT		"/usr/sbin/iptables-nft"
#define PASTA		"/usr/bin/pasta"
#define SLIRP4NETNS	"/usr/bin/slirp4netns"
#define PING		"/usr/bin/ping"
#define SH		"/bin/sh"

#define DEFAULT_POLICY	"/opt/nshard/default.policy"
#define HARDENED_POLICY	"/opt/nshard/hardened.policy"

/* Where the mount tests mount, in their own mount namespace. */
#define MNT_DIR		"/tmp/nshard-clients-mnt"

/*
 * iptables-legacy locks /run/xtables.lock, which the namespace's root (the
 * test user) cannot create: "Fatal: can't open lock file
 * /run/xtables.lock: Permission denied", exit 4, before any system call
 * the gates see.  It takes the lock's path from the environment.
 */
#define XTABLES_LOCK	"XTABLES_LOCKFILE=/tmp/nshard-xtables.lock"

/* unshare(1) as "unshare -rn" and "unshare -rnm" spell it out. */
#define U_NET		UNSHARE, "--user", "--map-root-user", "--net", "--"
#define U_NET_MNT	UNSHARE, "--user", "--map-root-user", "--net", \
			"--mount", "--"

/* util-linux mount(8): a failed mount(2) (MNT_EX_FAIL). */
#define MOUNT_FAILED	32

#define OUT_SIZE	16384

/*
 * Run @argv with @env added to the environment, as the test user if @user,
 * collecting its output in @out; kill it after @timeout seconds.  Returns
 * its exit status, 128 + signal if killed, or -1.
 */
static int run(char *const argv[], const char *env, bool user, char *out,
	       size_t size, int timeout)
{
	struct timespec start, now;
	struct pollfd pfd;
	size_t used = 0;
	int fds[2], status, ms;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		if (user && drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
		if (env)
			putenv((char *)env);
		execv(argv[0], argv);
		_exit(CHILD_SETUP_FAILED);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = timeout * 1000 - (now.tv_sec - start.tv_sec) * 1000 -
		     (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms <= 0 || poll(&pfd, 1, ms) <= 0) {
			kill(-pid, SIGKILL);
			break;
		}
		n = read(fds[0], out + used, size - used - 1);
		if (n <= 0)
			break;
		used += n;
		if (used + 1 == size)
			break;
	}
	out[used] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	kill(-pid, SIGKILL);	/* what it left behind */
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* ---------------------------------------------------------- log -- */

/* See gate_test.c: 6 quiet seconds open a new window of log lines. */
static void log_window(void)
{
	sleep(6);
}

static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Skip the digits at @p; NULL if there are none. */
static const char *digits(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/*
 * Is @msg the line of a refusal by gate @gate of @detail to the test user
 * running @comm, by the statement on line @line of policy @generation?
 * The pid and the user namespace are the tool's, which the test does not
 * know.
 */
static bool refusal_line(const char *msg, const char *gate,
			 const char *detail, const char *comm,
			 unsigned long long generation, unsigned int line)
{
	char head[256], mid[128], tail[128];
	const char *p;

	snprintf(head, sizeof(head), "nshard: denied gate %s: %s: pid=", gate,
		 detail);
	snprintf(mid, sizeof(mid), " uid=%u comm=\"%s\" userns=",
		 NSHARD_TEST_UID, comm);
	snprintf(tail, sizeof(tail), " origin=restricted: policy %llu line %u",
		 generation, line);
	if (strncmp(msg, head, strlen(head)))
		return false;
	p = digits(msg + strlen(head));
	if (!p || strncmp(p, mid, strlen(mid)))
		return false;
	p = digits(p + strlen(mid));
	return p && !strcmp(p, tail);
}

/* Read what was logged since kmsg_open(): is a refusal_line() there? */
static bool kmsg_has_refusal(int fd, const char *gate, const char *detail,
			     const char *comm, unsigned long long generation,
			     unsigned int line, char *seen, size_t size)
{
	char rec[8192], *msg, *end;	/* a record never exceeds 8192 bytes */
	bool found = false;
	size_t used = 0;
	ssize_t n;

	seen[0] = '\0';
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = '\0';
		if (strncmp(msg, "nshard: ", 8))
			continue;
		if (refusal_line(msg, gate, detail, comm, generation, line))
			found = true;
		if (used + strlen(msg) + 2 < size) {
			snprintf(seen + used, size - used, "%s\n", msg);
			used += strlen(msg) + 1;
		}
	}
	return found;
}

/* ------------------------------------------------------ counters -- */

/* The sum of the "denied" column, and the lines that have one. */
static long long denied_total(char *names, size_t size)
{
	char *s = read_file(NSHARD_COUNTERS_PATH, NULL), *line, *save;
	unsigned long long allowed, denied, audited;
	long long total = 0;
	size_t used = 0;

	if (!s)
		return -1;
	if (names)
		names[0] = '\0';
	for (line = strtok_r(s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *last = strrchr(line, ' '), *p = line;
		int spaces = 0;

		if (line[0] == '#' || !last)
			continue;
		while ((p = strchr(p, ' ')))
			spaces++, p++;
		/* "<operation> <argument> <allowed> <denied> <audited>" */
		if (spaces != 4)
			continue;
		p = strchr(strchr(line, ' ') + 1, ' ') + 1;
		if (sscanf(p, "%llu %llu %llu", &allowed, &denied,
			   &audited) != 3)
			continue;
		total += denied;
		if (names && denied && used + strlen(line) + 2 < size) {
			snprintf(names + used, size - used, "%s\n", line);
			used += strlen(line) + 1;
		}
	}
	free(s);
	return total;
}

/* The line, counted from 1, that holds @statement in @text; 0 if none. */
static unsigned int statement_line(const char *text, const char *statement)
{
	size_t len = strlen(statement);
	unsigned int line = 1;
	const char *p = text;

	while (*p) {
		if (!strncmp(p, statement, len) &&
		    (p[len] == '\n' || p[len] == '\0'))
			return line;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
		line++;
	}
	return 0;
}

/* ------------------------------------------------------- fixture -- */

FIXTURE(clients) {
	int saved_mode;
	char *saved_policy;
	char *policy;		/* the variant's policy, as loaded */
	const char *name;
	bool uplink;		/* the pasta test made one */
	unsigned long long generation;
	char out[OUT_SIZE];
};

FIXTURE_VARIANT(clients) {
	const char *file;
	bool hardened;
};

FIXTURE_VARIANT_ADD(clients, builtin) {
	.file = DEFAULT_POLICY,
	.hardened = false,
};

FIXTURE_VARIANT_ADD(clients, hardened) {
	.file = HARDENED_POLICY,
	.hardened = true,
};

static int load_variant(struct _test_data_clients *self)
{
	int err = write_policy(self->policy);

	self->generation = read_generation();
	return err;
}

FIXTURE_SETUP(clients)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "uid %d: root runs the clients as uid %u after loading policies",
		     getuid(), NSHARD_TEST_UID);
	self->name = variant->hardened ? "hardened" : "built-in";
	self->policy = read_file(variant->file, NULL);
	ASSERT_NE(NULL, self->policy) {
		TH_LOG("no %s: the harness installs the policies nshard ships in /opt/nshard",
		       variant->file);
	}
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, load_variant(self));
	ASSERT_TRUE(mkdir(MNT_DIR, 0755) == 0 || errno == EEXIST);
}

static int root_sh(struct _test_data_clients *self, const char *script)
{
	char *const argv[] = { SH, "-c", (char *)script, NULL };

	return run(argv, NULL, false, self->out, sizeof(self->out), 30);
}

#define UPLINK		"nshardup0"
#define UPLINK_ADDR	"192.0.2.2"

FIXTURE_TEARDOWN(clients)
{
	if (self->uplink)
		EXPECT_EQ(0, root_sh(self, IP " link del " UPLINK));
	free(self->policy);
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

/*
 * The policy file is the built-in policy: loaded, it reads back as the
 * policy the guest booted with (saved by run-tests.sh before any test).
 */
TEST_F(clients, policy_file_is_the_builtin_policy)
{
	char *booted = read_file("/tmp/builtin.policy", NULL);
	char *loaded = read_file(NSHARD_POLICY_PATH, NULL);

	if (variant->hardened || !booted) {
		free(booted);
		free(loaded);
		SKIP(return, "%s", variant->hardened ?
		     "the hardened policy is not built in" :
		     "no /tmp/builtin.policy (run-tests.sh saves it)");
	}
	ASSERT_NE(NULL, loaded);
	EXPECT_STREQ(booted, loaded);
	free(booted);
	free(loaded);
}

struct refusal {
	char *const *argv;
	const char *env;
	/* Under an empty policy: the exit status, and what the output has. */
	int allowed_status;
	const char *allowed_says;
	/* Under the variant's policy: the same, and the gate's log line. */
	int refused_status;
	const char *refused_says;
	const char *gate;
	const char *detail;
	const char *comm;
};

/*
 * @r's command, as the test user: under an empty policy it reaches the
 * kernel code (@allowed_status); under the variant's policy it is refused
 * (@refused_status), by gate @gate, which logs the refusal.
 */
static void expect_refusal(struct __test_metadata *_metadata,
			   struct _test_data_clients *self,
			   const struct refusal *r)
{
	char statement[64], seen[4096];
	unsigned int line;
	int kfd, ret;

	ASSERT_EQ(0, write_policy(""));
	ret = run(r->argv, r->env, true, self->out, sizeof(self->out), 60);
	TH_LOG("%s, under an empty policy: exit %d:\n%s", r->comm, ret,
	       self->out);
	EXPECT_EQ(r->allowed_status, ret);
	if (r->allowed_says)
		EXPECT_NE(NULL, strstr(self->out, r->allowed_says));

	ASSERT_EQ(0, load_variant(self));
	snprintf(statement, sizeof(statement), "deny gate %s restricted",
		 r->gate);
	line = statement_line(self->policy, statement);
	ASSERT_NE(0, line) {
		TH_LOG("no \"%s\" in the policy", statement);
	}
	log_window();
	kfd = kmsg_open();
	ASSERT_LE(0, kfd);
	ret = run(r->argv, r->env, true, self->out, sizeof(self->out), 60);
	TH_LOG("%s, under the %s policy: exit %d:\n%s", r->comm,
	       self->name, ret, self->out);
	EXPECT_EQ(r->refused_status, ret);
	EXPECT_NE(NULL, strstr(self->out, r->refused_says)) {
		TH_LOG("expected \"%s\"", r->refused_says);
	}
	EXPECT_TRUE(kmsg_has_refusal(kfd, r->gate, r->detail, r->comm,
				     self->generation, line, seen,
				     sizeof(seen))) {
		TH_LOG("expected: denied gate %s: %s: uid=%u comm=\"%s\"",
		       r->gate, r->detail, NSHARD_TEST_UID, r->comm);
		TH_LOG("origin=restricted: policy %llu line %u",
		       self->generation, line);
		TH_LOG("logged:\n%s", seen);
	}
	close(kfd);
}

/* @argv, as the test user, works: exit 0, and no refusal is counted. */
static void expect_works(struct __test_metadata *_metadata,
			 struct _test_data_clients *self, char *const argv[],
			 const char *says, const char *says_too)
{
	char before[2048], after[2048];
	long long denied;
	int ret;

	denied = denied_total(before, sizeof(before));
	ASSERT_LE(0, denied);
	ret = run(argv, NULL, true, self->out, sizeof(self->out), 60);
	TH_LOG("under the %s policy: exit %d:\n%s", self->name, ret,
	       self->out);
	EXPECT_EQ(0, ret);
	if (says)
		EXPECT_NE(NULL, strstr(self->out, says)) {
			TH_LOG("expected \"%s\"", says);
		}
	if (says_too)
		EXPECT_NE(NULL, strstr(self->out, says_too)) {
			TH_LOG("expected \"%s\"", says_too);
		}
	EXPECT_EQ(denied, denied_total(after, sizeof(after))) {
		TH_LOG("refusals counted before:\n%s\nafter:\n%s", before,
		       after);
	}
}

/* ---------------------------------------------------- the refusals -- */

/*
 * nft asks for the generation and the tables (refused), then sends its
 * batch (refused), and reports the batch, exit 1 (nftables 1.0.6):
 *	netlink: Error: Could not process rule: Operation not permitted
 * The batch's line names the message after BATCH_BEGIN: NEWTABLE, 0.
 */
TEST_F_TIMEOUT(clients, nft_add_table, 180)
{
	char *const argv[] = { U_NET, NFT, "add", "table", "inet", "t", NULL };
	const struct refusal r = {
		argv, NULL, 0, NULL,
		1, "netlink: Error: Could not process rule: Operation not permitted",
		"netfilter", "nfnetlink nf_tables message 0", "nft",
	};

	expect_refusal(_metadata, self, &r);
}

/*
 * iptables-legacy's libiptc opens a raw socket before any socket option:
 * the raw gate refuses it (twice: iptables runs modprobe and tries again),
 * exit 3 (iptables 1.8.9):
 *	iptables v1.8.9 (legacy): can't initialize iptables table `filter':
 *	Permission denied (you must be root)
 *	Perhaps iptables or your kernel needs to be upgraded.
 * (gate_test.c reaches the xtables gate with the socket options.)
 */
TEST_F_TIMEOUT(clients, iptables_legacy_list, 180)
{
	char *const argv[] = { U_NET, IPT_LEGACY, "-L", NULL };
	const struct refusal r = {
		argv, XTABLES_LOCK, 0, "Chain INPUT (policy ACCEPT)",
		3, "can't initialize iptables table `filter': Permission denied (you must be root)",
		"raw", "socket AF_INET SOCK_RAW", "iptables-legacy",
	};

	expect_refusal(_metadata, self, &r);
}

/*
 * iptables-nft's first request, NFT_MSG_GETGEN (16), is refused; exit 4
 * (iptables 1.8.9):
 *	iptables v1.8.9 (nf_tables): Could not fetch rule set generation id:
 *	Permission denied (you must be root)
 */
TEST_F_TIMEOUT(clients, iptables_nft_list, 180)
{
	char *const argv[] = { U_NET, IPT_NFT, "-L", NULL };
	const struct refusal r = {
		argv, NULL, 0, "Chain INPUT (policy ACCEPT)",
		4, "Could not fetch rule set generation id: Permission denied (you must be root)",
		"netfilter", "nfnetlink nf_tables message 16", "iptables-nft",
	};

	expect_refusal(_metadata, self, &r);
}

/*
 * The send of RTM_NEWQDISC fails, so iproute2 does not say "RTNETLINK
 * answers" (that is how it reports an acknowledgment of an error); exit 2
 * (iproute2 6.1):
 *	Cannot talk to rtnetlink: Operation not permitted
 */
TEST_F_TIMEOUT(clients, tc_qdisc_netem, 180)
{
	char *const argv[] = {
		U_NET, TC, "qdisc", "add", "dev", "lo", "root", "netem",
		"delay", "1ms", NULL,
	};
	const struct refusal r = {
		argv, NULL, 0, NULL,
		2, "Cannot talk to rtnetlink: Operation not permitted",
		"tc", "RTM_NEWQDISC", "tc",
	};

	expect_refusal(_metadata, self, &r);
}

/*
 * Every xfrm request needs CAP_NET_ADMIN, even a dump: XFRM_MSG_GETSA (18)
 * is refused; exit 1 (iproute2 6.1):
 *	Cannot send dump request: Operation not permitted
 */
TEST_F_TIMEOUT(clients, ip_xfrm_state_list, 180)
{
	char *const argv[] = { U_NET, IP, "xfrm", "state", "list", NULL };
	const struct refusal r = {
		argv, NULL, 0, NULL,
		1, "Cannot send dump request: Operation not permitted",
		"xfrm", "netlink protocol 6 message 18", "ip",
	};

	expect_refusal(_metadata, self, &r);
}

/*
 * vxlan: the built-in policy leaves the link gate open; the hardened one
 * closes it; exit 2 (iproute2 6.1):
 *	Cannot talk to rtnetlink: Operation not permitted
 */
TEST_F_TIMEOUT(clients, ip_link_add_vxlan, 180)
{
	char *const argv[] = {
		U_NET, IP, "link", "add", "v0", "type", "vxlan", "id", "1",
		"dstport", "4789", NULL,
	};
	const struct refusal r = {
		argv, NULL, 0, NULL,
		2, "Cannot talk to rtnetlink: Operation not permitted",
		"link", "RTM_NEWLINK vxlan", "ip",
	};

	if (variant->hardened)
		expect_refusal(_metadata, self, &r);
	else
		expect_works(_metadata, self, argv, NULL, NULL);
}

TEST_F_TIMEOUT(clients, ip_link_add_veth, 120)
{
	char *const argv[] = {
		U_NET, IP, "link", "add", "v0", "type", "veth", "peer", "name",
		"v1", NULL,
	};

	expect_works(_metadata, self, argv, NULL, NULL);
}

/*
 * ext4 in a user namespace: refused before its parser runs; exit 32
 * (util-linux 2.38.1):
 *	mount: /tmp/nshard-clients-mnt: permission denied.
 *	       dmesg(1) may have more information after failed mount system call.
 * Allowed, the parser refuses the unknown option first (mount(2) parses
 * before it asks for CAP_SYS_ADMIN in the initial namespace):
 *	mount: /tmp/nshard-clients-mnt: wrong fs type, bad option, bad
 *	superblock on none, missing codepage or helper program, or
 *	other error.
 */
TEST_F_TIMEOUT(clients, mount_ext4, 180)
{
	char *const argv[] = {
		U_NET_MNT, MOUNT, "-t", "ext4", "-o", "nshard_no_such_option",
		"none", MNT_DIR, NULL,
	};
	const struct refusal r = {
		argv, NULL, MOUNT_FAILED, "wrong fs type",
		MOUNT_FAILED, "permission denied",
		"fs-mount", "mount ext4", "mount",
	};

	expect_refusal(_metadata, self, &r);
}

/*
 * cgroup v1: refused; exit 32, "mount: /tmp/nshard-clients-mnt:
 * permission denied."  (With real options, "-o none,name=x", cgroup v1
 * itself answers EPERM in a user namespace, which only the initial cgroup
 * namespace may create hierarchies in: the unknown option shows that its
 * parser is reached when the gate is open.)
 */
TEST_F_TIMEOUT(clients, mount_cgroup1, 180)
{
	char *const argv[] = {
		U_NET_MNT, MOUNT, "-t", "cgroup", "-o",
		"nshard_no_such_option", "cgroup", MNT_DIR, NULL,
	};
	const struct refusal r = {
		argv, NULL, MOUNT_FAILED, "wrong fs type",
		MOUNT_FAILED, "permission denied",
		"cgroup1", "mount cgroup", "mount",
	};

	expect_refusal(_metadata, self, &r);
}

#define OVL		MNT_DIR "/ovl"
#define OVL_SCRIPT							\
	MOUNT " -t tmpfs none " MNT_DIR " && mkdir " MNT_DIR "/lower "	\
	MNT_DIR "/upper " MNT_DIR "/work " OVL " && echo nshard >"	\
	MNT_DIR "/lower/file && " MOUNT " -t overlay nshard-ovl -o "	\
	"lowerdir=" MNT_DIR "/lower,upperdir=" MNT_DIR "/upper,"	\
	"workdir=" MNT_DIR "/work,userxattr " OVL " && cat " OVL "/file"

/*
 * A native overlay mount in "unshare -rm", as rootless podman makes one:
 * open under the built-in policy, closed by the hardened one; exit 32,
 *	mount: /tmp/nshard-clients-mnt/ovl: permission denied.
 */
TEST_F_TIMEOUT(clients, mount_overlay, 180)
{
	char *const argv[] = { U_NET_MNT, SH, "-c", OVL_SCRIPT, NULL };
	const struct refusal r = {
		argv, NULL, 0, "nshard",
		MOUNT_FAILED, "permission denied",
		"overlay", "mount overlay", "mount",
	};

	if (variant->hardened)
		expect_refusal(_metadata, self, &r);
	else
		expect_works(_metadata, self, argv, "nshard", NULL);
}

/* ----------------------------------------- the sandboxes keep working -- */

TEST_F_TIMEOUT(clients, unshare_r, 120)
{
	char *const argv[] = { UNSHARE, "-r", "true", NULL };

	expect_works(_metadata, self, argv, NULL, NULL);
}

TEST_F_TIMEOUT(clients, unshare_rn_loopback, 120)
{
	char *const argv[] = {
		U_NET, SH, "-c", IP " link set lo up && " IP " addr show lo",
		NULL,
	};

	expect_works(_metadata, self, argv, "<LOOPBACK,UP,LOWER_UP>",
		     "inet 127.0.0.1/8");
}

TEST_F_TIMEOUT(clients, bwrap_unshare_all, 120)
{
	char *const argv[] = {
		BWRAP, "--unshare-all", "--ro-bind", "/", "/", "--proc",
		"/proc", "--dev", "/dev", "--tmpfs", "/tmp", "true", NULL,
	};

	expect_works(_metadata, self, argv, NULL, NULL);
}

/*
 * ping uses an ICMP datagram socket, which no gate concerns, once the
 * namespace's ping_group_range holds the user: "0 0" written by the
 * namespace's root, the test user (the ids are read in the writer's user
 * namespace, which maps only that one).
 */
TEST_F_TIMEOUT(clients, ping_in_unshare_rn, 120)
{
	char *const argv[] = {
		U_NET, SH, "-c",
		"echo '0 0' >/proc/sys/net/ipv4/ping_group_range && "
		IP " link set lo up && " PING " -c1 -W5 127.0.0.1",
		NULL,
	};

	ASSERT_EQ(0, access(PING, X_OK)) {
		TH_LOG("no " PING ": the harness installs iputils-ping");
	}
	expect_works(_metadata, self, argv,
		     "1 packets transmitted, 1 received", NULL);
}

/*
 * Chroot to our own /proc/self/fdinfo, and go there (the working directory
 * must not stay behind), then exit: see below.
 */
static int chroot_to_fdinfo(void *arg)
{
	return chroot("/proc/self/fdinfo/") || chdir("/") ? 1 : 0;
}

/*
 * Nothing at @path: the directory of a task that exited answers ESRCH
 * (or ENOENT) to every lookup.
 */
static bool gone(const char *path)
{
	return access(path, F_OK) && (errno == ESRCH || errno == ENOENT);
}

/*
 * A task of the sandbox: 0, or the step that failed (1: maps, 2: pid,
 * 3: chroot, 4: root not empty, 5: capabilities, 6: work; 100 + errno:
 * clone).
 */
static int chromium_sandboxed(void)
{
	static char stack[64 * 1024];
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	char map[32], c;
	int sv[2], len;
	pid_t pid;

	/* The user mapped to itself, as Chromium's namespace sandbox does. */
	len = snprintf(map, sizeof(map), "%u %u 1", NSHARD_TEST_UID,
		       NSHARD_TEST_UID);
	if (write_file("/proc/self/setgroups", "deny", 4) ||
	    write_file("/proc/self/uid_map", map, len))
		return 1;
	len = snprintf(map, sizeof(map), "%u %u 1", NSHARD_TEST_GID,
		       NSHARD_TEST_GID);
	if (write_file("/proc/self/gid_map", map, len))
		return 1;
	if (getpid() != 1)
		return 2;
	/*
	 * Chroot to a directory nothing is in: the /proc/self/fdinfo of a
	 * task that shares our fs_struct and exits at once
	 * (credentials.cc, ChrootToSafeEmptyDir()).
	 */
	pid = clone(chroot_to_fdinfo,
		    (void *)(((unsigned long)stack + sizeof(stack)) & ~15UL),
		    CLONE_FS | SIGCHLD, NULL);
	if (pid < 0 || wait_child(pid))
		return 3;
	if (!gone("/proc") || !gone("/etc/passwd"))
		return 4;
	/* Every capability dropped. */
	if (syscall(SYS_capset, &hdr, data) || have_cap(CAP_SYS_ADMIN) ||
	    have_cap(CAP_SYS_CHROOT))
		return 5;
	/* And something run: a socket pair, in the empty root. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    write(sv[0], "x", 1) != 1 || read(sv[1], &c, 1) != 1 || c != 'x')
		return 6;
	return 0;
}

/*
 * Chromium's namespace sandbox: new user, PID and network namespaces, the
 * user mapped to itself, a chroot to an empty directory, every capability
 * dropped, and then work.
 */
TEST_F_TIMEOUT(clients, chromium_style_sandbox, 120)
{
	char before[2048], after[2048];
	long long denied;
	pid_t pid;

	denied = denied_total(before, sizeof(before));
	ASSERT_LE(0, denied);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t inner;

		if (drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		inner = syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID |
				CLONE_NEWNET | SIGCHLD, NULL, NULL, NULL, 0);
		if (inner < 0)
			_exit(100 + errno);
		if (inner == 0)
			_exit(chromium_sandboxed());
		_exit(wait_child(inner));
	}
	EXPECT_EQ(0, wait_child(pid)) {
		TH_LOG("under the %s policy: see chromium_sandboxed() for the exit code",
		       self->name);
	}
	EXPECT_EQ(denied, denied_total(after, sizeof(after))) {
		TH_LOG("refusals counted before:\n%s\nafter:\n%s", before,
		       after);
	}
}

static bool has_default_route(void)
{
	char *s = read_file("/proc/net/route", NULL), *line, *save;
	char dest[16];
	bool found = false;

	for (line = s ? strtok_r(s, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = sscanf(line, "%*s %15s", dest) == 1 &&
			!strcmp(dest, "00000000");
	free(s);
	return found;
}

/*
 * pasta copies the addresses and routes of the host's interface that has
 * the default route into the namespace it creates.  The guest has no
 * network: the test gives it a dummy uplink (no packet goes anywhere).
 */
TEST_F_TIMEOUT(clients, pasta, 120)
{
	char *const argv[] = {
		PASTA, "--foreground", "--config-net", "--", IP, "-o", "-4",
		"addr", "show", NULL,
	};

	if (access(PASTA, X_OK))
		SKIP(return, "no " PASTA ": the harness installs Debian's passt");
	if (has_default_route())
		SKIP(return, "a default route exists: pasta gets an uplink of its own");
	self->uplink = true;
	ASSERT_EQ(0, root_sh(self, IP " link add " UPLINK " type dummy && "
			     IP " addr add " UPLINK_ADDR "/24 dev " UPLINK
			     " && " IP " link set " UPLINK " up && "
			     IP " route add default via 192.0.2.1 dev " UPLINK)) {
		TH_LOG("%s", self->out);
	}
	expect_works(_metadata, self, argv, "inet " UPLINK_ADDR "/24", NULL);
}

/* Duplicate @fd onto @to, without close-on-exec. */
static int fd_to(int fd, int to)
{
	return dup2(fd, to) == to ? 0 : -1;
}

/* In @nfd: is tap0 10.0.2.100, MTU 65520?  0, or 1 and 2 for each. */
static int tap0_configured(int nfd)
{
	pid_t pid = fork();

	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		struct ifreq ifr = { .ifr_name = "tap0" };
		struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
		int fd, ret = 0;

		if (setns(nfd, CLONE_NEWNET))
			_exit(CHILD_SETUP_FAILED);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			_exit(CHILD_SETUP_FAILED);
		if (ioctl(fd, SIOCGIFADDR, &ifr) ||
		    sin->sin_addr.s_addr != inet_addr("10.0.2.100"))
			ret |= 1;
		if (ioctl(fd, SIOCGIFMTU, &ifr) || ifr.ifr_mtu != 65520)
			ret |= 2;
		_exit(ret);
	}
	return wait_child(pid);
}

/*
 * slirp4netns, as the test user, given a process in the user's user and
 * network namespaces: it creates tap0 there and sets it up with ioctls.
 */
TEST_F_TIMEOUT(clients, slirp4netns, 120)
{
	static const char log[] = "/tmp/nshard-slirp4netns.log";
	char before[2048], after[2048], target[16], c = 0, *out;
	int ready[2], quit[2], nfd, logfd;
	struct pollfd pfd;
	pid_t holder, pid;
	long long denied;

	if (access(SLIRP4NETNS, X_OK))
		SKIP(return, "no " SLIRP4NETNS ": the harness installs Debian's slirp4netns");
	denied = denied_total(before, sizeof(before));
	ASSERT_LE(0, denied);
	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, true);
	ASSERT_LT(0, holder);
	nfd = open_ns(holder, CLONE_NEWNET);
	ASSERT_LE(0, nfd);
	snprintf(target, sizeof(target), "%d", holder);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(quit, O_CLOEXEC));
	logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_LE(0, logfd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Out of the way of 3 and 4 first. */
		int r = fcntl(ready[1], F_DUPFD_CLOEXEC, 10);
		int q = fcntl(quit[0], F_DUPFD_CLOEXEC, 10);

		if (r < 0 || q < 0 || fd_to(logfd, 1) || fd_to(logfd, 2) ||
		    fd_to(r, 3) || fd_to(q, 4) || drop_to_test_user())
			_exit(CHILD_SETUP_FAILED);
		execl(SLIRP4NETNS, SLIRP4NETNS, "--configure", "--mtu=65520",
		      "--ready-fd=3", "--exit-fd=4", target, "tap0", NULL);
		_exit(CHILD_SETUP_FAILED);
	}
	close(ready[1]);
	close(quit[0]);
	close(logfd);
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 30000));
	EXPECT_EQ(1, read(ready[0], &c, 1));
	EXPECT_EQ('1', c);
	EXPECT_EQ(0, tap0_configured(nfd));
	close(quit[1]);		/* slirp4netns exits */
	EXPECT_EQ(0, wait_child(pid));
	out = read_file(log, NULL);
	TH_LOG("slirp4netns said:\n%s", out ?: "");
	free(out);
	close(ready[0]);
	close(nfd);
	kill_holder(holder);
	EXPECT_EQ(denied, denied_total(after, sizeof(after))) {
		TH_LOG("refusals counted before:\n%s\nafter:\n%s", before,
		       after);
	}
}

TEST_HARNESS_MAIN
