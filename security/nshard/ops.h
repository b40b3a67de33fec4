/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - mediated operations and their names
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_OPS_H
#define _SECURITY_NSHARD_OPS_H

#include <linux/capability.h>
#include <linux/types.h>
#include <uapi/linux/nshard.h>

/**
 * enum nshard_op_class - the four kinds of mediated operations
 * @NSHARD_OP_CLASS_CREATE: creation of a namespace, by type
 * @NSHARD_OP_CLASS_SETNS: entering a namespace with setns(2), by type
 * @NSHARD_OP_CLASS_CAP: use of a capability in a non-initial user namespace
 * @NSHARD_OP_CLASS_GATE: use of an attack-surface gate
 * @NSHARD_OP_CLASS_COUNT: number of classes
 */
enum nshard_op_class {
	NSHARD_OP_CLASS_CREATE,
	NSHARD_OP_CLASS_SETNS,
	NSHARD_OP_CLASS_CAP,
	NSHARD_OP_CLASS_GATE,
	NSHARD_OP_CLASS_COUNT,
};

/* Longest operation name, "<class> <argument>", with its NUL. */
#define NSHARD_OP_NAME_LEN	32

bool nshard_op_valid(unsigned int op);
enum nshard_op_class nshard_op_class(unsigned int op);
unsigned int nshard_op_arg(unsigned int op);
unsigned int nshard_op_make(enum nshard_op_class class, unsigned int arg);
const char *nshard_op_class_name(enum nshard_op_class class);
const char *nshard_op_arg_name(unsigned int op);
int nshard_op_format(unsigned int op, char *buf, size_t size);

int nshard_ns_type_parse(const char *name);
int nshard_ns_type_from_clone(unsigned long flag);
const char *nshard_ns_type_name(enum nshard_ns_type type);
int nshard_cap_parse(const char *name);
const char *nshard_cap_name(unsigned int cap);
int nshard_op_arg_parse(enum nshard_op_class class, const char *name);

#endif /* _SECURITY_NSHARD_OPS_H */
