// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - securityfs interface
 *
 * /sys/kernel/security/nshard/ holds nshard's administrative files.  Writes
 * need CAP_MAC_ADMIN in the initial user namespace, both for the task that
 * opened the file and for the task that writes to it, so that root in a
 * container is refused even when handed a descriptor opened outside.  Every
 * refused write is logged and leaves the configuration as it was.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/nshard.h>

#include "audit.h"
#include "common.h"
#include "counters.h"
#include "mode.h"
#include "policy.h"
#include "seal.h"
#include "setup.h"
#include "view.h"

/*
 * Who may write to a file: see nshard_fs_may_write().  A check of a policy
 * changes nothing, and is allowed when sealed (@sealing false).
 */
static int nshard_fs_may(const struct file *file, bool sealing)
{
	const char *why;

	if (!file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN) ||
	    !capable(CAP_MAC_ADMIN))
		why = "CAP_MAC_ADMIN in the initial user namespace is required";
	else if (sealing && nshard_is_sealed())
		why = "the configuration is sealed until reboot";
	else
		return 0;

	pr_notice_ratelimited("refused write to %pD by pid=%d uid=%u comm=\"%s\": %s\n",
			      file, task_tgid_nr(current),
			      from_kuid(&init_user_ns, current_uid()),
			      current->comm, why);
	return -EPERM;
}

/**
 * nshard_fs_may_write - check that a write to an nshard file is allowed
 * @file: the file being written
 *
 * Return: 0 if the opener and the writer both hold CAP_MAC_ADMIN in the
 * initial user namespace and the configuration is not sealed, -EPERM
 * otherwise (and the refusal is logged).
 */
static int nshard_fs_may_write(const struct file *file)
{
	return nshard_fs_may(file, true);
}

/**
 * nshard_fs_get_value - check and copy a short value written to a file
 * @file: the file being written
 * @buf: user buffer
 * @count: bytes written
 * @ppos: file position; a value must be written whole, at offset 0
 * @value: kernel buffer
 * @size: size of @value, including room for the terminating NUL
 *
 * Return: 0 with @value NUL-terminated; -EPERM if the writer may not write
 * (see nshard_fs_may_write()); -EINVAL for a write at an offset, an empty
 * or oversize write, or one with an embedded NUL.  Refusals are logged.
 * What fits is left to the caller to validate.
 */
static int nshard_fs_get_value(const struct file *file,
			       const char __user *buf, size_t count,
			       const loff_t *ppos, char *value, size_t size)
{
	const char *why;
	int err;

	err = nshard_fs_may_write(file);
	if (err)
		return err;
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

/* ---------------------------------------------------------------- mode -- */

static ssize_t nshard_mode_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	char tmp[NSHARD_MODE_MAX_LEN + 2];
	int len;

	len = scnprintf(tmp, sizeof(tmp), "%s\n",
			nshard_mode_name(nshard_mode_get()));
	return simple_read_from_buffer(buf, count, ppos, tmp, len);
}

static ssize_t nshard_mode_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	char value[NSHARD_VALUE_MAX_LEN + 1];
	enum nshard_mode mode, old;
	int err;

	err = nshard_fs_get_value(file, buf, count, ppos, value,
				  sizeof(value));
	if (err)
		return err;

	err = nshard_mode_parse(value, &mode);
	if (err) {
		pr_notice_ratelimited("mode: rejected \"%s\": expected off, audit or enforce\n",
				      strim(value));
		return err;
	}

	mutex_lock(&nshard_config_lock);
	err = nshard_fs_may_write(file);
	if (!err)
		old = nshard_mode_set(mode);
	mutex_unlock(&nshard_config_lock);
	if (err)
		return err;

	nshard_report_change("mode", nshard_mode_name(mode),
			     nshard_mode_name(old));
	*ppos += count;
	return count;
}

static const struct file_operations nshard_mode_fops = {
	.read = nshard_mode_read,
	.write = nshard_mode_write,
	.llseek = generic_file_llseek,
};

/* -------------------------------------------------------------- policy -- */

/*
 * A reader reads the policy that was active when it opened the file, whole,
 * however many read(2) calls it takes and whatever is loaded meanwhile: it
 * holds a reference on that policy, not a copy of its text, and takes no
 * lock, so that opening the world-readable file costs no memory but the
 * file's own, whoever opens it and however often.
 */
