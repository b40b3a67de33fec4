// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - module autoload
 *
 * The modload gate: modules the kernel loads on a task's behalf, without
 * asking for any privilege, when it meets a protocol, a netfilter
 * expression, a qdisc, a device kind or a file system type it does not
 * have yet (request_module("nft-expr-..."), "net-pf-...", "rtnl-link-...",
 * "fs-...").  Most of the code that user-namespace exploits reached was
 * loaded this way.  The kernel_module_request hook runs in the requesting
 * task's context, before modprobe is started.
 *
 * The task is judged by its user namespace, or, if that is the initial
 * one, by the one that owns its network namespace (the task acts there).
 * What sandboxes trigger stays open: tun for pasta and slirp4netns, fuse,
 * and the device kinds rootless container networks create; overlayfs is
 * loaded when the overlay gate would let it be mounted.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <net/net_namespace.h>

#include "classify.h"
#include "common.h"
#include "gate.h"
#include "module.h"
#include "setup.h"

/* The user namespace a module request is made in, by the current task. */
static struct user_namespace *nshard_request_owner(const struct cred *cred)
{
	struct nsproxy *nsp = current->nsproxy;

	if (cred->user_ns != &init_user_ns)
		return cred->user_ns;
	/* An exiting task has no nsproxy any more. */
	return nsp ? nsp->net_ns->user_ns : &init_user_ns;
}

static int nshard_kernel_module_request(char *kmod_name)
{
	const struct cred *cred = current_cred();
	struct user_namespace *owner = nshard_request_owner(cred);
	struct nshard_gate_op op = {
		.what = NSHARD_WHAT_MODULE,
		.name = kmod_name,
	};
	int gate;

	if (likely(owner == &init_user_ns))
		return 0;
	gate = nshard_classify_module(kmod_name);
	if (gate == NSHARD_NO_GATE)
		return 0;
	return nshard_gate_judge(gate, owner, CAP_SYS_ADMIN, cred, &op);
}

static struct security_hook_list nshard_module_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(kernel_module_request, nshard_kernel_module_request),
};

/**
 * nshard_add_module_hooks - register the module autoload gate's hook
 */
void __init nshard_add_module_hooks(void)
{
	security_add_hooks(nshard_module_hooks,
			   ARRAY_SIZE(nshard_module_hooks), &nshard_lsmid);
}
