// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nshard's policy language and evaluation
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../ops.h"
#include "../policy.h"
#include "../seal.h"
#include "kunit_state.h"

/* ------------------------------------------------------- operations -- */

static void test_ops(struct kunit *test)
{
	unsigned int op, valid = 0;
	char name[NSHARD_OP_NAME_LEN];

	for (op = 0; op < NSHARD_OP_COUNT; op++) {
		enum nshard_op_class class = nshard_op_class(op);

		KUNIT_EXPECT_EQ(test, nshard_op_make(class, nshard_op_arg(op)),
				op);
		if (!nshard_op_valid(op)) {
			/* Reserved slots have no name, and do not crash. */
			KUNIT_EXPECT_STREQ(test, nshard_op_arg_name(op), "?");
			continue;
		}
		valid++;
		nshard_op_format(op, name, sizeof(name));
		KUNIT_EXPECT_LT(test, strlen(name), sizeof(name) - 1);
		KUNIT_EXPECT_EQ(test,
				nshard_op_arg_parse(class, nshard_op_arg_name(op)),
				op);
	}
	KUNIT_EXPECT_EQ(test, valid, 2 * NSHARD_NS_COUNT + CAP_LAST_CAP + 1 +
			NSHARD_GATE_COUNT);
	KUNIT_EXPECT_FALSE(test, nshard_op_valid(NSHARD_OP_COUNT));
	KUNIT_EXPECT_FALSE(test, nshard_op_valid(NSHARD_OP_CAP(CAP_LAST_CAP + 1)));
	KUNIT_EXPECT_FALSE(test, nshard_op_valid(NSHARD_OP_GATE(NSHARD_GATE_COUNT)));
	KUNIT_EXPECT_EQ(test, nshard_op_arg_parse(NSHARD_OP_CLASS_GATE, "raw"),
			NSHARD_OP_GATE(NSHARD_GATE_RAW));
	KUNIT_EXPECT_LT(test, nshard_op_arg_parse(NSHARD_OP_CLASS_CAP, "?"), 0);
}

/* ------------------------------------------------------ parser cases -- */

struct parse_case {
	const char *name;
	const char *text;
	int err;		/* 0: valid */
	unsigned int line;	/* line of the error */
	const char *canon;	/* canonical form; NULL: the text itself */
	size_t len;		/* 0: strlen(text) */
};

#define VALID(n, t, c) { .name = n, .text = t, .canon = c }
#define INVALID(n, t, e, l) { .name = n, .text = t, .err = e, .line = l }

