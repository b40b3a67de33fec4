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
#include "kunit_state.h"

/* ------------------------------------------------------ pure logic -- */

struct init_case {
	const char *name;
	struct nshard_userns parent;
	bool restricted;
	u64 drop;
	bool enforced;
	struct nshard_userns expect;
};

#define NA BIT_ULL(CAP_NET_ADMIN)
#define NR BIT_ULL(CAP_NET_RAW)
#define SA BIT_ULL(CAP_SYS_ADMIN)

static const struct init_case init_cases[] = {
	{ "privileged creation in the initial namespace",
	  { .depth = 0 }, false, 0, true, { .restricted = false, .depth = 1 } },
	{ "restricted creation", { .depth = 0 }, true, 0, true,
	  { .restricted = true, .depth = 1 } },
	{ "restricted parent stays restricted",
	  { .restricted = true, .depth = 1 }, false, 0, true,
	  { .restricted = true, .depth = 2 } },
	{ "privileged nesting", { .depth = 1 }, false, 0, true,
	  { .restricted = false, .depth = 2 } },
	{ "drop in enforce mode is enforced", { .depth = 0 }, true, NA, true,
	  { .restricted = true, .depth = 1, .drop = NA } },
	{ "drop in audit mode is only reported", { .depth = 0 }, true, NA,
	  false, { .restricted = true, .depth = 1, .drop_audit = NA } },
	{ "drops are inherited and added to",
	  { .restricted = true, .depth = 1, .drop = NR, .drop_audit = SA },
	  true, NA, true,
	  { .restricted = true, .depth = 2, .drop = NR | NA,
	    .drop_audit = SA } },
	{ "an enforced drop stays when the child is made in audit mode",
	  { .restricted = true, .depth = 5, .drop = NR }, true, NA, false,
	  { .restricted = true, .depth = 6, .drop = NR, .drop_audit = NA } },
	{ "deepest level", { .restricted = true, .depth = 31 }, true, 0, true,
	  { .restricted = true, .depth = 32 } },
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
	nshard_userns_init(&rec, &c->parent, c->restricted, c->drop,
			   c->enforced, 42);
	KUNIT_EXPECT_EQ(test, rec.restricted, c->expect.restricted);
	KUNIT_EXPECT_EQ(test, rec.depth, c->expect.depth);
	KUNIT_EXPECT_EQ(test, rec.drop, c->expect.drop);
	KUNIT_EXPECT_EQ(test, rec.drop_audit, c->expect.drop_audit);
	KUNIT_EXPECT_EQ(test, rec.generation, 42);
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

enum creator {
	PRIVILEGED,		/* uid 0 with CAP_SYS_ADMIN */
	UNPRIVILEGED,		/* uid 0 without CAP_SYS_ADMIN */
	USER_WITH_CAPS,		/* uid 1000 with CAP_SYS_ADMIN */
};

/*
 * Create a user namespace as create_user_ns() does for unshare(2).  The new
 * credentials, which hold it, are released when the test ends.
 */
static int new_userns(struct kunit *test, enum creator creator,
		      struct cred **out)
{
	struct cred *cred = prepare_creds();
	int err;

	KUNIT_ASSERT_NOT_NULL(test, cred);
	if (creator == UNPRIVILEGED)
		cap_lower(cred->cap_effective, CAP_SYS_ADMIN);
	if (creator == USER_WITH_CAPS) {
		cred->euid = KUIDT_INIT(1000);
		cred->egid = KGIDT_INIT(1000);
	}
	err = create_user_ns(cred);
	if (err) {
		abort_creds(cred);
		return err;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							nshard_kunit_put_cred,
							cred), 0);
	*out = cred;
	return 0;
}

