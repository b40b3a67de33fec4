// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard - administration tool for the nshard LSM: capability names
 *
 * Names as in include/uapi/linux/capability.h without the CAP_ prefix, the
 * way nshard's policy language and reports write them, and how much each
 * capability held in the initial user namespace weighs in the exposure
 * score of "nshard inspect".
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "caps.h"

/*
 * name: as nshard writes it.
 * weight: exposure, in tenths of a point, of holding the capability in the
 *         initial user namespace.  60 is "root on the host by itself":
 *         loading modules, raw I/O, mounting, tracing any process, writing
 *         any file, changing uids.  The score caps their sum at 60; holding
 *         every capability scores 100.
 * power: what an attacker gets from it on the host, for the worst one held.
 */
static const struct {
	const char *name;
	unsigned int weight;
	const char *power;
} nsh_caps[NSH_CAP_COUNT] = {
	{ "CHOWN", 30, "can take ownership of any file" },
	{ "DAC_OVERRIDE", 40, "can read and write any file" },
	{ "DAC_READ_SEARCH", 20, "can read any file" },
	{ "FOWNER", 30, "can change the mode of any file" },
	{ "FSETID", 3, NULL },
	{ "KILL", 15, "can signal any process" },
	{ "SETGID", 30, "can become any group" },
	{ "SETUID", 40, "can become any user, root included" },
	{ "SETPCAP", 10, NULL },
	{ "LINUX_IMMUTABLE", 5, NULL },
	{ "NET_BIND_SERVICE", 2, NULL },
	{ "NET_BROADCAST", 1, NULL },
	{ "NET_ADMIN", 25, "can reconfigure the host's network and firewall" },
	{ "NET_RAW", 10, "can sniff and forge the host's traffic" },
	{ "IPC_LOCK", 2, NULL },
	{ "IPC_OWNER", 10, NULL },
	{ "SYS_MODULE", 60, "can load kernel modules: root and more" },
	{ "SYS_RAWIO", 60, "can read and write devices and I/O ports" },
	{ "SYS_CHROOT", 3, NULL },
	{ "SYS_PTRACE", 40, "can trace and inject code into any process" },
	{ "SYS_PACCT", 3, NULL },
	{ "SYS_ADMIN", 60, "can mount, enter namespaces and administer: root" },
	{ "SYS_BOOT", 30, "can reboot, or kexec another kernel" },
	{ "SYS_NICE", 3, NULL },
	{ "SYS_RESOURCE", 5, NULL },
	{ "SYS_TIME", 10, NULL },
	{ "SYS_TTY_CONFIG", 3, NULL },
	{ "MKNOD", 10, NULL },
	{ "LEASE", 1, NULL },
	{ "AUDIT_WRITE", 1, NULL },
	{ "AUDIT_CONTROL", 10, NULL },
	{ "SETFCAP", 30, "can give any program file capabilities" },
	{ "MAC_OVERRIDE", 30, "can override MAC policy (AppArmor, SELinux)" },
	{ "MAC_ADMIN", 30, "can load MAC policy, nshard's included" },
	{ "SYSLOG", 5, NULL },
	{ "WAKE_ALARM", 1, NULL },
	{ "BLOCK_SUSPEND", 1, NULL },
	{ "AUDIT_READ", 5, NULL },
	{ "PERFMON", 15, NULL },
	{ "BPF", 30, "can load BPF programs and maps" },
	{ "CHECKPOINT_RESTORE", 10, NULL },
};

/* Name without the CAP_ prefix, or NULL for an unknown capability. */
const char *nsh_cap_name(unsigned int cap)
{
	return cap < NSH_CAP_COUNT ? nsh_caps[cap].name : NULL;
}

/* Number of a capability named with or without CAP_, or -1. */
int nsh_cap_lookup(const char *name)
{
	unsigned int cap;

	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (cap = 0; cap < NSH_CAP_COUNT; cap++)
		if (!strcasecmp(name, nsh_caps[cap].name))
			return cap;
	return -1;
}

static void nsh_caps_list(unsigned long long mask, struct nsh_buf *b)
{
	const char *sep = "";
	unsigned int cap;

	for (cap = 0; cap < 64; cap++) {
		if (!(mask & (1ULL << cap)))
			continue;
		if (cap < NSH_CAP_COUNT)
			nsh_buf_addf(b, "%sCAP_%s", sep, nsh_caps[cap].name);
		else
			nsh_buf_addf(b, "%scap_%u", sep, cap);
		sep = ",";
	}
}

/*
 * Capability set as text: "none", "all" (every capability this tool
 * knows, with any unknown bit after it), "all except CAP_X,..." when few are
 * missing, or the list of names.  Unknown bits are written "cap_N".
 */
void nsh_caps_format(unsigned long long mask, struct nsh_buf *b)
{
	unsigned long long known = mask & NSH_CAP_ALL;
	unsigned long long missing = NSH_CAP_ALL & ~mask;

	nsh_buf_add(b, "", 0);
	if (!mask) {
		nsh_buf_addf(b, "none");
		return;
	}
	if (!missing) {
		nsh_buf_addf(b, "all");
	} else if (__builtin_popcountll(known) > NSH_CAP_COUNT - 8) {
		nsh_buf_addf(b, "all except ");
		nsh_caps_list(missing, b);
	} else {
		nsh_caps_list(known, b);
	}
	if (mask & ~NSH_CAP_ALL) {
		if (known)
			nsh_buf_add(b, ",", 1);
		nsh_caps_list(mask & ~NSH_CAP_ALL, b);
	}
}

/*
 * Sum of the weights of the capabilities in @mask, in tenths; the heaviest
 * one held goes to @worst (NSH_CAP_COUNT if none).  Unknown capabilities
 * weigh 1.0 each: a later kernel's capability is assumed to be a real one.
 */
unsigned int nsh_caps_host_weight(unsigned long long mask,
				  unsigned int *worst)
{
	unsigned int cap, sum = 0, best = 0;

	*worst = NSH_CAP_COUNT;
	for (cap = 0; cap < 64; cap++) {
		unsigned int w;

		if (!(mask & (1ULL << cap)))
			continue;
		w = cap < NSH_CAP_COUNT ? nsh_caps[cap].weight : 10;
		sum += w;
		if (cap < NSH_CAP_COUNT && w > best) {
			best = w;
			*worst = cap;
		}
	}
	return sum;
}

/* What a capability held on the host gives an attacker, or NULL. */
const char *nsh_cap_power(unsigned int cap)
{
	return cap < NSH_CAP_COUNT ? nsh_caps[cap].power : NULL;
}
