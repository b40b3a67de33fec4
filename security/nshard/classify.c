// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - which gate an operation goes through
 *
 * Every table that sorts operations into gates is here, so that a reviewer
 * reads them in one place.  Each function is pure: it looks at what the
 * kernel will act on (a socket family, a netlink message, an option, an
 * ioctl command, a file system type, a module name) and names the gate, or
 * NSHARD_NO_GATE for what sandboxes need and what needs no privilege.  What
 * no table names goes through the catch-all gates (netlink-other,
 * link-other, family-other), so that a surface a later kernel adds is closed
 * by the policies that close them, without a change of policy.
 *
 * Sources, in Linux 6.12: socket families and their creation checks in
 * net/; rtnetlink's dispatch in net/core/rtnetlink.c rtnetlink_rcv_msg();
 * link kinds registered with rtnl_link_register(); the netfilter socket
 * options registered with nf_register_sockopt(); the socket ioctls routed
 * by net/socket.c sock_ioctl() and net/core/dev_ioctl.c.  What sandboxes
 * use: bubblewrap, pasta, slirp4netns, systemd's loopback_setup(), podman's
 * netavark.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/fs.h>
#include <linux/if_link.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kernel.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <linux/socket.h>
#include <linux/sockios.h>
#include <linux/string.h>
#include <net/netlink.h>
#include <uapi/linux/netfilter/nfnetlink.h>

#include "classify.h"

/* ----------------------------------------------------------- sockets -- */

static_assert(AF_MAX == 46, "new address families: classify them below");

/**
 * nshard_classify_socket - the gate creating a socket goes through
 * @family: address family (PF_INET with SOCK_PACKET was made PF_PACKET)
 * @type: socket type, without flags
 * @protocol: protocol; for AF_NETLINK, the netlink protocol
 *
 * Sandboxes create AF_UNIX, AF_INET and AF_INET6 sockets (and ICMP datagram
 * sockets for ping) and route, generic, sock_diag, audit and uevent netlink
 * sockets.  Packet and raw sockets need CAP_NET_RAW in the namespace, PF_KEY
 * CAP_NET_ADMIN; netfilter and xfrm netlink sockets are gated per message.
 *
 * Return: a gate, or %NSHARD_NO_GATE.
 */
int nshard_classify_socket(int family, int type, int protocol)
{
	switch (family) {
	case AF_UNIX:
		return NSHARD_NO_GATE;
	case AF_INET:
	case AF_INET6:
		return type == SOCK_RAW ? NSHARD_GATE_RAW : NSHARD_NO_GATE;
	case AF_PACKET:
		return NSHARD_GATE_PACKET;
	case AF_XDP:
	case AF_LLC:
		return NSHARD_GATE_RAW;
	case AF_KEY:
		return NSHARD_GATE_XFRM;
	case AF_NETLINK:
		switch (protocol) {
		case NETLINK_ROUTE:
		case NETLINK_GENERIC:
		case NETLINK_SOCK_DIAG:
		case NETLINK_AUDIT:
		case NETLINK_KOBJECT_UEVENT:
		case NETLINK_SELINUX:
		case NETLINK_NETFILTER:	/* gated per message */
		case NETLINK_XFRM:	/* gated per message */
			return NSHARD_NO_GATE;
		default:
			return NSHARD_GATE_NETLINK_OTHER;
		}
	default:
		return NSHARD_GATE_FAMILY_OTHER;
	}
}

/* ------------------------------------------------------ rtnetlink -- */

