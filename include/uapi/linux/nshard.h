/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nshard LSM - user-space API
 *
 * nshard is administered through files in securityfs, normally mounted on
 * /sys/kernel/security.  This header names those files, the identifiers its
 * policy language and counters use, and the limits on what may be written.
 * See Documentation/admin-guide/LSM/nshard.rst.
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _UAPI_LINUX_NSHARD_H
#define _UAPI_LINUX_NSHARD_H

/* Directory of nshard's files, relative to the securityfs root. */
#define NSHARD_FS_DIR		"nshard"

/*
 * Files in NSHARD_FS_DIR.  Writing any of them but task needs CAP_MAC_ADMIN
 * in the initial user namespace, for the opener and for the writer.
 *
 * mode:       "off", "audit" or "enforce" and a newline.
 * policy:     the active policy, in canonical form; a write of a whole policy
 *             at offset 0 replaces it.
 * seal:       "0" or "1" and a newline; writing "1" forbids any further change
 *             of the mode and the policy until reboot.
 * digest:     SHA-256 of the canonical policy (what reading policy returns),
 *             in lower-case hexadecimal, and a newline.
 * generation: number of the active policy, and a newline: 1 for the
 *             built-in policy, one more for every policy loaded since.
 * counters:   decisions per operation, see below.
 * check:      a dry run of a load: write a whole policy at offset 0, nothing
 *             is loaded; the write fails with EINVAL if the policy is
 *             invalid; then read "ok <statements> <sha256>" and the
 *             canonical text, or "error line <n>: <reason>", each line
 *             ending with a newline.  Needs CAP_MAC_ADMIN, sealed or not.
 * task:       where a task stands, readable by anyone: read, a report on
 *             the task that opened the file; write a PID (in the writer's
 *             pid namespace), then read from offset 0, a report on that task,
 *             if the writer may read its /proc/PID/status details
 *             (EACCES otherwise, ESRCH if there is none).  See
 *             Documentation/admin-guide/LSM/nshard.rst for the report.
 */
#define NSHARD_FS_MODE		"mode"
#define NSHARD_FS_POLICY	"policy"
#define NSHARD_FS_SEAL		"seal"
#define NSHARD_FS_DIGEST	"digest"
#define NSHARD_FS_GENERATION	"generation"
#define NSHARD_FS_COUNTERS	"counters"
#define NSHARD_FS_CHECK		"check"
#define NSHARD_FS_TASK		"task"

#define NSHARD_MODE_OFF_NAME		"off"
#define NSHARD_MODE_AUDIT_NAME		"audit"
#define NSHARD_MODE_ENFORCE_NAME	"enforce"

/* Longest mode name, without the newline. */
#define NSHARD_MODE_MAX_LEN	7

/* Longest write accepted by a file that takes one value, such as mode. */
#define NSHARD_VALUE_MAX_LEN	32

/* Largest policy accepted, in bytes, and most rules in one policy. */
#define NSHARD_POLICY_MAX_SIZE	(4 * 1024 * 1024)
#define NSHARD_POLICY_MAX_RULES	65536

/* Deepest nesting a depth limit may name (user namespaces nest 32 deep). */
#define NSHARD_DEPTH_MAX	32

/**
 * enum nshard_ns_type - namespace types, as named in the policy language
 * @NSHARD_NS_USER: "user"
 * @NSHARD_NS_MNT: "mnt"
 * @NSHARD_NS_NET: "net"
 * @NSHARD_NS_PID: "pid"
 * @NSHARD_NS_IPC: "ipc"
 * @NSHARD_NS_UTS: "uts"
 * @NSHARD_NS_CGROUP: "cgroup"
 * @NSHARD_NS_TIME: "time"
 * @NSHARD_NS_COUNT: number of types
 */
enum nshard_ns_type {
	NSHARD_NS_USER,
	NSHARD_NS_MNT,
	NSHARD_NS_NET,
	NSHARD_NS_PID,
	NSHARD_NS_IPC,
	NSHARD_NS_UTS,
	NSHARD_NS_CGROUP,
	NSHARD_NS_TIME,
	NSHARD_NS_COUNT
};