static const struct parse_case parse_cases[] = {
	/* Valid: empty, comments, blanks, spacing. */
	VALID("empty", "", ""),
	VALID("comment only", "# nothing\n", ""),
	VALID("blank lines", "\n\n\x20\x20\n\t\n", ""),
	VALID("one rule", "deny create user\n", NULL),
	VALID("no final newline", "deny create user", "deny create user\n"),
	VALID("spaces and tabs", "  deny\tcreate   user\x20\x20\n",
	      "deny create user\n"),
	VALID("trailing comment", "deny create user # why\n",
	      "deny create user\n"),
	VALID("comment between lines", "# a\ndeny create user\n# b\n",
	      "deny create user\n"),
	/* Every action and origin. */
	VALID("allow", "allow create user\n", NULL),
	VALID("audit", "audit create user\n", NULL),
	VALID("restricted", "deny create user restricted\n", NULL),
	VALID("privileged", "audit create user privileged\n", NULL),
	/* Every namespace type, for create and setns. */
	VALID("create mnt", "deny create mnt\n", NULL),
	VALID("create net", "deny create net restricted\n", NULL),
	VALID("create pid", "deny create pid\n", NULL),
	VALID("create ipc", "deny create ipc\n", NULL),
	VALID("create uts", "deny create uts\n", NULL),
	VALID("create cgroup", "deny create cgroup\n", NULL),
	VALID("create time", "deny create time\n", NULL),
	VALID("setns user", "deny setns user\n", NULL),
	VALID("setns mnt", "deny setns mnt restricted\n", NULL),
	VALID("setns net", "deny setns net\n", NULL),
	VALID("setns pid", "deny setns pid\n", NULL),
	VALID("setns ipc", "deny setns ipc\n", NULL),
	VALID("setns uts", "deny setns uts\n", NULL),
	VALID("setns cgroup", "deny setns cgroup\n", NULL),
	VALID("setns time", "deny setns time\n", NULL),
	/* Capabilities, first and last. */
	VALID("cap CHOWN", "allow cap CHOWN\n", NULL),
	VALID("cap NET_ADMIN", "deny cap NET_ADMIN restricted\n", NULL),
	VALID("cap CHECKPOINT_RESTORE", "deny cap CHECKPOINT_RESTORE\n",
	      NULL),
	/* Every gate. */
	VALID("gate netfilter", "deny gate netfilter restricted\n", NULL),
	VALID("gate xtables", "deny gate xtables\n", NULL),
	VALID("gate tc", "deny gate tc\n", NULL),
	VALID("gate xfrm", "deny gate xfrm\n", NULL),
	VALID("gate genl-admin", "deny gate genl-admin\n", NULL),
	VALID("gate packet", "deny gate packet\n", NULL),
	VALID("gate raw", "deny gate raw\n", NULL),
	VALID("gate fs-mount", "deny gate fs-mount\n", NULL),
	VALID("gate cgroup1", "deny gate cgroup1\n", NULL),
	VALID("gate overlay", "audit gate overlay\n", NULL),
	VALID("gate modload", "deny gate modload\n", NULL),
	/* Subjects. */
	VALID("uid", "deny create user uid=1000\n", NULL),
	VALID("uid 0", "allow create user uid=0\n", NULL),
	VALID("largest uid", "allow cap NET_ADMIN uid=4294967294\n", NULL),
	VALID("gid", "deny create user gid=100\n", NULL),
	VALID("leading zeros", "deny create user uid=007\n",
	      "deny create user uid=7\n"),
	VALID("subject after origin", "deny create user restricted uid=3\n",
	      "deny create user uid=3 restricted\n"),
	/* drop= */
	VALID("drop", "allow create user drop=NET_ADMIN,NET_RAW\n", NULL),
	VALID("drop sorted", "allow create user drop=SYS_ADMIN,CHOWN\n",
	      "allow create user drop=CHOWN,SYS_ADMIN\n"),
	VALID("drop repeated", "allow create user drop=NET_RAW,NET_RAW\n",
	      "allow create user drop=NET_RAW\n"),
	VALID("drop before origin",
	      "audit create user drop=NET_RAW restricted\n",
	      "audit create user restricted drop=NET_RAW\n"),
	VALID("drop with uid",
	      "allow create user uid=1000 drop=SYS_MODULE\n", NULL),
	/* Defaults and limits. */
	VALID("default", "default create user deny\n", NULL),
	VALID("default audit", "default cap NET_ADMIN audit\n", NULL),
	VALID("default allow drop",
	      "default create user allow drop=SYS_MODULE\n", NULL),
	VALID("explicit default allow", "default setns net allow\n", NULL),
	VALID("limit", "limit depth user 4\n", NULL),
	VALID("limit zero", "limit depth net 0 restricted\n", NULL),
	VALID("limit max", "limit depth pid 32 privileged\n", NULL),
	/* Canonical order. */
	VALID("op order", "deny create net\ndeny create user\n",
	      "deny create user\ndeny create net\n"),
	VALID("class order", "deny gate tc\ndeny cap CHOWN\n"
	      "deny setns user\ndeny create time\n",
	      "deny create time\ndeny setns user\ndeny cap CHOWN\n"
	      "deny gate tc\n"),
	VALID("subject order", "deny create user uid=5\n"
	      "deny create user gid=7\ndeny create user\n",
	      "deny create user\ndeny create user gid=7\n"
	      "deny create user uid=5\n"),
	VALID("id order", "deny create user uid=50\ndeny create user uid=5\n",
	      "deny create user uid=5\ndeny create user uid=50\n"),
	VALID("origin order", "deny create user privileged\n"
	      "deny create user restricted\ndeny create user\n",
	      "deny create user\ndeny create user restricted\n"
	      "deny create user privileged\n"),
	VALID("origins of one subject", "deny create user uid=1 privileged\n"
	      "allow create user uid=1\naudit create user uid=1 restricted\n",
	      "allow create user uid=1\naudit create user uid=1 restricted\n"
	      "deny create user uid=1 privileged\n"),
	VALID("statement order", "deny create user\ndefault cap BPF deny\n"
	      "limit depth user 2\n",
	      "limit depth user 2\ndefault cap BPF deny\ndeny create user\n"),
	VALID("limit order", "limit depth net 1 restricted\n"
	      "limit depth user 3\nlimit depth net 2\n",
	      "limit depth user 3\nlimit depth net 2\n"
	      "limit depth net 1 restricted\n"),
	VALID("same subject, two ops", "deny cap NET_RAW uid=9\n"
	      "deny create net uid=9\n",
	      "deny create net uid=9\ndeny cap NET_RAW uid=9\n"),
	VALID("realistic", "# site policy\nlimit depth user 4 restricted\n"
	      "deny cap NET_RAW restricted\ndeny gate netfilter restricted\n"
	      "allow gate netfilter gid=27\n",
	      "limit depth user 4 restricted\ndeny cap NET_RAW restricted\n"
	      "deny gate netfilter restricted\n"
	      "allow gate netfilter gid=27\n"),

	/* Invalid: words. */
	INVALID("unknown action", "foo create user\n", -EINVAL, 1),
	INVALID("upper-case action", "DENY create user\n", -EINVAL, 1),
	INVALID("no operation", "deny\n", -EINVAL, 1),
	INVALID("half an operation", "deny create\n", -EINVAL, 1),
	INVALID("unknown class", "deny make user\n", -EINVAL, 1),
	INVALID("upper-case class", "deny CREATE user\n", -EINVAL, 1),
	INVALID("unknown type", "deny create users\n", -EINVAL, 1),
	INVALID("upper-case type", "deny create USER\n", -EINVAL, 1),
	INVALID("setns unknown type", "deny setns foo\n", -EINVAL, 1),
	INVALID("lower-case cap", "deny cap net_admin\n", -EINVAL, 1),
	INVALID("CAP_ prefix", "deny cap CAP_NET_ADMIN\n", -EINVAL, 1),
	INVALID("unknown cap", "deny cap FOO\n", -EINVAL, 1),
	INVALID("unknown gate", "deny gate nftables\n", -EINVAL, 1),
	INVALID("gate without name", "audit gate\n", -EINVAL, 1),
	INVALID("extra word", "deny create user extra\n", -EINVAL, 1),
	INVALID("comment glued to word", "deny create user#c\n", -EINVAL, 1),
	INVALID("too many words",
		"deny create user restricted a b c d e\n", -EINVAL, 1),
	/* Invalid: subjects. */
	INVALID("empty uid", "deny create user uid=\n", -EINVAL, 1),
	INVALID("negative uid", "deny create user uid=-1\n", -EINVAL, 1),
	INVALID("signed uid", "deny create user uid=+5\n", -EINVAL, 1),
	INVALID("invalid uid", "deny create user uid=4294967295\n",
		-EINVAL, 1),
	INVALID("huge uid", "deny create user uid=99999999999\n", -EINVAL, 1),
	INVALID("uid with letters", "deny create user uid=1x\n", -EINVAL, 1),
	INVALID("hex uid", "deny create user uid=0x10\n", -EINVAL, 1),
	INVALID("gid not a number", "deny create user gid=abc\n", -EINVAL, 1),
	INVALID("two subjects", "deny create user uid=1 gid=2\n", -EINVAL, 1),
	INVALID("two uids", "allow create user uid=1 uid=2\n", -EINVAL, 1),
	INVALID("unknown subject", "deny create user pid=1\n", -EINVAL, 1),
	INVALID("two origins", "deny create user restricted privileged\n",
		-EINVAL, 1),
	INVALID("same origin twice", "deny create user restricted restricted\n",
		-EINVAL, 1),
	INVALID("origin typo", "deny create user restrict\n", -EINVAL, 1),
	/* Invalid: exe. */
	INVALID("exe in built-in policy", "deny create user exe=/bin/sh\n",
		-EINVAL, 1),
	INVALID("relative exe", "deny create user exe=bin/sh\n", -EINVAL, 1),
	INVALID("empty exe", "deny create user exe=\n", -EINVAL, 1),
	INVALID("unterminated quote", "deny create user exe=\"/a\n",
		-EINVAL, 1),
	INVALID("bad escape", "deny create user exe=\"/a\\q\"\n", -EINVAL, 1),
	INVALID("short hex escape", "deny create user exe=\"/a\\x0\"\n",
		-EINVAL, 1),
	INVALID("NUL escape", "deny create user exe=\"/a\\x00\"\n",
		-EINVAL, 1),
	INVALID("inherit on a uid rule", "deny create user uid=1 inherit\n",
		-EINVAL, 1),
	INVALID("inherit without subject", "allow create user inherit\n",
		-EINVAL, 1),
	INVALID("inherit twice", "allow create user inherit inherit\n",
		-EINVAL, 1),
	INVALID("default with inherit", "default create user allow inherit\n",
		-EINVAL, 1),
	INVALID("quoted uid", "deny create user \"uid=1\"\n", -EINVAL, 1),
	INVALID("quoted action", "\"deny\" create user\n", -EINVAL, 1),
	/* Invalid: drop=. */
	INVALID("empty drop", "allow create user drop=\n", -EINVAL, 1),
	INVALID("trailing comma", "allow create user drop=NET_ADMIN,\n",
		-EINVAL, 1),
	INVALID("unknown cap in drop", "allow create user drop=FOO\n",
		-EINVAL, 1),
	INVALID("lower-case drop", "allow create user drop=net_raw\n",
		-EINVAL, 1),
	INVALID("drop with deny", "deny create user drop=NET_ADMIN\n",
		-EINVAL, 1),
	INVALID("drop on create net", "allow create net drop=NET_ADMIN\n",
		-EINVAL, 1),
	INVALID("drop on cap", "allow cap SYS_ADMIN drop=NET_ADMIN\n",
		-EINVAL, 1),
	INVALID("two drops", "allow create user drop=NET_RAW drop=CHOWN\n",
		-EINVAL, 1),
	INVALID("default deny drop",
		"default create user deny drop=NET_ADMIN\n", -EINVAL, 1),
	/* Invalid: duplicates. */
	INVALID("duplicate rule", "deny create user\nallow create user\n",
		-EINVAL, 2),
	INVALID("duplicate uid rule",
		"deny create user uid=5\nallow create user uid=5\n",
		-EINVAL, 2),
	INVALID("duplicate origin rule",
		"deny cap NET_ADMIN restricted\nallow cap NET_ADMIN restricted\n",
		-EINVAL, 2),
	INVALID("duplicate default",
		"default create user deny\ndefault create user allow\n",
		-EINVAL, 2),
	INVALID("duplicate limit", "limit depth user 4\nlimit depth user 5\n",
		-EINVAL, 2),
	INVALID("duplicate origin limit",
		"limit depth user 4 restricted\nlimit depth user 2 restricted\n",
		-EINVAL, 2),
	/* Invalid: defaults. */
	INVALID("default without action", "default create user\n", -EINVAL, 1),
	INVALID("default unknown action", "default create user maybe\n",
		-EINVAL, 1),
	INVALID("default with origin", "default create user deny restricted\n",
		-EINVAL, 1),
	INVALID("default with subject", "default create user deny uid=3\n",
		-EINVAL, 1),
	INVALID("default extra word", "default create user deny extra\n",
		-EINVAL, 1),
	INVALID("default without op", "default deny\n", -EINVAL, 1),
	/* Invalid: limits. */
	INVALID("limit without number", "limit depth user\n", -EINVAL, 1),
	INVALID("limit too deep", "limit depth user 33\n", -EINVAL, 1),
	INVALID("negative limit", "limit depth user -1\n", -EINVAL, 1),
	INVALID("limit unknown type", "limit depth users 3\n", -EINVAL, 1),
	INVALID("limit width", "limit width user 3\n", -EINVAL, 1),
	INVALID("limit bad origin", "limit depth user 3 sometimes\n",
		-EINVAL, 1),
	INVALID("limit extra word", "limit depth user 3 restricted extra\n",
		-EINVAL, 1),
	INVALID("bare limit", "limit\n", -EINVAL, 1),
	/* Invalid: bytes. */
	INVALID("carriage return", "deny create user\r\n", -EINVAL, 1),
	INVALID("control character", "deny\x01 create user\n", -EINVAL, 1),
	INVALID("delete character", "deny create user\x7f\n", -EINVAL, 1),
	{ .name = "NUL byte", .text = "deny create user\0\n", .err = -EINVAL,
	  .line = 1, .len = 18 },
	/* Invalid: where. */
	INVALID("error on line 3", "# c\n\ndeny create userx\n", -EINVAL, 3),
	INVALID("error after valid lines",
		"deny create user\ndeny create net\ndeny crate pid\n",
		-EINVAL, 3),
	INVALID("error on last line without newline",
		"deny create user\nallow", -EINVAL, 2),
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s",
		 c->err ? "invalid" : "valid", c->name);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static size_t case_len(const struct parse_case *c)
{
	return c->len ?: strlen(c->text);
}

