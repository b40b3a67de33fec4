// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - the policy language
 *
 * A policy is text, one statement per line; '#' starts a comment, blank
 * lines are ignored:
 *
 *   <action> <operation> [<subject>] [inherit] [restricted|privileged]
 *            [drop=<caps>]
 *   default <operation> <action> [drop=<caps>]
 *   limit depth <type> <N> [restricted|privileged]
 *
 *   action:    allow | audit | deny
 *   operation: create <type> | setns <type> | cap <CAP> | gate <gate>
 *   type:      user mnt net pid ipc uts cgroup time
 *   subject:   uid=<N> | gid=<N> | exe=<absolute path>
 *   caps:      capability names without CAP_, separated by commas
 *
 * "inherit" is for exe= rules: the children the program forks keep what it
 * holds.  It is a property of the program: every rule naming the program
 * says it, or none does.
 *
 * An exe path holding spaces or special characters is written in double
 * quotes, where \" \\ and \xHH are the only escapes.  Statements are checked
 * as they are read; the first error rejects the whole text.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "common.h"
#include "ops.h"
#include "policy.h"

/* A quoted path of PATH_MAX bytes, all escaped, plus the rest of a rule. */
#define NSHARD_LINE_MAX		(4 * PATH_MAX + 256)
#define NSHARD_MAX_WORDS	8

struct nshard_parser {
	struct nshard_policy *policy;
	struct nshard_parse_error *err;
	bool resolve_exe;
	unsigned int line;
	char *words[NSHARD_MAX_WORDS];
	bool quoted[NSHARD_MAX_WORDS];
	unsigned int nwords;
};

static int nshard_fail(struct nshard_parser *ps, int errno, const char *msg,
		       const char *token)
{
	ps->err->line = ps->line;
	ps->err->msg = msg;
	if (token)
		strscpy(ps->err->token, token, sizeof(ps->err->token));
	else
		ps->err->token[0] = '\0';
	return errno;
}

static int nshard_hexval(char c)
{
	return isxdigit(c) ? hex_to_bin(c) : -1;
}

/*
 * Split @line into words, in place.  A word may contain double-quoted parts,
 * which are unescaped.  '#' at the start of a word starts a comment.
 */
static int nshard_split(struct nshard_parser *ps, char *line)
{
	char *in = line, *out;

	ps->nwords = 0;
	for (;;) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in || *in == '#')
			return 0;
		if (ps->nwords == NSHARD_MAX_WORDS)
			return nshard_fail(ps, -EINVAL, "too many words", in);
		out = in;
		ps->quoted[ps->nwords] = false;
		ps->words[ps->nwords++] = out;
		while (*in && *in != ' ' && *in != '\t') {
			unsigned char c = *in++;

			if (c < 0x20 || c == 0x7f)
				return nshard_fail(ps, -EINVAL,
						   "control character", NULL);
			if (c != '"') {
				*out++ = c;
				continue;
			}
			ps->quoted[ps->nwords - 1] = true;
			while (*in != '"') {
				int hi, lo;

				c = *in++;
				if (!c)
					return nshard_fail(ps, -EINVAL,
							   "unterminated quote",
							   NULL);
				if (c < 0x20 || c == 0x7f)
					return nshard_fail(ps, -EINVAL,
							   "control character",
							   NULL);
				if (c != '\\') {
					*out++ = c;
					continue;
				}
				c = *in++;
				if (c == '"' || c == '\\') {
					*out++ = c;
					continue;
				}
				if (c != 'x')
					return nshard_fail(ps, -EINVAL,
							   "bad escape in quotes",
							   NULL);
				hi = nshard_hexval(in[0]);
				lo = hi < 0 ? -1 : nshard_hexval(in[1]);
				if (lo < 0 || (hi == 0 && lo == 0))
					return nshard_fail(ps, -EINVAL,
							   "bad \\x escape",
							   NULL);
				*out++ = hi << 4 | lo;
				in += 2;
			}
			in++;
		}
		if (*in)
			in++;
		*out = '\0';
	}
}

/* Parse "<class> <argument>" at word @i. */
static int nshard_parse_op(struct nshard_parser *ps, unsigned int i)
{
	static const char *const classes[NSHARD_OP_CLASS_COUNT] = {
		"create", "setns", "cap", "gate",
	};
	int class, op;

	if (i + 1 >= ps->nwords)
		return nshard_fail(ps, -EINVAL, "missing operation", NULL);
	class = match_string(classes, NSHARD_OP_CLASS_COUNT, ps->words[i]);
	if (class < 0)
		return nshard_fail(ps, -EINVAL,
				   "unknown operation (create, setns, cap, gate)",
				   ps->words[i]);
	op = nshard_op_arg_parse(class, ps->words[i + 1]);
	if (op < 0)
		return nshard_fail(ps, -EINVAL,
				   class == NSHARD_OP_CLASS_CAP ?
				   "unknown capability (spelled like NET_ADMIN)" :
				   class == NSHARD_OP_CLASS_GATE ?
				   "unknown gate" : "unknown namespace type",
				   ps->words[i + 1]);
	return op;
}

