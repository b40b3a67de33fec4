// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - network surfaces
 *
 * The network gates, each seen before the gated code runs, on every path
 * that reaches it:
 *
 *  - socket creation (socket(2), socketpair(2), io_uring): packet and raw
 *    sockets, PF_KEY, netlink protocols and families nshard does not
 *    classify;
 *  - netlink messages (sendmsg(2), sendmmsg(2), write(2), io_uring, each
 *    buffer as the kernel will process it, every message of it): nfnetlink
 *    (nf_tables, ipset, conntrack...), xfrm, and rtnetlink's traffic
 *    control, device kinds and rarely needed messages;
 *  - generic netlink operations that need CAP_NET_ADMIN over the network
 *    namespace (openvswitch, wireguard, l2tp, tipc, mptcp, nl80211...), once
 *    genetlink has resolved them;
 *  - socket options (setsockopt(2), getsockopt(2), io_uring, compat): the
 *    x_tables, arptables, ebtables, IPVS and ipset options, and IPsec
 *    policies;
 *  - socket ioctls (ioctl(2) and its compat entry): the exotic netdev
 *    commands.
 *
 * Each hook finds the user namespace that owns the socket's network
 * namespace first: for the host's sockets that is one comparison, and the
 * end of nshard's work.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/netfilter/nfnetlink.h>

#include "classify.h"
#include "common.h"
#include "gate.h"
#include "net.h"
#include "setup.h"

static int nshard_socket_create(int family, int type, int protocol, int kern)
{
	struct user_namespace *owner = current->nsproxy->net_ns->user_ns;
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_SOCKET,
		.a = family,
		.b = type,
		.c = protocol,
	};
	int gate;

	if (likely(owner == &init_user_ns) || kern)
		return 0;
	gate = nshard_classify_socket(family, type, protocol);
	if (gate == NSHARD_NO_GATE)
		return 0;
	return nshard_gate(gate, owner,
			   gate == NSHARD_GATE_PACKET || gate == NSHARD_GATE_RAW ?
			   CAP_NET_RAW : CAP_NET_ADMIN,
			   current_cred(), &op);
}

/*
 * Call @fn on each message of a netlink buffer the kernel will act on,
 * stopping where netlink_rcv_skb() stops: at a header shorter than one or
 * longer than what is left.  Like it, skip what is not a request and the
 * control messages.
 */
static int nshard_netlink_each(const struct sk_buff *skb,
			       int (*fn)(const struct nlmsghdr *nlh,
					 void *arg),
			       void *arg)
{
	const unsigned char *data = skb->data;
	unsigned int len = skb->len;
	int ret;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
		u32 msglen = nlh->nlmsg_len;

		if (msglen < NLMSG_HDRLEN || msglen > len)
			break;
		if ((nlh->nlmsg_flags & NLM_F_REQUEST) &&
		    nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			ret = fn(nlh, arg);
			if (ret)
				return ret;
		}
		msglen = min_t(u32, NLMSG_ALIGN(msglen), len);
		data += msglen;
		len -= msglen;
	}
	return 0;
}

struct nshard_netlink_ctx {
	struct user_namespace *owner;
	const struct cred *cred;
};

static int nshard_rtnl_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct nshard_netlink_ctx *ctx = arg;
	char kind[NSHARD_KIND_LEN];
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_RTNL,
		.a = nlh->nlmsg_type,
		.name = kind,
	};
	int gate = nshard_classify_rtnl(nlh, kind);

	if (gate == NSHARD_NO_GATE)
		return 0;
	return nshard_gate_judge(gate, ctx->owner, CAP_NET_ADMIN, ctx->cred,
				 &op);
}

/*
 * nfnetlink demands CAP_NET_ADMIN once for a whole buffer whose first
 * header is whole (nfnetlink_rcv()), whatever its flags, then acts on a
 * batch or on each message: one decision per buffer, named after the first
 * message, or the batch's subsystem and the message that follows its
 * BATCH_BEGIN.
 */
static int nshard_nfnl_buffer(const struct sk_buff *skb,
			      const struct nshard_netlink_ctx *ctx)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)skb->data;
	const struct nlmsghdr *next;
	struct nshard_gate_op op = { .what = NSHARD_WHAT_NFNL };
	u32 first;

	if (skb->len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    skb->len < nlh->nlmsg_len)
		return 0;
	op.a = nshard_nfnl_subsys(nlh);
	op.b = NFNL_MSG_TYPE(nlh->nlmsg_type);
	first = NLMSG_ALIGN(nlh->nlmsg_len);
	if (nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN &&
	    skb->len >= first + NLMSG_HDRLEN) {
		next = (const struct nlmsghdr *)(skb->data + first);
		op.b = NFNL_MSG_TYPE(next->nlmsg_type);
	}
	return nshard_gate_judge(NSHARD_GATE_NETFILTER, ctx->owner,
				 CAP_NET_ADMIN, ctx->cred, &op);
}

