// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - sealing the configuration until reboot
 *
 * Once sealed, neither the policy nor the mode can change until the machine
 * reboots, whatever the privileges of the writer: a root compromise cannot
 * switch nshard off.  "nshard.seal=1" seals at boot, right after the
 * built-in policy is loaded; writing "1" to the seal file seals at run time,
 * typically after the boot scripts have loaded the site's policy.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/lockdep.h>
#include <linux/moduleparam.h>

#include "common.h"
#include "policy.h"
#include "seal.h"

bool nshard_sealed __read_mostly;

static bool nshard_seal_at_boot __ro_after_init;
module_param_named(seal, nshard_seal_at_boot, bool, 0444);
MODULE_PARM_DESC(seal, "Seal the built-in policy and the boot mode until reboot");

/**
 * nshard_seal - seal the configuration
 *
 * Must be called with nshard_config_lock held.
 */
void nshard_seal(void)
{
	lockdep_assert_held(&nshard_config_lock);
	WRITE_ONCE(nshard_sealed, true);
}

/**
 * nshard_seal_init - seal at boot if nshard.seal=1 was given
 */
void __init nshard_seal_init(void)
{
	if (!nshard_seal_at_boot)
		return;
	mutex_lock(&nshard_config_lock);
	nshard_seal();
	mutex_unlock(&nshard_config_lock);
	pr_info("configuration sealed at boot\n");
}
