// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - framework setup
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "common.h"
#include "mode.h"
#include "policy.h"
#include "seal.h"
#include "setup.h"
#include "userns.h"

bool nshard_initialized __ro_after_init;

const struct lsm_id nshard_lsmid = {
	.name = NSHARD_NAME,
	.id = LSM_ID_NSHARD,
};

static int __init nshard_init(void)
{
	int err;

	/* The built-in policy is in force before the first hook runs. */
	err = nshard_policy_init();
	if (err) {
		pr_err("cannot load the built-in policy: %d\n", err);
		return err;
	}
	nshard_seal_init();
	nshard_add_userns_hooks();
	nshard_initialized = true;
	pr_info("initialized, mode %s\n", nshard_mode_name(nshard_mode_get()));
	return 0;
}

DEFINE_LSM(nshard) = {
	.name = NSHARD_NAME,
	.init = nshard_init,
};
