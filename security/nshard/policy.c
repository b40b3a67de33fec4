// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - compiled policies and their evaluation
 *
 * A policy is compiled once, when it is loaded, into per-operation tables
 * (rules for every task, defaults) and one hash table of the rules that name
 * a subject (uid, gid or program).  It is immutable once published: hooks
 * read it under RCU, and a new policy replaces it whole.
 *
 * Evaluation ("most specific wins"): for an operation, the rule naming the
 * program the task executed decides, else the rule naming its user, else the
 * rules naming one of its groups (the strictest of them), else the rule for
 * every task, else the operation's default.  At each step a rule qualified
 * with the namespace's origin ("restricted" or "privileged") takes
 * precedence over an unqualified one.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "audit.h"
#include "common.h"
#include "exec.h"
#include "ops.h"
#include "policy.h"
#include "record.h"
#include "seal.h"

struct nshard_policy __rcu *nshard_active_policy;

/* Serializes changes of the policy, the mode and the seal. */
DEFINE_MUTEX(nshard_config_lock);

/* Policies allocated and not yet freed, active or not: leaks show here. */
atomic_t nshard_policies_live = ATOMIC_INIT(0);

static void nshard_policy_free_work(struct work_struct *work)
{
	nshard_policy_free(container_of(to_rcu_work(work),
					struct nshard_policy, rwork));
}

/**
 * nshard_policy_alloc - allocate an empty policy
 * @max_rules: most uid, gid and exe rules it will hold
 *
 * Every operation defaults to allow, and no depth is limited.  The policy
 * holds one reference, which nshard_policy_replace() hands to the active
 * policy, or nshard_policy_free() drops.
 *
 * Return: the policy, or NULL.
 */
struct nshard_policy *nshard_policy_alloc(unsigned int max_rules)
{
	struct nshard_policy *p;
	unsigned int op, nbuckets;

	p = kvzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	for (op = 0; op < NSHARD_OP_COUNT; op++) {
		p->defaults[op].set = 1;
		p->defaults[op].action = NSHARD_ACTION_ALLOW;
	}
	memset(p->limits, -1, sizeof(p->limits));

	/* At most one rule per bucket on average, and at least 16 buckets. */
	p->hash_bits = max_t(unsigned int, fls(max_rules), 4);
	nbuckets = 1U << p->hash_bits;
	p->table = kvcalloc(nbuckets, sizeof(*p->table), GFP_KERNEL_ACCOUNT);
	p->rules = kvcalloc(max(max_rules, 1U), sizeof(*p->rules),
			    GFP_KERNEL_ACCOUNT);
	atomic_inc(&nshard_policies_live);
	if (!p->table || !p->rules) {
		nshard_policy_free(p);
		return NULL;
	}
	p->max_rules = max_rules;
	p->mem = sizeof(*p) + nbuckets * sizeof(*p->table) +
		 max(max_rules, 1U) * sizeof(*p->rules);
	refcount_set(&p->ref, 1);
	INIT_RCU_WORK(&p->rwork, nshard_policy_free_work);
	return p;
}

/**
 * nshard_policy_free - free a policy that no reader can see
 * @policy: the policy, or NULL
 */
void nshard_policy_free(struct nshard_policy *policy)
{
	struct nshard_exe *x;
	struct hlist_node *tmp;
	unsigned int i;

	if (!policy)
		return;
	for (i = 0; i < NSHARD_EXE_BUCKETS; i++) {
		hlist_for_each_entry_safe(x, tmp, &policy->exe_table[i], node) {
			kfree(x->path);
			kfree(x);
		}
	}
	kvfree(policy->rules);
	kvfree(policy->table);
	kvfree(policy->text);
	kvfree(policy);
	atomic_dec(&nshard_policies_live);
}

/*
 * The bucket of a subject's rules for an operation.  Keys come from the
 * administrator's policy, not from whoever asks, so a multiplicative hash
 * serves: a few instructions on the hooks' path.
 */
static u32 nshard_rule_bucket(const struct nshard_policy *policy,
			      unsigned int op, enum nshard_subject_kind kind,
			      u32 id, const struct nshard_exe_id *exe)
{
	u64 key = (u64)op << 40 | (u64)kind << 32;

	if (kind == NSHARD_SUBJECT_EXE)
		key ^= exe->ino ^ (u64)exe->dev << 20 ^ (u64)exe->gen << 44;
	else
		key |= id;
	return hash_64(key, policy->hash_bits);
}

