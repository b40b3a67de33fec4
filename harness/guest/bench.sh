#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs the benchmark in the guest ("make bench"); its figures go to stdout.
# nshard_bench_policy=small or =large on the kernel command line loads a
# policy of 10 or 10,000 uid rules on the operations measured first, none
# of which refuses what the benchmark does, but which the hooks must look
# up (a uid the rules do not name); =hardened loads the hardened policy
# shipped with nshard.  NSHARD_BENCH_OP=NAME runs one operation only.

N=/sys/kernel/security/nshard
policy=builtin
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	nshard_bench_policy=*) policy=${arg#nshard_bench_policy=} ;;
	esac
done

echo "# lsm=$(cat /sys/kernel/security/lsm)"
if [ -d $N ]; then
	case "$policy" in
	small) rules=10 ;;
	large) rules=10000 ;;
	*) rules=0 ;;
	esac
	if [ "$policy" = hardened ]; then
		dd if=/opt/nshard/hardened.policy of=$N/policy bs=4M 2>/dev/null ||
			echo "# loading the hardened policy failed"
	elif [ "$rules" -gt 0 ]; then
		awk -v n="$rules" 'BEGIN {
			split("create user|create net|setns net|cap SYS_ADMIN", ops, "|");
			for (i = 0; i < n; i++)
				printf "allow %s uid=%d\n", ops[i % 4 + 1], 20000 + i;
		}' >/tmp/bench.policy
		dd if=/tmp/bench.policy of=$N/policy bs=4M 2>/dev/null ||
			echo "# loading the $policy policy failed"
	fi
	echo "# mode=$(cat $N/mode) generation=$(cat $N/generation) statements=$(grep -c . $N/policy)"
else
	echo "# nshard is not active"
fi
echo "# clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
cd /opt/nshard/selftests/nshard && ./nshard_bench "${NSHARD_BENCH_SCALE:-5}" ${NSHARD_BENCH_OP:-}
echo "# nshard-done"
