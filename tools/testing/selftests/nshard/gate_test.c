// SPDX-License-Identifier: GPL-2.0
/*
 * nshard selftests - gates
 *
 * Each gate closes a kernel surface to user namespaces of restricted
 * origin.  Every test here runs the operation a gate closes as the test
 * user, in a user namespace it created (mapped to root, so that it holds
 * every capability there) and a network (and, for mounts, a mount)
 * namespace it created in it, under a policy root loaded:
 *
 *  - under "deny gate G restricted" it is refused, with the errno the gate
 *    gives (EPERM from the system call, or in the acknowledgment of a
 *    generic netlink request), and the gate's "denied" counter grows by
 *    exactly one per refused operation;
 *  - under an empty policy, and under "allow gate G uid=1000" after the
 *    deny, the very same operation reaches the code the gate closes: it
 *    succeeds, or fails with that code's own, different, errno (an option
 *    parser's EINVAL, a lookup's ENOENT).  This is what keeps a test from
 *    passing on a kernel without the subsystem: the allowed run fails.
 *
 * Some tests also read the kernel log and require the exact line of the
 * refusal.  Log lines are rate-limited per user (10 every 5 seconds): those
 * tests first let 6 seconds pass without a refusal, which opens a new
 * window.
 *
 * Only root can load policies: the unprivileged runs skip.
 *
 * Copyright (C) 2026 The nshard authors
 */

#define _GNU_SOURCE
#include "../kselftest_harness.h"
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <linux/can.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_vlan.h>
#include <linux/io_uring.h>
#include <linux/mount.h>
#include <linux/neighbour.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <linux/pfkeyv2.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <linux/xfrm.h>

/* <sys/mount.h> and <linux/mount.h> (for the new mount API) do not mix. */
int mount(const char *source, const char *target, const char *type,
	  unsigned long flags, const void *data);

#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST		80
#endif
#ifndef AF_ALG
#define AF_ALG			38
#endif
#ifndef NETLINK_FIB_LOOKUP
#define NETLINK_FIB_LOOKUP	10
#endif

/* The loopback device is the first device of every network namespace. */
#define LO_IFINDEX		1

/* Where the mount tests mount, in their own mount namespace. */
#define MNT_DIR			"/tmp/nshard-gate-mnt"

/* A mount option no file system knows: its parser answers EINVAL. */
#define BAD_OPTION		"nshard_no_such_option"

/*
 * Exit statuses of a child that sent a netlink request: 0 when every
 * acknowledgment said 0, ACKED(e) when the kernel answered -e, NO_ACK when
 * no answer came; an errno (below 128) when the send itself failed.
 */
#define ACKED(err)		(128 + (err))
#define NO_ACK			254

/* Namespaces the network and the mount tests run in. */
#define NET			CLONE_NEWNET
#define NET_MNT			(CLONE_NEWNET | CLONE_NEWNS)

/* ------------------------------------------------------ children -- */

/*
 * What a child tells besides its exit status, in memory it shares with the
 * test: what the log line of a refusal names.
 */
struct report {
	unsigned int userns;	/* inode of its user namespace */
	char comm[16];
	int value;		/* an operation's second result */
};

static struct report *rep;
static pid_t last_pid;

static int report_init(void)
{
	rep = mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return rep == MAP_FAILED ? -1 : 0;
}

static void report_self(void)
{
	struct stat st;

	if (!stat("/proc/self/ns/user", &st))
		rep->userns = st.st_ino;
	prctl(PR_GET_NAME, rep->comm);
}

typedef int (*op_fn)(void *arg);

enum who {
	/* The test user, in a user namespace it creates, and @flags. */
	TEST_USER,
	/* Root, in a user namespace it creates (privileged origin). */
	ROOT_USERNS,
	/* Root, in its user namespace, entering the network namespace @fd. */
	ROOT_SETNS,
	/* The test user entering the user namespace @ufd, then @fd. */
	TEST_USER_SETNS,
};

/*
 * Run @fn in a child, as @who; return its exit status (CHILD_SETUP_FAILED if
 * it could not be set up), leave its pid in last_pid.
 */
static int run_as(enum who who, unsigned long flags, int ufd, int fd,
		  op_fn fn, void *arg)
{
	pid_t pid;

	memset(rep, 0, sizeof(*rep));
	pid = fork();
	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0) {
		switch (who) {
		case TEST_USER:
			if (drop_to_test_user() || enter_userns_as_root() ||
			    (flags && unshare(flags)))
				_exit(CHILD_SETUP_FAILED);
			break;
		case ROOT_USERNS:
			if (enter_userns_as_root() || (flags && unshare(flags)))
				_exit(CHILD_SETUP_FAILED);
			break;
		case ROOT_SETNS:
			if (setns(fd, CLONE_NEWNET))
				_exit(CHILD_SETUP_FAILED);
			break;
		case TEST_USER_SETNS:
			if (drop_to_test_user() || setns(ufd, CLONE_NEWUSER) ||
			    setns(fd, CLONE_NEWNET))
				_exit(CHILD_SETUP_FAILED);
			break;
		}
		report_self();
		_exit(fn(arg));
	}
	last_pid = pid;
	return wait_child(pid);
}

static int as_user(unsigned long flags, op_fn fn, void *arg)
{
	return run_as(TEST_USER, flags, -1, -1, fn, arg);
}

/* ------------------------------------------------------ counters -- */

struct counts {
	long long n[NSHARD_COUNTER_COUNT];
};

static bool counts_read(const char *gate, struct counts *c)
{
	char op[48];
	int i;

	snprintf(op, sizeof(op), "gate %s", gate);
	for (i = 0; i < NSHARD_COUNTER_COUNT; i++) {
		c->n[i] = read_counter(op, i);
		if (c->n[i] < 0)
			return false;
	}
	return true;
}

#define COUNTS(gate, c)							\
	do {								\
		const char *__gate = (gate);				\
									\
		ASSERT_TRUE(counts_read(__gate, &(c))) {		\
			TH_LOG("no \"gate %s\" line in the counters", __gate); \
		}							\
	} while (0)

/* The counters of @gate grew by exactly these since @before. */
static void expect_counted(struct __test_metadata *_metadata,
			   const char *gate, const struct counts *before,
			   long long allowed, long long denied,
			   long long audited)
{
	static const char *const names[] = {
		[NSHARD_COUNTER_ALLOWED] = "allowed",
		[NSHARD_COUNTER_DENIED] = "denied",
		[NSHARD_COUNTER_AUDITED] = "audited",
	};
	const long long grew[] = {
		[NSHARD_COUNTER_ALLOWED] = allowed,
		[NSHARD_COUNTER_DENIED] = denied,
		[NSHARD_COUNTER_AUDITED] = audited,
	};
	struct counts now;
	int i;

	ASSERT_TRUE(counts_read(gate, &now));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		EXPECT_EQ(before->n[i] + grew[i], now.n[i]) {
			TH_LOG("gate %s: %s", gate, names[i]);
		}
	}
}

#define EXPECT_COUNTED(gate, before, allowed, denied, audited)		\
	expect_counted(_metadata, gate, &(before), allowed, denied, audited)

/* ---------------------------------------------------------- log -- */

/*
 * Log lines of refusals are limited to 10 every 5 seconds per user.  The
 * window in force began at or before the last line the test user caused:
 * 6 seconds without one make sure the next line opens a new window.
 */
static void log_window(void)
{
	sleep(6);
}

/* /dev/kmsg, positioned after the last record: what is read is new. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Read the records logged since kmsg_open(): is one of them exactly @line?
 * The nshard lines seen are collected in @seen for the report.
 */
static bool kmsg_has(int fd, const char *line, char *seen, size_t size)
{
	char rec[8192], *msg, *end;	/* a record never exceeds 8192 bytes */
	bool found = false;
	size_t used = 0;
	ssize_t n;

	seen[0] = '\0';
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten: go on */
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
		if (!strcmp(msg, line))
			found = true;
		if (used + strlen(msg) + 2 < size) {
			snprintf(seen + used, size - used, "%s\n", msg);
			used += strlen(msg) + 1;
		}
	}
	return found;
}

/*
 * The line of the refusal the last child met, by the statement on line
 * @line of the active policy.
 */
static void denial_line(char *buf, size_t size, const char *gate,
			const char *detail, unsigned int line)
{
	snprintf(buf, size,
		 "nshard: denied gate %s: %s: pid=%d uid=%u comm=\"%s\" userns=%u origin=restricted: policy %llu line %u",
		 gate, detail, last_pid, NSHARD_TEST_UID, rep->comm,
		 rep->userns, read_generation(), line);
}