static struct nshard_policy *parse(const char *text, size_t len,
				   struct nshard_parse_error *err)
{
	return nshard_policy_parse(text, len, false, err);
}

static void test_parse(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct nshard_parse_error err;
	struct nshard_policy *p, *again;
	int live = atomic_read(&nshard_policies_live);

	p = parse(c->text, case_len(c), &err);
	if (c->err) {
		KUNIT_ASSERT_TRUE(test, IS_ERR(p));
		KUNIT_EXPECT_EQ(test, PTR_ERR(p), c->err);
		KUNIT_EXPECT_EQ(test, err.line, c->line);
		KUNIT_EXPECT_NOT_NULL(test, err.msg);
		KUNIT_EXPECT_EQ(test, atomic_read(&nshard_policies_live), live);
		return;
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "line %u: %s: %s", err.line,
			       err.msg, err.token);
	KUNIT_EXPECT_EQ(test, p->text_len, strlen(c->canon ?: c->text));
	KUNIT_EXPECT_STREQ(test, p->text, c->canon ?: c->text);

	/* Parsing the canonical form gives it back: a fixed point. */
	again = parse(p->text, p->text_len, &err);
	KUNIT_ASSERT_FALSE(test, IS_ERR(again));
	KUNIT_EXPECT_STREQ(test, again->text, p->text);
	KUNIT_EXPECT_MEMEQ(test, again->digest, p->digest,
			   sizeof(p->digest));
	nshard_policy_free(again);
	nshard_policy_free(p);
	KUNIT_EXPECT_EQ(test, atomic_read(&nshard_policies_live), live);
}