static int nshard_parse_action(struct nshard_parser *ps, const char *word)
{
	static const char *const actions[] = {
		[NSHARD_ACTION_ALLOW] = "allow",
		[NSHARD_ACTION_AUDIT] = "audit",
		[NSHARD_ACTION_DENY] = "deny",
	};
	int a = match_string(actions, ARRAY_SIZE(actions), word);

	if (a < 0)
		return nshard_fail(ps, -EINVAL,
				   "unknown action (allow, audit, deny)", word);
	return a;
}

static int nshard_parse_origin(const char *word)
{
	if (!strcmp(word, "restricted"))
		return NSHARD_ORIGIN_RESTRICTED;
	if (!strcmp(word, "privileged"))
		return NSHARD_ORIGIN_PRIVILEGED;
	return -EINVAL;
}

/* A decimal number without sign, at most @max. */
static int nshard_parse_number(struct nshard_parser *ps, const char *word,
			       u32 max, u32 *val)
{
	const char *p;

	for (p = word; *p; p++)
		if (!isdigit(*p))
			break;
	if (p == word || *p || p - word > 10 || kstrtou32(word, 10, val) ||
	    *val > max)
		return nshard_fail(ps, -EINVAL, "bad number", word);
	return 0;
}

static int nshard_parse_drop(struct nshard_parser *ps, char *list, u64 *drop)
{
	char *name;

	*drop = 0;
	while ((name = strsep(&list, ","))) {
		int cap = nshard_cap_parse(name);

		if (cap < 0)
			return nshard_fail(ps, -EINVAL,
					   *name ? "unknown capability in drop=" :
					   "empty capability in drop=", name);
		*drop |= BIT_ULL(cap);
	}
	return 0;
}

static int nshard_resolve_exe(struct nshard_parser *ps, const char *name,
			      struct nshard_exe_id *id)
{
	struct path path;
	struct inode *inode;
	int err;

	if (name[0] != '/')
		return nshard_fail(ps, -EINVAL, "exe= needs an absolute path",
				   name);
	if (strlen(name) >= PATH_MAX)
		return nshard_fail(ps, -ENAMETOOLONG, "exe= path too long",
				   NULL);
	if (!ps->resolve_exe)
		return nshard_fail(ps, -EINVAL,
				   "exe= is not possible in the built-in policy",
				   name);
	err = kern_path(name, LOOKUP_FOLLOW, &path);
	if (err)
		return nshard_fail(ps, err, "cannot resolve exe= path", name);
	inode = d_backing_inode(path.dentry);
	if (!S_ISREG(inode->i_mode)) {
		path_put(&path);
		return nshard_fail(ps, -EINVAL, "exe= is not a regular file",
				   name);
	}
	nshard_exe_id_of(inode, id);
	path_put(&path);
	return 0;
}

/* What the words after the operation of a rule say. */
struct nshard_rule_args {
	enum nshard_subject_kind kind;
	u32 id;
	const char *path;
	struct nshard_exe_id exe;
	enum nshard_origin origin;
	bool inherit;
	bool has_drop;
	u64 drop;
};

static int nshard_parse_rule_args(struct nshard_parser *ps, unsigned int i,
				  struct nshard_rule_args *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	for (; i < ps->nwords; i++) {
		char *w = ps->words[i];
		int origin = nshard_parse_origin(w);

		if (origin >= 0) {
			if (a->origin)
				return nshard_fail(ps, -EINVAL,
						   "more than one origin", w);
			a->origin = origin;
		} else if (!strcmp(w, "inherit")) {
			if (a->inherit)
				return nshard_fail(ps, -EINVAL,
						   "more than one inherit", w);
			a->inherit = true;
		} else if (!strncmp(w, "drop=", 5)) {
			if (a->has_drop)
				return nshard_fail(ps, -EINVAL,
						   "more than one drop=", w);
			a->has_drop = true;
			err = nshard_parse_drop(ps, w + 5, &a->drop);
			if (err)
				return err;
		} else if (!strncmp(w, "uid=", 4) || !strncmp(w, "gid=", 4) ||
			   !strncmp(w, "exe=", 4)) {
			if (a->kind)
				return nshard_fail(ps, -EINVAL,
						   "more than one subject", w);
			if (w[0] == 'e') {
				a->kind = NSHARD_SUBJECT_EXE;
				a->path = w + 4;
				err = nshard_resolve_exe(ps, a->path, &a->exe);
			} else {
				a->kind = w[0] == 'u' ? NSHARD_SUBJECT_UID :
					  NSHARD_SUBJECT_GID;
				err = nshard_parse_number(ps, w + 4,
							  U32_MAX - 1, &a->id);
			}
			if (err)
				return err;
		} else {
			return nshard_fail(ps, -EINVAL,
					   "unexpected word (a subject, inherit, restricted, privileged or drop=)",
					   w);
		}
	}
	if (a->inherit && a->kind != NSHARD_SUBJECT_EXE)
		return nshard_fail(ps, -EINVAL, "inherit is for exe= rules",
				   NULL);
	return 0;
}