/* ------------------------------------------------------ netlink -- */

struct nlbuf {
	union {
		struct nlmsghdr align;
		unsigned char data[8192];
	};
	size_t len;
	struct nlmsghdr *last;
	unsigned int seq;
	unsigned int ack;	/* sequence number of the last NLM_F_ACK */
};

static struct nlmsghdr *nl_msg(struct nlbuf *b, int type, int flags,
			       const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(b->data + b->len);

	memset(nlh, 0, NLMSG_SPACE(hdrlen));
	nlh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++b->seq;
	if (hdrlen)
		memcpy(NLMSG_DATA(nlh), hdr, hdrlen);
	if (flags & NLM_F_ACK)
		b->ack = b->seq;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->last = nlh;
	return nlh;
}

/* Append @len bytes to the last message, aligned. */
static void nl_raw(struct nlbuf *b, const void *data, size_t len)
{
	struct nlmsghdr *nlh = b->last;
	unsigned char *p = b->data + b->len;

	memset(p, 0, NLMSG_ALIGN(len));
	memcpy(p, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLMSG_ALIGN(len);
	b->len = (unsigned char *)nlh - b->data + nlh->nlmsg_len;
}

/* Append an attribute to the last message; returns its offset. */
static size_t nl_attr(struct nlbuf *b, int type, const void *data,
		      size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	size_t off = b->len;

	nl_raw(b, &a, sizeof(a));
	if (len) {
		/* The header is 4 bytes, its payload follows unpadded. */
		memset(b->data + b->len, 0, NLA_ALIGN(len));
		memcpy(b->data + b->len, data, len);
		b->last->nlmsg_len += NLA_ALIGN(len);
		b->len += NLA_ALIGN(len);
	}
	return off;
}

static void nl_str(struct nlbuf *b, int type, const char *s)
{
	nl_attr(b, type, s, strlen(s) + 1);
}

static void nl_u32(struct nlbuf *b, int type, __u32 v)
{
	nl_attr(b, type, &v, sizeof(v));
}

static size_t nl_nest(struct nlbuf *b, int type)
{
	return nl_attr(b, type | NLA_F_NESTED, NULL, 0);
}

static void nl_nest_end(struct nlbuf *b, size_t off)
{
	((struct nlattr *)(b->data + off))->nla_len = b->len - off;
}

static int nl_open(int protocol)
{
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* ------------------------------------------------------ io_uring -- */

struct uring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* 0, or -errno of io_uring_setup() (-ENOSYS without CONFIG_IO_URING). */
static int uring_init(struct uring *r)
{
	struct io_uring_params p = {};
	size_t sq_size, cq_size;
	unsigned char *sq, *cq;

	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP && cq_size > sq_size)
		sq_size = cq_size;
	sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -errno;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Submit @sqe, wait for its completion: 0 and its result in @res, or -1. */
static int uring_run(struct uring *r, const struct io_uring_sqe *sqe,
		     int *res)
{
	unsigned int tail = *r->sq_tail, head, idx = tail & *r->sq_mask;

	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1,
		    IORING_ENTER_GETEVENTS, NULL, 0) != 1)
		return -1;
	head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -1;
	*res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

/* ------------------------------------------------- sending requests -- */

enum how {
	BY_SENDMSG,
	BY_SENDMMSG,
	BY_WRITE,
	BY_IO_URING,
};

/* Send @len bytes of @buf to the kernel over @fd: 0 or an errno. */
static int nl_send(int fd, const void *buf, size_t len, enum how how)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	struct mmsghdr mm = { .msg_hdr = msg };
	struct io_uring_sqe sqe = {};
	struct uring r;
	ssize_t n;
	int res;

	switch (how) {
	case BY_SENDMSG:
		n = sendmsg(fd, &msg, 0);
		break;
	case BY_SENDMMSG:
		if (sendmmsg(fd, &mm, 1, 0) != 1)
			return errno;
		n = mm.msg_len;
		break;
	case BY_WRITE:
		n = write(fd, buf, len);
		break;
	case BY_IO_URING:
		if (uring_init(&r))
			return CHILD_SETUP_FAILED;
		sqe.opcode = IORING_OP_SENDMSG;
		sqe.fd = fd;
		sqe.addr = (unsigned long)&msg;
		if (uring_run(&r, &sqe, &res))
			return CHILD_SETUP_FAILED;
		if (res < 0)
			return -res;
		n = res;
		break;
	default:
		return CHILD_SETUP_FAILED;
	}
	if (n < 0)
		return errno;
	return (size_t)n == len ? 0 : CHILD_SETUP_FAILED;
}

/*
 * Read the kernel's answers until the acknowledgment of @seq: 0, ACKED()
 * of the first error acknowledged, or NO_ACK.  Replies other than
 * acknowledgments are passed to @cb, if any.
 */
static int nl_wait(int fd, unsigned int seq,
		   void (*cb)(const struct nlmsghdr *nlh, void *arg),
		   void *arg)
{
	static union {
		struct nlmsghdr align;
		char buf[32768];
	} u;
	const struct nlmsghdr *nlh;
	int first = 0;
	ssize_t n;

	for (;;) {
		n = recv(fd, u.buf, sizeof(u.buf), 0);
		if (n < 0)
			return NO_ACK;
		for (nlh = &u.align; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR) {
				if (cb)
					cb(nlh, arg);
				continue;
			}
			if (e->error && !first)
				first = -e->error;
			if (nlh->nlmsg_seq == seq)
				return first ? ACKED(first) : 0;
		}
	}
}

/* Send @b over a new netlink socket of @protocol and wait for its ack. */
static int nl_talk(int protocol, struct nlbuf *b, enum how how)
{
	int fd = nl_open(protocol), err;

	if (fd < 0)
		return CHILD_SETUP_FAILED;
	err = nl_send(fd, b->data, b->len, how);
	if (!err)
		err = nl_wait(fd, b->ack, NULL, NULL);
	close(fd);
	return err;
}

/* --------------------------------------------------- the requests -- */

/* nf_tables: BATCH_BEGIN, NEWTABLE "nshard" (ipv4), BATCH_END. */
static void nft_newtable(struct nlbuf *b, bool end)
{
	struct nfgenmsg batch = {
		.nfgen_family = AF_UNSPEC,
		.version = NFNETLINK_V0,
		.res_id = htons(NFNL_SUBSYS_NFTABLES),
	};
	struct nfgenmsg table = {
		.nfgen_family = NFPROTO_IPV4,
		.version = NFNETLINK_V0,
	};

	nl_msg(b, NFNL_MSG_BATCH_BEGIN, 0, &batch, sizeof(batch));
	nl_msg(b, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE,
	       NLM_F_CREATE | NLM_F_ACK, &table, sizeof(table));
	nl_str(b, NFTA_TABLE_NAME, "nshard");
	if (end)
		nl_msg(b, NFNL_MSG_BATCH_END, 0, &batch, sizeof(batch));
}

/* RTM_NEWQDISC: a pfifo root qdisc on lo. */
static void tc_newqdisc(struct nlbuf *b)
{
	struct tcmsg t = {
		.tcm_family = AF_UNSPEC,
		.tcm_ifindex = LO_IFINDEX,
		.tcm_handle = 0x10000,
		.tcm_parent = TC_H_ROOT,
	};

	nl_msg(b, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, &t,
	       sizeof(t));
	nl_str(b, TCA_KIND, "pfifo");
}

/* An address the batch test adds to lo (down: it has no other). */
#define LO_ADDR		"127.1.2.3"

static void rtm_newaddr(struct nlbuf *b)
{
	struct ifaddrmsg a = {
		.ifa_family = AF_INET,
		.ifa_prefixlen = 32,
		.ifa_index = LO_IFINDEX,
	};
	struct in_addr in;

	inet_pton(AF_INET, LO_ADDR, &in);
	nl_msg(b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, &a,
	       sizeof(a));
	nl_attr(b, IFA_LOCAL, &in, sizeof(in));
	nl_attr(b, IFA_ADDRESS, &in, sizeof(in));
}

enum link_data {
	NO_DATA,
	VXLAN_DATA,	/* IFLA_VXLAN_ID 1, IFLA_VXLAN_PORT 4789 */
	VETH_PEER,	/* VETH_INFO_PEER named "nshard-peer" */
};

struct link_req {
	const char *kinds[2];	/* IFLA_INFO_KIND, in this order */
	enum link_data data;
};

