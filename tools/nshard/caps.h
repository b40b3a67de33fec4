/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard - administration tool for the nshard LSM: capability names
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef NSHARD_TOOL_CAPS_H
#define NSHARD_TOOL_CAPS_H

#include "util.h"

/* Capabilities this tool knows: CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE. */
#define NSH_CAP_COUNT	41
#define NSH_CAP_ALL	((1ULL << NSH_CAP_COUNT) - 1)

#define NSH_CAP_NET_ADMIN	12
#define NSH_CAP_NET_RAW		13
#define NSH_CAP_SYS_ADMIN	21

const char *nsh_cap_name(unsigned int cap);
int nsh_cap_lookup(const char *name);
void nsh_caps_format(unsigned long long mask, struct nsh_buf *b);
unsigned int nsh_caps_host_weight(unsigned long long mask,
				  unsigned int *worst);
const char *nsh_cap_power(unsigned int cap);

#endif /* NSHARD_TOOL_CAPS_H */
