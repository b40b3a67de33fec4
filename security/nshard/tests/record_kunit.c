// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nshard's user namespace records and namespace mediation
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/vmalloc.h>

#include "../mode.h"
#include "../ns.h"
#include "../ops.h"
#include "../policy.h"
#include "../record.h"
#include "../setup.h"
#include "../userns.h"

/* ------------------------------------------------------ pure logic -- */

struct init_case {
	const char *name;
	struct nshard_userns parent;
	bool privileged_creator;
	u64 drop;
	struct nshard_userns expect;
};

static const struct init_case init_cases[] = {
	{ "privileged creator in the initial namespace",
	  { false, 0, 0 }, true, 0, { false, 1, 0 } },
	{ "unprivileged creator", { false, 0, 0 }, false, 0, { true, 1, 0 } },
	{ "restricted parent stays restricted",
	  { true, 1, 0 }, true, 0, { true, 2, 0 } },
	{ "restricted parent, unprivileged creator",
	  { true, 3, 0 }, false, 0, { true, 4, 0 } },
	{ "privileged nesting", { false, 1, 0 }, true, 0, { false, 2, 0 } },
	{ "drop applies",
	  { false, 0, 0 }, false, BIT_ULL(CAP_NET_ADMIN),
	  { true, 1, BIT_ULL(CAP_NET_ADMIN) } },
	{ "drop is inherited and added to",
	  { true, 1, BIT_ULL(CAP_NET_RAW) }, false, BIT_ULL(CAP_SYS_ADMIN),
	  { true, 2, BIT_ULL(CAP_NET_RAW) | BIT_ULL(CAP_SYS_ADMIN) } },
	{ "drop is inherited when the child drops nothing",
	  { true, 5, BIT_ULL(CAP_BPF) }, false, 0,
	  { true, 6, BIT_ULL(CAP_BPF) } },
	{ "deepest level", { true, 31, 0 }, false, 0, { true, 32, 0 } },
};