/* RTM_NEWLINK "nshard0" with the kinds and data of @l. */
static void rtm_newlink(struct nlbuf *b, const struct link_req *l)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	size_t info, data, peer;
	__u16 port = htons(4789);
	int i;

	nl_msg(b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, &ifi,
	       sizeof(ifi));
	nl_str(b, IFLA_IFNAME, "nshard0");
	info = nl_nest(b, IFLA_LINKINFO);
	for (i = 0; i < 2 && l->kinds[i]; i++)
		nl_str(b, IFLA_INFO_KIND, l->kinds[i]);
	if (l->data == VXLAN_DATA) {
		data = nl_nest(b, IFLA_INFO_DATA);
		nl_u32(b, IFLA_VXLAN_ID, 1);
		nl_attr(b, IFLA_VXLAN_PORT, &port, sizeof(port));
		nl_nest_end(b, data);
	} else if (l->data == VETH_PEER) {
		data = nl_nest(b, IFLA_INFO_DATA);
		peer = nl_nest(b, VETH_INFO_PEER);
		nl_raw(b, &ifi, sizeof(ifi));
		nl_str(b, IFLA_IFNAME, "nshard-peer");
		nl_nest_end(b, peer);
		nl_nest_end(b, data);
	}
	nl_nest_end(b, info);
}

/* ----------------------------------------------------- operations -- */

/* nf_tables requests, by how they are laid out and sent. */
enum nft_shape {
	NFT_BATCH,		/* BEGIN, NEWTABLE, END */
	NFT_BATCH_NO_END,	/* BEGIN, NEWTABLE: processed, then aborted */
	NFT_GETGEN_GARBAGE,	/* a whole GETGEN, then 64 bytes of 0xff */
	NFT_SHORT,		/* 8 bytes: not even a header */
};

struct nft_op {
	enum nft_shape shape;
	enum how how;
};

static int op_nft(void *arg)
{
	const struct nft_op *o = arg;
	struct nfgenmsg gen = { .nfgen_family = AF_UNSPEC };
	struct nlbuf b = {};
	int fd, err;

	switch (o->shape) {
	case NFT_BATCH:
	case NFT_BATCH_NO_END:
		nft_newtable(&b, o->shape == NFT_BATCH);
		break;
	case NFT_GETGEN_GARBAGE:
		nl_msg(&b, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETGEN,
		       NLM_F_ACK, &gen, sizeof(gen));
		memset(b.data + b.len, 0xff, 64);
		b.len += 64;
		break;
	case NFT_SHORT:
		memset(b.data, 0, 8);
		b.len = 8;
		/* The kernel ignores it, and answers nothing. */
		fd = nl_open(NETLINK_NETFILTER);
		if (fd < 0)
			return CHILD_SETUP_FAILED;
		err = nl_send(fd, b.data, b.len, o->how);
		close(fd);
		return err;
	}
	return nl_talk(NETLINK_NETFILTER, &b, o->how);
}

static int op_tc_newqdisc(void *arg)
{
	const enum how *how = arg;
	struct nlbuf b = {};

	tc_newqdisc(&b);
	return nl_talk(NETLINK_ROUTE, &b, how ? *how : BY_SENDMSG);
}

/* Is LO_ADDR on lo?  1 if it is, 0 if lo has no address, else 2. */
static int lo_has_addr(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return 2;
	if (ioctl(fd, SIOCGIFADDR, &ifr))
		ret = errno == EADDRNOTAVAIL ? 0 : 2;
	else
		ret = sin->sin_addr.s_addr == inet_addr(LO_ADDR) ? 1 : 2;
	close(fd);
	return ret;
}

/*
 * One sendmsg of RTM_NEWADDR (no gate) and RTM_NEWQDISC (tc): reports in
 * rep->value whether the address is on lo afterwards.
 */
static int op_addr_then_qdisc(void *arg)
{
	struct nlbuf b = {};
	int err;

	rtm_newaddr(&b);
	tc_newqdisc(&b);
	err = nl_talk(NETLINK_ROUTE, &b, BY_SENDMSG);
	rep->value = lo_has_addr();
	return err;
}

static int op_newlink(void *arg)
{
	struct nlbuf b = {};

	rtm_newlink(&b, arg);
	return nl_talk(NETLINK_ROUTE, &b, BY_SENDMSG);
}

/* RTM_NEWNEIGH without NLM_F_CREATE, for an entry lo does not have. */
static int op_newneigh(void *arg)
{
	struct ndmsg nd = {
		.ndm_family = AF_INET,
		.ndm_ifindex = LO_IFINDEX,
		.ndm_state = NUD_PERMANENT,
	};
	struct nlbuf b = {};
	struct in_addr in;

	inet_pton(AF_INET, "127.1.2.4", &in);
	nl_msg(&b, RTM_NEWNEIGH, NLM_F_ACK, &nd, sizeof(nd));
	nl_attr(&b, NDA_DST, &in, sizeof(in));
	return nl_talk(NETLINK_ROUTE, &b, BY_SENDMSG);
}

/* XFRM_MSG_NEWSA: an ESP state without algorithms, which xfrm refuses. */
static int op_xfrm_newsa(void *arg)
{
	struct xfrm_usersa_info sa = {
		.family = AF_INET,
		.id.proto = IPPROTO_ESP,
		.id.spi = htonl(0x4242),
		.lft = {
			.soft_byte_limit = XFRM_INF,
			.hard_byte_limit = XFRM_INF,
			.soft_packet_limit = XFRM_INF,
			.hard_packet_limit = XFRM_INF,
		},
	};
	struct nlbuf b = {};

	inet_pton(AF_INET, "127.0.0.1", &sa.id.daddr.a4);
	inet_pton(AF_INET, "127.0.0.1", &sa.saddr.a4);
	nl_msg(&b, XFRM_MSG_NEWSA, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
	       &sa, sizeof(sa));
	return nl_talk(NETLINK_XFRM, &b, BY_SENDMSG);
}

/* setsockopt(IP_XFRM_POLICY) with no policy: clears the socket's. */
static int op_xfrm_policy(void *arg)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return CHILD_SETUP_FAILED;
	if (setsockopt(fd, SOL_IP, IP_XFRM_POLICY, NULL, 0))
		err = errno;
	close(fd);
	return err;
}

struct sock_op {
	int family, type, protocol;
	int count;		/* how many, one after the other (0: one) */
	bool io_uring;		/* by IORING_OP_SOCKET */
};

static int op_socket(void *arg)
{
	const struct sock_op *s = arg;
	struct io_uring_sqe sqe = {};
	struct uring r;
	int i, fd;

	if (s->io_uring && uring_init(&r))
		return CHILD_SETUP_FAILED;
	for (i = 0; i < (s->count ?: 1); i++) {
		if (s->io_uring) {
			sqe.opcode = IORING_OP_SOCKET;
			sqe.fd = s->family;
			sqe.off = s->type;
			sqe.len = s->protocol;
			if (uring_run(&r, &sqe, &fd))
				return CHILD_SETUP_FAILED;
			if (fd < 0)
				return -fd;
		} else {
			fd = socket(s->family, s->type, s->protocol);
			if (fd < 0)
				return errno;
		}
		close(fd);
	}
	return 0;
}

/*
 * An ICMP datagram ("ping") socket, after writing @arg (if not NULL) to the
 * network namespace's ping_group_range, as the namespace's root.
 */
