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
#include "setup.h"
#include "userns.h"

bool nshard_initialized __ro_after_init;

const struct lsm_id nshard_lsmid = {
	.name = NSHARD_NAME,
	.id = LSM_ID_NSHARD,
};

static int __init nshard_init(void)
{
	nshard_add_userns_hooks();
	nshard_initialized = true;
	pr_info("initialized, mode %s\n", nshard_mode_name(nshard_mode_get()));
	return 0;
}

DEFINE_LSM(nshard) = {
	.name = NSHARD_NAME,
	.init = nshard_init,
};