/* Credentials of a task living in @ns, with @uid and no groups. */
static struct cred *cred_in(struct kunit *test, struct user_namespace *ns,
			    uid_t uid)
{
	struct cred *cred = nshard_kunit_cred(test);

	put_user_ns(cred->user_ns);
	cred->user_ns = get_user_ns(ns);
	cred->uid = KUIDT_INIT(uid);
	cred->euid = cred->uid;
	cred->fsuid = cred->uid;
	cred->gid = KGIDT_INIT(uid);
	cred->egid = cred->gid;
	cred->fsgid = cred->gid;
	put_group_info(cred->group_info);
	cred->group_info = groups_alloc(0);
	KUNIT_ASSERT_NOT_NULL(test, cred->group_info);
	return cred;
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

static void test_records_follow_namespaces(struct kunit *test)
{
	long live = atomic_long_read(&nshard_userns_live);
	struct cred *priv = prepare_creds(), *unpriv = prepare_creds();

	nshard_kunit_begin(test, "");
	KUNIT_ASSERT_NOT_NULL(test, priv);
	KUNIT_ASSERT_NOT_NULL(test, unpriv);
	cap_lower(unpriv->cap_effective, CAP_SYS_ADMIN);

	KUNIT_EXPECT_FALSE(test, nshard_userns(&init_user_ns)->restricted);
	KUNIT_EXPECT_EQ(test, nshard_userns(&init_user_ns)->depth, 0);

	KUNIT_ASSERT_EQ(test, create_user_ns(priv), 0);
	KUNIT_ASSERT_EQ(test, create_user_ns(unpriv), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&nshard_userns_live), live + 2);
	KUNIT_EXPECT_FALSE(test, nshard_userns(priv->user_ns)->restricted);
	KUNIT_EXPECT_EQ(test, nshard_userns(priv->user_ns)->depth, 1);
	KUNIT_EXPECT_TRUE(test, nshard_userns(unpriv->user_ns)->restricted);

	abort_creds(unpriv);
	abort_creds(priv);
	KUNIT_EXPECT_EQ(test, wait_live(live), live);
}

/* Privileged by capability, but owned by uid 1000: restricted. */
static void test_owner_rule_origin(struct kunit *test)
{
	struct cred *user, *root;

	nshard_kunit_begin(test, "");
	KUNIT_ASSERT_EQ(test, new_userns(test, USER_WITH_CAPS, &user), 0);
	KUNIT_ASSERT_EQ(test, new_userns(test, PRIVILEGED, &root), 0);
	KUNIT_EXPECT_TRUE(test, nshard_userns(user->user_ns)->restricted);
	KUNIT_EXPECT_FALSE(test, nshard_userns(root->user_ns)->restricted);
	KUNIT_EXPECT_TRUE(test, uid_eq(user->user_ns->owner, KUIDT_INIT(1000)));
}

/*
 * Rules see, in a task inside a user namespace, the ids of the creator of
 * the outermost one: not the ids it took inside.
 */
static void test_ident_recorded(struct kunit *test)
{
	struct nshard_subject subject;
	struct group_info *gi;
	struct cred *outer, *inner;
	struct nshard_userns rec = {};

	nshard_kunit_begin(test, "deny create net uid=1000\n"
				 "deny create uts gid=27\n"
				 "deny create ipc uid=100000\n");
	KUNIT_ASSERT_EQ(test, new_userns(test, USER_WITH_CAPS, &outer), 0);

	/* The creator, uid 1000, had group 27. */
	gi = groups_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, gi);
	gi->gid[0] = KGIDT_INIT(27);
	nshard_userns_set_ident(&rec, &init_user_ns, outer);
	KUNIT_EXPECT_TRUE(test, uid_eq(rec.ident.uid, KUIDT_INIT(1000)));
	nshard_userns_release(&rec);

	/* Recorded at creation, whatever the task's ids become. */
	KUNIT_EXPECT_TRUE(test, uid_eq(nshard_userns(outer->user_ns)->ident.uid,
				       KUIDT_INIT(1000)));
	inner = cred_in(test, outer->user_ns, 100000);
	nshard_subject_init(&subject, inner, inner->user_ns,
			    NSHARD_ORIGIN_RESTRICTED);
	KUNIT_EXPECT_TRUE(test, uid_eq(subject.ident.uid, KUIDT_INIT(1000)));
	KUNIT_EXPECT_EQ(test, security_namespace_create(inner, CLONE_NEWNET),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_create(inner, CLONE_NEWIPC),
			0);

	/* A nested namespace inherits its parent's record of ids. */
	nshard_userns_set_ident(&rec, outer->user_ns, inner);
	KUNIT_EXPECT_TRUE(test, uid_eq(rec.ident.uid, KUIDT_INIT(1000)));
	KUNIT_EXPECT_PTR_EQ(test, rec.ident.groups,
			    nshard_userns(outer->user_ns)->ident.groups);
	nshard_userns_release(&rec);

	/* Groups: recorded, not dropped by setgroups() inside. */
	put_group_info(outer->group_info);
	outer->group_info = gi;
	nshard_userns_set_ident(&rec, &init_user_ns, outer);
	KUNIT_ASSERT_NOT_NULL(test, rec.ident.groups);
	KUNIT_EXPECT_EQ(test, rec.ident.groups->ngroups, 1);
	KUNIT_EXPECT_TRUE(test, gid_eq(rec.ident.groups->gid[0],
				       KGIDT_INIT(27)));
	nshard_userns_release(&rec);
	KUNIT_EXPECT_NULL(test, rec.ident.groups);
}