static int op_ping_socket(void *arg)
{
	const char *range = arg;
	int fd;

	if (range && write_file("/proc/sys/net/ipv4/ping_group_range", range,
				strlen(range)))
		return CHILD_SETUP_FAILED;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int op_xt_replace(void *arg)
{
	struct ipt_replace r = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return CHILD_SETUP_FAILED;
	snprintf(r.name, sizeof(r.name), "filter");
	/* No counters: do_replace() answers EINVAL. */
	if (setsockopt(fd, SOL_IP, IPT_SO_SET_REPLACE, &r, sizeof(r)))
		err = errno;
	close(fd);
	return err;
}

static int op_xt_get_info(void *arg)
{
	char buf[1] = "";
	socklen_t len = sizeof(buf);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return CHILD_SETUP_FAILED;
	/* The wrong length: get_info() answers EINVAL. */
	if (getsockopt(fd, SOL_IP, IPT_SO_GET_INFO, buf, &len))
		err = errno;
	close(fd);
	return err;
}

/*
 * Options that share numbers with netfilter's and are not gated:
 * IPV6_RECVTCLASS and IPV6_TCLASS set on an AF_INET6 socket (0), and
 * SO_ORIGINAL_DST read from a UDP socket (ENOPROTOOPT: conntrack only
 * answers for TCP and SCTP, and without conntrack no one answers).  Returns
 * a bit per unexpected answer.
 */
static int op_xt_neighbours(void *arg)
{
	struct sockaddr_in dst;
	socklen_t len = sizeof(dst);
	int fd6, fd4, one = 1, ret = 0;

	fd6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fd4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd6 < 0 || fd4 < 0)
		return CHILD_SETUP_FAILED;
	if (setsockopt(fd6, SOL_IPV6, IPV6_RECVTCLASS, &one, sizeof(one)))
		ret |= 1;
	if (setsockopt(fd6, SOL_IPV6, IPV6_TCLASS, &one, sizeof(one)))
		ret |= 2;
	if (!getsockopt(fd4, SOL_IP, SO_ORIGINAL_DST, &dst, &len) ||
	    errno != ENOPROTOOPT)
		ret |= 4;
	close(fd6);
	close(fd4);
	return ret;
}

enum ioctl_op {
	IOCTL_BRADDBR,		/* SIOCBRADDBR "nshard-br" */
	IOCTL_GIFVLAN,		/* SIOCGIFVLAN GET_VLAN_VID_CMD "nshard-none" */
	IOCTL_LO_UP,		/* SIOCSIFFLAGS lo IFF_UP */
	IOCTL_LO_MTU,		/* SIOCSIFMTU lo 1500 */
};

static int op_ioctl(void *arg)
{
	const enum ioctl_op *op = arg;
	struct vlan_ioctl_args vlan = { .cmd = GET_VLAN_VID_CMD };
	struct ifreq ifr = { .ifr_name = "lo" };
	char name[IFNAMSIZ] = "nshard-br";
	int fd, ret = 0;

	if (*op == IOCTL_LO_UP)
		return lo_up();
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return CHILD_SETUP_FAILED;
	switch (*op) {
	case IOCTL_BRADDBR:
		ret = ioctl(fd, SIOCBRADDBR, name);
		break;
	case IOCTL_GIFVLAN:
		snprintf(vlan.device1, sizeof(vlan.device1), "nshard-none");
		ret = ioctl(fd, SIOCGIFVLAN, &vlan);
		break;
	case IOCTL_LO_MTU:
		ifr.ifr_mtu = 1500;
		ret = ioctl(fd, SIOCSIFMTU, &ifr);
		break;
	default:
		break;
	}
	ret = ret ? errno : 0;
	close(fd);
	return ret;
}

struct mount_op {
	const char *source, *type, *data;
	unsigned long flags;
};

static int op_mount(void *arg)
{
	const struct mount_op *m = arg;

	return mount(m->source, MNT_DIR, m->type, m->flags, m->data) ? errno :
								      0;
}

/* fsopen(@arg): 0 if a filesystem context could be created, or errno. */
static int op_fsopen(void *arg)
{
	int fd = syscall(SYS_fsopen, (const char *)arg, FSOPEN_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A tmpfs on MNT_DIR, reconfigured through fspick(2). */
static int op_fspick_tmpfs(void *arg)
{
	int fd;

	if (mount("none", MNT_DIR, "tmpfs", 0, NULL))
		return CHILD_SETUP_FAILED;
	fd = syscall(SYS_fspick, AT_FDCWD, MNT_DIR, FSPICK_CLOEXEC);
	if (fd < 0)
		return errno;
	if (syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "size", "2m", 0) ||
	    syscall(SYS_fsconfig, fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0))
		return 100 + errno;
	close(fd);
	return 0;
}

/* A tmpfs on MNT_DIR, with the directories of an overlay in it. */
#define OVL_LOWER	MNT_DIR "/lower"
#define OVL_UPPER	MNT_DIR "/upper"
#define OVL_WORK	MNT_DIR "/work"
#define OVL_MERGED	MNT_DIR "/merged"
#define OVL_OPTIONS	"lowerdir=" OVL_LOWER ",upperdir=" OVL_UPPER \
			",workdir=" OVL_WORK ",userxattr"

static int overlay_dirs(void)
{
	if (mount("none", MNT_DIR, "tmpfs", 0, NULL) ||
	    mkdir(OVL_LOWER, 0755) || mkdir(OVL_UPPER, 0755) ||
	    mkdir(OVL_WORK, 0755) || mkdir(OVL_MERGED, 0755))
		return -1;
	return 0;
}

/* overlayfs by mount(2), as rootless podman mounts it. */
static int op_overlay_mount(void *arg)
{
	if (overlay_dirs())
		return CHILD_SETUP_FAILED;
	if (mount("overlay", OVL_MERGED, "overlay", 0, OVL_OPTIONS))
		return errno;
	return 0;
}

/*
 * overlayfs by fsopen(2), fsconfig(2), fsmount(2) and move_mount(2): the
 * errno of fsopen(), or 100 + the errno of a later step.
 */
static int op_overlay_fsmount(void *arg)
{
	int fd, mfd;

	if (overlay_dirs())
		return CHILD_SETUP_FAILED;
	fd = syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
	if (fd < 0)
		return errno;
	if (syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "lowerdir",
		    OVL_LOWER, 0) ||
	    syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "upperdir",
		    OVL_UPPER, 0) ||
	    syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING, "workdir",
		    OVL_WORK, 0) ||
	    syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG, "userxattr", NULL,
		    0) ||
	    syscall(SYS_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return 100 + errno;
	mfd = syscall(SYS_fsmount, fd, FSMOUNT_CLOEXEC, 0);
	if (mfd < 0)
		return 100 + errno;
	if (syscall(SYS_move_mount, mfd, "", AT_FDCWD, OVL_MERGED,
		    MOVE_MOUNT_F_EMPTY_PATH))
		return 100 + errno;
	return 0;
}

/* proc, in a PID namespace of the user namespace. */
static int op_mount_proc(void *arg)
{
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		return CHILD_SETUP_FAILED;
	pid = fork();
	if (pid < 0)
		return CHILD_SETUP_FAILED;
	if (pid == 0)
		_exit(mount("proc", MNT_DIR, "proc", 0, NULL) ? errno : 0);
	return wait_child(pid);
}

/* A mount point of the host, and the flags a remount must keep on it. */
struct remount_op {
	char path[256];
	unsigned long flags;
};

/* MS_REMOUNT of the mount with an option its parser refuses. */
static int op_remount(void *arg)
{
	const struct remount_op *r = arg;

	if (mount(NULL, r->path, NULL, MS_REMOUNT | r->flags, BAD_OPTION))
		return errno;
	return 0;
}

