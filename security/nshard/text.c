// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - the canonical text of a policy
 *
 * Reading the policy file returns the active policy in canonical form:
 * limits, then defaults, then rules ordered by operation, subject and
 * origin, one blank between words, no comments.  Loading the canonical form
 * gives it back unchanged, and its SHA-256 is the policy's digest: the same
 * policy, however written, has the same digest on every machine.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/ctype.h>
#include <linux/mm.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "ops.h"
#include "policy.h"

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

static void nshard_print_subject(struct seq_buf *s,
				 const struct nshard_rule *r)
{
	if (!r)
		return;
	if (r->kind == NSHARD_SUBJECT_EXE) {
		seq_buf_puts(s, " exe=");
		nshard_print_path(s, r->exe->path);
		if (r->exe->inherit)
			seq_buf_puts(s, " inherit");
		return;
	}
	seq_buf_printf(s, " %s=%u",
		       r->kind == NSHARD_SUBJECT_UID ? "uid" : "gid", r->id);
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
		nshard_print_subject(s, r);
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
		return strcmp(x->exe->path, y->exe->path);
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

/**
 * nshard_policy_print - compute a built policy's canonical text and digest
 * @policy: the policy, fully built
 *
 * Return: 0, or -ENOMEM.
 */
int nshard_policy_print(struct nshard_policy *policy)
{
	size_t size = 4096 + (size_t)policy->nr_lines * 96;
	struct nshard_rule **sorted;
	struct seq_buf s;
	unsigned int i;
	char *text;

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
