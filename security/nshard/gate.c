// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - attack-surface gates
 *
 * A gate closes a kernel surface (nf_tables, tc, AF_PACKET, the parsers of
 * file systems...) in namespaces that the policy closes it in.  The hooks
 * that see the surface (net.c, mount.c, module.c) name the gate and the
 * namespace that owns what the operation acts on; this file decides, on the
 * decision path every other operation takes.
 *
 * Whose namespace, whose privilege: a gate judges the namespace that owns
 * the object (a socket's network namespace, the mounter's user namespace),
 * not the caller's, and the caller's privilege over it.  The host's objects
 * (owned by the initial user namespace) are never gated.  A task that holds
 * the capability in a user namespace above the first one of restricted
 * origin (host root, or root of a container root started, entering a
 * user's namespaces) is not gated either: it administers the namespace, it
 * did not give it to itself.  For a namespace of privileged origin, a
 * container root started, the line is its parent: the container's own root
 * is judged, with "privileged" rules.  Everybody else is judged, inside the
 * namespace or acting on it from outside (a netlink socket created inside,
 * used by a task outside).
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/security.h>
#include <linux/user_namespace.h>

#include "classify.h"
#include "counters.h"
#include "enforce.h"
#include "gate.h"
#include "mode.h"
#include "ops.h"
#include "record.h"

/*
 * The user namespace whose capability puts a task above @ns's gates: the
 * first ancestor of privileged origin of a restricted namespace, the parent
 * of a privileged one.  The initial user namespace is privileged.
 */
static struct user_namespace *nshard_gate_boundary(struct user_namespace *ns)
{
	if (!nshard_userns(ns)->restricted)
		return ns->parent;
	while (nshard_userns(ns)->restricted)
		ns = ns->parent;
	return ns;
}

static noinline int nshard_gate_decide(const struct nshard_policy *p,
				       enum nshard_mode mode,
				       unsigned int gate,
				       struct user_namespace *owner, int cap,
				       const struct cred *cred,
				       const struct nshard_gate_op *op)
{
	struct nshard_request req = {
		.op = NSHARD_OP_GATE(gate),
		.type = NSHARD_NO_DEPTH,
		.gate_op = op,
	};
	struct nshard_subject subject;

	if (cap_capable(cred, nshard_gate_boundary(owner), cap,
			CAP_OPT_NOAUDIT) == 0) {
		nshard_count(req.op, NSHARD_COUNTER_ALLOWED);
		return 0;
	}
	nshard_subject_init(&subject, cred, owner,
			    nshard_userns_origin(owner));
	return nshard_judge(p, mode, &req, &subject, NULL);
}

/**
 * nshard_gate_judge - decide on a gated operation in a namespace not the
 *                     host's
 * @gate: the gate
 * @owner: the user namespace that owns what the operation acts on, not the
 *         initial one
 * @cap: the capability the kernel asks for the operation over @owner
 * @cred: who asks
 * @op: the operation, for the report
 *
 * Called by nshard_gate(), which answers for the host's objects.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
int nshard_gate_judge(unsigned int gate, struct user_namespace *owner,
		      int cap, const struct cred *cred,
		      const struct nshard_gate_op *op)
{
	enum nshard_mode mode = nshard_mode_get();
	const struct nshard_policy *p;
	int ret = 0;

	if (mode == NSHARD_MODE_OFF)
		return 0;
	rcu_read_lock();
	p = nshard_policy_get();
	if (!nshard_allowed_in(p, NSHARD_OP_GATE(gate)))
		ret = nshard_gate_decide(p, mode, gate, owner, cap, cred, op);
	rcu_read_unlock();
	return ret;
}

static int nshard_format_rtnl(const struct nshard_gate_op *op, char *buf,
			      size_t size)
{
	const char *name = nshard_rtm_name(op->a);

	if (op->name && op->name[0])
		return scnprintf(buf, size, "RTM_NEWLINK %s", op->name);
	if (name)
		return scnprintf(buf, size, "%s", name);
	return scnprintf(buf, size, "rtnetlink type %u", op->a);
}

static int nshard_format_socket(const struct nshard_gate_op *op, char *buf,
				size_t size)
{
	const char *family = nshard_family_name(op->a);
	char fam[16];

	if (!family) {
		scnprintf(fam, sizeof(fam), "family %u", op->a);
		family = fam;
	}
	if (op->a == AF_NETLINK)
		return scnprintf(buf, size, "socket AF_NETLINK protocol %u",
				 op->c);
	if (op->b == SOCK_RAW)
		return scnprintf(buf, size, "socket %s SOCK_RAW", family);
	return scnprintf(buf, size, "socket %s", family);
}

/**
 * nshard_gate_op_format - describe a gated operation
 * @op: the operation
 * @buf: where to write
 * @size: size of @buf, %NSHARD_GATE_OP_LEN will do
 *
 * Return: the length written, as scnprintf().
 */
int nshard_gate_op_format(const struct nshard_gate_op *op, char *buf,
			  size_t size)
{
	const char *name;

	switch (op->what) {
	case NSHARD_WHAT_SOCKET:
		return nshard_format_socket(op, buf, size);
	case NSHARD_WHAT_RTNL:
		return nshard_format_rtnl(op, buf, size);
	case NSHARD_WHAT_NFNL:
		name = nshard_nfnl_subsys_name(op->a);
		if (name)
			return scnprintf(buf, size, "nfnetlink %s message %u",
					 name, op->b);
		return scnprintf(buf, size, "nfnetlink subsystem %u", op->a);
	case NSHARD_WHAT_NETLINK:
		return scnprintf(buf, size, "netlink protocol %u message %u",
				 op->a, op->b);
	case NSHARD_WHAT_GENL:
		return scnprintf(buf, size, "genl %s command %u", op->name,
				 op->a);
	case NSHARD_WHAT_SOCKOPT:
		return scnprintf(buf, size, "%ssockopt level %u option %u",
				 op->c ? "set" : "get", op->a, op->b);
	case NSHARD_WHAT_IOCTL:
		name = nshard_ioctl_name(op->a);
		if (name)
			return scnprintf(buf, size, "ioctl %s", name);
		return scnprintf(buf, size, "ioctl 0x%x", op->a);
	case NSHARD_WHAT_MOUNT:
		return scnprintf(buf, size, "%s %s", op->a ? "remount" : "mount",
				 op->name);
	case NSHARD_WHAT_MODULE:
		return scnprintf(buf, size, "request_module %s", op->name);
	default:
		return scnprintf(buf, size, "?");
	}
}
