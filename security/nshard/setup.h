/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - framework setup
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_SETUP_H
#define _SECURITY_NSHARD_SETUP_H

#include <linux/lsm_hooks.h>

extern bool nshard_initialized;
extern const struct lsm_id nshard_lsmid;

#endif /* _SECURITY_NSHARD_SETUP_H */
