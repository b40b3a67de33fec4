// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - global operating mode
 *
 * The mode is one word, read locklessly by every hook.  It starts at the
 * Kconfig default, may be changed on the kernel command line with
 * "nshard.mode=" and, at run time, through securityfs (see fs.c).
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <uapi/linux/nshard.h>

#include "common.h"
#include "mode.h"

#if IS_ENABLED(CONFIG_SECURITY_NSHARD_MODE_ENFORCE)
#define NSHARD_MODE_DEFAULT NSHARD_MODE_ENFORCE
#elif IS_ENABLED(CONFIG_SECURITY_NSHARD_MODE_AUDIT)
#define NSHARD_MODE_DEFAULT NSHARD_MODE_AUDIT
#else
#define NSHARD_MODE_DEFAULT NSHARD_MODE_OFF
#endif

enum nshard_mode nshard_mode __read_mostly = NSHARD_MODE_DEFAULT;

static const char *const nshard_mode_names[NSHARD_MODE_COUNT] = {
	[NSHARD_MODE_OFF] = NSHARD_MODE_OFF_NAME,
	[NSHARD_MODE_AUDIT] = NSHARD_MODE_AUDIT_NAME,
	[NSHARD_MODE_ENFORCE] = NSHARD_MODE_ENFORCE_NAME,
};

/**
 * nshard_mode_name - name of a mode, as read and written through securityfs
 * @mode: the mode
 *
 * Return: a static string, "?" for an out-of-range value.
 */
const char *nshard_mode_name(enum nshard_mode mode)
{
	if ((unsigned int)mode >= NSHARD_MODE_COUNT)
		return "?";
	return nshard_mode_names[mode];
}

/**
 * nshard_mode_parse - parse the name of a mode
 * @str: NUL-terminated name, optionally followed by one newline
 * @mode: where the parsed mode is stored on success
 *
 * Return: 0 on success, -EINVAL if @str names no mode (@mode is unchanged).
 */
int nshard_mode_parse(const char *str, enum nshard_mode *mode)
{
	int i = sysfs_match_string(nshard_mode_names, str);

	if (i < 0)
		return -EINVAL;
	*mode = i;
	return 0;
}

/**
 * nshard_mode_set - switch to a new mode
 * @mode: the new mode, which must be valid
 *
 * Return: the mode that was in force before.
 */
enum nshard_mode nshard_mode_set(enum nshard_mode mode)
{
	return xchg(&nshard_mode, mode);
}

static int nshard_mode_param_set(const char *val, const struct kernel_param *kp)
{
	enum nshard_mode mode;
	int err;

	err = nshard_mode_parse(val, &mode);
	if (err)
		return err;
	nshard_mode_set(mode);
	return 0;
}

static int nshard_mode_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", nshard_mode_name(nshard_mode_get()));
}

static const struct kernel_param_ops nshard_mode_param_ops = {
	.set = nshard_mode_param_set,
	.get = nshard_mode_param_get,
};

/*
 * "nshard.mode=" on the kernel command line.  Read-only in sysfs: run-time
 * changes go through securityfs, which checks the writer's privileges.
 */
module_param_cb(mode, &nshard_mode_param_ops, NULL, 0444);
MODULE_PARM_DESC(mode, "Operating mode: off, audit or enforce");
