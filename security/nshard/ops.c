// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - mediated operations and their names
 *
 * Every operation nshard mediates has an identifier (see
 * include/uapi/linux/nshard.h) and a two-word name in the policy language:
 * "create user", "setns net", "cap NET_ADMIN", "gate netfilter".
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "ops.h"

static const char *const nshard_ns_type_names[NSHARD_NS_COUNT] = {
	[NSHARD_NS_USER] = "user",
	[NSHARD_NS_MNT] = "mnt",
	[NSHARD_NS_NET] = "net",
	[NSHARD_NS_PID] = "pid",
	[NSHARD_NS_IPC] = "ipc",
	[NSHARD_NS_UTS] = "uts",
	[NSHARD_NS_CGROUP] = "cgroup",
	[NSHARD_NS_TIME] = "time",
};

static const char *const nshard_cap_names[CAP_LAST_CAP + 1] = {
	[CAP_CHOWN] = "CHOWN",
	[CAP_DAC_OVERRIDE] = "DAC_OVERRIDE",
	[CAP_DAC_READ_SEARCH] = "DAC_READ_SEARCH",
	[CAP_FOWNER] = "FOWNER",
	[CAP_FSETID] = "FSETID",
	[CAP_KILL] = "KILL",
	[CAP_SETGID] = "SETGID",
	[CAP_SETUID] = "SETUID",
	[CAP_SETPCAP] = "SETPCAP",
	[CAP_LINUX_IMMUTABLE] = "LINUX_IMMUTABLE",
	[CAP_NET_BIND_SERVICE] = "NET_BIND_SERVICE",
	[CAP_NET_BROADCAST] = "NET_BROADCAST",
	[CAP_NET_ADMIN] = "NET_ADMIN",
	[CAP_NET_RAW] = "NET_RAW",
	[CAP_IPC_LOCK] = "IPC_LOCK",
	[CAP_IPC_OWNER] = "IPC_OWNER",
	[CAP_SYS_MODULE] = "SYS_MODULE",
	[CAP_SYS_RAWIO] = "SYS_RAWIO",
	[CAP_SYS_CHROOT] = "SYS_CHROOT",
	[CAP_SYS_PTRACE] = "SYS_PTRACE",
	[CAP_SYS_PACCT] = "SYS_PACCT",
	[CAP_SYS_ADMIN] = "SYS_ADMIN",
	[CAP_SYS_BOOT] = "SYS_BOOT",
	[CAP_SYS_NICE] = "SYS_NICE",
	[CAP_SYS_RESOURCE] = "SYS_RESOURCE",
	[CAP_SYS_TIME] = "SYS_TIME",
	[CAP_SYS_TTY_CONFIG] = "SYS_TTY_CONFIG",
	[CAP_MKNOD] = "MKNOD",
	[CAP_LEASE] = "LEASE",
	[CAP_AUDIT_WRITE] = "AUDIT_WRITE",
	[CAP_AUDIT_CONTROL] = "AUDIT_CONTROL",
	[CAP_SETFCAP] = "SETFCAP",
	[CAP_MAC_OVERRIDE] = "MAC_OVERRIDE",
	[CAP_MAC_ADMIN] = "MAC_ADMIN",
	[CAP_SYSLOG] = "SYSLOG",
	[CAP_WAKE_ALARM] = "WAKE_ALARM",
	[CAP_BLOCK_SUSPEND] = "BLOCK_SUSPEND",
	[CAP_AUDIT_READ] = "AUDIT_READ",
	[CAP_PERFMON] = "PERFMON",
	[CAP_BPF] = "BPF",
	[CAP_CHECKPOINT_RESTORE] = "CHECKPOINT_RESTORE",
};

