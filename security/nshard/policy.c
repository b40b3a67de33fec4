// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - compiled policies and their evaluation
 *
 * A policy is compiled once, when it is loaded, into per-operation tables
 * (rules for every task, defaults) and one hash table of the rules that name
 * a subject (uid, gid or executable).  It is immutable once published: hooks
 * read it under RCU, and a new policy replaces it whole.
 *
 * Evaluation ("most specific wins"): for an operation, the rule naming the
 * task's executable decides, else the rule naming its user, else the rules
 * naming one of its groups (the strictest of them), else the rule for every
 * task, else the operation's default.  At each step a rule qualified with the
 * namespace's origin ("restricted" or "privileged") takes precedence over an
 * unqualified one.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "audit.h"
#include "common.h"
#include "ops.h"
#include "policy.h"
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
 * Every operation defaults to allow, and no depth is limited.
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
	if (!p->table || !p->rules) {
		nshard_policy_free(p);
		return NULL;
	}
	p->max_rules = max_rules;
	p->mem = sizeof(*p) + nbuckets * sizeof(*p->table) +
		 max(max_rules, 1U) * sizeof(*p->rules);
	INIT_RCU_WORK(&p->rwork, nshard_policy_free_work);
	atomic_inc(&nshard_policies_live);
	return p;
}

/**
 * nshard_policy_free - free a policy that no reader can see
 * @policy: the policy, or NULL
 */