static const char *const nshard_rtm_names[] = {
	[RTM_NEWLINK] = "RTM_NEWLINK", [RTM_DELLINK] = "RTM_DELLINK",
	[RTM_SETLINK] = "RTM_SETLINK", [RTM_NEWADDR] = "RTM_NEWADDR",
	[RTM_DELADDR] = "RTM_DELADDR", [RTM_NEWROUTE] = "RTM_NEWROUTE",
	[RTM_DELROUTE] = "RTM_DELROUTE", [RTM_NEWNEIGH] = "RTM_NEWNEIGH",
	[RTM_DELNEIGH] = "RTM_DELNEIGH", [RTM_NEWRULE] = "RTM_NEWRULE",
	[RTM_DELRULE] = "RTM_DELRULE", [RTM_NEWQDISC] = "RTM_NEWQDISC",
	[RTM_DELQDISC] = "RTM_DELQDISC", [RTM_NEWTCLASS] = "RTM_NEWTCLASS",
	[RTM_DELTCLASS] = "RTM_DELTCLASS", [RTM_NEWTFILTER] = "RTM_NEWTFILTER",
	[RTM_DELTFILTER] = "RTM_DELTFILTER", [RTM_NEWACTION] = "RTM_NEWACTION",
	[RTM_DELACTION] = "RTM_DELACTION", [RTM_SETNEIGHTBL] = "RTM_SETNEIGHTBL",
	[RTM_NEWADDRLABEL] = "RTM_NEWADDRLABEL",
	[RTM_DELADDRLABEL] = "RTM_DELADDRLABEL", [RTM_SETDCB] = "RTM_SETDCB",
	[RTM_NEWMDB] = "RTM_NEWMDB", [RTM_DELMDB] = "RTM_DELMDB",
	[RTM_NEWNSID] = "RTM_NEWNSID", [RTM_SETSTATS] = "RTM_SETSTATS",
	[RTM_NEWCHAIN] = "RTM_NEWCHAIN", [RTM_DELCHAIN] = "RTM_DELCHAIN",
	[RTM_NEWNEXTHOP] = "RTM_NEWNEXTHOP", [RTM_DELNEXTHOP] = "RTM_DELNEXTHOP",
	[RTM_NEWLINKPROP] = "RTM_NEWLINKPROP",
	[RTM_DELLINKPROP] = "RTM_DELLINKPROP", [RTM_NEWVLAN] = "RTM_NEWVLAN",
	[RTM_DELVLAN] = "RTM_DELVLAN", [RTM_NEWTUNNEL] = "RTM_NEWTUNNEL",
	[RTM_DELTUNNEL] = "RTM_DELTUNNEL",
};

/**
 * nshard_rtm_name - name of an rtnetlink message type
 * @type: the type
 *
 * Return: "RTM_NEWQDISC" and the like, or NULL for a type without a name
 * here (the gets, and those no gate concerns).
 */
const char *nshard_rtm_name(u16 type)
{
	return type < ARRAY_SIZE(nshard_rtm_names) ? nshard_rtm_names[type] :
						     NULL;
}

/*
 * The last IFLA_INFO_KIND in the last IFLA_LINKINFO of an RTM_NEWLINK, as
 * rtnl_newlink() finds it: attribute parsing keeps the last occurrence of a
 * type, and the type is nla_type(), without NLA_F_NESTED and
 * NLA_F_NET_BYTEORDER.  nla_find() would keep the first, and let a
 * duplicate slip one past.
 */
static const struct nlattr *nshard_newlink_kind(const struct nlmsghdr *nlh)
{
	const struct nlattr *nla, *linkinfo = NULL, *kind = NULL;
	int rem;

	if (nlmsg_len(nlh) < sizeof(struct ifinfomsg))
		return NULL;
	nlmsg_for_each_attr(nla, nlh, sizeof(struct ifinfomsg), rem)
		if (nla_type(nla) == IFLA_LINKINFO)
			linkinfo = nla;
	if (!linkinfo)
		return NULL;
	nla_for_each_nested(nla, linkinfo, rem)
		if (nla_type(nla) == IFLA_INFO_KIND)
			kind = nla;
	return kind;
}

/**
 * nshard_classify_rtnl - the gate an rtnetlink request goes through
 * @nlh: the message, a request of type NLMSG_MIN_TYPE or above, within the
 *       buffer
 * @kind: NSHARD_KIND_LEN bytes, set to the device kind of an RTM_NEWLINK
 *        that names one, else to ""
 *
 * Gets need no privilege and go through no gate.  Sandboxes change links
 * (lo up, MTU, address), create veth, bridge, macvlan, ipvlan and dummy
 * devices, and set IPv4 and IPv6 addresses and routes.  Traffic control goes
 * through the tc gate; device kinds no sandbox creates through the link,
 * xfrm or link-other gates; every other change (neighbours, rules,
 * nexthops, multicast or MPLS routes, bridge databases, and types a later
 * kernel adds) through netlink-other.
 *
 * Return: a gate, or %NSHARD_NO_GATE.
 */