static int op_fspick(void *arg)
{
	const struct remount_op *r = arg;
	int fd = syscall(SYS_fspick, AT_FDCWD, r->path, FSPICK_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* ------------------------------------------ generic netlink (ovs) -- */

static void genl_family_id(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	int len;

	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return;
	a = (const struct nlattr *)((const char *)NLMSG_DATA(nlh) +
				    GENL_HDRLEN);
	len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			*(int *)arg = *(const __u16 *)((const char *)a +
						       NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
}

/* The id of the ovs_datapath family in rep->value; 0 or ACKED(ENOENT). */
static int op_ovs_family(void *arg)
{
	struct genlmsghdr g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 };
	struct nlbuf b = {};
	int fd, err, id = 0;

	nl_msg(&b, GENL_ID_CTRL, NLM_F_ACK, &g, sizeof(g));
	nl_str(&b, CTRL_ATTR_FAMILY_NAME, OVS_DATAPATH_FAMILY);
	fd = nl_open(NETLINK_GENERIC);
	if (fd < 0)
		return CHILD_SETUP_FAILED;
	err = nl_send(fd, b.data, b.len, BY_SENDMSG);
	if (!err)
		err = nl_wait(fd, b.ack, genl_family_id, &id);
	close(fd);
	rep->value = id;
	if (!err && !id)
		return CHILD_SETUP_FAILED;
	return err;
}

/* OVS_DP_CMD_NEW "nshard-dp" (GENL_UNS_ADMIN_PERM) in family @arg. */
static int op_ovs_dp_new(void *arg)
{
	struct genlmsghdr g = {
		.cmd = OVS_DP_CMD_NEW,
		.version = OVS_DATAPATH_VERSION,
	};
	struct ovs_header ovs = { .dp_ifindex = 0 };
	struct nlbuf b = {};

	nl_msg(&b, *(int *)arg, NLM_F_ACK, &g, sizeof(g));
	nl_raw(&b, &ovs, sizeof(ovs));
	nl_str(&b, OVS_DP_ATTR_NAME, "nshard-dp");
	nl_u32(&b, OVS_DP_ATTR_UPCALL_PID, 0);
	return nl_talk(NETLINK_GENERIC, &b, BY_SENDMSG);
}

/* ------------------------------------------------------- fixture -- */

FIXTURE(gate) {
	int saved_mode;
	char *saved_policy;
};

FIXTURE_SETUP(gate)
{
	ASSERT_TRUE(nshard_active());
	if (getuid() != 0 || !privileged())
		SKIP(return, "uid %d: gates are tested as root, who loads the policies",
		     getuid());
	self->saved_mode = read_mode();
	ASSERT_LE(0, self->saved_mode);
	self->saved_policy = read_file(NSHARD_POLICY_PATH, NULL);
	ASSERT_NE(NULL, self->saved_policy);
	ASSERT_EQ(0, report_init());
	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy(""));
	ASSERT_TRUE(mkdir(MNT_DIR, 0755) == 0 || errno == EEXIST);
}

FIXTURE_TEARDOWN(gate)
{
	if (!self->saved_policy)
		return;
	EXPECT_EQ(0, write_mode(self->saved_mode));
	EXPECT_EQ(0, write_policy(self->saved_policy));
	free(self->saved_policy);
}

/*
 * The refusal and its controls, as the module comment says: as the test
 * user in the namespaces of @flags, @fn gives @refused under "deny gate
 * @gate restricted" (counted denied once), and @allowed under an empty
 * policy and under the deny with "allow gate @gate uid=1000" (counted
 * allowed once).  If @detail is not NULL, the refusal's log line must be
 * exactly the one it should be, with @detail.
 */
static void try_gate(struct __test_metadata *_metadata, const char *gate,
		     unsigned long flags, op_fn fn, void *arg, int refused,
		     int allowed, const char *detail)
{
	char deny[64], allow[128], line[512], seen[4096];
	struct counts c;
	int kfd = -1;

	snprintf(deny, sizeof(deny), "deny gate %s restricted\n", gate);
	snprintf(allow, sizeof(allow), "%sallow gate %s uid=%u\n", deny, gate,
		 NSHARD_TEST_UID);

	ASSERT_EQ(0, write_policy(deny));
	if (detail) {
		log_window();
		kfd = kmsg_open();
		ASSERT_LE(0, kfd) {
			TH_LOG("cannot read /dev/kmsg: %s", strerror(errno));
		}
	}
	COUNTS(gate, c);
	EXPECT_EQ(refused, as_user(flags, fn, arg)) {
		TH_LOG("gate %s: under \"deny gate %s restricted\"", gate,
		       gate);
	}
	EXPECT_COUNTED(gate, c, 0, 1, 0);
	if (detail) {
		denial_line(line, sizeof(line), gate, detail, 1);
		EXPECT_TRUE(kmsg_has(kfd, line, seen, sizeof(seen))) {
			TH_LOG("expected: %s", line);
			TH_LOG("logged:\n%s", seen);
		}
		close(kfd);
	}

	ASSERT_EQ(0, write_policy(""));
	COUNTS(gate, c);
	EXPECT_EQ(allowed, as_user(flags, fn, arg)) {
		TH_LOG("gate %s: under an empty policy", gate);
	}
	EXPECT_COUNTED(gate, c, 1, 0, 0);

	ASSERT_EQ(0, write_policy(allow));
	COUNTS(gate, c);
	EXPECT_EQ(allowed, as_user(flags, fn, arg)) {
		TH_LOG("gate %s: under \"allow gate %s uid=%u\"", gate, gate,
		       NSHARD_TEST_UID);
	}
	EXPECT_COUNTED(gate, c, 1, 0, 0);
}

/* ----------------------------------------------------- netfilter -- */

/*
 * One nfnetlink buffer, one decision: the nf_tables batch is refused as a
 * whole by the send, and, allowed, acknowledged 0 by nf_tables.
 */
TEST_F_TIMEOUT(gate, netfilter_sendmsg, 120)
{
	struct nft_op o = { NFT_BATCH, BY_SENDMSG };

	try_gate(_metadata, "netfilter", NET, op_nft, &o, EPERM, 0,
		 "nfnetlink nf_tables message 0");
}

TEST_F_TIMEOUT(gate, netfilter_sendmmsg, 120)
{
	struct nft_op o = { NFT_BATCH, BY_SENDMMSG };

	try_gate(_metadata, "netfilter", NET, op_nft, &o, EPERM, 0, NULL);
}

TEST_F_TIMEOUT(gate, netfilter_write, 120)
{
	struct nft_op o = { NFT_BATCH, BY_WRITE };

	try_gate(_metadata, "netfilter", NET, op_nft, &o, EPERM, 0, NULL);
}

/*
 * A batch without BATCH_END: nf_tables processes (and acknowledges) the
 * NEWTABLE, then aborts the batch.  Refused all the same.
 */
TEST_F_TIMEOUT(gate, netfilter_batch_without_end, 120)
{
	struct nft_op o = { NFT_BATCH_NO_END, BY_SENDMSG };

	try_gate(_metadata, "netfilter", NET, op_nft, &o, EPERM, 0, NULL);
}

/*
 * A whole first header followed by garbage: nfnetlink acts on the first
 * message (GETGEN: nfnetlink wants CAP_NET_ADMIN even for a get) and stops
 * at the garbage; the gate decides once, on the first header.  A buffer
 * shorter than a header, which nfnetlink ignores, is not judged (nor
 * counted).
 */
TEST_F_TIMEOUT(gate, netfilter_garbage_after_first_header, 120)
{
	struct nft_op garbage = { NFT_GETGEN_GARBAGE, BY_SENDMSG };
	struct nft_op shorty = { NFT_SHORT, BY_SENDMSG };
	struct counts c;

	try_gate(_metadata, "netfilter", NET, op_nft, &garbage, EPERM, 0,
		 NULL);

	ASSERT_EQ(0, write_policy("deny gate netfilter restricted\n"));
	COUNTS("netfilter", c);
	EXPECT_EQ(0, as_user(NET, op_nft, &shorty));
	EXPECT_COUNTED("netfilter", c, 0, 0, 0);
}

/* --------------------------------------------------------- io_uring -- */

/* io_uring, or a reason to skip. */
static const char *no_io_uring(void)
{
	struct io_uring_params p = {};
	int fd;

	/* The sysctl is registered by io_uring itself. */
	if (access("/proc/sys/kernel/io_uring_disabled", F_OK))
		return "no io_uring in the test kernel (CONFIG_IO_URING=n)";
	fd = syscall(__NR_io_uring_setup, 1, &p);
	if (fd < 0)
		return strerror(errno);
	close(fd);
	return NULL;
}

TEST_F_TIMEOUT(gate, netfilter_io_uring_sendmsg, 120)
{
	struct nft_op o = { NFT_BATCH, BY_IO_URING };
	const char *why = no_io_uring();

	if (why && !strncmp(why, "no io_uring", 11))
		SKIP(return, "%s", why);
	ASSERT_EQ(NULL, why);
	try_gate(_metadata, "netfilter", NET, op_nft, &o, EPERM, 0, NULL);
}

TEST_F_TIMEOUT(gate, packet_io_uring_socket, 120)
{
	struct sock_op s = {
		.family = AF_PACKET,
		.type = SOCK_RAW,
		.protocol = htons(ETH_P_ALL),
		.io_uring = true,
	};
	const char *why = no_io_uring();

	if (why && !strncmp(why, "no io_uring", 11))
		SKIP(return, "%s", why);
	ASSERT_EQ(NULL, why);
	try_gate(_metadata, "packet", NET, op_socket, &s, EPERM, 0, NULL);
}

/* ------------------------------------------------------- xtables -- */

/* Allowed, ip_tables parses the replacement and refuses it: EINVAL. */
TEST_F_TIMEOUT(gate, xtables_set_replace, 120)
{
	try_gate(_metadata, "xtables", NET, op_xt_replace, NULL, EPERM,
		 EINVAL, NULL);
}

/* getsockopt(IPT_SO_GET_INFO) with a wrong length: EINVAL, allowed. */
TEST_F_TIMEOUT(gate, xtables_get_info, 120)
{
	try_gate(_metadata, "xtables", NET, op_xt_get_info, NULL, EPERM,
		 EINVAL, NULL);
}

/* Options that share the numbers' ranges keep their normal answers. */
TEST_F_TIMEOUT(gate, xtables_spares_ordinary_options, 120)
{
	struct counts c;

	ASSERT_EQ(0, write_policy("deny gate xtables restricted\n"));
	COUNTS("xtables", c);
	EXPECT_EQ(0, as_user(NET, op_xt_neighbours, NULL));
	EXPECT_COUNTED("xtables", c, 0, 0, 0);
	ASSERT_EQ(0, write_policy(""));
	EXPECT_EQ(0, as_user(NET, op_xt_neighbours, NULL));
}

/* ------------------------------------------------------------- tc -- */

TEST_F_TIMEOUT(gate, tc_newqdisc, 120)
{
	try_gate(_metadata, "tc", NET, op_tc_newqdisc, NULL, EPERM, 0,
		 "RTM_NEWQDISC");
}

/*
 * RTM_NEWADDR, which goes through no gate, and RTM_NEWQDISC in one
 * sendmsg(): refused as a whole, and the address is not added.  Allowed,
 * both are acted on.
 */
TEST_F_TIMEOUT(gate, tc_refuses_the_whole_buffer, 120)
{
	struct counts c;

	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"));
	COUNTS("tc", c);
	EXPECT_EQ(EPERM, as_user(NET, op_addr_then_qdisc, NULL));
	EXPECT_EQ(0, rep->value) {
		TH_LOG("lo has an address after the refusal (%d)", rep->value);
	}
	EXPECT_COUNTED("tc", c, 0, 1, 0);

	ASSERT_EQ(0, write_policy(""));
	COUNTS("tc", c);
	EXPECT_EQ(0, as_user(NET, op_addr_then_qdisc, NULL));
	EXPECT_EQ(1, rep->value) {
		TH_LOG(LO_ADDR " is not on lo (%d)", rep->value);
	}
	EXPECT_COUNTED("tc", c, 1, 0, 0);
}

/* ---------------------------------------------------------- link -- */

TEST_F_TIMEOUT(gate, link_kinds, 120)
{
	struct link_req vxlan = { { "vxlan" }, VXLAN_DATA };
	struct link_req veth = { { "veth" }, VETH_PEER };
	struct link_req dummy = { { "dummy" }, NO_DATA };
	/* rtnetlink creates the kind of the last IFLA_INFO_KIND. */
	struct link_req veth_vxlan = { { "veth", "vxlan" }, VXLAN_DATA };
	struct link_req vxlan_veth = { { "vxlan", "veth" }, NO_DATA };
	struct counts c;

	try_gate(_metadata, "link", NET, op_newlink, &vxlan, EPERM, 0, NULL);
	try_gate(_metadata, "link", NET, op_newlink, &veth_vxlan, EPERM, 0,
		 NULL);

	/* What sandboxes create goes through no gate. */
	ASSERT_EQ(0, write_policy("deny gate link restricted\n"));
	COUNTS("link", c);
	EXPECT_EQ(0, as_user(NET, op_newlink, &veth));
	EXPECT_EQ(0, as_user(NET, op_newlink, &dummy));
	EXPECT_EQ(0, as_user(NET, op_newlink, &vxlan_veth));
	EXPECT_COUNTED("link", c, 0, 0, 0);
}

/* ---------------------------------------------------------- xfrm -- */

TEST_F_TIMEOUT(gate, xfrm, 120)
{
	struct sock_op key = {
		AF_KEY, SOCK_RAW | SOCK_CLOEXEC, PF_KEY_V2,
	};

	try_gate(_metadata, "xfrm", NET, op_socket, &key, EPERM, 0, NULL);
	/* Allowed, xfrm_user checks the state: no algorithm, EINVAL. */
	try_gate(_metadata, "xfrm", NET, op_xfrm_newsa, NULL, EPERM,
		 ACKED(EINVAL), NULL);
	try_gate(_metadata, "xfrm", NET, op_xfrm_policy, NULL, EPERM, 0,
		 NULL);
}

/* ---------------------------------------------------- genl-admin -- */

/*
 * Generic netlink: the gate is asked once genetlink has resolved the
 * operation and checked its flags, so that a refusal is an acknowledgment
 * of -EPERM, the answer genetlink gives to a task without CAP_NET_ADMIN.
 */
TEST_F_TIMEOUT(gate, genl_admin_openvswitch, 120)
{
	int ret, id;

	/* Resolving the family is not an admin operation. */
	ASSERT_EQ(0, write_policy("deny gate genl-admin restricted\n"));
	ret = as_user(NET, op_ovs_family, NULL);
	if (ret == ACKED(ENOENT))
		SKIP(return, "no \"%s\" generic netlink family (CONFIG_OPENVSWITCH=n)",
		     OVS_DATAPATH_FAMILY);
	ASSERT_EQ(0, ret);
	id = rep->value;
	try_gate(_metadata, "genl-admin", NET, op_ovs_dp_new, &id,
		 ACKED(EPERM), 0, NULL);
}

/* ---------------------------------------------------- packet, raw -- */

TEST_F_TIMEOUT(gate, packet_socket, 120)
{
	struct sock_op s = {
		AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL),
	};

	try_gate(_metadata, "packet", NET, op_socket, &s, EPERM, 0,
		 "socket AF_PACKET SOCK_RAW");
}

