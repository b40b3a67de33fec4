// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - framework setup
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "audit.h"
#include "capable.h"
#include "common.h"
#include "exec.h"
#include "mode.h"
#include "module.h"
#include "mount.h"
#include "net.h"
#include "ns.h"
#include "policy.h"
#include "record.h"
#include "seal.h"
#include "setup.h"
#include "userns.h"

bool nshard_initialized __ro_after_init;

const struct lsm_id nshard_lsmid = {
	.name = NSHARD_NAME,
	.id = LSM_ID_NSHARD,
};

struct lsm_blob_sizes nshard_blob_sizes __ro_after_init = {
	.lbs_user_ns = sizeof(struct nshard_userns),
	.lbs_task = sizeof(struct nshard_task),
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
	nshard_report_init();
	nshard_add_userns_hooks();
	nshard_add_ns_hooks();
	nshard_add_capable_hooks();
	nshard_add_exec_hooks();
	nshard_add_net_hooks();
	nshard_add_mount_hooks();
	nshard_add_module_hooks();
	nshard_initialized = true;
	pr_info("initialized, mode %s\n", nshard_mode_name(nshard_mode_get()));
	return 0;
}

DEFINE_LSM(nshard) = {
	.name = NSHARD_NAME,
	.init = nshard_init,
	.blobs = &nshard_blob_sizes,
};