int nshard_classify_rtnl(const struct nlmsghdr *nlh, char *kind)
{
	u16 type = nlh->nlmsg_type;
	const struct nlattr *a;
	u8 family;

	kind[0] = '\0';
	/* rtnetlink_rcv_msg(): unknown types and empty messages do nothing. */
	if (type > RTM_MAX || nlmsg_len(nlh) < sizeof(struct rtgenmsg))
		return NSHARD_NO_GATE;
	if (((type - RTM_BASE) & RTNL_KIND_MASK) == RTNL_KIND_GET)
		return NSHARD_NO_GATE;
	family = ((const struct rtgenmsg *)nlmsg_data(nlh))->rtgen_family;

	switch (type) {
	case RTM_NEWLINK:
		a = nshard_newlink_kind(nlh);
		if (!a || nla_len(a) < 1)
			return NSHARD_NO_GATE;
		nla_strscpy(kind, a, NSHARD_KIND_LEN);
		/* An empty kind creates nothing: rtnl_newlink() sets up. */
		if (!kind[0])
			return NSHARD_NO_GATE;
		return nshard_classify_link_kind(kind);
	case RTM_DELLINK:
	case RTM_SETLINK:
		return NSHARD_NO_GATE;
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		/* Not multicast (RTNL_FAMILY_IPMR), MPLS or MCTP routing. */
		if (family == AF_UNSPEC || family == AF_INET ||
		    family == AF_INET6)
			return NSHARD_NO_GATE;
		return NSHARD_GATE_NETLINK_OTHER;
	case RTM_NEWQDISC:
	case RTM_DELQDISC:
	case RTM_NEWTCLASS:
	case RTM_DELTCLASS:
	case RTM_NEWTFILTER:	/* actions come inline with filters */
	case RTM_DELTFILTER:
	case RTM_NEWACTION:
	case RTM_DELACTION:
	case RTM_NEWCHAIN:
	case RTM_DELCHAIN:
		return NSHARD_GATE_TC;
	default:
		return NSHARD_GATE_NETLINK_OTHER;
	}
}

/* Device kinds: what sandboxes create, xfrm interfaces, and known others. */
static const char *const nshard_sandbox_kinds[] = {
	"veth", "dummy", "bridge", "macvlan", "ipvlan",
	"tun",	/* always refused by tun_validate(): tun devices come by ioctl */
};

static const char *const nshard_xfrm_kinds[] = { "xfrm", "vti", "vti6" };

static const char *const nshard_exotic_kinds[] = {
	"vxlan", "geneve", "bareudp", "gtp", "pfcp", "amt", "gre", "gretap",
	"erspan", "ipip", "sit", "ip6tnl", "ip6gre", "ip6gretap", "ip6erspan",
	"bond", "team", "macsec", "hsr", "vrf", "wireguard", "vlan", "macvtap",
	"ipvtap", "netkit", "ifb", "nlmon", "vsockmon", "vcan", "vxcan", "can",
	"batadv", "lowpan", "caif", "ppp", "virt_wifi", "wwan", "rmnet",
	"ipoib", "netdevsim", "openvswitch", "dsa",
};

static bool nshard_kind_in(const char *kind, const char *const *list,
			   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(kind, list[i]))
			return true;
	return false;
}

/**
 * nshard_classify_link_kind - the gate creating a device of a kind goes
 *                             through
 * @kind: the kind, as rtnetlink compares it (up to its first NUL)
 *
 * Return: %NSHARD_NO_GATE for the kinds sandboxes create, the xfrm gate for
 * xfrm interfaces, the link gate for the other kinds Linux 6.12 knows, and
 * link-other for any other kind.
 */
int nshard_classify_link_kind(const char *kind)
{
	if (nshard_kind_in(kind, nshard_sandbox_kinds,
			   ARRAY_SIZE(nshard_sandbox_kinds)))
		return NSHARD_NO_GATE;
	if (nshard_kind_in(kind, nshard_xfrm_kinds,
			   ARRAY_SIZE(nshard_xfrm_kinds)))
		return NSHARD_GATE_XFRM;
	if (nshard_kind_in(kind, nshard_exotic_kinds,
			   ARRAY_SIZE(nshard_exotic_kinds)))
		return NSHARD_GATE_LINK;
	return NSHARD_GATE_LINK_OTHER;
}