/*
 * Raw sockets are gated; ICMP datagram sockets, which ping uses, are not:
 * the kernel alone decides on them, by ping_group_range.
 */
TEST_F_TIMEOUT(gate, raw_sockets_and_ping, 60)
{
	struct sock_op icmp = { AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP };
	struct sock_op icmp6 = {
		AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6,
	};
	struct counts c;
	pid_t holder;
	int ufd, nfd;

	try_gate(_metadata, "raw", NET, op_socket, &icmp, EPERM, 0, NULL);
	try_gate(_metadata, "raw", NET, op_socket, &icmp6, EPERM, 0, NULL);

	ASSERT_EQ(0, write_policy("deny gate raw restricted\n"
				  "deny gate packet restricted\n"));
	COUNTS("raw", c);
	/* A new network namespace's range is empty: the kernel's EACCES. */
	EXPECT_EQ(EACCES, as_user(NET, op_ping_socket, NULL));
	/*
	 * Set by the namespace's root from inside.  The ids are read in the
	 * writer's user namespace, which maps one: "0 0" is the test user.
	 * ("0 4294967294" is EINVAL there: 4294967294 is not mapped.)
	 */
	EXPECT_EQ(0, as_user(NET, op_ping_socket, "0 0"));

	/* Set by host root, in the user's network namespace. */
	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, true);
	ASSERT_LT(0, holder);
	ufd = open_ns(holder, CLONE_NEWUSER);
	nfd = open_ns(holder, CLONE_NEWNET);
	ASSERT_LE(0, ufd);
	ASSERT_LE(0, nfd);
	EXPECT_EQ(EACCES, run_as(TEST_USER_SETNS, 0, ufd, nfd,
				 op_ping_socket, NULL));
	EXPECT_EQ(0, run_as(ROOT_SETNS, 0, -1, nfd, op_ping_socket,
			    "0 4294967294"));
	EXPECT_EQ(0, run_as(TEST_USER_SETNS, 0, ufd, nfd, op_ping_socket,
			    NULL));
	close(ufd);
	close(nfd);
	kill_holder(holder);
	EXPECT_COUNTED("raw", c, 0, 0, 0);
}

/* -------------------------------------------------- netdev-ioctl -- */

TEST_F_TIMEOUT(gate, netdev_ioctl, 120)
{
	enum ioctl_op braddbr = IOCTL_BRADDBR, vlan = IOCTL_GIFVLAN;
	enum ioctl_op up = IOCTL_LO_UP, mtu = IOCTL_LO_MTU;
	struct counts c;

	try_gate(_metadata, "netdev-ioctl", NET, op_ioctl, &braddbr, EPERM, 0,
		 NULL);
	/* Allowed, 8021q looks the device up: ENODEV. */
	try_gate(_metadata, "netdev-ioctl", NET, op_ioctl, &vlan, EPERM,
		 ENODEV, NULL);

	/* What slirp4netns and lo set-up use stays open. */
	ASSERT_EQ(0, write_policy("deny gate netdev-ioctl restricted\n"));
	COUNTS("netdev-ioctl", c);
	EXPECT_EQ(0, as_user(NET, op_ioctl, &up));
	EXPECT_EQ(0, as_user(NET, op_ioctl, &mtu));
	EXPECT_COUNTED("netdev-ioctl", c, 0, 0, 0);
}