static const char *const nshard_gate_names[NSHARD_GATE_COUNT] = {
	[NSHARD_GATE_NETFILTER] = "netfilter",
	[NSHARD_GATE_XTABLES] = "xtables",
	[NSHARD_GATE_TC] = "tc",
	[NSHARD_GATE_XFRM] = "xfrm",
	[NSHARD_GATE_GENL_ADMIN] = "genl-admin",
	[NSHARD_GATE_PACKET] = "packet",
	[NSHARD_GATE_RAW] = "raw",
	[NSHARD_GATE_FS_MOUNT] = "fs-mount",
	[NSHARD_GATE_CGROUP1] = "cgroup1",
	[NSHARD_GATE_OVERLAY] = "overlay",
	[NSHARD_GATE_MODLOAD] = "modload",
	[NSHARD_GATE_LINK] = "link",
	[NSHARD_GATE_NETDEV_IOCTL] = "netdev-ioctl",
	[NSHARD_GATE_NETLINK_OTHER] = "netlink-other",
	[NSHARD_GATE_LINK_OTHER] = "link-other",
	[NSHARD_GATE_FAMILY_OTHER] = "family-other",
};

static const char *const nshard_op_class_names[NSHARD_OP_CLASS_COUNT] = {
	[NSHARD_OP_CLASS_CREATE] = "create",
	[NSHARD_OP_CLASS_SETNS] = "setns",
	[NSHARD_OP_CLASS_CAP] = "cap",
	[NSHARD_OP_CLASS_GATE] = "gate",
};

/* First identifier and number of used identifiers of each class. */
static const struct {
	unsigned int base;
	unsigned int count;
} nshard_op_ranges[NSHARD_OP_CLASS_COUNT] = {
	[NSHARD_OP_CLASS_CREATE] = { NSHARD_OP_CREATE(0), NSHARD_NS_COUNT },
	[NSHARD_OP_CLASS_SETNS] = { NSHARD_OP_SETNS(0), NSHARD_NS_COUNT },
	[NSHARD_OP_CLASS_CAP] = { NSHARD_OP_CAP(0), CAP_LAST_CAP + 1 },
	[NSHARD_OP_CLASS_GATE] = { NSHARD_OP_GATE(0), NSHARD_GATE_COUNT },
};

static_assert(CAP_LAST_CAP < NSHARD_CAP_SLOTS);
static_assert(NSHARD_GATE_COUNT <= NSHARD_GATE_SLOTS);

/**
 * nshard_op_class - class of an operation
 * @op: a valid operation identifier
 *
 * Return: the class @op belongs to.
 */
enum nshard_op_class nshard_op_class(unsigned int op)
{
	if (op >= NSHARD_OP_GATE(0))
		return NSHARD_OP_CLASS_GATE;
	if (op >= NSHARD_OP_CAP(0))
		return NSHARD_OP_CLASS_CAP;
	if (op >= NSHARD_OP_SETNS(0))
		return NSHARD_OP_CLASS_SETNS;
	return NSHARD_OP_CLASS_CREATE;
}

/**
 * nshard_op_arg - argument of an operation within its class
 * @op: a valid operation identifier
 *
 * Return: the namespace type, capability or gate @op is about.
 */
unsigned int nshard_op_arg(unsigned int op)
{
	return op - nshard_op_ranges[nshard_op_class(op)].base;
}

/**
 * nshard_op_make - identifier of an operation
 * @class: its class
 * @arg: its namespace type, capability or gate, which must be valid
 *
 * Return: the operation identifier.
 */
unsigned int nshard_op_make(enum nshard_op_class class, unsigned int arg)
{
	return nshard_op_ranges[class].base + arg;
}

/**
 * nshard_op_valid - tell whether an identifier names an operation
 * @op: the identifier
 *
 * Identifiers in the slots reserved for future capabilities and gates are
 * not valid.
 *
 * Return: true if @op names an operation this kernel knows.
 */
bool nshard_op_valid(unsigned int op)
{
	if (op >= NSHARD_OP_COUNT)
		return false;
	return nshard_op_arg(op) < nshard_op_ranges[nshard_op_class(op)].count;
}

/**
 * nshard_op_class_name - first word of an operation's name
 * @class: the class
 *
 * Return: "create", "setns", "cap" or "gate".
 */
const char *nshard_op_class_name(enum nshard_op_class class)
{
	return nshard_op_class_names[class];
}