/**
 * enum nshard_gate - kernel surfaces a policy can close to namespaces
 * @NSHARD_GATE_NETFILTER: "netfilter", nfnetlink (nf_tables and friends)
 * @NSHARD_GATE_XTABLES: "xtables", the {ip,ip6,arp,eb}tables socket options
 * @NSHARD_GATE_TC: "tc", traffic control: qdiscs, classes, filters, actions
 * @NSHARD_GATE_XFRM: "xfrm", IPsec state and policy
 * @NSHARD_GATE_GENL_ADMIN: "genl-admin", generic netlink operations that
 *                          need CAP_NET_ADMIN in the namespace
 * @NSHARD_GATE_PACKET: "packet", AF_PACKET sockets
 * @NSHARD_GATE_RAW: "raw", SOCK_RAW sockets
 * @NSHARD_GATE_FS_MOUNT: "fs-mount", mount or fsconfig of a file system that
 *                        is not marked FS_USERNS_MOUNT
 * @NSHARD_GATE_CGROUP1: "cgroup1", mounting cgroup v1 hierarchies
 * @NSHARD_GATE_OVERLAY: "overlay", mounting overlayfs
 * @NSHARD_GATE_MODLOAD: "modload", module autoloading on behalf of the task
 * @NSHARD_GATE_LINK: "link", creating network devices of kinds that no
 *                    sandbox creates (vxlan, gre, bond...)
 * @NSHARD_GATE_NETDEV_IOCTL: "netdev-ioctl", socket ioctls that no sandbox
 *                            uses (bonding, bridge, vlan, tunnels, ethtool...)
 * @NSHARD_GATE_NETLINK_OTHER: "netlink-other", netlink protocols and
 *                             rtnetlink messages that nshard does not classify
 * @NSHARD_GATE_LINK_OTHER: "link-other", network device kinds that nshard
 *                          does not classify
 * @NSHARD_GATE_FAMILY_OTHER: "family-other", socket families that nshard
 *                            does not classify
 * @NSHARD_GATE_COUNT: number of gates
 *
 * Gates are numbered in the order they were added, never reused.
 */
enum nshard_gate {
	NSHARD_GATE_NETFILTER,
	NSHARD_GATE_XTABLES,
	NSHARD_GATE_TC,
	NSHARD_GATE_XFRM,
	NSHARD_GATE_GENL_ADMIN,
	NSHARD_GATE_PACKET,
	NSHARD_GATE_RAW,
	NSHARD_GATE_FS_MOUNT,
	NSHARD_GATE_CGROUP1,
	NSHARD_GATE_OVERLAY,
	NSHARD_GATE_MODLOAD,
	NSHARD_GATE_LINK,
	NSHARD_GATE_NETDEV_IOCTL,
	NSHARD_GATE_NETLINK_OTHER,
	NSHARD_GATE_LINK_OTHER,
	NSHARD_GATE_FAMILY_OTHER,
	NSHARD_GATE_COUNT
};

/*
 * Operation identifiers.  Each mediated operation has one: creating a
 * namespace of a type, entering one with setns(2), using a capability inside
 * a user namespace other than the initial one, passing a gate.  Room is kept
 * for 64 capabilities and 32 gates so that identifiers never change.
 */
#define NSHARD_CAP_SLOTS	64
#define NSHARD_GATE_SLOTS	32
#define NSHARD_OP_CREATE(type)	(type)
#define NSHARD_OP_SETNS(type)	(NSHARD_NS_COUNT + (type))
#define NSHARD_OP_CAP(cap)	(2 * NSHARD_NS_COUNT + (cap))
#define NSHARD_OP_GATE(gate)	(2 * NSHARD_NS_COUNT + NSHARD_CAP_SLOTS + (gate))
#define NSHARD_OP_COUNT		(2 * NSHARD_NS_COUNT + NSHARD_CAP_SLOTS + \
				 NSHARD_GATE_SLOTS)

/**
 * enum nshard_action - what a rule does with an operation
 * @NSHARD_ACTION_ALLOW: "allow": the operation proceeds.
 * @NSHARD_ACTION_AUDIT: "audit": the operation proceeds and is logged.
 * @NSHARD_ACTION_DENY: "deny": the operation is refused in enforce mode, and
 *                      logged (as "would deny") in audit mode.
 */
enum nshard_action {
	NSHARD_ACTION_ALLOW,
	NSHARD_ACTION_AUDIT,
	NSHARD_ACTION_DENY
};

/*
 * The counters file.  Lines starting with '#' name the columns of the lines
 * that follow them.  Then, for each operation, one line:
 *
 *	<operation> <argument> <allowed> <denied> <audited>
 *
 * e.g. "create user 12 1 0" or "cap NET_ADMIN 40 3 0", in the words of the
 * policy language; counts are decimal and wrap at 2^64.  "allowed" counts
 * operations that proceeded silently, "denied" those refused, "audited" those
 * that proceeded and were logged (audit rules, and deny rules in audit mode).
 */
#define NSHARD_COUNTER_ALLOWED	0
#define NSHARD_COUNTER_DENIED	1
#define NSHARD_COUNTER_AUDITED	2
#define NSHARD_COUNTER_COUNT	3

#endif /* _UAPI_LINUX_NSHARD_H */