/* ---------------------------------------------------------- mounts -- */

/*
 * mount(2) parses the options before it asks mount_capable(): allowed,
 * ext4's parser is reached and refuses the option (EINVAL); refused, it
 * never runs.  fsopen(2) is refused before ext4's init_fs_context(), and,
 * allowed, creates a context.
 */
TEST_F_TIMEOUT(gate, fs_mount_ext4, 120)
{
	struct mount_op ext4 = { "nshard-none", "ext4", BAD_OPTION, 0 };
	struct counts c;

	try_gate(_metadata, "fs-mount", NET_MNT, op_mount, &ext4, EPERM,
		 EINVAL, "mount ext4");
	try_gate(_metadata, "fs-mount", NET_MNT, op_fsopen, "ext4", EPERM, 0,
		 NULL);

	/* tmpfs, reconfigured through fspick(2): no gate. */
	ASSERT_EQ(0, write_policy("deny gate fs-mount restricted\n"));
	COUNTS("fs-mount", c);
	EXPECT_EQ(0, as_user(NET_MNT, op_fspick_tmpfs, NULL));
	EXPECT_COUNTED("fs-mount", c, 0, 0, 0);
}

/* The first mount of a file system of type @type, and the flags it keeps. */
static bool find_mount(const char *type, struct remount_op *r)
{
	char line[1024], want[64], point[256];
	struct statvfs st;
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	snprintf(want, sizeof(want), " - %s ", type);
	while (!found && fgets(line, sizeof(line), f)) {
		if (!strstr(line, want) ||
		    sscanf(line, "%*s %*s %*s %*s %255s", point) != 1 ||
		    strchr(point, '\\') || statvfs(point, &st))
			continue;
		snprintf(r->path, sizeof(r->path), "%s", point);
		r->flags = (st.f_flag & ST_RDONLY ? MS_RDONLY : 0) |
			   (st.f_flag & ST_NOSUID ? MS_NOSUID : 0) |
			   (st.f_flag & ST_NODEV ? MS_NODEV : 0) |
			   (st.f_flag & ST_NOEXEC ? MS_NOEXEC : 0);
		found = true;
	}
	fclose(f);
	return found;
}

/*
 * Reconfiguring an ext4 superblock, from a mount namespace of the user's
 * (the host's mounts are copied into it): MS_REMOUNT, whose options ext4
 * parses (EINVAL, allowed), and fspick(2).
 */
TEST_F_TIMEOUT(gate, fs_mount_ext4_reconfigure, 120)
{
	struct remount_op r;

	if (!find_mount("ext4", &r))
		SKIP(return, "no ext4 mount to reconfigure (the harness mounts one on /mnt/ext4)");
	TH_LOG("ext4 mounted on %s", r.path);
	try_gate(_metadata, "fs-mount", NET_MNT, op_remount, &r, EPERM,
		 EINVAL, NULL);
	try_gate(_metadata, "fs-mount", NET_MNT, op_fspick, &r, EPERM, 0,
		 NULL);
}

TEST_F_TIMEOUT(gate, overlay, 120)
{
	try_gate(_metadata, "overlay", NET_MNT, op_overlay_mount, NULL, EPERM,
		 0, NULL);
	try_gate(_metadata, "overlay", NET_MNT, op_overlay_fsmount, NULL,
		 EPERM, 0, NULL);
}

/*
 * cgroup v1 is gated; cgroup2 (in a cgroup namespace of the user's),
 * tmpfs and proc (in a PID namespace of the user's) are not, under a
 * policy that closes every mount gate.
 */
TEST_F_TIMEOUT(gate, cgroup1_and_the_mounts_sandboxes_make, 120)
{
	struct mount_op cgroup1 = { "cgroup", "cgroup", BAD_OPTION, 0 };
	struct mount_op cgroup2 = { "cgroup2", "cgroup2", NULL, 0 };
	struct mount_op tmpfs = { "none", "tmpfs", NULL, 0 };
	struct counts cg, fs, ovl;

	/* Allowed, the cgroup v1 parser refuses the option: EINVAL. */
	try_gate(_metadata, "cgroup1", NET_MNT, op_mount, &cgroup1, EPERM,
		 EINVAL, NULL);

	ASSERT_EQ(0, write_policy("deny gate cgroup1 restricted\n"
				  "deny gate fs-mount restricted\n"
				  "deny gate overlay restricted\n"));
	COUNTS("cgroup1", cg);
	COUNTS("fs-mount", fs);
	COUNTS("overlay", ovl);
	EXPECT_EQ(0, as_user(NET_MNT | CLONE_NEWCGROUP, op_mount, &cgroup2));
	EXPECT_EQ(0, as_user(NET_MNT, op_mount, &tmpfs));
	EXPECT_EQ(0, as_user(NET_MNT, op_mount_proc, NULL));
	EXPECT_COUNTED("cgroup1", cg, 0, 0, 0);
	EXPECT_COUNTED("fs-mount", fs, 0, 0, 0);
	EXPECT_COUNTED("overlay", ovl, 0, 0, 0);
}

/* --------------------------------------------------------- modload -- */

static bool module_loaded(const char *name)
{
	char *s = read_file("/proc/modules", NULL), *line, *save;
	size_t len = strlen(name);
	bool found = false;

	for (line = s ? strtok_r(s, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = !strncmp(line, name, len) && line[len] == ' ';
	free(s);
	return found;
}

/* Unload @name if it is loaded: 0 or an errno. */
static int unload(const char *name)
{
	int i;

	for (i = 0; i < 50 && module_loaded(name); i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EWOULDBLOCK && errno != EBUSY)
			return errno;
		usleep(100000);
	}
	return module_loaded(name) ? EBUSY : 0;
}

/*
 * CAN is a module (CONFIG_CAN=m, CONFIG_CAN_RAW=m): the first AF_CAN
 * socket makes the kernel load it (net-pf-29), then can_raw
 * (can-proto-1).  Refused the autoload, the socket cannot be created:
 * EAFNOSUPPORT.  Host root loads it.
 */
TEST_F_TIMEOUT(gate, modload_autoload, 300)
{
	struct sock_op can = { AF_CAN, SOCK_RAW | SOCK_CLOEXEC, CAN_RAW };
	char line[512], seen[4096], *modprobe;
	struct counts c;
	int kfd;

	ASSERT_EQ(0, access("/proc/modules", R_OK)) {
		TH_LOG("no /proc/modules: the test needs MODULES=y, CAN=m, CAN_RAW=m");
	}
	modprobe = read_file("/proc/sys/kernel/modprobe", NULL);
	ASSERT_NE(NULL, modprobe);
	modprobe[strcspn(modprobe, "\n")] = '\0';
	ASSERT_EQ(0, access(modprobe, X_OK)) {
		TH_LOG("no modprobe at %s", modprobe);
	}
	free(modprobe);
	ASSERT_EQ(0, unload("can_raw"));
	ASSERT_EQ(0, unload("can"));
	ASSERT_NE(0, access("/sys/module/can", F_OK)) {
		TH_LOG("CAN is built in: the test kernel needs CONFIG_CAN=m");
	}

	ASSERT_EQ(0, write_policy("deny gate modload restricted\n"));
	log_window();
	kfd = kmsg_open();
	ASSERT_LE(0, kfd);
	COUNTS("modload", c);
	EXPECT_EQ(EAFNOSUPPORT, as_user(NET, op_socket, &can));
	EXPECT_COUNTED("modload", c, 0, 1, 0);
	denial_line(line, sizeof(line), "modload", "request_module net-pf-29",
		    1);
	EXPECT_TRUE(kmsg_has(kfd, line, seen, sizeof(seen))) {
		TH_LOG("expected: %s", line);
		TH_LOG("logged:\n%s", seen);
	}
	close(kfd);
	EXPECT_FALSE(module_loaded("can"));

	/* The test user allowed: can and can_raw are loaded for it. */
	ASSERT_EQ(0, write_policy("deny gate modload restricted\n"
				  "allow gate modload uid=1000\n"));
	COUNTS("modload", c);
	EXPECT_EQ(0, as_user(NET, op_socket, &can));
	EXPECT_COUNTED("modload", c, 2, 0, 0);
	EXPECT_TRUE(module_loaded("can_raw"));
	EXPECT_EQ(0, unload("can_raw"));
	EXPECT_EQ(0, unload("can"));

	/* Host root, in the initial namespaces, is never gated. */
	ASSERT_EQ(0, write_policy("deny gate modload restricted\n"));
	COUNTS("modload", c);
	EXPECT_EQ(0, op_socket(&can));
	EXPECT_COUNTED("modload", c, 0, 0, 0);
	EXPECT_TRUE(module_loaded("can_raw"));
	EXPECT_EQ(0, unload("can_raw"));
	EXPECT_EQ(0, unload("can"));
	EXPECT_FALSE(module_loaded("can"));
}

/* ------------------------------------------------------ catch-alls -- */

TEST_F_TIMEOUT(gate, catch_alls, 120)
{
	struct sock_op fib = {
		AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_FIB_LOOKUP,
	};
	struct sock_op alg = { AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0 };
	struct link_req nosuch = { { "nosuchkind" }, NO_DATA };

	try_gate(_metadata, "netlink-other", NET, op_socket, &fib, EPERM, 0,
		 NULL);
	/* Allowed, neigh_add() finds no entry to change: ENOENT. */
	try_gate(_metadata, "netlink-other", NET, op_newneigh, NULL, EPERM,
		 ACKED(ENOENT), NULL);
	try_gate(_metadata, "family-other", NET, op_socket, &alg, EPERM, 0,
		 NULL);
	/*
	 * Refused before rtnetlink looks the kind up (and asks for module
	 * rtnl-link-nosuchkind): EPERM from the send, not rtnetlink's
	 * EOPNOTSUPP, which is the answer when allowed.
	 */
	try_gate(_metadata, "link-other", NET, op_newlink, &nosuch, EPERM,
		 ACKED(EOPNOTSUPP), NULL);
}

/* ---------------------------------- whose namespace, whose privilege -- */

/*
 * Host root (all capabilities in the initial user namespace) entering the
 * test user's network namespace with setns(2) alone administers it: not
 * gated.  The test user, entering the same namespaces, is.
 */
TEST_F_TIMEOUT(gate, host_root_in_a_user_netns, 120)
{
	struct nft_op o = { NFT_BATCH, BY_SENDMSG };
	struct counts tc, nf;
	pid_t holder;
	int ufd, nfd;

	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, true);
	ASSERT_LT(0, holder);
	ufd = open_ns(holder, CLONE_NEWUSER);
	nfd = open_ns(holder, CLONE_NEWNET);
	ASSERT_LE(0, ufd);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"
				  "deny gate netfilter restricted\n"));
	COUNTS("tc", tc);
	COUNTS("netfilter", nf);
	EXPECT_EQ(0, run_as(ROOT_SETNS, 0, -1, nfd, op_tc_newqdisc, NULL));
	EXPECT_EQ(0, run_as(ROOT_SETNS, 0, -1, nfd, op_nft, &o));
	EXPECT_COUNTED("tc", tc, 1, 0, 0);
	EXPECT_COUNTED("netfilter", nf, 1, 0, 0);

	COUNTS("tc", tc);
	EXPECT_EQ(EPERM, run_as(TEST_USER_SETNS, 0, ufd, nfd, op_tc_newqdisc,
				NULL));
	EXPECT_COUNTED("tc", tc, 0, 1, 0);
	close(ufd);
	close(nfd);
	kill_holder(holder);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

