// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the gates' decision: whose namespace, whose privilege
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/net.h>
#include <linux/rtnetlink.h>
#include <linux/security.h>
#include <linux/socket.h>
#include <linux/user_namespace.h>

#include "../counters.h"
#include "../gate.h"
#include "../ops.h"
#include "../record.h"
#include "kunit_state.h"

static const struct nshard_gate_op op = {
	.what = NSHARD_WHAT_MODULE,
	.name = "nft-expr-meta",
};

/* A user namespace created with @cred, released with the test. */
static struct user_namespace *new_ns(struct kunit *test,
				     const struct cred *cred)
{
	struct cred *c = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, c);
	put_user_ns(c->user_ns);
	c->user_ns = get_user_ns(cred->user_ns);
	c->euid = cred->euid;
	c->cap_effective = cred->cap_effective;
	KUNIT_ASSERT_EQ(test, create_user_ns(c), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							nshard_kunit_put_cred,
							c), 0);
	return c->user_ns;
}

/* Credentials of a task in @ns with @uid, all or no capabilities. */
static struct cred *cred_in(struct kunit *test, struct user_namespace *ns,
			    uid_t uid, bool caps)
{
	struct cred *cred = nshard_kunit_cred(test);

	put_user_ns(cred->user_ns);
	cred->user_ns = get_user_ns(ns);
	cred->uid = KUIDT_INIT(uid);
	cred->euid = cred->uid;
	cred->fsuid = cred->uid;
	if (!caps)
		cred->cap_effective = CAP_EMPTY_SET;
	return cred;
}

/* Let uids and gids of @ns map to themselves, as root maps a container. */
static void map_all(struct user_namespace *ns)
{
	ns->uid_map.extent[0] = (struct uid_gid_extent){ 0, 0, U32_MAX };
	ns->gid_map.extent[0] = (struct uid_gid_extent){ 0, 0, U32_MAX };
	/* The extents before their count, as map_write() publishes them. */
	smp_wmb();
	ns->uid_map.nr_extents = 1;
	ns->gid_map.nr_extents = 1;
}

static int judge(struct user_namespace *owner, const struct cred *cred)
{
	return nshard_gate(NSHARD_GATE_MODLOAD, owner, CAP_SYS_ADMIN, cred,
			   &op);
}

/*
 * A user's namespace R, a container P that root made, a namespace Q nested
 * in it by the container's root: who is judged where.
 */
static void test_whose_privilege(struct kunit *test)
{
	struct cred *user = nshard_kunit_cred(test), *root_in_p, *user_in_r;
	struct user_namespace *r, *p, *q;

	nshard_kunit_begin(test, "deny gate modload restricted\n");
	user->euid = KUIDT_INIT(1000);
	user->cap_effective = CAP_EMPTY_SET;
	r = new_ns(test, user);
	p = new_ns(test, current_cred());
	map_all(p);
	root_in_p = cred_in(test, p, 0, true);
	q = new_ns(test, root_in_p);
	KUNIT_ASSERT_TRUE(test, nshard_userns(r)->restricted);
	KUNIT_ASSERT_FALSE(test, nshard_userns(p)->restricted);
	KUNIT_ASSERT_TRUE(test, nshard_userns(q)->restricted);

	/* The host's objects are never gated, whoever asks. */
	KUNIT_EXPECT_EQ(test, judge(&init_user_ns, user), 0);
	/* The user, acting on its namespace from outside or from inside. */
	KUNIT_EXPECT_EQ(test, judge(r, user), -EPERM);
	user_in_r = cred_in(test, r, 0, true);
	KUNIT_EXPECT_EQ(test, judge(r, user_in_r), -EPERM);
	/* Host root, entering the user's namespace: not gated. */
	KUNIT_EXPECT_EQ(test, judge(r, current_cred()), 0);
	/* The container's root, in its own namespace: "privileged" rules. */
	KUNIT_EXPECT_EQ(test, judge(p, root_in_p), 0);
	/* ...and in a namespace nested in the container: not gated. */
	KUNIT_EXPECT_EQ(test, judge(q, root_in_p), 0);
	/* A task in Q is judged there. */
	KUNIT_EXPECT_EQ(test, judge(q, cred_in(test, q, 0, true)), -EPERM);

	nshard_kunit_load(test, "deny gate modload privileged\n");
	KUNIT_EXPECT_EQ(test, judge(p, root_in_p), -EPERM);
	KUNIT_EXPECT_EQ(test, judge(r, user), 0);
	/* Host root over the container: not gated either. */
	KUNIT_EXPECT_EQ(test, judge(p, current_cred()), 0);
	KUNIT_EXPECT_EQ(test, judge(&init_user_ns, current_cred()), 0);
}

