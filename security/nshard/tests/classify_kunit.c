// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the tables that sort operations into gates
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/if_link.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <net/netlink.h>
#include <uapi/linux/netfilter/nfnetlink.h>

#include "../classify.h"

#define NONE NSHARD_NO_GATE

/* ---------------------------------------------------------- sockets -- */

struct socket_case {
	int family, type, protocol, gate;
};

static const struct socket_case socket_cases[] = {
	{ AF_UNIX, SOCK_STREAM, 0, NONE },
	{ AF_INET, SOCK_STREAM, 0, NONE },
	{ AF_INET, SOCK_DGRAM, IPPROTO_ICMP, NONE },	/* ping */
	{ AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6, NONE },
	{ AF_INET, SOCK_RAW, IPPROTO_ICMP, NSHARD_GATE_RAW },
	{ AF_INET6, SOCK_RAW, IPPROTO_RAW, NSHARD_GATE_RAW },
	{ AF_PACKET, SOCK_RAW, 0, NSHARD_GATE_PACKET },
	{ AF_PACKET, SOCK_DGRAM, 0, NSHARD_GATE_PACKET },
	{ AF_XDP, SOCK_RAW, 0, NSHARD_GATE_RAW },
	{ AF_KEY, SOCK_RAW, 2, NSHARD_GATE_XFRM },
	/* Netlink: what sandboxes use is not SOCK_RAW's business. */
	{ AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, NONE },
	{ AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_GENERIC, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_AUDIT, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_XFRM, NONE },
	{ AF_NETLINK, SOCK_RAW, NETLINK_RDMA, NSHARD_GATE_NETLINK_OTHER },
	{ AF_NETLINK, SOCK_RAW, NETLINK_FIB_LOOKUP, NSHARD_GATE_NETLINK_OTHER },
	{ AF_NETLINK, SOCK_RAW, 31, NSHARD_GATE_NETLINK_OTHER },
	/* Families no sandbox needs, and ones a later kernel adds. */
	{ AF_ALG, SOCK_SEQPACKET, 0, NSHARD_GATE_FAMILY_OTHER },
	{ AF_TIPC, SOCK_RDM, 0, NSHARD_GATE_FAMILY_OTHER },
	{ AF_VSOCK, SOCK_STREAM, 0, NSHARD_GATE_FAMILY_OTHER },
	{ AF_CAN, SOCK_RAW, 1, NSHARD_GATE_FAMILY_OTHER },
	{ AF_MAX, SOCK_STREAM, 0, NSHARD_GATE_FAMILY_OTHER },
};

static void test_sockets(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(socket_cases); i++) {
		const struct socket_case *c = &socket_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, nshard_classify_socket(c->family,
								 c->type,
								 c->protocol),
				    c->gate, "family %d type %d protocol %d",
				    c->family, c->type, c->protocol);
	}
}

/* ------------------------------------------------------- rtnetlink -- */

/* A netlink message being built: header, fixed part, attributes. */
struct msg {
	struct nlmsghdr *nlh;
	size_t size;
};

static void msg_init(struct kunit *test, struct msg *m, u16 type,
		     size_t fixed)
{
	m->size = 512;
	m->nlh = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->nlh);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = NLM_F_REQUEST;
	m->nlh->nlmsg_len = NLMSG_LENGTH(fixed);
}

static struct nlattr *msg_put(struct msg *m, u16 type, const void *data,
			      int len)
{
	struct nlattr *nla = (void *)m->nlh + NLMSG_ALIGN(m->nlh->nlmsg_len);

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (data)
		memcpy(nla_data(nla), data, len);
	m->nlh->nlmsg_len = NLMSG_ALIGN(m->nlh->nlmsg_len) +
			    nla_total_size(len);
	return nla;
}

/* Open a nest; msg_close() sets its length once its contents are in. */
static struct nlattr *msg_open(struct msg *m, u16 type)
{
	return msg_put(m, type | NLA_F_NESTED, NULL, 0);
}

static void msg_close(struct msg *m, struct nlattr *nest)
{
	nest->nla_len = (void *)m->nlh + m->nlh->nlmsg_len - (void *)nest;
}