static void test_drop_reaches_capable(struct kunit *test)
{
	struct cred *cred, *audited;

	nshard_kunit_begin(test, "allow create user restricted drop=NET_ADMIN\n");

	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &cred), 0);
	KUNIT_EXPECT_EQ(test, nshard_userns(cred->user_ns)->drop, NA);
	/* The creator's new credentials hold every capability there... */
	KUNIT_EXPECT_TRUE(test, cap_raised(cred->cap_effective, CAP_NET_RAW));
	/* ...but the dropped one does not work, in any mode. */
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_RAW, CAP_OPT_NONE), 0);
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE),
			-EPERM);
	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE),
			-EPERM);
	/* Nor under a policy that no longer drops it. */
	nshard_kunit_load(test, "");
	nshard_mode_set(NSHARD_MODE_ENFORCE);
	KUNIT_EXPECT_EQ(test, security_capable(cred, cred->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE),
			-EPERM);

	/* Created in audit mode: reported, never refused. */
	nshard_kunit_load(test, "allow create user restricted drop=NET_ADMIN\n");
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &audited), 0);
	KUNIT_EXPECT_EQ(test, nshard_userns(audited->user_ns)->drop, 0);
	KUNIT_EXPECT_EQ(test, nshard_userns(audited->user_ns)->drop_audit, NA);
	KUNIT_EXPECT_EQ(test, security_capable(audited, audited->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE), 0);
	nshard_mode_set(NSHARD_MODE_ENFORCE);
	KUNIT_EXPECT_EQ(test, security_capable(audited, audited->user_ns,
					       CAP_NET_ADMIN, CAP_OPT_NONE), 0);
}

static void test_cap_rules(struct kunit *test)
{
	struct cred *priv, *unpriv;

	nshard_kunit_begin(test, "deny cap NET_ADMIN restricted\ndeny cap BPF privileged\n");
	KUNIT_ASSERT_EQ(test, new_userns(test, PRIVILEGED, &priv), 0);
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &unpriv), 0);

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
}

static void test_namespace_create_hook(struct kunit *test)
{
	struct cred *unpriv;

	nshard_kunit_begin(test, "deny create net restricted\nlimit depth mnt 0\n");
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &unpriv), 0);
	/* As if the new namespaces were made by a task inside it. */
	unpriv = cred_in(test, unpriv->user_ns, 0);

	/* Owned by a restricted namespace: net refused, uts allowed. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv, CLONE_NEWNET),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv, CLONE_NEWUTS),
			0);
	/* One refused type refuses the whole call. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv, CLONE_NEWUTS |
							CLONE_NEWNET), -EPERM);
	/* Owned by the initial namespace: privileged origin. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(current_cred(),
							CLONE_NEWNET), 0);
	/* Depth of a mount namespace is its owner's: 1 here, 0 allowed. */
	KUNIT_EXPECT_EQ(test, security_namespace_create(unpriv, CLONE_NEWNS),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_create(current_cred(),
							CLONE_NEWNS), 0);
}

/*
 * clone(CLONE_NEWUSER | CLONE_NEWNET) with a policy loaded between the two
 * hooks: the user namespace is judged again, so that one policy decides the
 * whole call.
 */
static void test_one_call_one_policy(struct kunit *test)
{
	struct cred *cred;

	nshard_kunit_begin(test, "");
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &cred), 0);
	/* cred->user_ns is not the caller's: made by this very call. */
	KUNIT_ASSERT_PTR_NE(test, cred->user_ns, current_user_ns());
	KUNIT_EXPECT_EQ(test, security_namespace_create(cred, CLONE_NEWNET), 0);

	nshard_kunit_load(test, "deny create user restricted\n");
	KUNIT_EXPECT_EQ(test, security_namespace_create(cred, CLONE_NEWNET),
			-EPERM);
	/* A policy allowing both: judged again, allowed, and recorded so. */
	nshard_kunit_load(test, "allow create user restricted drop=BPF\n");
	KUNIT_EXPECT_EQ(test, security_namespace_create(cred, CLONE_NEWNET), 0);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, nshard_userns(cred->user_ns)->generation,
			nshard_policy_get()->generation);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, nshard_userns(cred->user_ns)->drop,
			BIT_ULL(CAP_BPF));
}

