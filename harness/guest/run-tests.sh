#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs every in-guest test and writes the results, as TAP, to stdout (the
# harness connects it to the second serial port).  Each run is framed by
# "# nshard-run: LABEL" and "# nshard-exit: LABEL STATUS", with the run's
# seconds on a "# nshard-time: SECONDS" line; harness/tap.py reads them on
# the host.

ST=/opt/nshard/selftests
N=/sys/kernel/security/nshard
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
	t0=$(cut -d' ' -f1 /proc/uptime)
	if [ "$user" = root ]; then
		timeout 900 "$bin"
	elif [ "$user" = sealer ]; then
		NSHARD_TEST_SEAL=1 timeout 900 "$bin"
	else
		timeout 900 /usr/bin/setpriv --reuid=$TEST_UID --regid=$TEST_UID \
			--clear-groups "$bin"
	fi
	status=$?
	echo "# nshard-time: $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime)"
	echo "# nshard-exit: $label $status"
	cd /
}

# "nshard_tests=a_test,b_test" on the command line (NSHARD_TESTS on the
# host) runs only those, as root and as the test user in enforce mode.
only=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^nshard_tests=//p')
selected() {
	[ -z "$only" ] || echo ",$only," | grep -q ",$1,"
}

lsm_listed() {
	tr ',' '\n' </sys/kernel/security/lsm | grep -qx nshard
}

clients_work() {
	/usr/bin/unshare --version && /usr/bin/nsenter --version &&
		/usr/bin/setpriv --version && /usr/bin/bwrap --version &&
		/usr/sbin/ip -V && /usr/sbin/nft --version &&
		/usr/sbin/tc -V && /usr/sbin/iptables-legacy -V &&
		/usr/sbin/iptables-nft -V && /usr/bin/slirp4netns --version &&
		/usr/bin/pasta --version && /usr/bin/ping -V
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

digest_matches() {
	[ "$(cat $N/digest)" = "$(sha256sum <$N/policy | cut -d' ' -f1)" ]
}

check lsm-list-has-nshard lsm_listed

# A guest booted with nshard.seal=1: the built-in policy is sealed in.
if [ "${1:-}" = sealed ]; then
	run "sealed-at-boot:nshard/seal_test" sealer "$ST/nshard/seal_test"
	run "sealed-at-boot:uid$TEST_UID:nshard/seal_test" user \
		"$ST/nshard/seal_test"
	check digest-matches-policy digest_matches
	check kernel-log-clean kernel_log_clean
	echo "# nshard-done"
	exit 0
fi

check real-clients-run clients_work
check builtin-policy-digest digest_matches
cat $N/policy >/tmp/builtin.policy
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak

for t in "$ST"/nshard/*_test; do
	selected "${t##*/}" && run "root:nshard/${t##*/}" root "$t"
done
# The unprivileged runs test the mode they find, under this policy.
printf 'deny create user restricted\n' >$N/policy
for mode in off audit enforce; do
	[ -n "$only" ] && [ $mode != enforce ] && continue
	echo $mode >$N/mode
	for t in "$ST"/nshard/*_test; do
		selected "${t##*/}" &&
			run "uid$TEST_UID-$mode:nshard/${t##*/}" user "$t"
	done
done
echo enforce >$N/mode
cat /tmp/builtin.policy >$N/policy
for t in "$ST"/lsm/*_test; do
	[ -z "$only" ] && run "root:lsm/${t##*/}" root "$t"
done
check policy-digest-after-tests digest_matches

# Last: sealing lasts until reboot.
[ -z "$only" ] &&
	run "root:nshard/seal_test(sealing)" sealer "$ST/nshard/seal_test"

check kernel-log-clean kernel_log_clean
check kmemleak-clean kmemleak_clean
echo "# nshard-done"