void nshard_policy_free(struct nshard_policy *policy)
{
	unsigned int i;

	if (!policy)
		return;
	if (policy->rules)
		for (i = 0; i < policy->nr_rules; i++)
			kfree(policy->rules[i].path);
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

static bool nshard_rule_match(const struct nshard_rule *r, unsigned int op,
			      enum nshard_subject_kind kind, u32 id,
			      const struct nshard_exe_id *exe)
{
	if (r->op != op || r->kind != kind)
		return false;
	if (kind != NSHARD_SUBJECT_EXE)
		return r->id == id;
	return r->exe.ino == exe->ino && r->exe.dev == exe->dev &&
	       r->exe.gen == exe->gen;
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
 * @exe: identity of the executable, for %NSHARD_SUBJECT_EXE
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
 * @exe: executable identity
 *
 * Return: the rules (new ones are empty), or NULL if the policy is full.
 */
struct nshard_rule *nshard_policy_add(struct nshard_policy *policy,
				      unsigned int op,
				      enum nshard_subject_kind kind, u32 id,
				      const struct nshard_exe_id *exe)
{
	struct nshard_rule *r = nshard_policy_find(policy, op, kind, id, exe);
	u32 h;

	if (r)
		return r;
	if (policy->nr_rules >= policy->max_rules)
		return NULL;
	r = &policy->rules[policy->nr_rules++];
	r->op = op;
	r->kind = kind;
	if (kind == NSHARD_SUBJECT_EXE)
		r->exe = *exe;
	else
		r->id = id;
	h = nshard_rule_bucket(policy, op, kind, id, exe);
	hlist_add_head(&r->node, &policy->table[h]);
	policy->kinds[op] |= BIT(kind);
	return r;
}

/* -------------------------------------------------------- evaluation -- */

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

	r = nshard_policy_find(policy, op, NSHARD_SUBJECT_GID,
			       nshard_init_id(__kgid_val(gid)), NULL);
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
	const struct group_info *groups = subject->cred->group_info;
	int i;

	nshard_gid_verdicts(policy, op, subject->cred->egid, subject->origin,
			    &qualified, &any);
	for (i = 0; groups && i < groups->ngroups; i++)
		nshard_gid_verdicts(policy, op, groups->gid[i],
				    subject->origin, &qualified, &any);
	return qualified ?: any;
}

/**
 * nshard_current_exe - identity of the current task's executable
 * @id: where to store it
 *
 * Return: false for tasks without one (kernel threads).
 */
bool nshard_current_exe(struct nshard_exe_id *id)
{
	struct file *exe;
	struct inode *inode;

	if (!current->mm)
		return false;
	exe = get_mm_exe_file(current->mm);
	if (!exe)
		return false;
	inode = file_inode(exe);
	id->ino = inode->i_ino;
	id->dev = inode->i_sb->s_dev;
	id->gen = inode->i_generation;
	fput(exe);
	return true;
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
			subject->has_exe = nshard_current_exe(&subject->exe);
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
					 nshard_init_id(__kuid_val(subject->cred->euid)),
					 NULL);
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

/* ---------------------------------------------------- canonical text -- */

static const char *const nshard_action_names[] = {
	[NSHARD_ACTION_ALLOW] = "allow",
	[NSHARD_ACTION_AUDIT] = "audit",
	[NSHARD_ACTION_DENY] = "deny",
};

static const char *const nshard_origin_names[NSHARD_ORIGIN_COUNT] = {
	[NSHARD_ORIGIN_ANY] = "",
	[NSHARD_ORIGIN_RESTRICTED] = " restricted",
	[NSHARD_ORIGIN_PRIVILEGED] = " privileged",
};

/**
 * nshard_action_name - name of an action in the policy language
 * @action: an &enum nshard_action
 *
 * Return: "allow", "audit" or "deny".
 */
const char *nshard_action_name(unsigned int action)
{
	return nshard_action_names[action];
}

/* Characters an exe path may contain without quotes. */
static bool nshard_path_char_plain(unsigned char c)
{
	return isalnum(c) || strchr("/._+-@,:=~%", c) || c >= 0x80;
}

static void nshard_print_path(struct seq_buf *s, const char *path)
{
	const unsigned char *p;
	bool plain = *path;

	for (p = path; *p; p++)
		plain = plain && nshard_path_char_plain(*p);
	if (plain) {
		seq_buf_puts(s, path);
		return;
	}
	seq_buf_putc(s, '"');
	for (p = path; *p; p++) {
		if (*p == '"' || *p == '\\')
			seq_buf_printf(s, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			seq_buf_printf(s, "\\x%02x", *p);
		else
			seq_buf_putc(s, *p);
	}
	seq_buf_putc(s, '"');
}

static void nshard_print_drop(struct seq_buf *s, u64 drop)
{
	const char *sep = " drop=";
	unsigned int cap;

	for (cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (!(drop & BIT_ULL(cap)))
			continue;
		seq_buf_printf(s, "%s%s", sep, nshard_cap_name(cap));
		sep = ",";
	}
}

static void nshard_print_verdicts(struct seq_buf *s, unsigned int op,
				  const struct nshard_rule *r,
				  const struct nshard_verdict *v)
{
	char name[NSHARD_OP_NAME_LEN];
	int o;

	nshard_op_format(op, name, sizeof(name));
	for (o = 0; o < NSHARD_ORIGIN_COUNT; o++) {
		if (!v[o].set)
			continue;
		seq_buf_printf(s, "%s %s", nshard_action_name(v[o].action),
			       name);
		if (r && r->kind == NSHARD_SUBJECT_EXE) {
			seq_buf_puts(s, " exe=");
			nshard_print_path(s, r->path);
		} else if (r) {
			seq_buf_printf(s, " %s=%u",
				       r->kind == NSHARD_SUBJECT_UID ?
				       "uid" : "gid", r->id);
		}
		seq_buf_puts(s, nshard_origin_names[o]);
		nshard_print_drop(s, v[o].drop);
		seq_buf_putc(s, '\n');
	}
}

static int nshard_rule_cmp(const void *a, const void *b)
{
	const struct nshard_rule *x = *(const struct nshard_rule **)a;
	const struct nshard_rule *y = *(const struct nshard_rule **)b;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->kind == NSHARD_SUBJECT_EXE)
		return strcmp(x->path, y->path);
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static void nshard_print_policy(struct seq_buf *s,
				const struct nshard_policy *p,
				struct nshard_rule **sorted)
{
	unsigned int op, i = 0;
	int type, o;

	for (type = 0; type < NSHARD_NS_COUNT; type++)
		for (o = 0; o < NSHARD_ORIGIN_COUNT; o++)
			if (p->limits[type][o] >= 0)
				seq_buf_printf(s, "limit depth %s %d%s\n",
					       nshard_ns_type_name(type),
					       p->limits[type][o],
					       nshard_origin_names[o]);
	for (op = 0; op < NSHARD_OP_COUNT; op++) {
		char name[NSHARD_OP_NAME_LEN];

		if (!nshard_op_valid(op) || !p->defaults[op].line)
			continue;
		nshard_op_format(op, name, sizeof(name));
		seq_buf_printf(s, "default %s %s", name,
			       nshard_action_name(p->defaults[op].action));
		nshard_print_drop(s, p->defaults[op].drop);
		seq_buf_putc(s, '\n');
	}
	for (op = 0; op < NSHARD_OP_COUNT; op++) {
		if (!nshard_op_valid(op))
			continue;
		nshard_print_verdicts(s, op, NULL, p->any[op]);
		for (; i < p->nr_rules && sorted[i]->op == op; i++)
			nshard_print_verdicts(s, op, sorted[i], sorted[i]->v);
	}
}

/* Does any statement of @p apply to @op? */
static bool nshard_op_touched(const struct nshard_policy *p, unsigned int op)
{
	int o;

	if (p->kinds[op] || p->defaults[op].action != NSHARD_ACTION_ALLOW ||
	    p->defaults[op].drop)
		return true;
	for (o = 0; o < NSHARD_ORIGIN_COUNT; o++)
		if (p->any[op][o].set)
			return true;
	if (nshard_op_class(op) == NSHARD_OP_CLASS_CREATE)
		for (o = 0; o < NSHARD_ORIGIN_COUNT; o++)
			if (p->limits[nshard_op_arg(op)][o] >= 0)
				return true;
	return false;
}

/**
 * nshard_policy_finish - compute a built policy's canonical text and digest
 * @policy: the policy, fully built
 *
 * Also notes the operations no statement applies to, which hooks can then
 * allow at once.
 *
 * Return: 0, or -ENOMEM.
 */
int nshard_policy_finish(struct nshard_policy *policy)
{
	struct nshard_rule **sorted;
	struct seq_buf s;
	size_t size = 4096 + (size_t)policy->nr_lines * 96;
	unsigned int i;
	char *text;

	for (i = 0; i < NSHARD_OP_COUNT; i++)
		policy->allow_all[i] = nshard_op_valid(i) &&
				       !nshard_op_touched(policy, i);
	sorted = kvmalloc_array(max(policy->nr_rules, 1U), sizeof(*sorted),
				GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < policy->nr_rules; i++)
		sorted[i] = &policy->rules[i];
	sort(sorted, policy->nr_rules, sizeof(*sorted), nshard_rule_cmp, NULL);

	for (;;) {
		text = kvmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!text) {
			kvfree(sorted);
			return -ENOMEM;
		}
		seq_buf_init(&s, text, size);
		nshard_print_policy(&s, policy, sorted);
		/* Room for the NUL: the text is also a C string. */
		if (!seq_buf_has_overflowed(&s) && seq_buf_used(&s) < size)
			break;
		kvfree(text);
		size *= 2;
	}
	kvfree(sorted);
	policy->text = text;
	policy->text_len = seq_buf_used(&s);
	text[policy->text_len] = '\0';
	policy->mem += size;
	sha256(text, policy->text_len, policy->digest);
	return 0;
}

/* ----------------------------------------------------- active policy -- */

/**
 * nshard_policy_replace - make a policy the active one
 * @policy: a finished policy, which the active policy now owns
 *
 * Must be called with nshard_config_lock held.  The previous policy is freed
 * after a grace period: hooks that already hold it finish with it.
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
		queue_rcu_work(system_wq, &old->rwork);
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
 * allocated.
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
	}
	mutex_unlock(&nshard_config_lock);
	if (ret < 0)
		nshard_policy_free(p);
	else
		nshard_report_policy_load(p);
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