static void newlink(struct kunit *test, struct msg *m, const char *kind)
{
	struct nlattr *li;

	msg_init(test, m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	li = msg_open(m, IFLA_LINKINFO);
	msg_put(m, IFLA_INFO_KIND, kind, strlen(kind) + 1);
	msg_close(m, li);
}

static int rtnl(const struct msg *m, char *kind)
{
	return nshard_classify_rtnl(m->nlh, kind);
}

static void test_rtnl_types(struct kunit *test)
{
	static const struct {
		u16 type;
		u8 family;
		int gate;
	} cases[] = {
		{ RTM_GETLINK, AF_UNSPEC, NONE },
		{ RTM_NEWLINK, AF_UNSPEC, NONE },	/* lo up: no kind */
		{ RTM_SETLINK, AF_UNSPEC, NONE },
		{ RTM_SETLINK, AF_BRIDGE, NONE },	/* netavark's vlan ids */
		{ RTM_DELLINK, AF_UNSPEC, NONE },
		{ RTM_NEWADDR, AF_INET, NONE },
		{ RTM_NEWADDR, AF_INET6, NONE },
		{ RTM_NEWROUTE, AF_INET, NONE },
		{ RTM_DELROUTE, AF_INET6, NONE },
		{ RTM_NEWROUTE, RTNL_FAMILY_IPMR, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWROUTE, AF_MPLS, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWADDR, AF_MCTP, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_GETROUTE, RTNL_FAMILY_IPMR, NONE },
		{ RTM_NEWQDISC, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_DELQDISC, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_NEWTCLASS, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_NEWTFILTER, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_DELTFILTER, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_NEWACTION, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_NEWCHAIN, AF_UNSPEC, NSHARD_GATE_TC },
		{ RTM_GETQDISC, AF_UNSPEC, NONE },
		{ RTM_GETTFILTER, AF_UNSPEC, NONE },
		{ RTM_NEWNEIGH, AF_INET, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWRULE, AF_INET, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWNSID, AF_UNSPEC, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWMDB, AF_BRIDGE, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWNEXTHOP, AF_UNSPEC, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_SETDCB, AF_UNSPEC, NSHARD_GATE_NETLINK_OTHER },
		{ RTM_NEWTUNNEL, AF_BRIDGE, NSHARD_GATE_NETLINK_OTHER },
		{ 23, AF_UNSPEC, NSHARD_GATE_NETLINK_OTHER },	/* unnamed */
		{ RTM_MAX + 1, AF_UNSPEC, NONE },	/* refused by rtnetlink */
	};
	char kind[NSHARD_KIND_LEN];
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		msg_init(test, &m, cases[i].type, sizeof(struct rtmsg));
		((struct rtgenmsg *)nlmsg_data(m.nlh))->rtgen_family =
			cases[i].family;
		KUNIT_EXPECT_EQ_MSG(test, rtnl(&m, kind), cases[i].gate,
				    "type %u family %u", cases[i].type,
				    cases[i].family);
	}
	/* An empty message does nothing (rtnetlink_rcv_msg()). */
	msg_init(test, &m, RTM_NEWQDISC, 0);
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NONE);
}

static void test_link_kinds(struct kunit *test)
{
	static const struct {
		const char *kind;
		int gate;
	} cases[] = {
		{ "veth", NONE }, { "bridge", NONE }, { "dummy", NONE },
		{ "macvlan", NONE }, { "ipvlan", NONE },
		{ "xfrm", NSHARD_GATE_XFRM }, { "vti", NSHARD_GATE_XFRM },
		{ "vti6", NSHARD_GATE_XFRM },
		{ "vxlan", NSHARD_GATE_LINK }, { "geneve", NSHARD_GATE_LINK },
		{ "gre", NSHARD_GATE_LINK }, { "bond", NSHARD_GATE_LINK },
		{ "macsec", NSHARD_GATE_LINK }, { "hsr", NSHARD_GATE_LINK },
		{ "vrf", NSHARD_GATE_LINK }, { "wireguard", NSHARD_GATE_LINK },
		{ "vlan", NSHARD_GATE_LINK },
		{ "nosuchkind", NSHARD_GATE_LINK_OTHER },
		{ "", NSHARD_GATE_LINK_OTHER },
	};
	char kind[NSHARD_KIND_LEN];
	struct msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    nshard_classify_link_kind(cases[i].kind),
				    cases[i].gate, "%s", cases[i].kind);
		if (!cases[i].kind[0])
			continue;
		newlink(test, &m, cases[i].kind);
		KUNIT_EXPECT_EQ_MSG(test, rtnl(&m, kind), cases[i].gate,
				    "RTM_NEWLINK %s", cases[i].kind);
		KUNIT_EXPECT_STREQ(test, kind, cases[i].kind);
	}
}

