#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs every in-guest test and writes the results, as TAP, to stdout (the
# harness connects it to the second serial port).  Each run is framed by
# "# nshard-run: LABEL" and "# nshard-exit: LABEL STATUS"; harness/tap.py
# reads them on the host.

ST=/opt/nshard/selftests
MODE=/sys/kernel/security/nshard/mode
TEST_UID=1000

echo "# nshard-guest: $(uname -r)"
echo "# nshard-guest: lsm=$(cat /sys/kernel/security/lsm)"
echo "# nshard-guest: cmdline=$(cat /proc/cmdline)"

# One check, reported as a TAP run with one test.
check() {
	label=$1
	shift
	echo "# nshard-run: $label"
	echo "TAP version 13"
	echo "1..1"
	if out=$("$@" 2>&1); then
		echo "ok 1 $label"
	else
		echo "$out" | sed 's/^/# /'
		echo "not ok 1 $label"
	fi
	echo "# nshard-exit: $label 0"
}

# A kselftest binary, as root or as the test user.
run() {
	label=$1 user=$2 bin=$3
	echo "# nshard-run: $label"
	cd "$(dirname "$bin")" || return
	if [ "$user" = root ]; then
		timeout 900 "$bin"
	else
		timeout 900 /usr/bin/setpriv --reuid=$TEST_UID --regid=$TEST_UID \
			--clear-groups "$bin"
	fi
	echo "# nshard-exit: $label $?"
	cd /
}

lsm_listed() {
	tr ',' '\n' </sys/kernel/security/lsm | grep -qx nshard
}

clients_work() {
	/usr/bin/unshare --version && /usr/bin/nsenter --version &&
		/usr/bin/setpriv --version && /usr/bin/bwrap --version &&
		/usr/sbin/ip -V && /usr/sbin/nft --version
}

kernel_log_clean() {
	! dmesg | grep -E -A20 'BUG:|WARNING:|Oops|KASAN|UBSAN|circular locking|possible recursive locking|suspicious RCU usage|inconsistent lock state|Call Trace:'
}

kmemleak_clean() {
	k=/sys/kernel/debug/kmemleak
	[ -e $k ] || { echo "no $k"; return 1; }
	echo scan >$k && sleep 1 && echo scan >$k
	! grep . $k
}

check lsm-list-has-nshard lsm_listed
check real-clients-run clients_work
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak

for t in "$ST"/nshard/*_test; do
	run "root:nshard/${t##*/}" root "$t"
done
for mode in off audit enforce; do
	echo $mode >$MODE
	for t in "$ST"/nshard/*_test; do
		run "uid$TEST_UID-$mode:nshard/${t##*/}" user "$t"
	done
done
echo audit >$MODE
for t in "$ST"/lsm/*_test; do
	run "root:lsm/${t##*/}" root "$t"
done

check kernel-log-clean kernel_log_clean
check kmemleak-clean kmemleak_clean
echo "# nshard-done"
