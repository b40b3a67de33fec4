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
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
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
 * nshard_exe_id_of - identity of a file
 * @inode: its inode
 * @id: where to store the identity
 */
static inline void nshard_exe_id_of(const struct inode *inode,
				    struct nshard_exe_id *id)
{
	id->ino = inode->i_ino;
	id->dev = inode->i_sb->s_dev;
	id->gen = inode->i_generation;
}

/**
 * struct nshard_exe - a program named by exe= rules
 * @node: link in &nshard_policy.exe_table
 * @id: identity of its file
 * @path: the path as written, for printing
 * @inherit: its rules say "inherit": children it forks keep what it holds
 * @exempting: one of its rules allows or audits an operation; executing it
 *             is then made like a set-user-ID execution (see exec.c)
 * @line: first line of the policy naming it, for error messages
 *
 * Every rule naming the program points to it.  A task holds the identity of
 * a program only if it executed the program while a policy naming it was
 * active; exe= rules match nothing else.
 */
struct nshard_exe {
	struct hlist_node node;
	struct nshard_exe_id id;
	const char *path;
	bool inherit;
	bool exempting;
	u32 line;
};

/* Buckets of the table of programs: few policies name more than a handful. */
#define NSHARD_EXE_BUCKETS	64

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
 * @exe: the program, for exe rules
 * @v: the verdicts, indexed by &enum nshard_origin
 */
struct nshard_rule {
	struct hlist_node node;
	u16 op;
	u8 kind;
	u32 id;
	struct nshard_exe *exe;
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
 * @exe_table: the programs exe= rules name, by identity
 * @has_exe: the policy has exe rules
 * @text: canonical text, what reading the policy file returns
 * @text_len: length of @text
 * @digest: SHA-256 of @text
 * @generation: 1 for the built-in policy, one more per load since
 * @mem: bytes allocated for this policy
 * @ref: references: one for being active, one per open policy file
 * @rwork: to free the policy after a grace period
 *
 * Hooks find the active policy with nshard_policy_get() under RCU and take
 * no reference.  Readers of the policy file hold a reference instead, so
 * that the text they read stays whole however long they keep the file open,
 * without a copy.  A decision costs at most one hash lookup per subject kind
 * (one per group for gid rules), whatever the size of the policy.
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
	struct hlist_head exe_table[NSHARD_EXE_BUCKETS];
	bool has_exe;
	char *text;
	size_t text_len;
	u8 digest[SHA256_DIGEST_SIZE];
	u64 generation;
	size_t mem;
	refcount_t ref;
	struct rcu_work rwork;
};

/**
 * struct nshard_ident - whom uid= and gid= rules see in a task
 * @uid: effective uid
 * @gid: effective gid
 * @groups: supplementary groups, or NULL for none
 *
 * In the initial user namespace, the task's own ids.  Inside any other user
 * namespace, the ids of the task that created the outermost user namespace
 * it is in, recorded then: ids changed inside a namespace (with newuidmap,
 * setgroups() after newgidmap) do not escape a rule.
 */
struct nshard_ident {
	kuid_t uid;
	kgid_t gid;
	struct group_info *groups;
};

/**
 * struct nshard_subject - who asks, and about which namespace
 * @cred: the task's credentials
 * @ident: the ids uid= and gid= rules match, see &struct nshard_ident
 * @userns: the user namespace the operation is about: for a creation, the
 *          one the new namespace is created in
 * @origin: %NSHARD_ORIGIN_RESTRICTED or %NSHARD_ORIGIN_PRIVILEGED: the origin
 *          of the namespace the operation is about (or would create)
 * @exe: identity of the program the task executed, if @has_exe
 * @has_exe: @exe is known; filled in by nshard_decide() on first need
 * @exe_done: nshard_decide() looked the program up
 */
struct nshard_subject {
	const struct cred *cred;
	struct nshard_ident ident;
	const struct user_namespace *userns;
	enum nshard_origin origin;
	struct nshard_exe_id exe;
	bool has_exe;
	bool exe_done;
};

void nshard_subject_init(struct nshard_subject *subject,
			 const struct cred *cred,
			 const struct user_namespace *userns,
			 enum nshard_origin origin);

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
				      struct nshard_exe *exe);
int nshard_policy_finish(struct nshard_policy *policy);
const char *nshard_action_name(unsigned int action);
struct nshard_exe *nshard_policy_exe(const struct nshard_policy *policy,
				     const struct nshard_exe_id *id);
struct nshard_exe *nshard_policy_add_exe(struct nshard_policy *policy,
					 const struct nshard_exe_id *id);
int nshard_policy_print(struct nshard_policy *policy);

/* Evaluation */
const struct nshard_verdict *nshard_decide(const struct nshard_policy *policy,
					   unsigned int op,
					   struct nshard_subject *subject);
int nshard_limit(const struct nshard_policy *policy, enum nshard_ns_type type,
		 enum nshard_origin origin, u32 *line);

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

struct nshard_policy *nshard_policy_get_active(void);
void nshard_policy_put(struct nshard_policy *policy);
u64 nshard_policy_replace(struct nshard_policy *policy);
s64 nshard_policy_load(const char *text, size_t len,
		       struct nshard_parse_error *err);
int __init nshard_policy_init(void);

extern const char nshard_builtin_policy[];

#endif /* _SECURITY_NSHARD_POLICY_H */