/* Rules with subjects, audit mode, off mode, and the counters. */
static void test_gate_rules(struct kunit *test)
{
	struct cred *user = nshard_kunit_cred(test), *other;
	struct user_namespace *r;
	u64 denied, audited;

	nshard_kunit_begin(test, "deny gate modload restricted\n"
				 "allow gate modload uid=1000\n");
	user->euid = KUIDT_INIT(1000);
	user->cap_effective = CAP_EMPTY_SET;
	r = new_ns(test, user);
	other = cred_in(test, &init_user_ns, 1001, false);
	KUNIT_EXPECT_EQ(test, judge(r, user), 0);
	denied = nshard_counter_read(NSHARD_OP_GATE(NSHARD_GATE_MODLOAD),
				     NSHARD_COUNTER_DENIED);
	KUNIT_EXPECT_EQ(test, judge(r, other), -EPERM);
	KUNIT_EXPECT_EQ(test,
			nshard_counter_read(NSHARD_OP_GATE(NSHARD_GATE_MODLOAD),
					    NSHARD_COUNTER_DENIED),
			denied + 1);

	nshard_mode_set(NSHARD_MODE_AUDIT);
	audited = nshard_counter_read(NSHARD_OP_GATE(NSHARD_GATE_MODLOAD),
				      NSHARD_COUNTER_AUDITED);
	KUNIT_EXPECT_EQ(test, judge(r, other), 0);
	KUNIT_EXPECT_EQ(test,
			nshard_counter_read(NSHARD_OP_GATE(NSHARD_GATE_MODLOAD),
					    NSHARD_COUNTER_AUDITED),
			audited + 1);
	nshard_mode_set(NSHARD_MODE_OFF);
	KUNIT_EXPECT_EQ(test, judge(r, other), 0);
	nshard_mode_set(NSHARD_MODE_ENFORCE);

	/* No statement on the gate: allowed at once. */
	nshard_kunit_load(test, "deny gate tc restricted\n");
	KUNIT_EXPECT_EQ(test, judge(r, other), 0);
}

static void test_op_format(struct kunit *test)
{
	static const struct {
		struct nshard_gate_op op;
		const char *text;
	} cases[] = {
		{ { NSHARD_WHAT_SOCKET, AF_PACKET, SOCK_RAW, 0 },
		  "socket AF_PACKET SOCK_RAW" },
		{ { NSHARD_WHAT_SOCKET, AF_INET, SOCK_RAW, 1 },
		  "socket AF_INET SOCK_RAW" },
		{ { NSHARD_WHAT_SOCKET, AF_NETLINK, SOCK_RAW, 20 },
		  "socket AF_NETLINK protocol 20" },
		{ { NSHARD_WHAT_SOCKET, 99, SOCK_STREAM, 0 },
		  "socket family 99" },
		{ { NSHARD_WHAT_RTNL, RTM_NEWQDISC, .name = "" },
		  "RTM_NEWQDISC" },
		{ { NSHARD_WHAT_RTNL, RTM_NEWLINK, .name = "vxlan" },
		  "RTM_NEWLINK vxlan" },
		{ { NSHARD_WHAT_RTNL, 23, .name = "" }, "rtnetlink type 23" },
		{ { NSHARD_WHAT_NFNL, 10, 0 }, "nfnetlink nf_tables message 0" },
		{ { NSHARD_WHAT_GENL, 1, .name = "ovs_datapath" },
		  "genl ovs_datapath command 1" },
		{ { NSHARD_WHAT_SOCKOPT, 0, 64, 1 },
		  "setsockopt level 0 option 64" },
		{ { NSHARD_WHAT_IOCTL, 0x8990 }, "ioctl SIOCBONDENSLAVE" },
		{ { NSHARD_WHAT_MOUNT, 0, .name = "ext4" }, "mount ext4" },
		{ { NSHARD_WHAT_MOUNT, 1, .name = "ext4" }, "remount ext4" },
		{ { NSHARD_WHAT_MODULE, .name = "nft-expr-meta" },
		  "request_module nft-expr-meta" },
	};
	char buf[NSHARD_GATE_OP_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nshard_gate_op_format(&cases[i].op, buf, sizeof(buf));
		KUNIT_EXPECT_STREQ(test, buf, cases[i].text);
	}
}

static struct kunit_case nshard_gate_test_cases[] = {
	KUNIT_CASE(test_whose_privilege),
	KUNIT_CASE(test_gate_rules),
	KUNIT_CASE(test_op_format),
	{}
};

static struct kunit_suite nshard_gate_test_suite = {
	.name = "nshard_gate",
	.test_cases = nshard_gate_test_cases,
};

kunit_test_suite(nshard_gate_test_suite);