static void test_namespace_install_hook(struct kunit *test)
{
	struct cred *priv, *unpriv, *outsider;
	const struct cred *old;
	struct nsset nsset = {};

	nshard_kunit_begin(test, "");
	KUNIT_ASSERT_EQ(test, new_userns(test, PRIVILEGED, &priv), 0);
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &unpriv), 0);

	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			0);
	/* Judged by the namespace entered, not by who enters it. */
	nshard_kunit_load(test, "deny setns user restricted\n");
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &priv->user_ns->ns),
			0);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &init_user_ns.ns),
			0);
	nshard_kunit_load(test, "deny setns user privileged\n");
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
	nshard_mode_set(NSHARD_MODE_ENFORCE);

	/*
	 * Entering a restricted namespace counts as creating one for a task
	 * that is not privileged, unless a setns statement applies to it.
	 */
	nshard_kunit_load(test, "deny create user restricted\n");
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			0);	/* the KUnit thread is privileged */
	outsider = nshard_kunit_cred(test);
	cap_lower(outsider->cap_effective, CAP_SYS_ADMIN);
	old = override_creds(outsider);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			-EPERM);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &priv->user_ns->ns),
			0);	/* privileged origin: no such rule */
	revert_creds(old);
	nshard_kunit_load(test, "deny create user restricted\n"
				"allow setns user restricted\n");
	old = override_creds(outsider);
	KUNIT_EXPECT_EQ(test, security_namespace_install(&nsset,
							 &unpriv->user_ns->ns),
			0);
	revert_creds(old);

	/*
	 * Whatever a task inside either namespace creates is restricted: it
	 * holds nothing in the initial user namespace.
	 */
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(unpriv),
			NSHARD_ORIGIN_RESTRICTED);
	KUNIT_EXPECT_EQ(test, nshard_new_userns_origin(priv),
			NSHARD_ORIGIN_RESTRICTED);
}

/* A creation over its depth limit, let through in audit mode, keeps drop=. */
static void test_audit_over_limit_keeps_drop(struct kunit *test)
{
	struct cred *cred;

	nshard_kunit_begin(test,
			   "allow create user restricted drop=NET_ADMIN\n"
			   "limit depth user 0 restricted\n");
	KUNIT_EXPECT_EQ(test, new_userns(test, UNPRIVILEGED, &cred), -EPERM);
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &cred), 0);
	KUNIT_EXPECT_EQ(test, nshard_userns(cred->user_ns)->drop_audit, NA);
}

/*
 * The framework frees the blob after any module's userns_alloc hook
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
	ns->security = kzalloc(nshard_blob_sizes.lbs_user_ns +
			       sizeof(struct nshard_userns), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ns->security);
	security_userns_free(ns);
	KUNIT_EXPECT_NULL(test, ns->security);
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
	struct cred *unpriv, *inside;
	size_t len;
	char *large;
	int i;

	nshard_kunit_own_state(test);
	nshard_kunit_load(test, "");
	KUNIT_ASSERT_EQ(test, new_userns(test, UNPRIVILEGED, &unpriv), 0);
	inside = cred_in(test, unpriv->user_ns, 0);
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
			   TIME_NS(security_namespace_create(inside,
							     CLONE_NEWNET)),
			   TIME_NS(security_namespace_install(&nsset,
							      &unpriv->user_ns->ns)));
		/* The decisions were made, and allowed. */
		KUNIT_EXPECT_EQ(test, security_capable(unpriv, unpriv->user_ns,
						       CAP_SYS_ADMIN,
						       CAP_OPT_NONE), 0);
	}
	vfree(large);
}

static struct kunit_case nshard_record_test_cases[] = {
	KUNIT_CASE_PARAM(test_userns_init, init_gen_params),
	KUNIT_CASE(test_create_depth),
	KUNIT_CASE(test_ns_type_from_clone),
	KUNIT_CASE(test_records_follow_namespaces),
	KUNIT_CASE(test_owner_rule_origin),
	KUNIT_CASE(test_ident_recorded),
	KUNIT_CASE(test_drop_reaches_capable),
	KUNIT_CASE(test_cap_rules),
	KUNIT_CASE(test_namespace_create_hook),
	KUNIT_CASE(test_one_call_one_policy),
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