/* What rtnetlink would act on, not what a naive parser sees first. */
static void test_link_kind_parsing(struct kunit *test)
{
	char kind[NSHARD_KIND_LEN];
	struct nlattr *li;
	struct msg m;

	/* Two kinds in one IFLA_LINKINFO: the last one counts. */
	msg_init(test, &m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	li = msg_open(&m, IFLA_LINKINFO);
	msg_put(&m, IFLA_INFO_KIND, "veth", 5);
	msg_put(&m, IFLA_INFO_KIND, "vxlan", 6);
	msg_close(&m, li);
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NSHARD_GATE_LINK);
	KUNIT_EXPECT_STREQ(test, kind, "vxlan");

	/* Two IFLA_LINKINFO: the last one counts. */
	msg_init(test, &m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	li = msg_open(&m, IFLA_LINKINFO);
	msg_put(&m, IFLA_INFO_KIND, "bridge", 7);
	msg_close(&m, li);
	li = msg_open(&m, IFLA_LINKINFO);
	msg_put(&m, IFLA_INFO_KIND, "geneve", 7);
	msg_close(&m, li);
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NSHARD_GATE_LINK);
	KUNIT_EXPECT_STREQ(test, kind, "geneve");

	/* The type is nla_type(): flag bits do not hide an attribute. */
	msg_init(test, &m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	li = msg_put(&m, IFLA_LINKINFO | NLA_F_NET_BYTEORDER, NULL, 0);
	msg_put(&m, IFLA_INFO_KIND | NLA_F_NESTED, "bond", 5);
	msg_close(&m, li);
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NSHARD_GATE_LINK);

	/* A NUL ends the name, as for rtnetlink's strcmp(). */
	msg_init(test, &m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	li = msg_open(&m, IFLA_LINKINFO);
	msg_put(&m, IFLA_INFO_KIND, "veth\0vxlan", 11);
	msg_close(&m, li);
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NONE);
	KUNIT_EXPECT_STREQ(test, kind, "veth");

	/* Without a trailing NUL, the whole attribute is the name. */
	msg_init(test, &m, RTM_NEWLINK, sizeof(struct ifinfomsg));
	li = msg_open(&m, IFLA_LINKINFO);
	msg_put(&m, IFLA_INFO_KIND, "vxlan", 5);
	msg_close(&m, li);
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NSHARD_GATE_LINK);
	KUNIT_EXPECT_STREQ(test, kind, "vxlan");

	/* An empty kind is no kind: nothing is created. */
	newlink(test, &m, "");
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NONE);

	/* A message too short for its ifinfomsg carries no kind. */
	msg_init(test, &m, RTM_NEWLINK, sizeof(struct rtgenmsg));
	KUNIT_EXPECT_EQ(test, rtnl(&m, kind), NONE);
}

/* ------------------------------------------------------ nfnetlink -- */

static void test_nfnl_subsys(struct kunit *test)
{
	struct nfgenmsg *g;
	struct msg m;

	msg_init(test, &m, NFNL_SUBSYS_NFTABLES << 8 | 0, sizeof(*g));
	KUNIT_EXPECT_EQ(test, nshard_nfnl_subsys(m.nlh), NFNL_SUBSYS_NFTABLES);
	msg_init(test, &m, NFNL_SUBSYS_IPSET << 8 | 1, sizeof(*g));
	KUNIT_EXPECT_EQ(test, nshard_nfnl_subsys(m.nlh), NFNL_SUBSYS_IPSET);

	/* A batch names its subsystem in res_id, in network byte order... */
	msg_init(test, &m, NFNL_MSG_BATCH_BEGIN, sizeof(*g));
	g = nlmsg_data(m.nlh);
	g->res_id = htons(NFNL_SUBSYS_IPSET);
	KUNIT_EXPECT_EQ(test, nshard_nfnl_subsys(m.nlh), NFNL_SUBSYS_IPSET);
	g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	KUNIT_EXPECT_EQ(test, nshard_nfnl_subsys(m.nlh), NFNL_SUBSYS_NFTABLES);
	/* ...but nf_tables is also taken in host byte order. */
	g->res_id = (__force __be16)NFNL_SUBSYS_NFTABLES;
	KUNIT_EXPECT_EQ(test, nshard_nfnl_subsys(m.nlh), NFNL_SUBSYS_NFTABLES);
	/* A BATCH_BEGIN without room for its header has no subsystem. */
	msg_init(test, &m, NFNL_MSG_BATCH_BEGIN, 0);
	KUNIT_EXPECT_GE(test, nshard_nfnl_subsys(m.nlh), NFNL_SUBSYS_COUNT);
	KUNIT_EXPECT_STREQ(test, nshard_nfnl_subsys_name(NFNL_SUBSYS_NFTABLES),
			   "nf_tables");
	KUNIT_EXPECT_NULL(test, nshard_nfnl_subsys_name(NFNL_SUBSYS_COUNT));
}