static void init_case_desc(const struct init_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(init, init_cases, init_case_desc);

static void test_userns_init(struct kunit *test)
{
	const struct init_case *c = test->param_value;
	struct nshard_userns rec;

	memset(&rec, 0xa5, sizeof(rec));
	nshard_userns_init(&rec, &c->parent, c->privileged_creator, c->drop);
	KUNIT_EXPECT_EQ(test, rec.restricted, c->expect.restricted);
	KUNIT_EXPECT_EQ(test, rec.depth, c->expect.depth);
	KUNIT_EXPECT_EQ(test, rec.drop, c->expect.drop);
}

static void test_create_depth(struct kunit *test)
{
	/* pid namespaces nest on their own; the others follow their owner. */
	KUNIT_EXPECT_EQ(test, nshard_create_depth(NSHARD_NS_PID, 0, 0), 1);
	KUNIT_EXPECT_EQ(test, nshard_create_depth(NSHARD_NS_PID, 5, 2), 3);
	KUNIT_EXPECT_EQ(test, nshard_create_depth(NSHARD_NS_NET, 0, 7), 0);
	KUNIT_EXPECT_EQ(test, nshard_create_depth(NSHARD_NS_NET, 2, 7), 2);
	KUNIT_EXPECT_EQ(test, nshard_create_depth(NSHARD_NS_MNT, 1, 0), 1);
	KUNIT_EXPECT_EQ(test, nshard_create_depth(NSHARD_NS_TIME, 3, 3), 3);
}

static void test_ns_type_from_clone(struct kunit *test)
{
	static const struct {
		unsigned long flag;
		int type;
	} map[] = {
		{ CLONE_NEWUSER, NSHARD_NS_USER },
		{ CLONE_NEWNS, NSHARD_NS_MNT },
		{ CLONE_NEWNET, NSHARD_NS_NET },
		{ CLONE_NEWPID, NSHARD_NS_PID },
		{ CLONE_NEWIPC, NSHARD_NS_IPC },
		{ CLONE_NEWUTS, NSHARD_NS_UTS },
		{ CLONE_NEWCGROUP, NSHARD_NS_CGROUP },
		{ CLONE_NEWTIME, NSHARD_NS_TIME },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		KUNIT_EXPECT_EQ(test, nshard_ns_type_from_clone(map[i].flag),
				map[i].type);
	KUNIT_EXPECT_LT(test, nshard_ns_type_from_clone(0), 0);
	KUNIT_EXPECT_LT(test, nshard_ns_type_from_clone(CLONE_NEWNET |
							CLONE_NEWNS), 0);
	KUNIT_EXPECT_LT(test, nshard_ns_type_from_clone(CLONE_VM), 0);
}

/* ------------------------------------- through the LSM framework -- */

/* Load @text as the active policy, or fail the test. */
static void load(struct kunit *test, const char *text)
{
	struct nshard_parse_error err;

	KUNIT_ASSERT_GT_MSG(test, nshard_policy_load(text, strlen(text), &err),
			    0, "line %u: %s", err.line, err.msg);
}

/*
 * Create a user namespace as create_user_ns() does for unshare(2), with or
 * without CAP_SYS_ADMIN in the effective set of the creator.
 */
static int new_userns(struct kunit *test, bool privileged, struct cred **out)
{
	struct cred *cred = prepare_creds();
	int err;

	KUNIT_ASSERT_NOT_NULL(test, cred);
	if (!privileged)
		cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
	err = create_user_ns(cred);
	if (err) {
		abort_creds(cred);
		return err;
	}
	*out = cred;
	return 0;
}

/* Wait for freed user namespaces to be gone (they are freed from a work). */
static long wait_live(long expect)
{
	int i;

	for (i = 0; i < 200 && atomic_long_read(&nshard_userns_live) != expect;
	     i++)
		msleep(20);
	return atomic_long_read(&nshard_userns_live);
}

struct saved {
	enum nshard_mode mode;
	char *policy;
};

static void save(struct kunit *test, struct saved *s)
{
	s->mode = nshard_mode_get();
	rcu_read_lock();
	s->policy = kmemdup_nul(nshard_policy_get()->text,
				nshard_policy_get()->text_len, GFP_ATOMIC);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, s->policy);
}

static void restore(struct kunit *test, struct saved *s)
{
	nshard_mode_set(s->mode);
	load(test, s->policy);
	kfree(s->policy);
}

/*
 * Skip the test if nshard is not active; else save the mode and the policy,
 * for restore(), load @policy and enforce it.
 */
static void begin(struct kunit *test, struct saved *saved, const char *policy)
{
	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");
	save(test, saved);
	load(test, policy);
	nshard_mode_set(NSHARD_MODE_ENFORCE);
}

static void test_records_follow_namespaces(struct kunit *test)
{
	struct cred *priv, *unpriv;
	long live = atomic_long_read(&nshard_userns_live);
	struct saved saved;

	begin(test, &saved, "");

	KUNIT_EXPECT_FALSE(test, nshard_userns(&init_user_ns)->restricted);
	KUNIT_EXPECT_EQ(test, nshard_userns(&init_user_ns)->depth, 0);

	KUNIT_ASSERT_EQ(test, new_userns(test, true, &priv), 0);
	KUNIT_ASSERT_EQ(test, new_userns(test, false, &unpriv), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&nshard_userns_live), live + 2);
	KUNIT_EXPECT_FALSE(test, nshard_userns(priv->user_ns)->restricted);
	KUNIT_EXPECT_EQ(test, nshard_userns(priv->user_ns)->depth, 1);
	KUNIT_EXPECT_TRUE(test, nshard_userns(unpriv->user_ns)->restricted);

	abort_creds(unpriv);
	abort_creds(priv);
	KUNIT_EXPECT_EQ(test, wait_live(live), live);
	restore(test, &saved);
}

static void test_drop_reaches_capable(struct kunit *test)
{
	struct cred *cred;
	struct saved saved;

	begin(test, &saved, "allow create user restricted drop=NET_ADMIN\n");

	KUNIT_ASSERT_EQ(test, new_userns(test, false, &cred), 0);
	KUNIT_EXPECT_EQ(test, nshard_userns(cred->user_ns)->drop,
			BIT_ULL(CAP_NET_ADMIN));
	/* The creator's new credentials hold every capability there... */
	KUNIT_EXPECT_TRUE(test, cap_raised(cred->cap_effective, CAP_NET_RAW));
	/* ...but the dropped one does not work. */
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_RAW, CAP_OPT_NONE), 0);
	/* Audit mode lets it through. */
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE), 0);
	abort_creds(cred);
	restore(test, &saved);
}

