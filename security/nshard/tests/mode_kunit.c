// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nshard's mode parsing and naming
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <kunit/test.h>
#include <linux/errno.h>

#include "../mode.h"
#include "kunit_state.h"

struct mode_parse_case {
	const char *str;
	int err;
	enum nshard_mode mode;
};

static const struct mode_parse_case mode_parse_cases[] = {
	{ "off", 0, NSHARD_MODE_OFF },
	{ "audit", 0, NSHARD_MODE_AUDIT },
	{ "enforce", 0, NSHARD_MODE_ENFORCE },
	{ "off\n", 0, NSHARD_MODE_OFF },
	{ "audit\n", 0, NSHARD_MODE_AUDIT },
	{ "enforce\n", 0, NSHARD_MODE_ENFORCE },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "enforce\n\n", -EINVAL },
	{ "Enforce", -EINVAL },
	{ "ENFORCE", -EINVAL },
	{ "enforced", -EINVAL },
	{ "enforc", -EINVAL },
	{ " off", -EINVAL },
	{ "off ", -EINVAL },
	{ "off\naudit", -EINVAL },
	{ "0", -EINVAL },
	{ "1", -EINVAL },
	{ "on", -EINVAL },
};

static void mode_parse_case_desc(const struct mode_parse_case *c, char *desc)
{
	int i, j = 0;

	/* Make newlines visible in the test names. */
	for (i = 0; c->str[i] && j < KUNIT_PARAM_DESC_SIZE - 3; i++) {
		if (c->str[i] == '\n') {
			desc[j++] = '\\';
			desc[j++] = 'n';
		} else {
			desc[j++] = c->str[i];
		}
	}
	desc[j] = '\0';
	if (!j)
		strscpy(desc, "(empty)", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mode_parse, mode_parse_cases, mode_parse_case_desc);

static void test_mode_parse(struct kunit *test)
{
	const struct mode_parse_case *c = test->param_value;
	enum nshard_mode mode = NSHARD_MODE_COUNT;

	KUNIT_EXPECT_EQ(test, nshard_mode_parse(c->str, &mode), c->err);
	if (c->err)
		KUNIT_EXPECT_EQ(test, mode, NSHARD_MODE_COUNT);
	else
		KUNIT_EXPECT_EQ(test, mode, c->mode);
}

static void test_mode_name_round_trip(struct kunit *test)
{
	enum nshard_mode m, parsed;

	for (m = NSHARD_MODE_OFF; m < NSHARD_MODE_COUNT; m++) {
		KUNIT_ASSERT_EQ(test, nshard_mode_parse(nshard_mode_name(m),
							&parsed), 0);
		KUNIT_EXPECT_EQ(test, parsed, m);
	}
}

static void test_mode_name_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, nshard_mode_name(NSHARD_MODE_COUNT), "?");
	KUNIT_EXPECT_STREQ(test, nshard_mode_name((enum nshard_mode)-1), "?");
}

static void test_mode_set_returns_previous(struct kunit *test)
{
	nshard_kunit_own_state(test);
	nshard_mode_set(NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, nshard_mode_set(NSHARD_MODE_ENFORCE),
			NSHARD_MODE_AUDIT);
	KUNIT_EXPECT_EQ(test, nshard_mode_get(), NSHARD_MODE_ENFORCE);
}

static struct kunit_case nshard_mode_test_cases[] = {
	KUNIT_CASE_PARAM(test_mode_parse, mode_parse_gen_params),
	KUNIT_CASE(test_mode_name_round_trip),
	KUNIT_CASE(test_mode_name_out_of_range),
	KUNIT_CASE(test_mode_set_returns_previous),
	{}
};

static struct kunit_suite nshard_mode_test_suite = {
	.name = "nshard_mode",
	.test_cases = nshard_mode_test_cases,
};

kunit_test_suite(nshard_mode_test_suite);