/* -------------------------------------------------- socket options -- */

static void test_sockopts(struct kunit *test)
{
	static const struct {
		int family, level, optname;
		bool set;
		int gate;
	} cases[] = {
		{ AF_INET, SOL_IP, 64, true, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 65, true, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 66, true, NONE },
		{ AF_INET, SOL_IP, 67, false, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 96, true, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 99, false, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 130, true, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 132, false, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 83, false, NSHARD_GATE_XTABLES },	/* ipset */
		{ AF_INET, SOL_IP, 1152, true, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 1167, true, NSHARD_GATE_XTABLES },
		{ AF_INET, SOL_IP, 1160, false, NONE },
		{ AF_INET, SOL_IP, 80, false, NONE },	/* SO_ORIGINAL_DST */
		{ AF_INET, SOL_IP, IP_TOS, true, NONE },
		{ AF_INET6, SOL_IP, 64, true, NSHARD_GATE_XTABLES },
		{ AF_INET6, SOL_IPV6, 64, true, NSHARD_GATE_XTABLES },
		{ AF_INET6, SOL_IPV6, 66, true, NONE },	/* IPV6_RECVTCLASS */
		{ AF_INET6, SOL_IPV6, 67, false, NONE },	/* IPV6_TCLASS */
		{ AF_INET6, SOL_IPV6, 68, false, NSHARD_GATE_XTABLES },
		{ AF_INET6, SOL_IPV6, 80, false, NONE },
		{ AF_INET, SOL_IP, IP_IPSEC_POLICY, true, NSHARD_GATE_XFRM },
		{ AF_INET, SOL_IP, IP_XFRM_POLICY, true, NSHARD_GATE_XFRM },
		{ AF_INET6, SOL_IPV6, IPV6_IPSEC_POLICY, true,
		  NSHARD_GATE_XFRM },
		{ AF_INET6, SOL_IPV6, IPV6_XFRM_POLICY, true,
		  NSHARD_GATE_XFRM },
		{ AF_INET, SOL_IP, IP_IPSEC_POLICY, false, NONE },
		{ AF_UNIX, SOL_IP, 64, true, NONE },
		{ AF_INET, SOL_SOCKET, 64, true, NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    nshard_classify_sockopt(cases[i].family,
							    cases[i].level,
							    cases[i].optname,
							    cases[i].set),
				    cases[i].gate, "family %d level %d opt %d set %d",
				    cases[i].family, cases[i].level,
				    cases[i].optname, cases[i].set);
}

/* ---------------------------------------------------------- ioctls -- */

static void test_ioctls(struct kunit *test)
{
	static const struct {
		unsigned int cmd;
		int family, gate;
	} cases[] = {
		/* What slirp4netns and lo set-up use. */
		{ SIOCGIFFLAGS, AF_INET, NONE }, { SIOCSIFFLAGS, AF_INET, NONE },
		{ SIOCSIFMTU, AF_INET, NONE }, { SIOCSIFADDR, AF_INET, NONE },
		{ SIOCSIFNETMASK, AF_INET, NONE }, { SIOCADDRT, AF_INET, NONE },
		{ SIOCSIFHWADDR, AF_INET, NONE }, { SIOCSIFNAME, AF_INET, NONE },
		{ SIOCSIFDSTADDR, AF_INET, NONE }, { SIOCGHWTSTAMP, AF_INET, NONE },
		{ SIOCINQ, AF_INET, NONE },
		/* The exotic ones. */
		{ SIOCSIFDSTADDR, AF_INET6, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCBONDENSLAVE, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCBRADDBR, AF_UNIX, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCGIFBR, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCSIFVLAN, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCETHTOOL, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCSHWTSTAMP, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCSMIIREG, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCSARP, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCDEVPRIVATE, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCDEVPRIVATE + 15, AF_INET, NSHARD_GATE_NETDEV_IOCTL },
		{ SIOCDEVPRIVATE + 16, AF_INET, NONE },
		{ SIOCPROTOPRIVATE + 3, AF_UNIX, NSHARD_GATE_NETDEV_IOCTL },
		{ 0x8B1A, AF_INET, NSHARD_GATE_NETDEV_IOCTL },	/* wext */
	};
	unsigned int cmd;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    nshard_classify_ioctl(cases[i].cmd,
							  cases[i].family),
				    cases[i].gate, "cmd 0x%x family %d",
				    cases[i].cmd, cases[i].family);
	KUNIT_EXPECT_STREQ(test, nshard_ioctl_name(SIOCBONDENSLAVE),
			   "SIOCBONDENSLAVE");
	KUNIT_EXPECT_NULL(test, nshard_ioctl_name(SIOCSIFFLAGS));

	/* The gate's switch and its table of names say the same. */
	for (cmd = 0x8900; cmd <= 0x89ff; cmd++) {
		/* The private ranges, 0x89e0 to 0x89ff, are gated whole. */
		if (cmd >= SIOCPROTOPRIVATE || cmd == SIOCSIFDSTADDR)
			continue;
		KUNIT_EXPECT_EQ_MSG(test,
				    nshard_classify_ioctl(cmd, AF_INET) ==
				    NSHARD_GATE_NETDEV_IOCTL,
				    !!nshard_ioctl_name(cmd),
				    "cmd 0x%x", cmd);
	}
}

