// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - securityfs interface
 *
 * /sys/kernel/security/nshard/ holds nshard's administrative files.  Reads
 * are open to everyone: they disclose the host's hardening, not secrets.
 * Writes need CAP_MAC_ADMIN in the initial user namespace, both for the task
 * that opened the file and for the task that writes to it, so that root in a
 * container is refused even when handed a descriptor opened outside.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/uaccess.h>
#include <uapi/linux/nshard.h>

#include "common.h"
#include "mode.h"
#include "setup.h"

/**
 * nshard_fs_may_write - check that a write to an nshard file is allowed
 * @file: the file being written
 *
 * Return: 0 if the opener and the writer both hold CAP_MAC_ADMIN in the
 * initial user namespace, -EPERM otherwise (and the refusal is logged).
 */
static int nshard_fs_may_write(const struct file *file)
{
	if (file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN) &&
	    capable(CAP_MAC_ADMIN))
		return 0;

	pr_notice_ratelimited("refused write to %pD by pid=%d uid=%u comm=\"%s\": CAP_MAC_ADMIN in the initial user namespace is required\n",
			      file, task_tgid_nr(current),
			      from_kuid(&init_user_ns, current_uid()),
			      current->comm);
	return -EPERM;
}

static ssize_t nshard_mode_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	char tmp[NSHARD_MODE_MAX_LEN + 2];
	int len;

	len = scnprintf(tmp, sizeof(tmp), "%s\n",
			nshard_mode_name(nshard_mode_get()));
	return simple_read_from_buffer(buf, count, ppos, tmp, len);
}

/**
 * nshard_fs_copy_value - copy a short value written to an nshard file
 * @file: the file, for the log line
 * @buf: user buffer
 * @count: bytes written
 * @ppos: file position; a value must be written whole, at offset 0
 * @value: kernel buffer
 * @size: size of @value, including room for the terminating NUL
 *
 * Return: 0 with @value NUL-terminated, or -EINVAL (logged) for a write at
 * an offset, an empty or oversize write, or one with an embedded NUL.  What
 * fits is left to the caller to validate.
 */
static int nshard_fs_copy_value(const struct file *file,
				const char __user *buf, size_t count,
				const loff_t *ppos, char *value, size_t size)
{
	const char *why;

	if (*ppos != 0) {
		why = "not at offset 0";
		goto reject;
	}
	if (count == 0) {
		why = "of nothing";
		goto reject;
	}
	if (count >= size) {
		why = "too long for this file";
		goto reject;
	}
	if (copy_from_user(value, buf, count))
		return -EFAULT;
	value[count] = '\0';
	if (strlen(value) == count)
		return 0;
	why = "containing a NUL byte";
reject:
	pr_notice_ratelimited("%pD: rejected a write of %zu bytes %s\n", file,
			      count, why);
	return -EINVAL;
}

static ssize_t nshard_mode_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	char value[NSHARD_VALUE_MAX_LEN + 1];
	enum nshard_mode mode, old;
	int err;

	err = nshard_fs_may_write(file);
	if (err)
		return err;
	err = nshard_fs_copy_value(file, buf, count, ppos, value,
				   sizeof(value));
	if (err)
		return err;

	err = nshard_mode_parse(value, &mode);
	if (err) {
		pr_notice_ratelimited("mode: rejected \"%s\": expected off, audit or enforce\n",
				      strim(value));
		return err;
	}

	old = nshard_mode_set(mode);
	pr_notice("mode set to %s (was %s) by pid=%d uid=%u comm=\"%s\"\n",
		  nshard_mode_name(mode), nshard_mode_name(old),
		  task_tgid_nr(current),
		  from_kuid(&init_user_ns, current_uid()), current->comm);
	*ppos += count;
	return count;
}

static const struct file_operations nshard_mode_fops = {
	.read = nshard_mode_read,
	.write = nshard_mode_write,
	.llseek = generic_file_llseek,
};

struct nshard_fs_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
};

static const struct nshard_fs_file nshard_fs_files[] __initconst = {
	{ NSHARD_FS_MODE, 0644, &nshard_mode_fops },
};

static int __init nshard_fs_init(void)
{
	struct dentry *dir, *dentry;
	size_t i;

	if (!nshard_initialized)
		return 0;

	dir = securityfs_create_dir(NSHARD_FS_DIR, NULL);
	if (IS_ERR(dir)) {
		pr_err("cannot create the securityfs directory: %ld\n",
		       PTR_ERR(dir));
		return PTR_ERR(dir);
	}

	for (i = 0; i < ARRAY_SIZE(nshard_fs_files); i++) {
		const struct nshard_fs_file *f = &nshard_fs_files[i];

		dentry = securityfs_create_file(f->name, f->mode, dir, NULL,
						f->fops);
		if (IS_ERR(dentry)) {
			pr_err("cannot create securityfs file %s: %ld\n",
			       f->name, PTR_ERR(dentry));
			securityfs_recursive_remove(dir);
			return PTR_ERR(dentry);
		}
	}
	return 0;
}
fs_initcall(nshard_fs_init);