/* ------------------------------------------------- loading, errors -- */

static void test_load_rejects_and_keeps_policy(struct kunit *test)
{
	struct nshard_parse_error err;
	const struct nshard_policy *before;
	u8 digest[SHA256_DIGEST_SIZE];
	u64 generation;
	unsigned int i;

	rcu_read_lock();
	before = nshard_policy_get();
	generation = before->generation;
	memcpy(digest, before->digest, sizeof(digest));
	rcu_read_unlock();

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];

		/* Loading resolves exe= paths: those errors differ. */
		if (!c->err || strstr(c->text, "exe="))
			continue;
		KUNIT_EXPECT_EQ_MSG(test,
				    nshard_policy_load(c->text, case_len(c),
						       &err),
				    (s64)c->err, "%s", c->name);
		rcu_read_lock();
		KUNIT_EXPECT_PTR_EQ(test, nshard_policy_get(), before);
		KUNIT_EXPECT_EQ(test, nshard_policy_get()->generation,
				generation);
		KUNIT_EXPECT_MEMEQ(test, nshard_policy_get()->digest, digest,
				   sizeof(digest));
		rcu_read_unlock();
	}
}

/*
 * Run with nshard.seal=1 (the harness runs the suite twice): a sealed
 * configuration refuses every load, and keeps its policy.  Nothing writes the
 * seal flag: it is only ever set through the interfaces that set it.
 */
static void test_load_sealed(struct kunit *test)
{
	static const char text[] = "deny create net\n";
	struct nshard_parse_error err;
	const struct nshard_policy *before;
	int live = atomic_read(&nshard_policies_live);

	if (!nshard_is_sealed())
		kunit_skip(test, "not sealed: boot with nshard.seal=1 to test sealing");
	rcu_read_lock();
	before = nshard_policy_get();
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, nshard_policy_load(text, sizeof(text) - 1, &err),
			(s64)-EPERM);
	KUNIT_EXPECT_STREQ(test, err.msg,
			   "the configuration is sealed until reboot");
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nshard_policy_get(), before);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&nshard_policies_live), live);
}

static void test_load_replaces(struct kunit *test)
{
	static const char text[] = "deny create net restricted\n";
	struct nshard_parse_error err;
	struct nshard_policy *held;
	u64 gen;
	s64 ret;

	nshard_kunit_own_state(test);
	rcu_read_lock();
	gen = nshard_policy_get()->generation;
	rcu_read_unlock();

	/* A reader holds the policy it opened, whatever replaces it. */
	held = nshard_policy_get_active();
	ret = nshard_policy_load(text, sizeof(text) - 1, &err);
	KUNIT_EXPECT_EQ(test, ret, (s64)gen + 1);
	rcu_read_lock();
	KUNIT_EXPECT_STREQ(test, nshard_policy_get()->text, text);
	KUNIT_EXPECT_PTR_NE(test, nshard_policy_get(), held);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, held->generation, gen);
	KUNIT_EXPECT_EQ(test, strlen(held->text), held->text_len);
	nshard_policy_put(held);
}

static void test_builtin_policy_parses(struct kunit *test)
{
	struct nshard_parse_error err;
	struct nshard_policy *p;

	p = parse(nshard_builtin_policy, strlen(nshard_builtin_policy), &err);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "line %u: %s: %s", err.line,
			       err.msg, err.token);
	KUNIT_EXPECT_GT(test, p->nr_lines, 0);
	nshard_policy_free(p);
}

static void test_limits_of_size(struct kunit *test)
{
	struct nshard_parse_error err;
	struct nshard_policy *p;
	size_t len = (NSHARD_POLICY_MAX_RULES + 1) * 2;
	char *text = vmalloc(len);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, text);
	/* Statements are counted before anything is allocated. */
	for (i = 0; i < len; i += 2) {
		text[i] = 'x';
		text[i + 1] = '\n';
	}
	p = parse(text, len, &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -E2BIG);

	/* A line longer than any valid one. */
	memset(text, 'a', len);
	p = parse(text, len, &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 1);
	vfree(text);
}

