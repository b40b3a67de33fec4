/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - compiled policies and their evaluation
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_POLICY_H
#define _SECURITY_NSHARD_POLICY_H

#include <crypto/sha2.h>
#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <uapi/linux/nshard.h>

/**
 * enum nshard_origin - which namespaces a rule or a limit applies to
 * @NSHARD_ORIGIN_ANY: all namespaces (no qualifier in the rule)
 * @NSHARD_ORIGIN_RESTRICTED: namespaces of restricted origin ("restricted")
 * @NSHARD_ORIGIN_PRIVILEGED: namespaces of privileged origin ("privileged")
 * @NSHARD_ORIGIN_COUNT: number of values
 */
enum nshard_origin {
	NSHARD_ORIGIN_ANY,
	NSHARD_ORIGIN_RESTRICTED,
	NSHARD_ORIGIN_PRIVILEGED,
	NSHARD_ORIGIN_COUNT,
};

/**
 * enum nshard_subject_kind - what a rule's subject names, in order of
 *                            increasing precedence
 * @NSHARD_SUBJECT_ANY: every task (no subject in the rule)
 * @NSHARD_SUBJECT_GID: tasks with a group, "gid=N"
 * @NSHARD_SUBJECT_UID: tasks of a user, "uid=N"
 * @NSHARD_SUBJECT_EXE: tasks running an executable file, "exe=PATH"
 * @NSHARD_SUBJECT_COUNT: number of kinds
 */
enum nshard_subject_kind {
	NSHARD_SUBJECT_ANY,
	NSHARD_SUBJECT_GID,
	NSHARD_SUBJECT_UID,
	NSHARD_SUBJECT_EXE,
	NSHARD_SUBJECT_COUNT,
};

/**
 * struct nshard_exe_id - identity of an executable file
 * @ino: inode number
 * @dev: device of its super block
 * @gen: inode generation, which tells a reused inode number apart
 *
 * Bound when the policy is loaded, so that renaming or replacing the file
 * (a package upgrade writes a new inode) never carries the rule over to
 * another file.
 */
struct nshard_exe_id {
	u64 ino;
	dev_t dev;
	u32 gen;
};

/**
 * struct nshard_verdict - what one rule, default or limit says
 * @set: the rule exists
 * @action: an &enum nshard_action
 * @line: line of the rule in the policy, 0 for the built-in default
 * @drop: capabilities to remove inside a user namespace whose creation this
 *        rule allows (allow/audit create user ... drop=...)
 */
struct nshard_verdict {
	u8 set;
	u8 action;
	u32 line;
	u64 drop;
};

/**
 * struct nshard_rule - the rules of a policy for one subject and operation
 * @node: link in &nshard_policy.table
 * @op: operation identifier
 * @kind: &enum nshard_subject_kind, never %NSHARD_SUBJECT_ANY
 * @id: uid or gid (in the initial user namespace), for uid and gid rules
 * @exe: identity of the executable, for exe rules
 * @path: the path of an exe rule as written, for printing
 * @v: the verdicts, indexed by &enum nshard_origin
 */
struct nshard_rule {
	struct hlist_node node;
	u16 op;
	u8 kind;
	u32 id;
	struct nshard_exe_id exe;
	const char *path;
	struct nshard_verdict v[NSHARD_ORIGIN_COUNT];
};

/**
 * struct nshard_policy - a compiled, immutable policy
 * @any: rules for every task, by operation and origin
 * @defaults: default of each operation (built-in: allow)
 * @kinds: for each operation, a bit per subject kind that has rules
 * @allow_all: for each operation, no statement applies to it: it is allowed
 *             for everyone, silently, without looking further
 * @limits: depth limits by namespace type and origin, -1 for none
 * @limit_lines: policy lines of the limits
 * @table: hash table of the uid, gid and exe rules
 * @hash_bits: log2 of the number of buckets of @table
 * @rules: array of the rules in @table
 * @nr_rules: number of rules in @rules
 * @max_rules: capacity of @rules
 * @nr_lines: number of rules, defaults and limits the text had
 * @has_exe: the policy has exe rules
 * @text: canonical text, what reading the policy file returns
 * @text_len: length of @text
 * @digest: SHA-256 of @text
 * @generation: 1 for the built-in policy, one more per load since
 * @mem: bytes allocated for this policy
 * @rwork: to free the policy after a grace period
 *
 * Hooks find the active policy with nshard_policy_get() under RCU.  A
 * decision costs at most one hash lookup per subject kind (one per group for
 * gid rules), whatever the size of the policy.
 */