/* ------------------------------------------------------ nfnetlink -- */

static const char *const nshard_nfnl_names[NFNL_SUBSYS_COUNT] = {
	[NFNL_SUBSYS_NONE] = "none",
	[NFNL_SUBSYS_CTNETLINK] = "conntrack",
	[NFNL_SUBSYS_CTNETLINK_EXP] = "conntrack_expect",
	[NFNL_SUBSYS_QUEUE] = "nf_queue",
	[NFNL_SUBSYS_ULOG] = "log",
	[NFNL_SUBSYS_OSF] = "osf",
	[NFNL_SUBSYS_IPSET] = "ip_set",
	[NFNL_SUBSYS_ACCT] = "acct",
	[NFNL_SUBSYS_CTNETLINK_TIMEOUT] = "conntrack_timeout",
	[NFNL_SUBSYS_CTHELPER] = "cthelper",
	[NFNL_SUBSYS_NFTABLES] = "nf_tables",
	[NFNL_SUBSYS_NFT_COMPAT] = "nft-compat",
	[NFNL_SUBSYS_HOOK] = "nfhook",
};

/**
 * nshard_nfnl_subsys - the nfnetlink subsystem a message is for
 * @nlh: the message
 *
 * The subsystem of a batch is in the BATCH_BEGIN message's res_id, in
 * network byte order, except that nf_tables is also accepted in host byte
 * order (nfnetlink_rcv_skb_batch()).
 *
 * Return: the subsystem; NFNL_SUBSYS_COUNT or above if there is none.
 */
u16 nshard_nfnl_subsys(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g;

	if (nlh->nlmsg_type != NFNL_MSG_BATCH_BEGIN)
		return NFNL_SUBSYS_ID(nlh->nlmsg_type);
	if (nlmsg_len(nlh) < sizeof(*g))
		return NFNL_SUBSYS_COUNT;
	g = nlmsg_data(nlh);
	if (g->res_id == (__force __be16)NFNL_SUBSYS_NFTABLES)
		return NFNL_SUBSYS_NFTABLES;
	return ntohs(g->res_id);
}

/**
 * nshard_nfnl_subsys_name - name of an nfnetlink subsystem
 * @subsys: the subsystem
 *
 * Return: its name, or NULL.
 */
const char *nshard_nfnl_subsys_name(u16 subsys)
{
	return subsys < NFNL_SUBSYS_COUNT ? nshard_nfnl_names[subsys] : NULL;
}

/* -------------------------------------------------- socket options -- */

/* SOL_IP options that reach x_tables, arptables, ebtables, IPVS, ipset. */
static bool nshard_xt_ip(int optname, bool set)
{
	if (set)
		return (optname >= 64 && optname <= 65) ||	/* IPT_SO_SET_* */
		       (optname >= 96 && optname <= 97) ||	/* ARPT_SO_SET_* */
		       (optname >= 128 && optname <= 130) ||	/* EBT_SO_SET_* */
		       (optname >= 1152 && optname <= 1167);	/* IP_VS_SO_SET_* */
	return (optname >= 64 && optname <= 67) ||		/* IPT_SO_GET_* */
	       (optname >= 96 && optname <= 99) ||		/* ARPT_SO_GET_* */
	       (optname >= 128 && optname <= 132) ||		/* EBT_SO_GET_* */
	       optname == 83 ||					/* SO_IP_SET */
	       (optname >= 1152 && optname <= 1159);		/* IP_VS_SO_GET_* */
}

/* SOL_IPV6 options that reach ip6_tables; 66 and 67 are IPV6_*TCLASS. */
static bool nshard_xt_ipv6(int optname, bool set)
{
	if (set)
		return optname == 64 || optname == 65;		/* IP6T_SO_SET_* */
	return optname == 64 || optname == 65 ||		/* IP6T_SO_GET_* */
	       optname == 68 || optname == 69;
}

/**
 * nshard_classify_sockopt - the gate a socket option goes through
 * @family: the socket's family
 * @level: the option's level
 * @optname: the option
 * @set: setsockopt(2) rather than getsockopt(2)
 *
 * The netfilter options are matched by level and number on any AF_INET or
 * AF_INET6 socket (TCP and UDP sockets reach them, and an AF_INET6 socket
 * takes SOL_IP options), never the ordinary options that share numbers:
 * IPV6_RECVTCLASS (66), IPV6_TCLASS (67), SO_ORIGINAL_DST (80).
 *
 * Return: the xtables or xfrm gate, or %NSHARD_NO_GATE.
 */