static bool nshard_exe_id_equal(const struct nshard_exe_id *a,
				const struct nshard_exe_id *b)
{
	return a->ino == b->ino && a->dev == b->dev && a->gen == b->gen;
}

static bool nshard_rule_match(const struct nshard_rule *r, unsigned int op,
			      enum nshard_subject_kind kind, u32 id,
			      const struct nshard_exe_id *exe)
{
	if (r->op != op || r->kind != kind)
		return false;
	if (kind != NSHARD_SUBJECT_EXE)
		return r->id == id;
	return nshard_exe_id_equal(&r->exe->id, exe);
}

/* The lookup itself, inlined where hooks decide. */
static __always_inline struct nshard_rule *
__nshard_policy_find(const struct nshard_policy *policy, unsigned int op,
		     enum nshard_subject_kind kind, u32 id,
		     const struct nshard_exe_id *exe)
{
	u32 h = nshard_rule_bucket(policy, op, kind, id, exe);
	struct nshard_rule *r;

	hlist_for_each_entry(r, &policy->table[h], node)
		if (nshard_rule_match(r, op, kind, id, exe))
			return r;
	return NULL;
}

/**
 * nshard_policy_find - find the rules for a subject and an operation
 * @policy: the policy
 * @op: operation identifier
 * @kind: %NSHARD_SUBJECT_GID, %NSHARD_SUBJECT_UID or %NSHARD_SUBJECT_EXE
 * @id: gid or uid in the initial user namespace, for those kinds
 * @exe: identity of the program, for %NSHARD_SUBJECT_EXE
 *
 * Return: the rules, or NULL if the policy has none for them.
 */
struct nshard_rule *nshard_policy_find(const struct nshard_policy *policy,
				       unsigned int op,
				       enum nshard_subject_kind kind, u32 id,
				       const struct nshard_exe_id *exe)
{
	return __nshard_policy_find(policy, op, kind, id, exe);
}

/**
 * nshard_policy_add - add a subject's rules for an operation, or find them
 * @policy: a policy being built
 * @op: operation identifier
 * @kind: %NSHARD_SUBJECT_GID, %NSHARD_SUBJECT_UID or %NSHARD_SUBJECT_EXE
 * @id: gid or uid
 * @exe: the program, added with nshard_policy_add_exe(), for exe rules
 *
 * Return: the rules (new ones are empty), or NULL if the policy is full.
 */
struct nshard_rule *nshard_policy_add(struct nshard_policy *policy,
				      unsigned int op,
				      enum nshard_subject_kind kind, u32 id,
				      struct nshard_exe *exe)
{
	const struct nshard_exe_id *exe_id = exe ? &exe->id : NULL;
	struct nshard_rule *r = nshard_policy_find(policy, op, kind, id, exe_id);
	u32 h;

	if (r)
		return r;
	if (policy->nr_rules >= policy->max_rules)
		return NULL;
	r = &policy->rules[policy->nr_rules++];
	r->op = op;
	r->kind = kind;
	if (kind == NSHARD_SUBJECT_EXE)
		r->exe = exe;
	else
		r->id = id;
	h = nshard_rule_bucket(policy, op, kind, id, exe_id);
	hlist_add_head(&r->node, &policy->table[h]);
	policy->kinds[op] |= BIT(kind);
	return r;
}

static u32 nshard_exe_bucket(const struct nshard_exe_id *id)
{
	return hash_64(id->ino ^ (u64)id->dev << 20 ^ (u64)id->gen << 44,
		       ilog2(NSHARD_EXE_BUCKETS));
}

/**
 * nshard_policy_exe - find a program exe= rules name
 * @policy: the policy
 * @id: identity of the file
 *
 * Return: the program, or NULL if no rule of @policy names the file.
 */
struct nshard_exe *nshard_policy_exe(const struct nshard_policy *policy,
				     const struct nshard_exe_id *id)
{
	struct nshard_exe *x;

	hlist_for_each_entry(x, &policy->exe_table[nshard_exe_bucket(id)], node)
		if (nshard_exe_id_equal(&x->id, id))
			return x;
	return NULL;
}