static int nshard_policy_open(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_READ)
		file->private_data = nshard_policy_get_active();
	return 0;
}

static ssize_t nshard_policy_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	const struct nshard_policy *p = file->private_data;

	if (!p)
		return -EBADF;
	return simple_read_from_buffer(buf, count, ppos, p->text,
				       p->text_len);
}

static int nshard_policy_release(struct inode *inode, struct file *file)
{
	if (file->private_data)
		nshard_policy_put(file->private_data);
	return 0;
}

static ssize_t nshard_policy_write(struct file *file, const char __user *buf,
				   size_t count, loff_t *ppos)
{
	struct nshard_parse_error perr;
	char *text;
	s64 ret;

	ret = nshard_fs_may_write(file);
	if (ret)
		return ret;
	if (*ppos != 0) {
		pr_notice("policy: rejected a write at offset %lld: write the whole policy at once\n",
			  *ppos);
		return -EINVAL;
	}
	if (count > NSHARD_POLICY_MAX_SIZE) {
		pr_notice("policy: rejected a write of %zu bytes: the limit is %d\n",
			  count, NSHARD_POLICY_MAX_SIZE);
		return -E2BIG;
	}

	text = vmemdup_user(buf, count);
	if (IS_ERR(text))
		return PTR_ERR(text);
	ret = nshard_policy_load(text, count, &perr);
	kvfree(text);
	if (ret < 0) {
		pr_notice("policy rejected (error %lld): line %u: %s%s%s; the active policy is unchanged\n",
			  ret, perr.line, perr.msg ?: "invalid",
			  perr.token[0] ? ": " : "", perr.token);
		return ret;
	}
	*ppos += count;
	return count;
}

static const struct file_operations nshard_policy_fops = {
	.open = nshard_policy_open,
	.read = nshard_policy_read,
	.write = nshard_policy_write,
	.release = nshard_policy_release,
	.llseek = generic_file_llseek,
};

/* --------------------------------------------------------------- check -- */

/*
 * A dry run of a load: a policy written whole is parsed and compiled as a
 * load would, nothing is loaded, and the outcome is read back from the same
 * open file: "ok <statements> <digest>" and the canonical text, or "error
 * line <n>: <reason>".  Only who may load a policy may check one, sealed or
 * not; the outcome is charged to the writer's memory cgroup.
 */
struct nshard_check {
	struct mutex lock;	/* @text and @len: writes against reads */
	char *text;
	size_t len;
};

static int nshard_check_open(struct inode *inode, struct file *file)
{
	struct nshard_check *c;

	if (!file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN))
		return -EPERM;
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return -ENOMEM;
	mutex_init(&c->lock);
	file->private_data = c;
	return 0;
}

static char *nshard_check_outcome(const char *text, size_t count,
				  size_t *len)
{
	struct nshard_parse_error perr;
	struct nshard_policy *p;
	char *out;
	int n;

	p = nshard_policy_parse(text, count, true, &perr);
	if (IS_ERR(p)) {
		out = kasprintf(GFP_KERNEL_ACCOUNT, "error line %u: %s%s%s\n",
				perr.line, perr.msg ?: "invalid",
				perr.token[0] ? ": " : "", perr.token);
		*len = out ? strlen(out) : 0;
		return out ?: ERR_PTR(-ENOMEM);
	}
	out = kvmalloc(p->text_len + 96, GFP_KERNEL_ACCOUNT);
	if (out) {
		n = scnprintf(out, 96, "ok %u %*phN\n", p->nr_lines,
			      SHA256_DIGEST_SIZE, p->digest);
		memcpy(out + n, p->text, p->text_len);
		*len = n + p->text_len;
	}
	nshard_policy_free(p);
	return out ?: ERR_PTR(-ENOMEM);
}

static ssize_t nshard_check_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct nshard_check *c = file->private_data;
	char *text, *out;
	size_t len = 0;
	bool valid;
	int err;

	err = nshard_fs_may(file, false);
	if (err)
		return err;
	if (count > NSHARD_POLICY_MAX_SIZE)
		return -E2BIG;
	text = vmemdup_user(buf, count);
	if (IS_ERR(text))
		return PTR_ERR(text);
	out = nshard_check_outcome(text, count, &len);
	kvfree(text);
	if (IS_ERR(out))
		return PTR_ERR(out);
	valid = !strncmp(out, "ok ", 3);
	mutex_lock(&c->lock);
	swap(c->text, out);
	c->len = len;
	mutex_unlock(&c->lock);
	kvfree(out);
	return valid ? count : -EINVAL;
}