int nshard_classify_sockopt(int family, int level, int optname, bool set)
{
	if (family != AF_INET && family != AF_INET6)
		return NSHARD_NO_GATE;
	if (level == SOL_IP) {
		if (set && (optname == IP_IPSEC_POLICY ||
			    optname == IP_XFRM_POLICY))
			return NSHARD_GATE_XFRM;
		return nshard_xt_ip(optname, set) ? NSHARD_GATE_XTABLES :
						    NSHARD_NO_GATE;
	}
	if (level == SOL_IPV6) {
		if (set && (optname == IPV6_IPSEC_POLICY ||
			    optname == IPV6_XFRM_POLICY))
			return NSHARD_GATE_XFRM;
		return nshard_xt_ipv6(optname, set) ? NSHARD_GATE_XTABLES :
						      NSHARD_NO_GATE;
	}
	return NSHARD_NO_GATE;
}

/* --------------------------------------------------------- ioctls -- */

/* Wireless extensions (SIOCIWFIRST..SIOCIWLAST, linux/wireless.h). */
#define NSHARD_SIOCIW_FIRST	0x8B00
#define NSHARD_SIOCIW_LAST	0x8BFF

static const struct {
	unsigned int cmd;
	const char *name;
} nshard_exotic_ioctls[] = {
	{ SIOCSIFLINK, "SIOCSIFLINK" }, { SIOCSIFMETRIC, "SIOCSIFMETRIC" },
	{ SIOCSIFSLAVE, "SIOCSIFSLAVE" }, { SIOCADDMULTI, "SIOCADDMULTI" },
	{ SIOCDELMULTI, "SIOCDELMULTI" }, { SIOCSIFPFLAGS, "SIOCSIFPFLAGS" },
	{ SIOCSIFHWBROADCAST, "SIOCSIFHWBROADCAST" },
	{ SIOCGIFBR, "SIOCGIFBR" }, { SIOCSIFBR, "SIOCSIFBR" },
	{ SIOCSIFTXQLEN, "SIOCSIFTXQLEN" }, { SIOCETHTOOL, "SIOCETHTOOL" },
	{ SIOCGMIIPHY, "SIOCGMIIPHY" }, { SIOCGMIIREG, "SIOCGMIIREG" },
	{ SIOCSMIIREG, "SIOCSMIIREG" }, { SIOCWANDEV, "SIOCWANDEV" },
	{ SIOCDARP, "SIOCDARP" }, { SIOCSARP, "SIOCSARP" },
	{ SIOCDRARP, "SIOCDRARP" }, { SIOCGRARP, "SIOCGRARP" },
	{ SIOCSRARP, "SIOCSRARP" }, { SIOCSIFMAP, "SIOCSIFMAP" },
	{ SIOCADDDLCI, "SIOCADDDLCI" }, { SIOCDELDLCI, "SIOCDELDLCI" },
	{ SIOCGIFVLAN, "SIOCGIFVLAN" }, { SIOCSIFVLAN, "SIOCSIFVLAN" },
	{ SIOCBONDENSLAVE, "SIOCBONDENSLAVE" },
	{ SIOCBONDRELEASE, "SIOCBONDRELEASE" },
	{ SIOCBONDSETHWADDR, "SIOCBONDSETHWADDR" },
	{ SIOCBONDSLAVEINFOQUERY, "SIOCBONDSLAVEINFOQUERY" },
	{ SIOCBONDINFOQUERY, "SIOCBONDINFOQUERY" },
	{ SIOCBONDCHANGEACTIVE, "SIOCBONDCHANGEACTIVE" },
	{ SIOCBRADDBR, "SIOCBRADDBR" }, { SIOCBRDELBR, "SIOCBRDELBR" },
	{ SIOCBRADDIF, "SIOCBRADDIF" }, { SIOCBRDELIF, "SIOCBRDELIF" },
	{ SIOCSHWTSTAMP, "SIOCSHWTSTAMP" },
};