static void test_cap_rules(struct kunit *test)
{
	struct cred *priv, *unpriv;
	struct saved saved;

	begin(test, &saved,
	      "deny cap NET_ADMIN restricted\ndeny cap BPF privileged\n");
	KUNIT_ASSERT_EQ(test, new_userns(test, true, &priv), 0);
	KUNIT_ASSERT_EQ(test, new_userns(test, false, &unpriv), 0);

	KUNIT_EXPECT_EQ(test, security_capable(unpriv, unpriv->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_capable(unpriv, unpriv->user_ns,
					       CAP_BPF, CAP_OPT_NONE), 0);
	KUNIT_EXPECT_EQ(test, security_capable(priv, priv->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE), 0);
	KUNIT_EXPECT_EQ(test, security_capable(priv, priv->user_ns,
					       CAP_BPF, CAP_OPT_NONE), -EPERM);
	/* Quiet checks are decided alike. */
	KUNIT_EXPECT_EQ(test, security_capable(unpriv, unpriv->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NOAUDIT),
			-EPERM);
	/* The initial namespace is never nshard's business. */
	KUNIT_EXPECT_EQ(test, security_capable(current_cred(), &init_user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE), 0);
	/* Off mode decides nothing. */
	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, security_capable(unpriv, unpriv->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE), 0);
	abort_creds(unpriv);
	abort_creds(priv);
	restore(test, &saved);
}

static void test_namespace_create_hook(struct kunit *test)
{
	struct cred *unpriv;
	struct saved saved;

	begin(test, &saved, "deny create net restricted\nlimit depth mnt 0\n");
	KUNIT_ASSERT_EQ(test, new_userns(test, false, &unpriv), 0);

	/* Owned by a restricted namespace: net refused, uts allowed. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv->user_ns,
							CLONE_NEWNET), -EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv->user_ns,
							CLONE_NEWUTS), 0);
	/* One refused type refuses the whole call. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv->user_ns,
							CLONE_NEWUTS |
							CLONE_NEWNET), -EPERM);
	/* Owned by the initial namespace: privileged origin. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(&init_user_ns,
							CLONE_NEWNET), 0);
	/* Depth of a mount namespace is its owner's: 1 here, 0 allowed. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv->user_ns,
							CLONE_NEWNS), -EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_create(&init_user_ns,
							CLONE_NEWNS), 0);
	abort_creds(unpriv);
	restore(test, &saved);
}

static void test_namespace_install_hook(struct kunit *test)
{
	struct cred *priv, *unpriv;
	struct nsset nsset = {};
	struct saved saved;

	begin(test, &saved, "");
	KUNIT_ASSERT_EQ(test, new_userns(test, true, &priv), 0);
	KUNIT_ASSERT_EQ(test, new_userns(test, false, &unpriv), 0);

	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			0);
	/* Judged by the namespace entered, not by who enters it. */
	load(test, "deny setns user restricted\n");
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &priv->user_ns->ns),
			0);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &init_user_ns.ns),
			0);
	load(test, "deny setns user privileged\n");
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			0);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &priv->user_ns->ns),
			-EPERM);
	/* Audit mode reports and allows; off mode decides nothing. */
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &priv->user_ns->ns),
			0);
	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &priv->user_ns->ns),
			0);
	/*
	 * Whatever a task inside either namespace creates is restricted: it
	 * holds nothing in the initial user namespace.
	 */
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(unpriv),
			NSHARD_ORIGIN_RESTRICTED);
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(priv),
			NSHARD_ORIGIN_RESTRICTED);
	abort_creds(unpriv);
	abort_creds(priv);
	restore(test, &saved);
}

/* A creation over its depth limit, let through in audit mode, keeps drop=. */
static void test_audit_over_limit_keeps_drop(struct kunit *test)
{
	struct cred *cred;
	struct saved saved;

	begin(test, &saved,
	      "allow create user restricted drop=NET_ADMIN\n"
	      "limit depth user 0 restricted\n");
	KUNIT_EXPECT_EQ(test, new_userns(test, false, &cred), -EPERM);
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_ASSERT_EQ(test, new_userns(test, false, &cred), 0);
	KUNIT_EXPECT_EQ(test, nshard_userns(cred->user_ns)->drop,
			BIT_ULL(CAP_NET_ADMIN));
	abort_creds(cred);
	restore(test, &saved);
}

/*
 * The framework frees the blob after any module's namespace_alloc hook
 * failed, also when ours did not run: such a record is not counted out.
 */
static void test_free_without_alloc(struct kunit *test)
{
	long live = atomic_long_read(&nshard_userns_live);
	struct user_namespace *ns;

	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");
	ns = kunit_kzalloc(test, sizeof(*ns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns);
	ns->ns.ops = &userns_operations;
	ns->ns.security = kzalloc(nshard_blob_sizes.lbs_ns +
				  sizeof(struct nshard_userns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns->ns.security);
	security_namespace_free(&ns->ns);
	KUNIT_EXPECT_NULL(test, ns->ns.security);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&nshard_userns_live), live);
}

/* ------------------------------------------------ cost of the hooks -- */