static int nshard_check_drop(struct nshard_parser *ps, unsigned int op,
			     int action, bool has_drop)
{
	if (!has_drop)
		return 0;
	if (op != NSHARD_OP_CREATE(NSHARD_NS_USER) ||
	    action == NSHARD_ACTION_DENY)
		return nshard_fail(ps, -EINVAL,
				   "drop= applies to allow or audit of create user",
				   NULL);
	return 0;
}

static int nshard_duplicate(struct nshard_parser *ps, u32 line)
{
	snprintf(ps->err->token, sizeof(ps->err->token), "line %u", line);
	ps->err->line = ps->line;
	ps->err->msg = "duplicates an earlier statement";
	return -EINVAL;
}

/* The program an exe= rule names, the same for every rule naming it. */
static struct nshard_exe *nshard_rule_exe(struct nshard_parser *ps,
					  const struct nshard_rule_args *a)
{
	struct nshard_policy *p = ps->policy;
	struct nshard_exe *x = nshard_policy_add_exe(p, &a->exe);

	if (!x) {
		nshard_fail(ps, -ENOMEM, "out of memory", NULL);
		return ERR_PTR(-ENOMEM);
	}
	if (!x->path) {
		x->path = kstrdup(a->path, GFP_KERNEL_ACCOUNT);
		if (!x->path) {
			nshard_fail(ps, -ENOMEM, "out of memory", NULL);
			return ERR_PTR(-ENOMEM);
		}
		p->mem += strlen(a->path) + 1;
		x->inherit = a->inherit;
		x->line = ps->line;
	} else if (x->inherit != a->inherit) {
		snprintf(ps->err->token, sizeof(ps->err->token), "line %u",
			 x->line);
		ps->err->line = ps->line;
		ps->err->msg = "inherit must be on every rule naming this program, or on none";
		return ERR_PTR(-EINVAL);
	}
	return x;
}

/* allow|audit|deny <operation> [subject] [origin] [drop=...] */
static int nshard_parse_rule(struct nshard_parser *ps)
{
	struct nshard_policy *p = ps->policy;
	struct nshard_exe *x = NULL;
	struct nshard_rule_args a;
	struct nshard_verdict *v;
	struct nshard_rule *r;
	int action, op, err;

	action = nshard_parse_action(ps, ps->words[0]);
	if (action < 0)
		return action;
	op = nshard_parse_op(ps, 1);
	if (op < 0)
		return op;
	err = nshard_parse_rule_args(ps, 3, &a) ?:
	      nshard_check_drop(ps, op, action, a.has_drop);
	if (err)
		return err;

	if (a.kind == NSHARD_SUBJECT_EXE) {
		x = nshard_rule_exe(ps, &a);
		if (IS_ERR(x))
			return PTR_ERR(x);
	}
	if (a.kind == NSHARD_SUBJECT_ANY) {
		v = &p->any[op][a.origin];
	} else {
		r = nshard_policy_add(p, op, a.kind, a.id, x);
		if (!r)
			return nshard_fail(ps, -E2BIG, "too many rules", NULL);
		v = &r->v[a.origin];
	}
	if (v->set)
		return nshard_duplicate(ps, v->line);
	v->set = 1;
	v->action = action;
	v->line = ps->line;
	v->drop = a.drop;
	return 0;
}

/* default <operation> <action> [drop=...] */
static int nshard_parse_default(struct nshard_parser *ps)
{
	struct nshard_verdict *v;
	struct nshard_rule_args a;
	int op, action, err;

	op = nshard_parse_op(ps, 1);
	if (op < 0)
		return op;
	if (ps->nwords < 4)
		return nshard_fail(ps, -EINVAL, "missing action", NULL);
	action = nshard_parse_action(ps, ps->words[3]);
	if (action < 0)
		return action;
	err = nshard_parse_rule_args(ps, 4, &a);
	if (err)
		return err;
	if (a.kind || a.origin || a.inherit)
		return nshard_fail(ps, -EINVAL,
				   "a default has no subject or origin (write a rule)",
				   NULL);
	err = nshard_check_drop(ps, op, action, a.has_drop);
	if (err)
		return err;
	v = &ps->policy->defaults[op];
	if (v->line)
		return nshard_duplicate(ps, v->line);
	v->action = action;
	v->line = ps->line;
	v->drop = a.drop;
	return 0;
}