static ssize_t nshard_check_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct nshard_check *c = file->private_data;
	ssize_t ret;

	mutex_lock(&c->lock);
	ret = simple_read_from_buffer(buf, count, ppos, c->text, c->len);
	mutex_unlock(&c->lock);
	return ret;
}

static int nshard_check_release(struct inode *inode, struct file *file)
{
	struct nshard_check *c = file->private_data;

	kvfree(c->text);
	kfree(c);
	return 0;
}

static const struct file_operations nshard_check_fops = {
	.open = nshard_check_open,
	.read = nshard_check_read,
	.write = nshard_check_write,
	.release = nshard_check_release,
	.llseek = generic_file_llseek,
};


static ssize_t nshard_seal_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	char tmp[] = { nshard_is_sealed() ? '1' : '0', '\n' };

	return simple_read_from_buffer(buf, count, ppos, tmp, sizeof(tmp));
}

static ssize_t nshard_seal_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	char value[NSHARD_VALUE_MAX_LEN + 1];
	int err;

	err = nshard_fs_get_value(file, buf, count, ppos, value,
				  sizeof(value));
	if (err)
		return err;
	if (!sysfs_streq(value, "1")) {
		pr_notice_ratelimited("seal: rejected \"%s\": only 1 can be written, and nothing unseals\n",
				      strim(value));
		return -EINVAL;
	}

	mutex_lock(&nshard_config_lock);
	err = nshard_fs_may_write(file);
	if (!err)
		nshard_seal();
	mutex_unlock(&nshard_config_lock);
	if (err)
		return err;

	nshard_report_change("seal", "1", "0");
	*ppos += count;
	return count;
}

static const struct file_operations nshard_seal_fops = {
	.read = nshard_seal_read,
	.write = nshard_seal_write,
	.llseek = generic_file_llseek,
};

/* ------------------------------------------------- digest, generation -- */

static ssize_t nshard_digest_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	char tmp[2 * SHA256_DIGEST_SIZE + 2];

	rcu_read_lock();
	scnprintf(tmp, sizeof(tmp), "%*phN\n", SHA256_DIGEST_SIZE,
		  nshard_policy_get()->digest);
	rcu_read_unlock();
	return simple_read_from_buffer(buf, count, ppos, tmp,
				       sizeof(tmp) - 1);
}

static const struct file_operations nshard_digest_fops = {
	.read = nshard_digest_read,
	.llseek = generic_file_llseek,
};

static ssize_t nshard_generation_read(struct file *file, char __user *buf,
				      size_t count, loff_t *ppos)
{
	char tmp[24];
	int len;

	rcu_read_lock();
	len = scnprintf(tmp, sizeof(tmp), "%llu\n",
			nshard_policy_get()->generation);
	rcu_read_unlock();
	return simple_read_from_buffer(buf, count, ppos, tmp, len);
}

static const struct file_operations nshard_generation_fops = {
	.read = nshard_generation_read,
	.llseek = generic_file_llseek,
};

static int nshard_counters_open(struct inode *inode, struct file *file)
{
	return single_open(file, nshard_counters_show, NULL);
}

static const struct file_operations nshard_counters_fops = {
	.open = nshard_counters_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ------------------------------------------------------------ the dir -- */

struct nshard_fs_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
};

static const struct nshard_fs_file nshard_fs_files[] __initconst = {
	{ NSHARD_FS_MODE, 0644, &nshard_mode_fops },
	{ NSHARD_FS_POLICY, 0644, &nshard_policy_fops },
	{ NSHARD_FS_SEAL, 0644, &nshard_seal_fops },
	{ NSHARD_FS_DIGEST, 0444, &nshard_digest_fops },
	{ NSHARD_FS_GENERATION, 0444, &nshard_generation_fops },
	{ NSHARD_FS_COUNTERS, 0444, &nshard_counters_fops },
	{ NSHARD_FS_CHECK, 0600, &nshard_check_fops },
	{ NSHARD_FS_TASK, 0666, &nshard_task_fops },
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
