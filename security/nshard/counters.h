/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nshard LSM - decision counters
 *
 * Copyright (C) 2026 The nshard authors
 */

#ifndef _SECURITY_NSHARD_COUNTERS_H
#define _SECURITY_NSHARD_COUNTERS_H

#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <uapi/linux/nshard.h>

struct nshard_counters {
	u64 n[NSHARD_OP_COUNT][NSHARD_COUNTER_COUNT];
};

DECLARE_PER_CPU(struct nshard_counters, nshard_counters);

/**
 * nshard_count - count one decision
 * @op: operation identifier
 * @counter: %NSHARD_COUNTER_ALLOWED, _DENIED or _AUDITED
 */
static inline void nshard_count(unsigned int op, unsigned int counter)
{
	this_cpu_inc(nshard_counters.n[op][counter]);
}

u64 nshard_counter_read(unsigned int op, unsigned int counter);
int nshard_counters_show(struct seq_file *m, void *v);

#endif /* _SECURITY_NSHARD_COUNTERS_H */
