// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nshard's programs bound to their execution
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/binfmts.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/personality.h>
#include <linux/security.h>
#include <linux/string.h>

#include "../exec.h"
#include "../policy.h"
#include "kunit_state.h"

/* A regular file in the root file system: a program for exe= rules. */
static struct file *make_program(struct kunit *test, const char *path,
				 struct nshard_exe_id *id)
{
	struct file *f = filp_open(path, O_CREAT | O_RDONLY, 0755);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "%s: %ld", path, PTR_ERR(f));
	nshard_exe_id_of(file_inode(f), id);
	return f;
}

static struct nshard_policy *parse(struct kunit *test, const char *text,
				   struct nshard_parse_error *err)
{
	return nshard_policy_parse(text, strlen(text), true, err);
}

/* One entry per program; "inherit" is the program's, on all its rules. */
static void test_programs(struct kunit *test)
{
	struct nshard_exe_id ida, idb;
	struct nshard_parse_error err;
	const struct nshard_exe *x;
	struct nshard_policy *p;
	struct file *fa, *fb;

	fa = make_program(test, "/nshard-kunit-a", &ida);
	fb = make_program(test, "/nshard-kunit-b", &idb);
	p = parse(test, "allow create user exe=/nshard-kunit-a inherit\n"
			"deny create net exe=/nshard-kunit-a inherit\n"
			"deny create user exe=/nshard-kunit-b\n", &err);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "line %u: %s", err.line,
			       err.msg);
	KUNIT_EXPECT_TRUE(test, p->has_exe);
	x = nshard_policy_exe(p, &ida);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_TRUE(test, x->inherit);
	KUNIT_EXPECT_TRUE(test, x->exempting);	/* an allow rule names it */
	x = nshard_policy_exe(p, &idb);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_FALSE(test, x->inherit);
	KUNIT_EXPECT_FALSE(test, x->exempting);	/* deny rules only */
	KUNIT_EXPECT_STREQ(test, p->text,
			   "allow create user exe=/nshard-kunit-a inherit\n"
			   "deny create user exe=/nshard-kunit-b\n"
			   "deny create net exe=/nshard-kunit-a inherit\n");
	nshard_policy_free(p);

	p = parse(test, "allow create user exe=/nshard-kunit-a inherit\n"
			"deny create net exe=/nshard-kunit-a\n", &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 2);
	KUNIT_EXPECT_STREQ(test, err.token, "line 1");
	KUNIT_EXPECT_STREQ(test, err.msg,
			   "inherit must be on every rule naming this program, or on none");

	p = parse(test, "allow create user exe=/\n", &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err.msg, "exe= is not a regular file");
	p = parse(test, "allow create user exe=/nshard-kunit-none\n", &err);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -ENOENT);
	filp_close(fa, NULL);
	filp_close(fb, NULL);
}

static void test_exec_unsafe(struct kunit *test)
{
	struct linux_binprm bprm = {};

	KUNIT_EXPECT_NULL(test, nshard_exec_unsafe(&bprm));
	/* no_new_privs lets nobody into the program. */
	bprm.unsafe = LSM_UNSAFE_NO_NEW_PRIVS;
	KUNIT_EXPECT_NULL(test, nshard_exec_unsafe(&bprm));
	bprm.unsafe = LSM_UNSAFE_SHARE;
	KUNIT_EXPECT_STREQ(test, nshard_exec_unsafe(&bprm),
			   "its fs_struct is shared");
	/* The test thread has no tracer: an absent tracer is no threat. */
	bprm.unsafe = LSM_UNSAFE_PTRACE;
	KUNIT_EXPECT_NULL(test, nshard_exec_unsafe(&bprm));
}

/* An execution by the test thread (root: commoncap makes it no secureexec). */
static void bprm_init(struct kunit *test, struct linux_binprm *bprm,
		      unsigned int unsafe)
{
	memset(bprm, 0, sizeof(*bprm));
	bprm->filename = "nshard-kunit";
	bprm->cred = nshard_kunit_cred(test);
	bprm->unsafe = unsafe;
}

/* What the exec hook makes of programs, named or not, exempting or not. */
static void test_creds_from_file(struct kunit *test)
{
	struct nshard_task *t = nshard_task(current), saved = *t;
	struct linux_binprm bprm = {};
	struct nshard_exe_id ida, idb, idc;
	struct file *fa, *fb, *fc;

	nshard_kunit_own_state(test);
	fa = make_program(test, "/nshard-kunit-a", &ida);
	fb = make_program(test, "/nshard-kunit-b", &idb);
	fc = make_program(test, "/nshard-kunit-c", &idc);
	nshard_kunit_load(test, "allow create user exe=/nshard-kunit-a\n"
				"deny create user exe=/nshard-kunit-b\n");
	bprm_init(test, &bprm, 0);

	KUNIT_EXPECT_EQ(test, security_bprm_creds_from_file(&bprm, fa), 0);
	KUNIT_EXPECT_TRUE(test, bprm.secureexec);
	KUNIT_EXPECT_EQ(test, bprm.per_clear & PER_CLEAR_ON_SETID,
			PER_CLEAR_ON_SETID);
	KUNIT_EXPECT_TRUE(test, t->pending_named);
	KUNIT_EXPECT_TRUE(test, t->pending_exempt);
	KUNIT_EXPECT_EQ(test, t->pending.ino, ida.ino);

	/* Named by a deny rule only: identified, not made secure. */
	bprm_init(test, &bprm, 0);
	KUNIT_EXPECT_EQ(test, security_bprm_creds_from_file(&bprm, fb), 0);
	KUNIT_EXPECT_FALSE(test, bprm.secureexec);
	KUNIT_EXPECT_TRUE(test, t->pending_named);
	KUNIT_EXPECT_FALSE(test, t->pending_exempt);

	/* Not named: nothing. */
	bprm_init(test, &bprm, 0);
	KUNIT_EXPECT_EQ(test, security_bprm_creds_from_file(&bprm, fc), 0);
	KUNIT_EXPECT_FALSE(test, bprm.secureexec);
	KUNIT_EXPECT_FALSE(test, t->pending_named);

	/* Executed unsafely: withheld, the program still runs. */
	bprm_init(test, &bprm, LSM_UNSAFE_SHARE);
	KUNIT_EXPECT_EQ(test, security_bprm_creds_from_file(&bprm, fa), 0);
	KUNIT_EXPECT_FALSE(test, bprm.secureexec);
	KUNIT_EXPECT_FALSE(test, t->pending_named);

	/* A kernel thread has no memory map: never identified. */
	t->named = true;
	t->exe = ida;
	KUNIT_EXPECT_FALSE(test, nshard_exec_identity(&idc));
	*t = saved;
	filp_close(fa, NULL);
	filp_close(fb, NULL);
	filp_close(fc, NULL);
}

static struct kunit_case nshard_exec_test_cases[] = {
	KUNIT_CASE(test_programs),
	KUNIT_CASE(test_exec_unsafe),
	KUNIT_CASE(test_creds_from_file),
	{}
};

static struct kunit_suite nshard_exec_test_suite = {
	.name = "nshard_exec",
	.test_cases = nshard_exec_test_cases,
};

kunit_test_suite(nshard_exec_test_suite);
