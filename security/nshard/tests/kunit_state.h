/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KUnit tests for nshard: changing the global state, and putting it back
 *
 * Tests that change nshard's mode or policy go through these helpers: the
 * state is saved first and restored by a KUnit action, whether the test
 * passes, fails or aborts.  When the configuration is sealed (nshard.seal=1
 * on the command line), nothing may change it, tests included: they skip.
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_TESTS_KUNIT_STATE_H
#define _SECURITY_NSHARD_TESTS_KUNIT_STATE_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../mode.h"
#include "../policy.h"
#include "../seal.h"
#include "../setup.h"

struct nshard_kunit_state {
	enum nshard_mode mode;
	char *policy;
	size_t len;
};

static inline void nshard_kunit_restore(void *data)
{
	struct nshard_kunit_state *s = data;
	struct nshard_parse_error err;

	nshard_mode_set(s->mode);
	if (s->policy && nshard_policy_load(s->policy, s->len, &err) < 0)
		pr_err("nshard KUnit: cannot restore the policy: line %u: %s\n",
		       err.line, err.msg);
	kfree(s->policy);
}

/**
 * nshard_kunit_own_state - let a test change the mode and the policy
 * @test: the test
 *
 * Skips the test if nshard is not active or the configuration is sealed;
 * otherwise saves the mode and the policy, to be restored when the test
 * ends, however it ends.
 */
static inline void nshard_kunit_own_state(struct kunit *test)
{
	struct nshard_kunit_state *s;
	const struct nshard_policy *p;

	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");
	if (nshard_is_sealed())
		kunit_skip(test, "sealed: nothing may change the policy or the mode");
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->mode = nshard_mode_get();
	rcu_read_lock();
	p = nshard_policy_get();
	s->len = p->text_len;
	s->policy = kmemdup(p->text, p->text_len, GFP_ATOMIC);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, s->policy);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							nshard_kunit_restore,
							s), 0);
}

/**
 * nshard_kunit_load - load a policy, or fail the test
 * @test: the test, which called nshard_kunit_own_state()
 * @text: the policy
 */
static inline void nshard_kunit_load(struct kunit *test, const char *text)
{
	struct nshard_parse_error err;

	KUNIT_ASSERT_GT_MSG(test, nshard_policy_load(text, strlen(text), &err),
			    0, "line %u: %s", err.line, err.msg);
}

/**
 * nshard_kunit_begin - own the state, load a policy and enforce it
 * @test: the test
 * @text: the policy
 */
static inline void nshard_kunit_begin(struct kunit *test, const char *text)
{
	nshard_kunit_own_state(test);
	nshard_kunit_load(test, text);
	nshard_mode_set(NSHARD_MODE_ENFORCE);
}

static inline void nshard_kunit_put_cred(void *cred)
{
	put_cred(cred);
}

/**
 * nshard_kunit_cred - credentials of the test thread, released at the end
 * @test: the test
 *
 * Return: prepared credentials the test may change before using them.
 */
static inline struct cred *nshard_kunit_cred(struct kunit *test)
{
	struct cred *cred = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, cred);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							nshard_kunit_put_cred,
							cred), 0);
	return cred;
}

#endif /* _SECURITY_NSHARD_TESTS_KUNIT_STATE_H */