static void test_quoted_exe_round_trip(struct kunit *test)
{
	static const struct nshard_exe_id id = { .ino = 42, .dev = 8, .gen = 7 };
	static const char *const paths[] = {
		"/usr/bin/bwrap", "/opt/My App/bin", "/a\"b", "/a\\b",
		"/tab\there", "/hash#here", "/utf8-\xc3\xa9",
	};
	struct nshard_policy *p;
	struct nshard_rule *r;
	struct nshard_exe *x;
	unsigned int i;

	/* exe= cannot be parsed without a file system: build the rule. */
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		struct nshard_parse_error err;
		char *expect, *rest;

		p = nshard_policy_alloc(1);
		KUNIT_ASSERT_NOT_NULL(test, p);
		x = nshard_policy_add_exe(p, &id);
		KUNIT_ASSERT_NOT_NULL(test, x);
		x->path = kstrdup(paths[i], GFP_KERNEL);
		r = nshard_policy_add(p, NSHARD_OP_CREATE(NSHARD_NS_USER),
				      NSHARD_SUBJECT_EXE, 0, x);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->v[NSHARD_ORIGIN_ANY].set = 1;
		r->v[NSHARD_ORIGIN_ANY].action = NSHARD_ACTION_ALLOW;
		r->v[NSHARD_ORIGIN_ANY].line = 1;
		KUNIT_ASSERT_EQ(test, nshard_policy_finish(p), 0);

		/* The printed rule splits into the same words again. */
		expect = kasprintf(GFP_KERNEL, "allow create user exe=%s\n",
				   paths[i]);
		if (strpbrk(paths[i], " \t\"\\#"))
			KUNIT_EXPECT_NOT_NULL(test, strchr(p->text, '"'));
		else
			KUNIT_EXPECT_STREQ(test, p->text, expect);
		kfree(expect);

		/* Re-parsing fails only because exe= needs a file system. */
		rest = kmemdup_nul(p->text, p->text_len, GFP_KERNEL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(parse(rest, strlen(rest), &err)),
				-EINVAL);
		KUNIT_EXPECT_STREQ(test, err.msg,
				   "exe= is not possible in the built-in policy");
		KUNIT_EXPECT_STREQ(test, err.token, paths[i]);
		kfree(rest);
		nshard_policy_free(p);
	}
}

/* ------------------------------------------------------- evaluation -- */

struct eval_fixture {
	struct cred *cred;
	struct nshard_subject subject;
};

static void eval_init(struct kunit *test, struct eval_fixture *f,
		      enum nshard_origin origin, uid_t uid, gid_t egid,
		      const gid_t *groups, int ngroups)
{
	struct group_info *gi;
	int i;

	f->cred = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, f->cred);
	f->cred->uid = KUIDT_INIT(uid);
	f->cred->euid = KUIDT_INIT(uid);
	f->cred->gid = KGIDT_INIT(egid);
	f->cred->egid = KGIDT_INIT(egid);
	gi = groups_alloc(ngroups);
	KUNIT_ASSERT_NOT_NULL(test, gi);
	for (i = 0; i < ngroups; i++)
		gi->gid[i] = KGIDT_INIT(groups[i]);
	groups_sort(gi);
	put_group_info(f->cred->group_info);
	f->cred->group_info = gi;
	nshard_subject_init(&f->subject, f->cred, f->cred->user_ns, origin);
	f->subject.exe_done = true;	/* no program unless a test sets one */
}

static struct nshard_policy *must_parse(struct kunit *test, const char *text)
{
	struct nshard_parse_error err;
	struct nshard_policy *p = parse(text, strlen(text), &err);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "line %u: %s: %s", err.line,
			       err.msg, err.token);
	return p;
}

#define CREATE_USER NSHARD_OP_CREATE(NSHARD_NS_USER)

struct eval_case {
	const char *name;
	const char *policy;
	enum nshard_origin origin;
	uid_t uid;
	gid_t egid;
	gid_t groups[3];
	int ngroups;
	int action;
	unsigned int line;	/* 0: built-in default */
};