/**
 * nshard_ioctl_name - name of a socket ioctl command the netdev-ioctl gate
 *                     knows by name
 * @cmd: the command
 *
 * Return: its name, or NULL.
 */
const char *nshard_ioctl_name(unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nshard_exotic_ioctls); i++)
		if (nshard_exotic_ioctls[i].cmd == cmd)
			return nshard_exotic_ioctls[i].name;
	return NULL;
}

/*
 * Is @cmd one of nshard_exotic_ioctls[]?  A switch, which the compiler
 * turns into a table lookup: every ioctl on a socket of a user's network
 * namespace asks, and a search of the table costs hundreds of
 * instructions.  The KUnit tests check that both say the same.
 */
static bool nshard_exotic_ioctl(unsigned int cmd)
{
	switch (cmd) {
	case SIOCSIFLINK:
	case SIOCSIFMETRIC:
	case SIOCSIFSLAVE:
	case SIOCADDMULTI:
	case SIOCDELMULTI:
	case SIOCSIFPFLAGS:
	case SIOCSIFHWBROADCAST:
	case SIOCGIFBR:
	case SIOCSIFBR:
	case SIOCSIFTXQLEN:
	case SIOCETHTOOL:
	case SIOCGMIIPHY:
	case SIOCGMIIREG:
	case SIOCSMIIREG:
	case SIOCWANDEV:
	case SIOCDARP:
	case SIOCSARP:
	case SIOCDRARP:
	case SIOCGRARP:
	case SIOCSRARP:
	case SIOCSIFMAP:
	case SIOCADDDLCI:
	case SIOCDELDLCI:
	case SIOCGIFVLAN:
	case SIOCSIFVLAN:
	case SIOCBONDENSLAVE:
	case SIOCBONDRELEASE:
	case SIOCBONDSETHWADDR:
	case SIOCBONDSLAVEINFOQUERY:
	case SIOCBONDINFOQUERY:
	case SIOCBONDCHANGEACTIVE:
	case SIOCBRADDBR:
	case SIOCBRDELBR:
	case SIOCBRADDIF:
	case SIOCBRDELIF:
	case SIOCSHWTSTAMP:
		return true;
	default:
		return false;
	}
}

/**
 * nshard_classify_ioctl - the gate a socket ioctl goes through
 * @cmd: the command
 * @family: the socket's family
 *
 * Only the command is looked at, never the argument: it is in user memory,
 * and could change after a check.  What slirp4netns and lo set-up helpers
 * use (SIOCSIFFLAGS, SIOCSIFMTU, SIOCSIFADDR, SIOCSIFNETMASK, SIOCADDRT...)
 * and every get stays open; the device-private and protocol-private ranges
 * (tunnels, bridges), bonding, MII, ethtool, hardware time stamping, VLAN
 * and bridge set-up (which also load modules without a privilege check),
 * ARP and wireless extensions go through the netdev-ioctl gate, and so does
 * SIOCSIFDSTADDR on an AF_INET6 socket, which creates SIT tunnels.
 *
 * Return: the netdev-ioctl gate, or %NSHARD_NO_GATE.
 */
int nshard_classify_ioctl(unsigned int cmd, int family)
{
	if ((cmd >= SIOCDEVPRIVATE && cmd <= SIOCDEVPRIVATE + 15) ||
	    (cmd >= SIOCPROTOPRIVATE && cmd <= SIOCPROTOPRIVATE + 15) ||
	    (cmd >= NSHARD_SIOCIW_FIRST && cmd <= NSHARD_SIOCIW_LAST) ||
	    (cmd == SIOCSIFDSTADDR && family == AF_INET6) ||
	    nshard_exotic_ioctl(cmd))
		return NSHARD_GATE_NETDEV_IOCTL;
	return NSHARD_NO_GATE;
}

/* -------------------------------------------------- generic netlink -- */

/**
 * nshard_genl_family_admin - a family whose operations all need
 *                            CAP_NET_ADMIN, without saying so
 * @name: the family's name
 *
 * The TIPC compatibility family checks the capability in its handler, not
 * with GENL_UNS_ADMIN_PERM, and reaches the same code as TIPCv2's.
 *
 * Return: true for such a family.
 */
bool nshard_genl_family_admin(const char *name)
{
	return !strcmp(name, "TIPC");
}