/*
 * The test user's process in the initial namespaces (no capability there)
 * is handed a netlink socket that another process of the user's created
 * inside its user and network namespaces, and sends RTM_NEWQDISC on it.
 * The socket's namespace is the one judged: refused.  Without the rule the
 * kernel lets it through (the user owns the user namespace, so it holds
 * CAP_NET_ADMIN over the network namespace from outside).
 *
 * (Creating the socket inside and returning to the initial network
 * namespace with setns(2) would need CAP_SYS_ADMIN in the initial user
 * namespace: the test user cannot; SCM_RIGHTS is how it would do it.)
 */
TEST_F_TIMEOUT(gate, user_socket_used_from_outside, 120)
{
	struct counts c;
	int i, sv[2];
	pid_t pid;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, write_policy(i ? "deny gate tc restricted\n" : ""));
		ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
					sv));
		COUNTS("tc", c);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct nlbuf b = {};
			pid_t inner;
			int fd, err;
			char x;

			if (drop_to_test_user())
				_exit(CHILD_SETUP_FAILED);
			inner = fork();
			if (inner < 0)
				_exit(CHILD_SETUP_FAILED);
			if (inner == 0) {
				if (enter_userns_as_root() ||
				    unshare(CLONE_NEWNET))
					_exit(CHILD_SETUP_FAILED);
				fd = nl_open(NETLINK_ROUTE);
				if (fd < 0 || send_fd(sv[1], fd))
					_exit(CHILD_SETUP_FAILED);
				/* Keep the namespaces until the user is done. */
				_exit(read(sv[1], &x, 1) == 1 ? 0 :
				      CHILD_SETUP_FAILED);
			}
			fd = recv_fd(sv[0]);
			if (fd < 0)
				_exit(CHILD_SETUP_FAILED);
			tc_newqdisc(&b);
			err = nl_send(fd, b.data, b.len, BY_SENDMSG);
			if (!err)
				err = nl_wait(fd, b.ack, NULL, NULL);
			if (write(sv[0], "x", 1) != 1 || wait_child(inner))
				_exit(CHILD_SETUP_FAILED);
			_exit(err);
		}
		EXPECT_EQ(i ? EPERM : 0, wait_child(pid)) {
			TH_LOG("with%s \"deny gate tc restricted\"",
			       i ? "" : "out");
		}
		EXPECT_COUNTED("tc", c, !i, i, 0);
		close(sv[0]);
		close(sv[1]);
	}
}

/*
 * A namespace root created (privileged origin) is judged by "privileged"
 * rules, for the tasks inside it; host root entering it is not gated.
 */
TEST_F_TIMEOUT(gate, privileged_origin, 120)
{
	struct counts c;
	pid_t holder;
	int nfd;

	ASSERT_EQ(0, write_policy("deny gate tc restricted\n"));
	COUNTS("tc", c);
	EXPECT_EQ(0, run_as(ROOT_USERNS, NET, -1, -1, op_tc_newqdisc, NULL));
	EXPECT_COUNTED("tc", c, 1, 0, 0);

	ASSERT_EQ(0, write_policy("deny gate tc privileged\n"));
	COUNTS("tc", c);
	EXPECT_EQ(EPERM, run_as(ROOT_USERNS, NET, -1, -1, op_tc_newqdisc,
				NULL));
	EXPECT_COUNTED("tc", c, 0, 1, 0);

	holder = spawn_holder(CLONE_NEWUSER | CLONE_NEWNET, false);
	ASSERT_LT(0, holder);
	nfd = open_ns(holder, CLONE_NEWNET);
	ASSERT_LE(0, nfd);
	COUNTS("tc", c);
	EXPECT_EQ(0, run_as(ROOT_SETNS, 0, -1, nfd, op_tc_newqdisc, NULL));
	/* ...and the test user's own namespace is not concerned. */
	EXPECT_EQ(0, as_user(NET, op_tc_newqdisc, NULL));
	EXPECT_COUNTED("tc", c, 2, 0, 0);
	close(nfd);
	kill_holder(holder);
}

/* ----------------------------------------------------------- audit -- */

/*
 * In audit mode a deny lets the operation through and counts it audited,
 * once per operation; so does an audit rule in enforce mode.
 */
TEST_F_TIMEOUT(gate, audit, 120)
{
	struct sock_op three = {
		AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL), 3,
	};
	struct link_req vxlan = { { "vxlan" }, VXLAN_DATA };
	struct counts packet, tc, link;

	ASSERT_EQ(0, write_policy("deny gate packet restricted\n"
				  "deny gate tc restricted\n"));
	ASSERT_EQ(0, write_mode(MODE_AUDIT));
	COUNTS("packet", packet);
	COUNTS("tc", tc);
	EXPECT_EQ(0, as_user(NET, op_socket, &three));
	EXPECT_EQ(0, as_user(NET, op_tc_newqdisc, NULL));
	EXPECT_COUNTED("packet", packet, 0, 0, 3);
	EXPECT_COUNTED("tc", tc, 0, 0, 1);

	ASSERT_EQ(0, write_mode(MODE_ENFORCE));
	ASSERT_EQ(0, write_policy("audit gate link\n"));
	COUNTS("link", link);
	EXPECT_EQ(0, as_user(NET, op_newlink, &vxlan));
	EXPECT_COUNTED("link", link, 0, 0, 1);
}

TEST_HARNESS_MAIN
