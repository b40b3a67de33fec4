/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - which gate an operation goes through
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_CLASSIFY_H
#define _SECURITY_NSHARD_CLASSIFY_H

#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <uapi/linux/nshard.h>

/* The operation goes through no gate. */
#define NSHARD_NO_GATE		(-1)

/* Longest network device kind the kernel looks up (rtnetlink's copy). */
#define NSHARD_KIND_LEN		MODULE_NAME_LEN

int nshard_classify_socket(int family, int type, int protocol);
int nshard_classify_rtnl(const struct nlmsghdr *nlh, char *kind);
int nshard_classify_link_kind(const char *kind);
u16 nshard_nfnl_subsys(const struct nlmsghdr *nlh);
int nshard_classify_sockopt(int family, int level, int optname, bool set);
int nshard_classify_ioctl(unsigned int cmd, int family);
bool nshard_genl_family_admin(const char *name);
int nshard_classify_mount(const char *fs_name, int fs_flags,
			  bool reconfigure);
int nshard_classify_module(const char *name);

const char *nshard_rtm_name(u16 type);
const char *nshard_family_name(int family);
const char *nshard_ioctl_name(unsigned int cmd);
const char *nshard_nfnl_subsys_name(u16 subsys);

#endif /* _SECURITY_NSHARD_CLASSIFY_H */