/* ----------------------------------------------------------- mounts -- */

/**
 * nshard_classify_mount - the gate mounting a file system goes through
 * @fs_name: the file system type's name
 * @fs_flags: its flags
 * @reconfigure: a remount or fspick(2), not a new mount
 *
 * Return: the overlay or cgroup1 gate for a new mount of those types, the
 * fs-mount gate for any use of a type not marked FS_USERNS_MOUNT, or
 * %NSHARD_NO_GATE.
 */
int nshard_classify_mount(const char *fs_name, int fs_flags, bool reconfigure)
{
	if (!(fs_flags & FS_USERNS_MOUNT))
		return NSHARD_GATE_FS_MOUNT;
	if (reconfigure)
		return NSHARD_NO_GATE;
	if (!strcmp(fs_name, "overlay"))
		return NSHARD_GATE_OVERLAY;
	if (!strcmp(fs_name, "cgroup") || !strcmp(fs_name, "cpuset"))
		return NSHARD_GATE_CGROUP1;
	return NSHARD_NO_GATE;
}

/* ---------------------------------------------------------- modules -- */

/* What sandboxes make the kernel load: tun, fuse, the devices they create. */
static const char *const nshard_sandbox_modules[] = {
	"char-major-10-200",	/* /dev/net/tun: pasta, slirp4netns */
	"char-major-10-229",	/* /dev/fuse: fuse-overlayfs */
	"fs-fuse",
	"rtnl-link-veth", "rtnl-link-bridge", "rtnl-link-macvlan",
	"rtnl-link-ipvlan", "rtnl-link-dummy",
};

/**
 * nshard_classify_module - the gate loading a module on demand goes through
 * @name: the name request_module() asks for
 *
 * Return: %NSHARD_NO_GATE for what sandboxes trigger, the overlay gate for
 * overlayfs (loaded when it may be mounted), the modload gate otherwise.
 */
int nshard_classify_module(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nshard_sandbox_modules); i++)
		if (!strcmp(name, nshard_sandbox_modules[i]))
			return NSHARD_NO_GATE;
	if (!strcmp(name, "fs-overlay"))
		return NSHARD_GATE_OVERLAY;
	return NSHARD_GATE_MODLOAD;
}

/* ------------------------------------------------------------ names -- */

static const char *const nshard_family_names[AF_MAX] = {
	[AF_UNIX] = "AF_UNIX", [AF_INET] = "AF_INET", [AF_AX25] = "AF_AX25",
	[AF_APPLETALK] = "AF_APPLETALK", [AF_NETROM] = "AF_NETROM",
	[AF_ATMPVC] = "AF_ATMPVC", [AF_X25] = "AF_X25",
	[AF_INET6] = "AF_INET6", [AF_ROSE] = "AF_ROSE", [AF_KEY] = "AF_KEY",
	[AF_NETLINK] = "AF_NETLINK", [AF_PACKET] = "AF_PACKET",
	[AF_ATMSVC] = "AF_ATMSVC", [AF_RDS] = "AF_RDS", [AF_PPPOX] = "AF_PPPOX",
	[AF_LLC] = "AF_LLC", [AF_CAN] = "AF_CAN", [AF_TIPC] = "AF_TIPC",
	[AF_BLUETOOTH] = "AF_BLUETOOTH", [AF_IUCV] = "AF_IUCV",
	[AF_RXRPC] = "AF_RXRPC", [AF_ISDN] = "AF_ISDN",
	[AF_PHONET] = "AF_PHONET", [AF_IEEE802154] = "AF_IEEE802154",
	[AF_CAIF] = "AF_CAIF", [AF_ALG] = "AF_ALG", [AF_NFC] = "AF_NFC",
	[AF_VSOCK] = "AF_VSOCK", [AF_KCM] = "AF_KCM", [AF_QIPCRTR] = "AF_QIPCRTR",
	[AF_SMC] = "AF_SMC", [AF_XDP] = "AF_XDP", [AF_MCTP] = "AF_MCTP",
};

/**
 * nshard_family_name - name of an address family
 * @family: the family
 *
 * Return: "AF_PACKET" and the like, or NULL.
 */
const char *nshard_family_name(int family)
{
	return family >= 0 && family < AF_MAX ? nshard_family_names[family] :
						NULL;
}
