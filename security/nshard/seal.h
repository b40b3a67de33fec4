/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - sealing the configuration until reboot
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_SEAL_H
#define _SECURITY_NSHARD_SEAL_H

#include <linux/compiler.h>
#include <linux/init.h>

extern bool nshard_sealed;

/**
 * nshard_is_sealed - tell whether the configuration is sealed
 *
 * Callers about to change the configuration hold nshard_config_lock, so
 * that the answer cannot change under them.
 *
 * Return: true once sealed.
 */
static inline bool nshard_is_sealed(void)
{
	return READ_ONCE(nshard_sealed);
}

void nshard_seal(void);
void __init nshard_seal_init(void);

#endif /* _SECURITY_NSHARD_SEAL_H */