/**
 * nshard_policy_add_exe - add a program to a policy being built, or find it
 * @policy: the policy
 * @id: identity of the file
 *
 * Return: the program (a new one has no path yet), or NULL without memory.
 */
struct nshard_exe *nshard_policy_add_exe(struct nshard_policy *policy,
					 const struct nshard_exe_id *id)
{
	struct nshard_exe *x = nshard_policy_exe(policy, id);

	if (x)
		return x;
	x = kzalloc(sizeof(*x), GFP_KERNEL_ACCOUNT);
	if (!x)
		return NULL;
	x->id = *id;
	hlist_add_head(&x->node, &policy->exe_table[nshard_exe_bucket(id)]);
	policy->mem += sizeof(*x);
	policy->has_exe = true;
	return x;
}

/* -------------------------------------------------------- evaluation -- */

/**
 * nshard_subject_init - describe who asks, the program left for later
 * @subject: the subject to fill in
 * @cred: the task's credentials
 * @userns: the user namespace the operation is about
 * @origin: its origin, or that of the namespace a creation would make
 *
 * The ids rules see are those of @cred in the initial user namespace, and
 * those recorded for @cred's user namespace in any other (see
 * &struct nshard_ident).  The program is looked up by the first rule that
 * needs it.
 */
void nshard_subject_init(struct nshard_subject *subject,
			 const struct cred *cred,
			 const struct user_namespace *userns,
			 enum nshard_origin origin)
{
	subject->cred = cred;
	if (cred->user_ns == &init_user_ns) {
		subject->ident.uid = cred->euid;
		subject->ident.gid = cred->egid;
		subject->ident.groups = cred->group_info;
	} else {
		subject->ident = nshard_userns(cred->user_ns)->ident;
	}
	subject->userns = userns;
	subject->origin = origin;
	subject->exe_done = false;
}

static const struct nshard_verdict *
nshard_pick(const struct nshard_verdict *v, enum nshard_origin origin)
{
	if (v[origin].set)
		return &v[origin];
	if (v[NSHARD_ORIGIN_ANY].set)
		return &v[NSHARD_ORIGIN_ANY];
	return NULL;
}

/* The stricter of two verdicts; the earlier line breaks ties. */
static const struct nshard_verdict *
nshard_stricter(const struct nshard_verdict *a, const struct nshard_verdict *b)
{
	if (!a)
		return b;
	if (!b || a->action > b->action)
		return a;
	if (b->action > a->action)
		return b;
	return a->line <= b->line ? a : b;
}

static void nshard_gid_verdicts(const struct nshard_policy *policy,
				unsigned int op, kgid_t gid,
				enum nshard_origin origin,
				const struct nshard_verdict **qualified,
				const struct nshard_verdict **any)
{
	const struct nshard_rule *r;

	/* The initial user namespace maps kernel ids to themselves. */
	r = nshard_policy_find(policy, op, NSHARD_SUBJECT_GID, __kgid_val(gid),
			       NULL);
	if (!r)
		return;
	if (r->v[origin].set)
		*qualified = nshard_stricter(*qualified, &r->v[origin]);
	else if (r->v[NSHARD_ORIGIN_ANY].set)
		*any = nshard_stricter(*any, &r->v[NSHARD_ORIGIN_ANY]);
}

static const struct nshard_verdict *
nshard_decide_gid(const struct nshard_policy *policy, unsigned int op,
		  const struct nshard_subject *subject)
{
	const struct nshard_verdict *qualified = NULL, *any = NULL;
	const struct group_info *groups = subject->ident.groups;
	int i;

	nshard_gid_verdicts(policy, op, subject->ident.gid, subject->origin,
			    &qualified, &any);
	for (i = 0; groups && i < groups->ngroups; i++)
		nshard_gid_verdicts(policy, op, groups->gid[i],
				    subject->origin, &qualified, &any);
	return qualified ?: any;
}

/**
 * nshard_decide - find the verdict of a policy on an operation
 * @policy: the policy
 * @op: a valid operation identifier
 * @subject: who asks, about a namespace of which origin
 *
 * Depth limits are not considered here, see nshard_limit().  Costs at most
 * one hash lookup per subject kind the policy has rules of for @op (one per
 * group for gid rules), independent of the number of rules.
 *
 * Return: the verdict, never NULL; it lives as long as @policy.
 */
