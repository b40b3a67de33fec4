// SPDX-License-Identifier: GPL-2.0-only
/*
 * nshard LSM - decision counters
 *
 * Per-CPU, so that counting costs no shared cache line on hot paths; the
 * counters file adds them up.  Sums read while decisions are being made are
 * not a snapshot, but each counter only grows.
 *
 * Copyright (C) 2026 The nshard authors
 */

#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "counters.h"
#include "ops.h"
#include "record.h"

DEFINE_PER_CPU(struct nshard_counters, nshard_counters);

/**
 * nshard_counter_read - sum of a counter over all CPUs
 * @op: operation identifier
 * @counter: %NSHARD_COUNTER_ALLOWED, _DENIED or _AUDITED
 *
 * Return: the number of decisions counted.
 */
u64 nshard_counter_read(unsigned int op, unsigned int counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(nshard_counters, cpu).n[op][counter];
	return sum;
}

/**
 * nshard_counters_show - write the counters file
 * @m: the seq_file
 * @v: unused
 *
 * Return: 0.
 */
int nshard_counters_show(struct seq_file *m, void *v)
{
	unsigned int op;

	seq_puts(m, "# operation allowed denied audited\n");
	for (op = 0; op < NSHARD_OP_COUNT; op++) {
		char name[NSHARD_OP_NAME_LEN];

		if (!nshard_op_valid(op))
			continue;
		nshard_op_format(op, name, sizeof(name));
		seq_printf(m, "%s %llu %llu %llu\n", name,
			   nshard_counter_read(op, NSHARD_COUNTER_ALLOWED),
			   nshard_counter_read(op, NSHARD_COUNTER_DENIED),
			   nshard_counter_read(op, NSHARD_COUNTER_AUDITED));
	}
	seq_puts(m, "# record live\n");
	seq_printf(m, "userns %ld\n", atomic_long_read(&nshard_userns_live));
	return 0;
}