struct nshard_policy {
	struct nshard_verdict any[NSHARD_OP_COUNT][NSHARD_ORIGIN_COUNT];
	struct nshard_verdict defaults[NSHARD_OP_COUNT];
	u8 kinds[NSHARD_OP_COUNT];
	bool allow_all[NSHARD_OP_COUNT];
	s8 limits[NSHARD_NS_COUNT][NSHARD_ORIGIN_COUNT];
	u32 limit_lines[NSHARD_NS_COUNT][NSHARD_ORIGIN_COUNT];
	struct hlist_head *table;
	unsigned int hash_bits;
	struct nshard_rule *rules;
	unsigned int nr_rules;
	unsigned int max_rules;
	unsigned int nr_lines;
	bool has_exe;
	char *text;
	size_t text_len;
	u8 digest[SHA256_DIGEST_SIZE];
	u64 generation;
	size_t mem;
	struct rcu_work rwork;
};

/**
 * struct nshard_subject - who asks, and about which namespace
 * @cred: the task's credentials
 * @userns: the user namespace the operation is about: for a creation, the
 *          one the new namespace is created in
 * @origin: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED: the origin
 *          of the namespace the operation is about (or would create)
 * @exe: identity of the task's executable, if @has_exe
 * @has_exe: @exe is known; filled in by nshard_decide() on first need
 * @exe_done: nshard_decide() tried to find the executable
 */
struct nshard_subject {
	const struct cred *cred;
	const struct user_namespace *userns;
	enum nshard_origin origin;
	struct nshard_exe_id exe;
	bool has_exe;
	bool exe_done;
};

/**
 * nshard_subject_init - describe who asks, the executable left for later
 * @subject: the subject to fill in
 * @cred: the task's credentials
 * @userns: the user namespace the operation is about
 * @origin: its origin, or that of the namespace a creation would make
 *
 * Only what every decision reads is written: the identity of the executable
 * is looked up, and written, by the first rule that needs it.
 */
static inline void nshard_subject_init(struct nshard_subject *subject,
				       const struct cred *cred,
				       const struct user_namespace *userns,
				       enum nshard_origin origin)
{
	subject->cred = cred;
	subject->userns = userns;
	subject->origin = origin;
	subject->exe_done = false;
}

/**
 * nshard_init_id - a uid or gid as rules name it
 * @id: the kernel's id (__kuid_val() or __kgid_val())
 *
 * Rules name ids as seen in the initial user namespace, which maps the
 * kernel's ids to themselves: this is from_kuid(&init_user_ns, uid) (or
 * from_kgid()) without the walk through the id map on the hooks' path.
 *
 * Return: @id.
 */
static inline u32 nshard_init_id(u32 id)
{
	return id;
}

/**
 * struct nshard_parse_error - where and why a policy was rejected
 * @line: line number, from 1; 0 if the error is not about one line
 * @msg: what is wrong
 * @token: the offending word, if any, truncated
 */
struct nshard_parse_error {
	unsigned int line;
	const char *msg;
	char token[48];
};

/* Parsing and building */
struct nshard_policy *nshard_policy_parse(const char *text, size_t len,
					  bool resolve_exe,
					  struct nshard_parse_error *err);
void nshard_policy_free(struct nshard_policy *policy);
struct nshard_policy *nshard_policy_alloc(unsigned int max_rules);
struct nshard_rule *nshard_policy_find(const struct nshard_policy *policy,
				       unsigned int op,
				       enum nshard_subject_kind kind, u32 id,
				       const struct nshard_exe_id *exe);
struct nshard_rule *nshard_policy_add(struct nshard_policy *policy,
				      unsigned int op,
				      enum nshard_subject_kind kind, u32 id,
				      const struct nshard_exe_id *exe);
int nshard_policy_finish(struct nshard_policy *policy);
const char *nshard_action_name(unsigned int action);

/* Evaluation */
const struct nshard_verdict *nshard_decide(const struct nshard_policy *policy,
					   unsigned int op,
					   struct nshard_subject *subject);
int nshard_limit(const struct nshard_policy *policy, enum nshard_ns_type type,
		 enum nshard_origin origin, u32 *line);
bool nshard_current_exe(struct nshard_exe_id *id);

/* The active policy */
extern struct nshard_policy __rcu *nshard_active_policy;
extern struct mutex nshard_config_lock;

/**
 * nshard_policy_get - the active policy
 *
 * Must be called under rcu_read_lock(); the policy stays valid until
 * rcu_read_unlock().
 *
 * Return: the active policy, never NULL once nshard is initialized.
 */
static inline const struct nshard_policy *nshard_policy_get(void)
{
	return rcu_dereference(nshard_active_policy);
}

extern atomic_t nshard_policies_live;

u64 nshard_policy_replace(struct nshard_policy *policy);
s64 nshard_policy_load(const char *text, size_t len,
		       struct nshard_parse_error *err);
int __init nshard_policy_init(void);

extern const char nshard_builtin_policy[];

#endif /* _SECURITY_NSHARD_POLICY_H */