/* Every xfrm message needs CAP_NET_ADMIN (xfrm_user_rcv_msg()). */
static int nshard_xfrm_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct nshard_netlink_ctx *ctx = arg;
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_NETLINK,
		.a = NETLINK_XFRM,
		.b = nlh->nlmsg_type,
	};
	int ret;

	ret = nshard_gate_judge(NSHARD_GATE_XFRM, ctx->owner, CAP_NET_ADMIN,
				ctx->cred, &op);
	return ret ?: 1;
}

/* Out of line: only sockets of namespaces that are not the host's. */
static noinline int nshard_netlink_gated(struct sock *sk, struct sk_buff *skb,
					 struct user_namespace *owner)
{
	struct nshard_netlink_ctx ctx = { owner, current_cred() };
	int ret;

	switch (sk->sk_protocol) {
	case NETLINK_ROUTE:
		return nshard_netlink_each(skb, nshard_rtnl_msg, &ctx);
	case NETLINK_NETFILTER:
		return nshard_nfnl_buffer(skb, &ctx);
	case NETLINK_XFRM:
		ret = nshard_netlink_each(skb, nshard_xfrm_msg, &ctx);
		return ret < 0 ? ret : 0;
	default:
		return 0;
	}
}

static int nshard_netlink_send(struct sock *sk, struct sk_buff *skb)
{
	struct user_namespace *owner = sock_net(sk)->user_ns;

	if (likely(owner == &init_user_ns))
		return 0;
	return nshard_netlink_gated(sk, skb, owner);
}

static int nshard_genl_op(const struct genl_family *family,
			  const struct genl_split_ops *gop,
			  struct sk_buff *skb, const struct nlmsghdr *nlh)
{
	struct user_namespace *owner = sock_net(skb->sk)->user_ns;
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_GENL,
		.a = gop->cmd,
		.name = family->name,
	};

	if (likely(owner == &init_user_ns))
		return 0;
	if (!(gop->flags & GENL_UNS_ADMIN_PERM) &&
	    !nshard_genl_family_admin(family->name))
		return 0;
	return nshard_gate_judge(NSHARD_GATE_GENL_ADMIN, owner, CAP_NET_ADMIN,
				 current_cred(), &op);
}

static int nshard_sockopt(struct socket *sock, int level, int optname,
			  bool set)
{
	struct sock *sk = sock->sk;
	struct user_namespace *owner;
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_SOCKOPT,
		.a = level,
		.b = optname,
		.c = set,
	};
	int gate;

	if (!sk)
		return 0;
	owner = sock_net(sk)->user_ns;
	if (likely(owner == &init_user_ns))
		return 0;
	gate = nshard_classify_sockopt(sk->sk_family, level, optname, set);
	if (gate == NSHARD_NO_GATE)
		return 0;
	return nshard_gate_judge(gate, owner, CAP_NET_ADMIN, current_cred(),
				 &op);
}

static int nshard_socket_setsockopt(struct socket *sock, int level,
				    int optname)
{
	return nshard_sockopt(sock, level, optname, true);
}

static int nshard_socket_getsockopt(struct socket *sock, int level,
				    int optname)
{
	return nshard_sockopt(sock, level, optname, false);
}

/* Out of line: only ioctls on sockets. */
static noinline int nshard_socket_ioctl(struct file *file, unsigned int cmd)
{
	struct socket *sock = sock_from_file(file);
	struct user_namespace *owner;
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_IOCTL,
		.a = cmd,
	};

	if (!sock || !sock->sk)
		return 0;
	owner = sock_net(sock->sk)->user_ns;
	if (likely(owner == &init_user_ns) ||
	    nshard_classify_ioctl(cmd, sock->sk->sk_family) == NSHARD_NO_GATE)
		return 0;
	return nshard_gate_judge(NSHARD_GATE_NETDEV_IOCTL, owner,
				 CAP_NET_ADMIN, current_cred(), &op);
}

static int nshard_file_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	if (likely(!S_ISSOCK(file_inode(file)->i_mode)))
		return 0;
	return nshard_socket_ioctl(file, cmd);
}

static struct security_hook_list nshard_net_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(socket_create, nshard_socket_create),
	LSM_HOOK_INIT(netlink_send, nshard_netlink_send),
	LSM_HOOK_INIT(genl_op, nshard_genl_op),
	LSM_HOOK_INIT(socket_setsockopt, nshard_socket_setsockopt),
	LSM_HOOK_INIT(socket_getsockopt, nshard_socket_getsockopt),
	LSM_HOOK_INIT(file_ioctl, nshard_file_ioctl),
	LSM_HOOK_INIT(file_ioctl_compat, nshard_file_ioctl),
};

/**
 * nshard_add_net_hooks - register the network gates' hooks
 */
void __init nshard_add_net_hooks(void)
{
	security_add_hooks(nshard_net_hooks, ARRAY_SIZE(nshard_net_hooks),
			   &nshard_lsmid);
}