static const struct eval_case eval_cases[] = {
	{ "empty policy allows", "", NSHARD_ORIGIN_RESTRICTED, 1000, 1000,
	  {}, 0, NSHARD_ACTION_ALLOW, 0 },
	{ "rule for everyone", "deny create user\n", NSHARD_ORIGIN_PRIVILEGED,
	  1000, 1000, {}, 0, NSHARD_ACTION_DENY, 1 },
	{ "origin mismatch falls to default", "deny create user restricted\n",
	  NSHARD_ORIGIN_PRIVILEGED, 1000, 1000, {}, 0, NSHARD_ACTION_ALLOW,
	  0 },
	{ "origin match", "deny create user restricted\n",
	  NSHARD_ORIGIN_RESTRICTED, 1000, 1000, {}, 0, NSHARD_ACTION_DENY,
	  1 },
	{ "qualified beats unqualified",
	  "allow create user\ndeny create user restricted\n",
	  NSHARD_ORIGIN_RESTRICTED, 0, 0, {}, 0, NSHARD_ACTION_DENY, 2 },
	{ "unqualified when qualified is for the other origin",
	  "audit create user\ndeny create user restricted\n",
	  NSHARD_ORIGIN_PRIVILEGED, 0, 0, {}, 0, NSHARD_ACTION_AUDIT, 1 },
	{ "uid beats everyone", "deny create user\nallow create user uid=7\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 7, {}, 0, NSHARD_ACTION_ALLOW, 2 },
	{ "other uid gets everyone's rule",
	  "deny create user\nallow create user uid=7\n",
	  NSHARD_ORIGIN_RESTRICTED, 8, 8, {}, 0, NSHARD_ACTION_DENY, 1 },
	{ "unqualified uid beats qualified everyone",
	  "deny create user restricted\nallow create user uid=7\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 7, {}, 0, NSHARD_ACTION_ALLOW, 2 },
	{ "uid rule for the other origin does not match",
	  "deny create user\nallow create user uid=7 privileged\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 7, {}, 0, NSHARD_ACTION_DENY, 1 },
	{ "qualified uid beats unqualified uid",
	  "allow create user uid=7\ndeny create user uid=7 restricted\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 7, {}, 0, NSHARD_ACTION_DENY, 2 },
	{ "egid rule", "allow create user\ndeny create user gid=50\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 50, {}, 0, NSHARD_ACTION_DENY, 2 },
	{ "supplementary gid rule",
	  "allow create user\ndeny create user gid=51\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 50, { 51 }, 1, NSHARD_ACTION_DENY, 2 },
	{ "uid beats gid",
	  "deny create user gid=50\nallow create user uid=7\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 50, {}, 0, NSHARD_ACTION_ALLOW, 2 },
	{ "strictest group wins",
	  "allow create user gid=1\ndeny create user gid=2\n"
	  "audit create user gid=3\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 1, { 2, 3 }, 2, NSHARD_ACTION_DENY, 2 },
	{ "strictest group, audit over allow",
	  "allow create user gid=1\naudit create user gid=3\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 9, { 1, 3 }, 2, NSHARD_ACTION_AUDIT,
	  2 },
	{ "qualified group beats unqualified group",
	  "deny create user gid=1\nallow create user gid=2 restricted\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 9, { 1, 2 }, 2, NSHARD_ACTION_ALLOW,
	  2 },
	{ "gid rules of another op do not apply",
	  "deny create net gid=1\n", NSHARD_ORIGIN_RESTRICTED, 7, 1, {}, 0,
	  NSHARD_ACTION_ALLOW, 0 },
	{ "default", "default create user deny\n", NSHARD_ORIGIN_RESTRICTED,
	  7, 7, {}, 0, NSHARD_ACTION_DENY, 1 },
	{ "rule beats default",
	  "default create user deny\nallow create user restricted\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 7, {}, 0, NSHARD_ACTION_ALLOW, 2 },
	{ "default of another op", "default create net deny\n",
	  NSHARD_ORIGIN_RESTRICTED, 7, 7, {}, 0, NSHARD_ACTION_ALLOW, 0 },
};

static void eval_case_desc(const struct eval_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(eval, eval_cases, eval_case_desc);

static void test_eval(struct kunit *test)
{
	const struct eval_case *c = test->param_value;
	const struct nshard_verdict *v;
	struct eval_fixture f;
	struct nshard_policy *p;

	eval_init(test, &f, c->origin, c->uid, c->egid, c->groups,
		  c->ngroups);
	p = must_parse(test, c->policy);
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->action, c->action);
	KUNIT_EXPECT_EQ(test, v->line, c->line);
	nshard_policy_free(p);
	abort_creds(f.cred);
}

static void test_eval_exe(struct kunit *test)
{
	static const struct nshard_exe_id bwrap = { .ino = 10, .dev = 3,
						    .gen = 99 };
	struct nshard_exe_id other = bwrap;
	const struct nshard_verdict *v;
	struct eval_fixture f;
	struct nshard_policy *p;
	struct nshard_rule *r;
	struct nshard_exe *x;

	/* deny for uid 7, allow for the executable. */
	p = nshard_policy_alloc(2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	r = nshard_policy_add(p, CREATE_USER, NSHARD_SUBJECT_UID, 7, NULL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->v[NSHARD_ORIGIN_ANY] = (struct nshard_verdict){
		.set = 1, .action = NSHARD_ACTION_DENY, .line = 1 };
	x = nshard_policy_add_exe(p, &bwrap);
	KUNIT_ASSERT_NOT_NULL(test, x);
	r = nshard_policy_add(p, CREATE_USER, NSHARD_SUBJECT_EXE, 0, x);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->v[NSHARD_ORIGIN_ANY] = (struct nshard_verdict){
		.set = 1, .action = NSHARD_ACTION_ALLOW, .line = 2 };

	eval_init(test, &f, NSHARD_ORIGIN_RESTRICTED, 7, 7, NULL, 0);
	f.subject.has_exe = true;
	f.subject.exe = bwrap;
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->action, NSHARD_ACTION_ALLOW);
	KUNIT_EXPECT_EQ(test, v->line, 2);

	/* Same inode number, another generation: another file. */
	other.gen++;
	f.subject.exe = other;
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->action, NSHARD_ACTION_DENY);

	/* Same inode on another device. */
	other = bwrap;
	other.dev++;
	f.subject.exe = other;
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->action, NSHARD_ACTION_DENY);

	/* No executable (a kernel thread). */
	f.subject.has_exe = false;
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->action, NSHARD_ACTION_DENY);

	nshard_policy_free(p);
	abort_creds(f.cred);
}

static void test_limits(struct kunit *test)
{
	struct nshard_policy *p;
	u32 line;

	p = must_parse(test, "limit depth user 4\n"
			     "limit depth user 2 restricted\n"
			     "limit depth net 1 privileged\n");
	KUNIT_EXPECT_EQ(test, nshard_limit(p, NSHARD_NS_USER,
					   NSHARD_ORIGIN_RESTRICTED, &line), 2);
	KUNIT_EXPECT_EQ(test, line, 2);
	KUNIT_EXPECT_EQ(test, nshard_limit(p, NSHARD_NS_USER,
					   NSHARD_ORIGIN_PRIVILEGED, &line), 4);
	KUNIT_EXPECT_EQ(test, line, 1);
	KUNIT_EXPECT_EQ(test, nshard_limit(p, NSHARD_NS_NET,
					   NSHARD_ORIGIN_PRIVILEGED, &line), 1);
	KUNIT_EXPECT_EQ(test, nshard_limit(p, NSHARD_NS_NET,
					   NSHARD_ORIGIN_RESTRICTED, &line), -1);
	KUNIT_EXPECT_EQ(test, nshard_limit(p, NSHARD_NS_PID,
					   NSHARD_ORIGIN_RESTRICTED, &line), -1);
	nshard_policy_free(p);

	/* The lower of the two applies, even when it is the general one. */
	p = must_parse(test, "limit depth user 1\nlimit depth user 3 restricted\n");
	KUNIT_EXPECT_EQ(test, nshard_limit(p, NSHARD_NS_USER,
					   NSHARD_ORIGIN_RESTRICTED, &line), 1);
	KUNIT_EXPECT_EQ(test, line, 1);
	nshard_policy_free(p);
}

static void test_allow_all(struct kunit *test)
{
	struct nshard_policy *p;

	p = must_parse(test, "deny cap NET_RAW restricted\n"
			     "allow cap BPF uid=5\n"
			     "default setns net audit\n"
			     "default setns pid allow\n"
			     "limit depth mnt 3\n"
			     "allow create user restricted drop=SYS_ADMIN\n");
	KUNIT_EXPECT_FALSE(test, p->allow_all[NSHARD_OP_CAP(CAP_NET_RAW)]);
	KUNIT_EXPECT_FALSE(test, p->allow_all[NSHARD_OP_CAP(CAP_BPF)]);
	KUNIT_EXPECT_FALSE(test, p->allow_all[NSHARD_OP_SETNS(NSHARD_NS_NET)]);
	KUNIT_EXPECT_FALSE(test, p->allow_all[NSHARD_OP_CREATE(NSHARD_NS_MNT)]);
	KUNIT_EXPECT_FALSE(test, p->allow_all[CREATE_USER]);
	/* An explicit allow default is what no statement would say. */
	KUNIT_EXPECT_TRUE(test, p->allow_all[NSHARD_OP_SETNS(NSHARD_NS_PID)]);
	KUNIT_EXPECT_TRUE(test, p->allow_all[NSHARD_OP_CAP(CAP_CHOWN)]);
	KUNIT_EXPECT_TRUE(test, p->allow_all[NSHARD_OP_CREATE(NSHARD_NS_NET)]);
	KUNIT_EXPECT_FALSE(test, p->allow_all[NSHARD_OP_CAP(CAP_LAST_CAP + 1)]);
	/* Entering may be judged as creating: a verdict on create counts. */
	KUNIT_EXPECT_FALSE(test, p->allow_all[NSHARD_OP_SETNS(NSHARD_NS_USER)]);
	/* A depth limit does not: it never applies to setns. */
	KUNIT_EXPECT_TRUE(test, p->allow_all[NSHARD_OP_SETNS(NSHARD_NS_MNT)]);
	nshard_policy_free(p);
}

static void test_drop(struct kunit *test)
{
	const struct nshard_verdict *v;
	struct eval_fixture f;
	struct nshard_policy *p;

	p = must_parse(test, "allow create user restricted drop=NET_ADMIN,NET_RAW\n"
			     "default create user allow drop=SYS_MODULE\n");
	eval_init(test, &f, NSHARD_ORIGIN_RESTRICTED, 1, 1, NULL, 0);
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->drop,
			BIT_ULL(CAP_NET_ADMIN) | BIT_ULL(CAP_NET_RAW));
	f.subject.origin = NSHARD_ORIGIN_PRIVILEGED;
	v = nshard_decide(p, CREATE_USER, &f.subject);
	KUNIT_EXPECT_EQ(test, v->drop, BIT_ULL(CAP_SYS_MODULE));
	nshard_policy_free(p);
	abort_creds(f.cred);
}

/* --------------------------------------------------------- mutation -- */

static const char *const seed_policies[] = {
	"limit depth user 4 restricted\ndeny cap NET_RAW restricted\n"
	"deny gate netfilter restricted\nallow gate netfilter gid=27\n",
	"default create user deny\nallow create user uid=1000\n"
	"allow create user restricted drop=NET_ADMIN,SYS_MODULE\n",
	"deny create net restricted\ndeny setns net privileged\n"
	"audit cap SYS_ADMIN uid=0\n# comment\n\nlimit depth pid 3\n",
	"deny create user exe=/usr/bin/bwrap\n",
};

static const char mutation_alphabet[] =
	"abcdefghijklmnopqrstuvwxyz_ABCDENRSTUX0123456789=,#\"\\ \t\n\r\x01/";

static size_t mutate(struct rnd_state *rnd, char *buf, size_t len,
		     size_t size)
{
	unsigned int n = 1 + prandom_u32_state(rnd) % 4;

	while (n--) {
		size_t pos = len ? prandom_u32_state(rnd) % len : 0;
		char c = mutation_alphabet[prandom_u32_state(rnd) %
					   (sizeof(mutation_alphabet) - 1)];

		switch (prandom_u32_state(rnd) % 5) {
		case 0:	/* replace a byte */
			if (len)
				buf[pos] = c;
			break;
		case 1:	/* insert a byte */
			if (len + 1 < size) {
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = c;
				len++;
			}
			break;
		case 2:	/* delete a byte */
			if (len) {
				memmove(buf + pos, buf + pos + 1,
					len - pos - 1);
				len--;
			}
			break;
		case 3:	/* duplicate a chunk */
			if (len && 2 * len < size) {
				size_t chunk = prandom_u32_state(rnd) %
					       (len - pos) + 1;

				memmove(buf + pos + chunk, buf + pos,
					len - pos);
				len += chunk;
			}
			break;
		default: /* truncate */
			len = pos;
			break;
		}
	}
	return len;
}

static void test_mutations(struct kunit *test)
{
	const int live = atomic_read(&nshard_policies_live);
	unsigned int i, accepted = 0, rejected = 0;
	const size_t size = 4096;
	struct rnd_state rnd;
	char *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	prandom_seed_state(&rnd, 0x6e736861726431ULL);

	for (i = 0; i < 20000; i++) {
		const char *seed = seed_policies[i % ARRAY_SIZE(seed_policies)];
		struct nshard_parse_error err;
		struct nshard_policy *p, *again;
		size_t len = strlen(seed);

		memcpy(buf, seed, len);
		len = mutate(&rnd, buf, len, size);
		p = parse(buf, len, &err);
		if (IS_ERR(p)) {
			rejected++;
			KUNIT_EXPECT_TRUE(test, PTR_ERR(p) == -EINVAL ||
					  PTR_ERR(p) == -ENAMETOOLONG);
			KUNIT_EXPECT_NOT_NULL(test, err.msg);
			KUNIT_EXPECT_GT(test, err.line, 0);
			continue;
		}
		accepted++;
		again = parse(p->text, p->text_len, &err);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(again),
				       "canonical text rejected: %s", p->text);
		KUNIT_EXPECT_STREQ(test, again->text, p->text);
		nshard_policy_free(again);
		nshard_policy_free(p);
	}
	kunit_info(test, "20000 mutants: %u accepted, %u rejected\n",
		   accepted, rejected);
	KUNIT_EXPECT_GT(test, accepted, 100);
	KUNIT_EXPECT_GT(test, rejected, 100);
	KUNIT_EXPECT_EQ(test, atomic_read(&nshard_policies_live), live);
}

/* -------------------------------------------------------- benchmark -- */

/*
 * A policy of @n uid rules for the capability the benchmark asks about, plus
 * two rules for everyone: the same code path whatever @n, so that only the
 * size of the policy differs.
 */
static char *make_policy(unsigned int n, size_t *len)
{
	size_t size = 256 + (size_t)n * 48, pos = 0;
	char *text = vmalloc(size);
	unsigned int i;

	if (!text)
		return NULL;
	pos += scnprintf(text + pos, size - pos,
			 "deny cap NET_RAW restricted\n"
			 "deny gate netfilter restricted\n");
	for (i = 0; i < n; i++)
		pos += scnprintf(text + pos, size - pos,
				 "allow cap NET_RAW uid=%u restricted\n",
				 10000 + i);
	*len = pos;
	return text;
}

static void bench_one(struct kunit *test, unsigned int n)
{
	const unsigned int loops = 200000;
	const struct nshard_verdict *v;
	struct nshard_parse_error err;
	struct eval_fixture f;
	struct nshard_policy *p;
	u64 t0, t1, t2;
	size_t len;
	unsigned int i, denied = 0, allowed = 0;
	char *text = make_policy(n, &len);

	KUNIT_ASSERT_NOT_NULL(test, text);
	t0 = ktime_get_ns();
	p = parse(text, len, &err);
	t1 = ktime_get_ns();
	vfree(text);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p));

	/* A uid with no rule of its own: the hash lookup misses. */
	eval_init(test, &f, NSHARD_ORIGIN_RESTRICTED, 5, 5, NULL, 0);
	t2 = ktime_get_ns();
	for (i = 0; i < loops; i++) {
		v = nshard_decide(p, NSHARD_OP_CAP(CAP_NET_RAW), &f.subject);
		denied += v->action == NSHARD_ACTION_DENY;
	}
	t2 = ktime_get_ns() - t2;
	KUNIT_EXPECT_EQ(test, denied, loops);

	/* The uid of the last rule: the lookup hits. */
	f.cred->euid = KUIDT_INIT(10000 + n - 1);
	f.subject.ident.uid = f.cred->euid;
	t1 -= t0;
	t0 = ktime_get_ns();
	for (i = 0; i < loops; i++) {
		v = nshard_decide(p, NSHARD_OP_CAP(CAP_NET_RAW), &f.subject);
		allowed += v->action == NSHARD_ACTION_ALLOW;
	}
	t0 = ktime_get_ns() - t0;
	KUNIT_EXPECT_EQ(test, allowed, loops);

	kunit_info(test, "%u rules: %llu ns per decision (miss), %llu ns (hit), load %llu us, %zu KiB\n",
		   n + 2, t2 / loops, t0 / loops, t1 / 1000, p->mem / 1024);
	nshard_policy_free(p);
	abort_creds(f.cred);
}

static void test_benchmark(struct kunit *test)
{
	bench_one(test, 8);
	bench_one(test, 9998);
}

static struct kunit_case nshard_policy_test_cases[] = {
	KUNIT_CASE(test_ops),
	KUNIT_CASE_PARAM(test_parse, parse_gen_params),
	KUNIT_CASE(test_load_rejects_and_keeps_policy),
	KUNIT_CASE(test_load_sealed),
	KUNIT_CASE(test_load_replaces),
	KUNIT_CASE(test_builtin_policy_parses),
	KUNIT_CASE(test_limits_of_size),
	KUNIT_CASE(test_quoted_exe_round_trip),
	KUNIT_CASE_PARAM(test_eval, eval_gen_params),
	KUNIT_CASE(test_eval_exe),
	KUNIT_CASE(test_limits),
	KUNIT_CASE(test_drop),
	KUNIT_CASE(test_allow_all),
	KUNIT_CASE_SLOW(test_mutations),
	KUNIT_CASE_SLOW(test_benchmark),
	{}
};

static struct kunit_suite nshard_policy_test_suite = {
	.name = "nshard_policy",
	.test_cases = nshard_policy_test_cases,
};

kunit_test_suite(nshard_policy_test_suite);