const struct nshard_verdict *nshard_decide(const struct nshard_policy *policy,
					   unsigned int op,
					   struct nshard_subject *subject)
{
	const struct nshard_verdict *v;
	const struct nshard_rule *r;
	u8 kinds = policy->kinds[op];

	if (kinds & BIT(NSHARD_SUBJECT_EXE)) {
		if (!subject->exe_done) {
			subject->has_exe = nshard_exec_identity(&subject->exe);
			subject->exe_done = true;
		}
		if (subject->has_exe) {
			r = nshard_policy_find(policy, op, NSHARD_SUBJECT_EXE,
					       0, &subject->exe);
			v = r ? nshard_pick(r->v, subject->origin) : NULL;
			if (v)
				return v;
		}
	}
	if (kinds & BIT(NSHARD_SUBJECT_UID)) {
		r = __nshard_policy_find(policy, op, NSHARD_SUBJECT_UID,
					 __kuid_val(subject->ident.uid), NULL);
		v = r ? nshard_pick(r->v, subject->origin) : NULL;
		if (v)
			return v;
	}
	if (kinds & BIT(NSHARD_SUBJECT_GID)) {
		v = nshard_decide_gid(policy, op, subject);
		if (v)
			return v;
	}
	v = nshard_pick(policy->any[op], subject->origin);
	return v ?: &policy->defaults[op];
}

/**
 * nshard_limit - depth limit for a namespace type
 * @policy: the policy
 * @type: the namespace type
 * @origin: origin of the namespace being created
 * @line: set to the line of the limit that applies
 *
 * A limit for every namespace and one for the origin may both apply: the
 * lower wins.
 *
 * Return: the deepest nesting allowed, or -1 if there is no limit.
 */
int nshard_limit(const struct nshard_policy *policy, enum nshard_ns_type type,
		 enum nshard_origin origin, u32 *line)
{
	int any = policy->limits[type][NSHARD_ORIGIN_ANY];
	int own = policy->limits[type][origin];

	if (own >= 0 && (any < 0 || own <= any)) {
		*line = policy->limit_lines[type][origin];
		return own;
	}
	*line = policy->limit_lines[type][NSHARD_ORIGIN_ANY];
	return any;
}

/* ------------------------------------------------------------ finish -- */

/* Does any verdict of @p (a rule or a default) apply to @op? */
static bool nshard_op_has_verdict(const struct nshard_policy *p,
				  unsigned int op)
{
	int o;

	if (p->kinds[op] || p->defaults[op].action != NSHARD_ACTION_ALLOW ||
	    p->defaults[op].drop)
		return true;
	for (o = 0; o < NSHARD_ORIGIN_COUNT; o++)
		if (p->any[op][o].set)
			return true;
	return false;
}

/* Does any statement of @p apply to @op? */
static bool nshard_op_touched(const struct nshard_policy *p, unsigned int op)
{
	unsigned int arg = nshard_op_arg(op);
	int o;

	if (nshard_op_has_verdict(p, op))
		return true;
	switch (nshard_op_class(op)) {
	case NSHARD_OP_CLASS_CREATE:
		for (o = 0; o < NSHARD_ORIGIN_COUNT; o++)
			if (p->limits[arg][o] >= 0)
				return true;
		return false;
	case NSHARD_OP_CLASS_SETNS:
		/* Entering may be judged as creating: see ns.c. */
		return nshard_op_has_verdict(p, NSHARD_OP_CREATE(arg));
	default:
		return false;
	}
}

/* A program is exempting if a rule naming it allows or audits something. */
static void nshard_mark_exempting(struct nshard_policy *p)
{
	unsigned int i;
	int o;

	for (i = 0; i < p->nr_rules; i++) {
		struct nshard_rule *r = &p->rules[i];

		if (r->kind != NSHARD_SUBJECT_EXE)
			continue;
		for (o = 0; o < NSHARD_ORIGIN_COUNT; o++)
			if (r->v[o].set && r->v[o].action != NSHARD_ACTION_DENY)
				r->exe->exempting = true;
	}
}

/**
 * nshard_policy_finish - complete a policy once every statement is in
 * @policy: the policy, fully built
 *
 * Notes the operations no statement applies to, which hooks can then allow
 * at once, and the programs whose execution is made secure, and computes
 * the canonical text and digest.
 *
 * Return: 0, or -ENOMEM.
 */