/* ----------------------------------------------------------- mounts -- */

static void test_mounts(struct kunit *test)
{
	static const struct {
		const char *name;
		int flags;
		bool reconfigure;
		int gate;
	} cases[] = {
		{ "tmpfs", FS_USERNS_MOUNT, false, NONE },
		{ "proc", FS_USERNS_MOUNT, false, NONE },
		{ "tmpfs", FS_USERNS_MOUNT, true, NONE },
		{ "ext4", FS_REQUIRES_DEV, false, NSHARD_GATE_FS_MOUNT },
		{ "ext4", FS_REQUIRES_DEV, true, NSHARD_GATE_FS_MOUNT },
		{ "smb3", 0, false, NSHARD_GATE_FS_MOUNT },
		{ "overlay", FS_USERNS_MOUNT, false, NSHARD_GATE_OVERLAY },
		{ "overlay", FS_USERNS_MOUNT, true, NONE },
		{ "cgroup", FS_USERNS_MOUNT, false, NSHARD_GATE_CGROUP1 },
		{ "cpuset", FS_USERNS_MOUNT, false, NSHARD_GATE_CGROUP1 },
		{ "cgroup2", FS_USERNS_MOUNT, false, NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    nshard_classify_mount(cases[i].name,
							  cases[i].flags,
							  cases[i].reconfigure),
				    cases[i].gate, "%s reconfigure %d",
				    cases[i].name, cases[i].reconfigure);
}

/* ---------------------------------------------------------- modules -- */

static void test_modules(struct kunit *test)
{
	static const struct {
		const char *name;
		int gate;
	} cases[] = {
		{ "char-major-10-200", NONE }, { "char-major-10-229", NONE },
		{ "fs-fuse", NONE }, { "rtnl-link-veth", NONE },
		{ "rtnl-link-bridge", NONE },
		{ "fs-overlay", NSHARD_GATE_OVERLAY },
		{ "nft-expr-meta", NSHARD_GATE_MODLOAD },
		{ "nfnetlink-subsys-10", NSHARD_GATE_MODLOAD },
		{ "net-pf-17", NSHARD_GATE_MODLOAD },
		{ "rtnl-link-vxlan", NSHARD_GATE_MODLOAD },
		{ "fs-ext4", NSHARD_GATE_MODLOAD },
		{ "net-sch-netem", NSHARD_GATE_MODLOAD },
		{ "bridge", NSHARD_GATE_MODLOAD },
		{ "char-major-10-2000", NSHARD_GATE_MODLOAD },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, nshard_classify_module(cases[i].name),
				    cases[i].gate, "%s", cases[i].name);
}

/* -------------------------------------------------- generic netlink -- */

static void test_genl(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, nshard_genl_family_admin("TIPC"));
	KUNIT_EXPECT_FALSE(test, nshard_genl_family_admin("TIPCv2"));
	KUNIT_EXPECT_FALSE(test, nshard_genl_family_admin("nlctrl"));
}

static struct kunit_case nshard_classify_test_cases[] = {
	KUNIT_CASE(test_sockets),
	KUNIT_CASE(test_rtnl_types),
	KUNIT_CASE(test_link_kinds),
	KUNIT_CASE(test_link_kind_parsing),
	KUNIT_CASE(test_nfnl_subsys),
	KUNIT_CASE(test_sockopts),
	KUNIT_CASE(test_ioctls),
	KUNIT_CASE(test_mounts),
	KUNIT_CASE(test_modules),
	KUNIT_CASE(test_genl),
	{}
};

static struct kunit_suite nshard_classify_test_suite = {
	.name = "nshard_classify",
	.test_cases = nshard_classify_test_cases,
};

kunit_test_suite(nshard_classify_test_suite);
