/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - attack-surface gates
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_GATE_H
#define _SECURITY_NSHARD_GATE_H

#include <linux/cred.h>
#include <linux/types.h>
#include <linux/user_namespace.h>

/**
 * enum nshard_gate_what - what kind of operation a gate is asked about
 * @NSHARD_WHAT_SOCKET: socket(2) of family @a, type @b, protocol @c
 * @NSHARD_WHAT_RTNL: an rtnetlink message of type @a, device kind @name
 * @NSHARD_WHAT_NFNL: an nfnetlink message of subsystem @a, type @b
 * @NSHARD_WHAT_NETLINK: a message of netlink protocol @a, type @b
 * @NSHARD_WHAT_GENL: a generic netlink family @name, command @a
 * @NSHARD_WHAT_SOCKOPT: setsockopt (@c == 1) or getsockopt of level @a,
 *                       option @b
 * @NSHARD_WHAT_IOCTL: socket ioctl command @a
 * @NSHARD_WHAT_MOUNT: a new mount (@a == 0) or a reconfiguration of file
 *                     system type @name
 * @NSHARD_WHAT_MODULE: a request to load module @name
 */
enum nshard_gate_what {
	NSHARD_WHAT_SOCKET,
	NSHARD_WHAT_RTNL,
	NSHARD_WHAT_NFNL,
	NSHARD_WHAT_NETLINK,
	NSHARD_WHAT_GENL,
	NSHARD_WHAT_SOCKOPT,
	NSHARD_WHAT_IOCTL,
	NSHARD_WHAT_MOUNT,
	NSHARD_WHAT_MODULE,
};

/**
 * struct nshard_gate_op - the concrete operation a gate is asked about
 * @what: an &enum nshard_gate_what, which says what the fields hold
 * @a: first number
 * @b: second number
 * @c: third number
 * @name: a name, or NULL
 *
 * Only formatted when the decision is reported, so that hooks describe an
 * operation for the cost of a few stores.
 */
struct nshard_gate_op {
	u8 what;
	u32 a;
	u32 b;
	u32 c;
	const char *name;
};

/* Longest description of a gated operation, with its NUL. */
#define NSHARD_GATE_OP_LEN	96

int nshard_gate_op_format(const struct nshard_gate_op *op, char *buf,
			  size_t size);
int nshard_gate_judge(unsigned int gate, struct user_namespace *owner,
		      int cap, const struct cred *cred,
		      const struct nshard_gate_op *op);

/**
 * nshard_gate - decide on an operation a gate closes in some namespaces
 * @gate: the gate
 * @owner: the user namespace that owns what the operation acts on: a
 *         socket's network namespace, a mount namespace
 * @cap: the capability the kernel asks for the operation over @owner
 * @cred: who asks
 * @op: the operation, for the report
 *
 * Objects the initial user namespace owns, all of the host's, cost one
 * comparison.
 *
 * Return: 0 to allow, -EPERM to refuse.
 */
static __always_inline int nshard_gate(unsigned int gate,
				       struct user_namespace *owner, int cap,
				       const struct cred *cred,
				       const struct nshard_gate_op *op)
{
	if (likely(owner == &init_user_ns))
		return 0;
	return nshard_gate_judge(gate, owner, cap, cred, op);
}

#endif /* _SECURITY_NSHARD_GATE_H */