/* limit depth <type> <N> [origin] */
static int nshard_parse_limit(struct nshard_parser *ps)
{
	struct nshard_policy *p = ps->policy;
	int type, origin = NSHARD_ORIGIN_ANY;
	u32 depth;
	int err;

	if (ps->nwords < 4 || ps->nwords > 5 || strcmp(ps->words[1], "depth"))
		return nshard_fail(ps, -EINVAL,
				   "expected: limit depth <type> <N> [restricted|privileged]",
				   NULL);
	type = nshard_ns_type_parse(ps->words[2]);
	if (type < 0)
		return nshard_fail(ps, -EINVAL, "unknown namespace type",
				   ps->words[2]);
	err = nshard_parse_number(ps, ps->words[3], NSHARD_DEPTH_MAX, &depth);
	if (err)
		return err;
	if (ps->nwords == 5) {
		origin = nshard_parse_origin(ps->words[4]);
		if (origin < 0)
			return nshard_fail(ps, -EINVAL,
					   "expected restricted or privileged",
					   ps->words[4]);
	}
	if (p->limits[type][origin] >= 0)
		return nshard_duplicate(ps, p->limit_lines[type][origin]);
	p->limits[type][origin] = depth;
	p->limit_lines[type][origin] = ps->line;
	return 0;
}

static int nshard_parse_line(struct nshard_parser *ps, char *line)
{
	int err = nshard_split(ps, line);
	unsigned int i;

	if (err || !ps->nwords)
		return err;
	for (i = 0; i < ps->nwords; i++)
		if (ps->quoted[i] && strncmp(ps->words[i], "exe=", 4))
			return nshard_fail(ps, -EINVAL,
					   "quotes are only for exe= paths",
					   ps->words[i]);
	ps->policy->nr_lines++;
	if (!strcmp(ps->words[0], "default"))
		return nshard_parse_default(ps);
	if (!strcmp(ps->words[0], "limit"))
		return nshard_parse_limit(ps);
	return nshard_parse_rule(ps);
}

/* Count the lines that hold a statement: an upper bound on the rules. */
static unsigned int nshard_count_statements(const char *text, size_t len)
{
	unsigned int n = 0;
	bool start = true, counted = false;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = text[i];

		if (c == '\n') {
			start = true;
			counted = false;
		} else if (start && c != ' ' && c != '\t') {
			start = false;
			if (c != '#' && !counted) {
				n++;
				counted = true;
			}
		}
	}
	return n;
}

/**
 * nshard_policy_parse - parse and compile a policy
 * @text: the policy text; need not be NUL-terminated
 * @len: its length
 * @resolve_exe: resolve exe= paths (false for the built-in policy, which is
 *               parsed before any file system is mounted)
 * @err: set to the line and reason of a rejection
 *
 * Return: the finished policy, or an ERR_PTR(): -EINVAL for a syntax error,
 * -E2BIG for too many rules, the error of the lookup for an exe= path that
 * cannot be resolved, -ENOMEM.  Nothing is left allocated on error.
 */
struct nshard_policy *nshard_policy_parse(const char *text, size_t len,
					  bool resolve_exe,
					  struct nshard_parse_error *err)
{
	struct nshard_parser ps = {
		.err = err,
		.resolve_exe = resolve_exe,
	};
	unsigned int statements;
	size_t pos = 0;
	char *line;
	int ret = 0;

	memset(err, 0, sizeof(*err));
	statements = nshard_count_statements(text, len);
	if (statements > NSHARD_POLICY_MAX_RULES) {
		err->msg = "too many statements";
		return ERR_PTR(-E2BIG);
	}
	line = kmalloc(NSHARD_LINE_MAX, GFP_KERNEL);
	ps.policy = nshard_policy_alloc(statements);
	if (!line || !ps.policy) {
		ret = -ENOMEM;
		goto out;
	}

	while (pos < len && !ret) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? nl - (text + pos) : len - pos;

		ps.line++;
		if (n >= NSHARD_LINE_MAX) {
			ret = nshard_fail(&ps, -EINVAL, "line too long", NULL);
			break;
		}
		if (memchr(text + pos, '\0', n)) {
			ret = nshard_fail(&ps, -EINVAL, "NUL byte", NULL);
			break;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		ret = nshard_parse_line(&ps, line);
		pos += n + 1;
	}
	if (!ret)
		ret = nshard_policy_finish(ps.policy);
out:
	kfree(line);
	if (ret) {
		if (ret == -ENOMEM && !err->msg)
			err->msg = "out of memory";
		nshard_policy_free(ps.policy);
		return ERR_PTR(ret);
	}
	return ps.policy;
}