/**
 * nshard_op_arg_name - second word of an operation's name
 * @op: an operation identifier
 *
 * Return: the name of the namespace type, capability or gate, "?" if @op is
 * not valid.
 */
const char *nshard_op_arg_name(unsigned int op)
{
	unsigned int arg = nshard_op_arg(op);

	if (!nshard_op_valid(op))
		return "?";
	switch (nshard_op_class(op)) {
	case NSHARD_OP_CLASS_CAP:
		return nshard_cap_names[arg];
	case NSHARD_OP_CLASS_GATE:
		return nshard_gate_names[arg];
	default:
		return nshard_ns_type_names[arg];
	}
}

/**
 * nshard_op_format - write the name of an operation
 * @op: a valid operation identifier
 * @buf: destination
 * @size: size of @buf, at least %NSHARD_OP_NAME_LEN for any operation
 *
 * Return: the length of the name, as scnprintf().
 */
int nshard_op_format(unsigned int op, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s %s",
			 nshard_op_class_name(nshard_op_class(op)),
			 nshard_op_arg_name(op));
}

static int nshard_match(const char *const *names, unsigned int count,
			const char *name)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -EINVAL;
}

/**
 * nshard_ns_type_parse - parse the name of a namespace type
 * @name: "user", "mnt", ...
 *
 * Return: the type, or -EINVAL.
 */
int nshard_ns_type_parse(const char *name)
{
	return nshard_match(nshard_ns_type_names, NSHARD_NS_COUNT, name);
}

/**
 * nshard_ns_type_from_clone - namespace type of a CLONE_NEW* flag
 * @flag: one CLONE_NEW* flag, as in &proc_ns_operations.type
 *
 * Return: the type, or -EINVAL if @flag is not one namespace flag.
 */
int nshard_ns_type_from_clone(unsigned long flag)
{
	switch (flag) {
	case CLONE_NEWUSER:
		return NSHARD_NS_USER;
	case CLONE_NEWNS:
		return NSHARD_NS_MNT;
	case CLONE_NEWNET:
		return NSHARD_NS_NET;
	case CLONE_NEWPID:
		return NSHARD_NS_PID;
	case CLONE_NEWIPC:
		return NSHARD_NS_IPC;
	case CLONE_NEWUTS:
		return NSHARD_NS_UTS;
	case CLONE_NEWCGROUP:
		return NSHARD_NS_CGROUP;
	case CLONE_NEWTIME:
		return NSHARD_NS_TIME;
	default:
		return -EINVAL;
	}
}

/**
 * nshard_ns_type_name - name of a namespace type
 * @type: a valid type
 *
 * Return: its name in the policy language.
 */
const char *nshard_ns_type_name(enum nshard_ns_type type)
{
	return nshard_ns_type_names[type];
}

/**
 * nshard_cap_parse - parse a capability name
 * @name: upper case, without the CAP_ prefix: "NET_ADMIN"
 *
 * Return: the capability, or -EINVAL.
 */
int nshard_cap_parse(const char *name)
{
	return nshard_match(nshard_cap_names, CAP_LAST_CAP + 1, name);
}

/**
 * nshard_cap_name - name of a capability, as the policy language writes it
 * @cap: a valid capability
 *
 * Return: its name without the CAP_ prefix.
 */
const char *nshard_cap_name(unsigned int cap)
{
	return nshard_cap_names[cap];
}

/**
 * nshard_op_arg_parse - parse the second word of an operation's name
 * @class: the class given by the first word
 * @name: the second word
 *
 * Return: the operation identifier, or -EINVAL.
 */
int nshard_op_arg_parse(enum nshard_op_class class, const char *name)
{
	int arg;

	switch (class) {
	case NSHARD_OP_CLASS_CAP:
		arg = nshard_cap_parse(name);
		break;
	case NSHARD_OP_CLASS_GATE:
		arg = nshard_match(nshard_gate_names, NSHARD_GATE_COUNT, name);
		break;
	default:
		arg = nshard_ns_type_parse(name);
		break;
	}
	return arg < 0 ? arg : nshard_op_make(class, arg);
}