#define HOOK_LOOPS 200000

/* ns per call of @expr, over HOOK_LOOPS calls. */
#define TIME_NS(expr) ({						\
	u64 __t0 = ktime_get_ns();					\
	unsigned int __i;						\
									\
	for (__i = 0; __i < HOOK_LOOPS; __i++)				\
		(void)(expr);						\
	div_u64(ktime_get_ns() - __t0, HOOK_LOOPS);			\
})

/* A policy of 10,000 uid rules on the operations measured. */
static char *large_policy(size_t *len)
{
	static const char *const ops[] = {
		"create net", "setns user", "cap SYS_ADMIN", "cap NET_ADMIN",
	};
	size_t size = 10000 * 40, pos = 0;
	char *text = vmalloc(size);
	unsigned int i;

	if (!text)
		return NULL;
	for (i = 0; i < 10000; i++)
		pos += scnprintf(text + pos, size - pos, "allow %s uid=%u\n",
				 ops[i % ARRAY_SIZE(ops)], 20000 + i);
	*len = pos;
	return text;
}

/*
 * What the hooks cost natively, beside the kernel's own capability check:
 * the figures the in-guest benchmark cannot give under emulation.
 */
static void test_hook_cost(struct kunit *test)
{
	static const char *const names[] = { "off", "enforce, empty policy",
					     "enforce, 10,000 rules" };
	struct nsset nsset = {};
	struct nshard_parse_error err;
	struct cred *unpriv;
	struct saved saved;
	size_t len;
	char *large;
	int i;

	if (!nshard_initialized)
		kunit_skip(test, "nshard is not in the active LSM list");
	save(test, &saved);
	load(test, "");
	KUNIT_ASSERT_EQ(test, new_userns(test, false, &unpriv), 0);
	large = large_policy(&len);
	KUNIT_ASSERT_NOT_NULL(test, large);

	kunit_info(test, "cap_capable(), initial namespace: %llu ns\n",
		   TIME_NS(cap_capable(unpriv, &init_user_ns, CAP_SYS_ADMIN,
				       CAP_OPT_NONE)));
	kunit_info(test, "cap_capable(), restricted namespace: %llu ns\n",
		   TIME_NS(cap_capable(unpriv, unpriv->user_ns, CAP_SYS_ADMIN,
				       CAP_OPT_NONE)));
	for (i = 0; i < 3; i++) {
		nshard_mode_set(i ? NSHARD_MODE_ENFORCE : NSHARD_MODE_OFF);
		if (i == 2)
			KUNIT_ASSERT_GT(test, nshard_policy_load(large, len, &err),
					0);
		kunit_info(test, "%s: security_capable() initial %llu ns, restricted %llu ns; namespace_create %llu ns; namespace_install %llu ns\n",
			   names[i],
			   TIME_NS(security_capable(unpriv, &init_user_ns,
						    CAP_SYS_ADMIN,
						    CAP_OPT_NONE)),
			   TIME_NS(security_capable(unpriv, unpriv->user_ns,
						    CAP_SYS_ADMIN,
						    CAP_OPT_NONE)),
			   TIME_NS(security_namespace_create(unpriv->user_ns,
							     CLONE_NEWNET)),
			   TIME_NS(security_namespace_install(&nsset,
							      &unpriv->user_ns->ns)));
		/* The decisions were made, and allowed. */
		KUNIT_EXPECT_EQ(test, security_capable(unpriv, unpriv->user_ns,
						       CAP_SYS_ADMIN,
						       CAP_OPT_NONE), 0);
	}
	vfree(large);
	abort_creds(unpriv);
	restore(test, &saved);
}

static struct kunit_case nshard_record_test_cases[] = {
	KUNIT_CASE_PARAM(test_userns_init, init_gen_params),
	KUNIT_CASE(test_create_depth),
	KUNIT_CASE(test_ns_type_from_clone),
	KUNIT_CASE(test_records_follow_namespaces),
	KUNIT_CASE(test_drop_reaches_capable),
	KUNIT_CASE(test_cap_rules),
	KUNIT_CASE(test_namespace_create_hook),
	KUNIT_CASE(test_namespace_install_hook),
	KUNIT_CASE(test_audit_over_limit_keeps_drop),
	KUNIT_CASE(test_free_without_alloc),
	KUNIT_CASE_SLOW(test_hook_cost),
	{}
};

static struct kunit_suite nshard_record_test_suite = {
	.name = "nshard_record",
	.test_cases = nshard_record_test_cases,
};

kunit_test_suite(nshard_record_test_suite);
