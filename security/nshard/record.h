/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - what nshard remembers of each user namespace
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_RECORD_H
#define _SECURITY_NSHARD_RECORD_H

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/types.h>
#include <linux/user_namespace.h>

#include "policy.h"

/**
 * struct nshard_userns - nshard's record of a user namespace
 * @restricted: of restricted origin: see nshard_new_userns_origin()
 * @depth: nesting depth: 0 for the initial user namespace
 * @drop: capabilities that do not work in this namespace and its
 *        descendants, whatever the mode: the drop= of the rules that
 *        allowed their creation in enforce mode
 * @drop_audit: capabilities whose use in this namespace and its descendants
 *              is reported as "would deny" in audit and enforce mode: the
 *              drop= of rules that allowed a creation in audit mode
 * @generation: generation of the policy that decided the creation
 * @ident: whom uid= and gid= rules see in the tasks of this namespace: the
 *         creator of the outermost user namespace above it (or itself)
 *
 * Lives in the namespace's security blob: it follows the namespace, not the
 * task, so that a task that enters the namespace with setns(2), and every
 * process that inherits it, is judged by it.  Set before the namespace is
 * visible and never changed after, so it is read without a lock.
 */
struct nshard_userns {
	bool restricted;
	u8 depth;
	u64 drop;
	u64 drop_audit;
	u64 generation;
	struct nshard_ident ident;
};

extern struct lsm_blob_sizes nshard_blob_sizes;
extern atomic_long_t nshard_userns_live;

/**
 * nshard_userns - the record of a user namespace
 * @ns: the user namespace
 *
 * Return: its record; every user namespace has one once nshard is active.
 */
static inline struct nshard_userns *
nshard_userns(const struct user_namespace *ns)
{
	return ns->security + nshard_blob_sizes.lbs_user_ns;
}

/**
 * nshard_userns_origin - origin of a user namespace, as rules name it
 * @ns: the user namespace
 *
 * Return: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED.
 */
static inline enum nshard_origin
nshard_userns_origin(const struct user_namespace *ns)
{
	return nshard_userns(ns)->restricted ? NSHARD_ORIGIN_RESTRICTED :
					       NSHARD_ORIGIN_PRIVILEGED;
}

void nshard_userns_init(struct nshard_userns *rec,
			const struct nshard_userns *parent, bool restricted,
			u64 drop, bool drop_enforced, u64 generation);
void nshard_userns_set_ident(struct nshard_userns *rec,
			     const struct user_namespace *parent,
			     const struct cred *cred);
void nshard_userns_release(struct nshard_userns *rec);

#endif /* _SECURITY_NSHARD_RECORD_H */
