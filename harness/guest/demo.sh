#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A guided tour of nshard, run by "make demo" in the guest.

N=/sys/kernel/security/nshard
AS_USER="/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups"
UNSHARE=/usr/bin/unshare
BWRAP=/usr/bin/bwrap
NSENTER=/usr/bin/nsenter

say() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
	sleep 1
}

# show CMD: run CMD as root; user CMD: run it as uid 1000.
show() {
	printf '\033[36mroot# %s\033[0m\n' "$*"
	sh -c "$*" 2>&1
	echo "(exit status $?)"
}

user() {
	printf '\033[36muser$ %s\033[0m\n' "$*"
	$AS_USER sh -c "$*" 2>&1
	echo "(exit status $?)"
}

log() {
	printf '\033[33m-- kernel log --\033[0m\n'
	dmesg -c | grep -E 'nshard:|type=142[5-7]' || echo "(nothing from nshard)"
}

dmesg -c >/dev/null

say "1. nshard is stacked with the other LSMs, and has a directory in securityfs"
show "cat /sys/kernel/security/lsm; echo"
show ls $N

say "2. From boot, the built-in policy is in force, in the Kconfig mode"
show cat $N/mode $N/generation $N/policy

say "3. It keeps user namespaces available: sandboxes work for everyone"
user "$UNSHARE --user --map-root-user id"
user "$BWRAP --unshare-all --ro-bind / / echo inside bubblewrap"
log

say "4. A stricter site policy: no unprivileged user namespaces, except bubblewrap"
show "printf 'deny create user restricted\\nallow create user exe=$BWRAP\\n' > $N/policy"
show cat $N/generation $N/policy $N/digest
log
user "$UNSHARE --user --map-root-user id"
user "$BWRAP --unshare-all --ro-bind / / echo bubblewrap is exempt"
log

say "5. The exemption is bound to the file, not the path: a copy is not exempt"
show "cp $BWRAP /tmp/bwrap"
user "/tmp/bwrap --unshare-all --ro-bind / / true"
log

say "6. Privileged creators are untouched: the rule says 'restricted'"
show "$UNSHARE --user --map-root-user id"

say "7. Beyond user namespaces: no network namespaces for restricted users"
show "printf 'deny create net restricted\\n' > $N/policy"
user "$UNSHARE --user --map-root-user --net true"
user "$UNSHARE --user --map-root-user --mount --uts --ipc --pid --fork true"
log

say "8. Or keep the namespace and take the capability away"
show "printf 'allow create user restricted drop=NET_ADMIN\\n' > $N/policy"
user "$UNSHARE --user --map-root-user --net ip link set lo up"
user "$UNSHARE --user --map-root-user --net ip link show lo"
log

say "9. The record follows the namespace: root entering it is judged by it"
show "printf 'deny setns net restricted\\n' > $N/policy"
$AS_USER $UNSHARE --user --map-root-user --net sleep 60 &
sleep 2
show "$NSENTER --target \$(pidof sleep) --net true"
show "$NSENTER --target \$(pidof sleep) --user --net true"
log
kill %1 2>/dev/null

say "10. Audit mode: what enforce would refuse goes through, logged and counted"
show "printf 'deny create user restricted\\nallow create user exe=$BWRAP\\n' > $N/policy"
log
show "echo audit > $N/mode"
user "$UNSHARE --user --map-root-user id"
log
show "grep -E '^(# |create user|create net|setns net|cap NET_ADMIN|userns)' $N/counters"

say "11. A bad policy is refused whole, and the active one stays as it was"
show "printf 'deny create user restricted\\ndeny cap net_admin\\n' > $N/policy"
log
show cat $N/generation $N/digest

say "12. Root inside a user namespace cannot change anything"
show "$UNSHARE --user --map-root-user sh -c 'echo > $N/policy'"
log

say "13. Sealing: until reboot, nothing changes, for anyone"
show "echo 1 > $N/seal"
show "echo off > $N/mode"
show "echo > $N/policy"
log
show cat $N/seal $N/mode $N/generation

say "End of the tour.  'make shell' opens a shell in this guest."
