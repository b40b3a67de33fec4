// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - mounts
 *
 * The mount gates: fs-mount (a file system type not marked
 * FS_USERNS_MOUNT), cgroup1 (cgroup v1 and cpuset hierarchies) and overlay.
 * They are decided when the filesystem context is created, which every
 * mount API goes through (mount(2), new or remount, fsopen(2), fspick(2)):
 * before the file system's init_fs_context() runs and before its parser
 * sees a single parameter, so that a bug in a parser the kernel would refuse
 * the mounter later (mount_capable(), the remount check) cannot be reached.
 * The kernel's own mounts (SB_KERNMOUNT, such as the mqueue mount of a new
 * IPC namespace) and automounts are not gated.
 *
 * A mount acts on the mounter's mount namespace, which a task without
 * capabilities in the initial user namespace can only mount in when it
 * holds CAP_SYS_ADMIN over it, in its own user namespace: the mounter's user
 * namespace is the one judged.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/lsm_hooks.h>

#include "classify.h"
#include "common.h"
#include "gate.h"
#include "mount.h"
#include "setup.h"

static int nshard_fs_context_alloc(struct fs_context *fc)
{
	struct user_namespace *owner = fc->cred->user_ns;
	bool reconfigure = fc->purpose == FS_CONTEXT_FOR_RECONFIGURE;
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_MOUNT,
		.a = reconfigure,
		.name = fc->fs_type->name,
	};
	int gate;

	if (likely(owner == &init_user_ns) ||
	    fc->purpose == FS_CONTEXT_FOR_SUBMOUNT ||
	    (fc->sb_flags & SB_KERNMOUNT))
		return 0;
	gate = nshard_classify_mount(fc->fs_type->name,
				     fc->fs_type->fs_flags, reconfigure);
	if (gate == NSHARD_NO_GATE)
		return 0;
	return nshard_gate_judge(gate, owner, CAP_SYS_ADMIN, fc->cred, &op);
}

static struct security_hook_list nshard_mount_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(fs_context_alloc, nshard_fs_context_alloc),
};

/**
 * nshard_add_mount_hooks - register the mount gates' hooks
 */
void __init nshard_add_mount_hooks(void)
{
	security_add_hooks(nshard_mount_hooks, ARRAY_SIZE(nshard_mount_hooks),
			   &nshard_lsmid);
}