int nshard_policy_finish(struct nshard_policy *policy)
{
	unsigned int i;

	for (i = 0; i < NSHARD_OP_COUNT; i++)
		policy->allow_all[i] = nshard_op_valid(i) &&
				       !nshard_op_touched(policy, i);
	nshard_mark_exempting(policy);
	return nshard_policy_print(policy);
}

/* ----------------------------------------------------- active policy -- */

/**
 * nshard_policy_get_active - take a reference on the active policy
 *
 * For readers that keep the policy beyond an RCU read-side section, such as
 * an open policy file.  Takes no lock: a policy being replaced is either
 * still referenced, or skipped for its successor.
 *
 * Return: the active policy; release it with nshard_policy_put().
 */
struct nshard_policy *nshard_policy_get_active(void)
{
	struct nshard_policy *p;

	rcu_read_lock();
	do {
		p = rcu_dereference(nshard_active_policy);
	} while (!refcount_inc_not_zero(&p->ref));
	rcu_read_unlock();
	return p;
}

/**
 * nshard_policy_put - drop a reference on a policy
 * @policy: the policy
 *
 * The last reference frees it after a grace period, since hooks may still
 * read it under RCU.
 */
void nshard_policy_put(struct nshard_policy *policy)
{
	if (refcount_dec_and_test(&policy->ref))
		queue_rcu_work(system_wq, &policy->rwork);
}

/**
 * nshard_policy_replace - make a policy the active one
 * @policy: a finished policy, whose reference the active policy now owns
 *
 * Must be called with nshard_config_lock held.  The previous policy loses
 * the active policy's reference: it is freed after a grace period once no
 * open policy file holds it, so that hooks that already read it finish
 * with it.
 *
 * Return: the generation number given to @policy.
 */
u64 nshard_policy_replace(struct nshard_policy *policy)
{
	struct nshard_policy *old;

	old = rcu_dereference_protected(nshard_active_policy,
					lockdep_is_held(&nshard_config_lock));
	policy->generation = old ? old->generation + 1 : 1;
	rcu_assign_pointer(nshard_active_policy, policy);
	if (old)
		nshard_policy_put(old);
	return policy->generation;
}

/**
 * nshard_policy_load - parse a policy and make it the active one
 * @text: the policy text
 * @len: its length
 * @err: set to the line and reason of a rejection
 *
 * Nothing changes unless the whole text is valid and the configuration is
 * not sealed: the previous policy stays in force, and nothing is left
 * allocated.  The load is reported while the lock is held: once it is
 * dropped, another load may replace and free the new policy.
 *
 * Return: the new generation number, or a negative errno: see
 * nshard_policy_parse(), and -EPERM if sealed.
 */
s64 nshard_policy_load(const char *text, size_t len,
		       struct nshard_parse_error *err)
{
	struct nshard_policy *p;
	s64 ret;

	p = nshard_policy_parse(text, len, true, err);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mutex_lock(&nshard_config_lock);
	if (nshard_is_sealed()) {
		err->msg = "the configuration is sealed until reboot";
		ret = -EPERM;
	} else {
		ret = nshard_policy_replace(p);
		nshard_report_policy_load(p);
	}
	mutex_unlock(&nshard_config_lock);
	if (ret < 0)
		nshard_policy_free(p);
	return ret;
}

/**
 * nshard_policy_init - make the built-in policy the active one
 *
 * The built-in policy comes from CONFIG_SECURITY_NSHARD_DEFAULT_POLICY.  If
 * it does not parse (its KUnit test says so at build time), nshard starts
 * with an empty policy, and says why.
 *
 * Return: 0, or -ENOMEM.
 */
int __init nshard_policy_init(void)
{
	struct nshard_parse_error err;
	struct nshard_policy *p;

	p = nshard_policy_parse(nshard_builtin_policy,
				strlen(nshard_builtin_policy), false, &err);
	if (IS_ERR(p)) {
		pr_err("built-in policy rejected: line %u: %s%s%s; using an empty policy\n",
		       err.line, err.msg, err.token[0] ? ": " : "", err.token);
		p = nshard_policy_parse("", 0, false, &err);
		if (IS_ERR(p))
			return PTR_ERR(p);
	}
	mutex_lock(&nshard_config_lock);
	nshard_policy_replace(p);
	mutex_unlock(&nshard_config_lock);
	return 0;
}
