/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - global operating mode
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_MODE_H
#define _SECURITY_NSHARD_MODE_H

#include <linux/compiler.h>

/**
 * enum nshard_mode - how nshard acts on the decisions it makes
 * @NSHARD_MODE_OFF: hooks return at once; nothing is checked or logged.
 * @NSHARD_MODE_AUDIT: decisions are made and logged, nothing is refused.
 * @NSHARD_MODE_ENFORCE: decisions are made, logged and enforced.
 * @NSHARD_MODE_COUNT: number of modes, not a mode.
 */
enum nshard_mode {
	NSHARD_MODE_OFF,
	NSHARD_MODE_AUDIT,
	NSHARD_MODE_ENFORCE,
	NSHARD_MODE_COUNT,
};

extern enum nshard_mode nshard_mode;

/**
 * nshard_mode_get - read the current mode
 *
 * Hooks read the mode once per decision, without a lock: a concurrent change
 * takes effect for the next decision.
 *
 * Return: the current mode.
 */
static inline enum nshard_mode nshard_mode_get(void)
{
	return READ_ONCE(nshard_mode);
}

enum nshard_mode nshard_mode_set(enum nshard_mode mode);
const char *nshard_mode_name(enum nshard_mode mode);
int nshard_mode_parse(const char *str, enum nshard_mode *mode);

#endif /* _SECURITY_NSHARD_MODE_H */
