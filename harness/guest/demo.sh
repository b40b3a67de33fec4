#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A guided tour of nshard, run by "make demo" in the guest.

N=/sys/kernel/security/nshard
AS_USER="/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups"

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
	dmesg -c | grep 'nshard:' || echo "(nothing from nshard)"
}

dmesg -c >/dev/null

say "1. nshard is stacked with the other LSMs"
show "cat /sys/kernel/security/lsm; echo"
show ls $N

say "2. It starts in the mode given by nshard.mode= (or Kconfig)"
show cat $N/mode

say "3. Audit mode: an unprivileged user may create a user namespace; nshard logs it"
user "/usr/bin/unshare --user --map-root-user id"
log

say "4. Enforce mode: the same creation is refused"
show "echo enforce > $N/mode"
log
user "/usr/bin/unshare --user --map-root-user id"
user "/usr/bin/bwrap --unshare-all --ro-bind / / true"
log

say "5. Privileged creators (CAP_SYS_ADMIN in the initial namespace) are untouched"
show "/usr/bin/unshare --user --map-root-user id"

say "6. Root inside a user namespace cannot change the mode"
show "/usr/bin/unshare --user --map-root-user sh -c 'echo off > $N/mode'"
log
show cat $N/mode

say "7. Bad values are refused and change nothing"
show "echo permissive > $N/mode"
log
show cat $N/mode

say "8. Off mode: everything is allowed again"
show "echo off > $N/mode"
user "/usr/bin/bwrap --unshare-all --ro-bind / / true"
log

say "End of the tour.  'make shell' opens a shell in this guest."
