/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - user namespace mediation
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_USERNS_H
#define _SECURITY_NSHARD_USERNS_H

#include <linux/cred.h>
#include <linux/init.h>

#include "policy.h"

bool nshard_cred_privileged(const struct cred *cred);
enum nshard_origin nshard_new_userns_origin(const struct cred *cred);

void __init nshard_add_userns_hooks(void);

#endif /* _SECURITY_NSHARD_USERNS_H */
