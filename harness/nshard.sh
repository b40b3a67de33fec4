#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The nshard development harness: builds the series into Linux 6.12, builds
# and boots a test kernel under QEMU, runs every test.  The top-level Makefile
# calls it; see README.md.
#
#   harness/nshard.sh check          everything below, then a summary
#   harness/nshard.sh demo | shell   boot the test kernel for a tour / a shell
#   harness/nshard.sh apply KDIR     apply the series to a kernel tree
#   harness/nshard.sh STEP           one step: deps tree kunit kernel
#                                    selftests initramfs guest static

set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
H=$REPO/harness
B=${NSHARD_BUILD:-$REPO/build}
TARBALL=${NSHARD_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
BASE=$B/base
SRC=$B/src
KX=$B/x86
KB=$B/x86-bench
KU=$B/kunit
LOGS=$B/logs
RES=$B/results
JOBS=$(nproc)
LSMS=${NSHARD_LSMS:-landlock,lockdown,yama,nshard}
GUEST_TIMEOUT=${NSHARD_GUEST_TIMEOUT:-1500}
# The benchmark kernel takes the first two: the debugging options are for
# the tests.
FRAGMENTS=("$H/configs/qemu-x86_64.config"
	   "$SRC/tools/testing/selftests/nshard/config"
	   "$H/configs/debug.config")
CLIENTS=(unshare nsenter setpriv bwrap ip nft newuidmap newgidmap
	 tc iptables-legacy iptables-nft pasta pasta.avx2 passt passt.avx2
	 slirp4netns ping mount setcap)
# Clients that are set-user-ID root on the host, and must be in the guest.
SETUID_CLIENTS=(newuidmap newgidmap)
PACKAGES=(make gcc libc6-dev bc bison flex libelf-dev libssl-dev perl
	  python3 git cpio xz-utils kmod ccache linux-source-6.12
	  qemu-system-x86 busybox-static util-linux bubblewrap iproute2
	  nftables uidmap iptables passt slirp4netns iputils-ping e2fsprogs
	  libcap2-bin sparse coccinelle python3-ply python3-git
	  python3-docutils clang lld llvm rsync systemd)

# Debian's tools first (a python3 from pyenv would miss python3-ply).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export CCACHE_BASEDIR=$B
export KBUILD_BUILD_TIMESTAMP="2026-11-22"
export KBUILD_BUILD_USER=nshard KBUILD_BUILD_HOST=harness
CC_CCACHE="ccache gcc"

mkdir -p "$B" "$LOGS" "$RES"

die() {
	echo "nshard: $*" >&2
	exit 1
}

# step NAME FUNCTION: run FUNCTION with its output in build/logs/NAME.log,
# print its time, and on failure the end of its log.
step() {
	local name=$1 fn=$2 log=$LOGS/$1.log t0 t1 rc=0
	t0=$(date +%s.%N)
	printf '==> %-10s ' "$name"
	"$fn" >"$log" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	local dt
	dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	echo "$name $dt $rc" >>"$B/timings"
	if [ $rc -eq 0 ]; then
		printf 'ok      %7ss\n' "$dt"
	else
		printf 'FAILED  %7ss   (log: %s)\n' "$dt" "$log"
		tail -n 30 "$log" | sed 's/^/    | /'
	fi
	return $rc
}

# A step that is not itself a test counts as one failure when it fails.
failed_result() {
	echo "0 1 0" >"$RES/$1"
}

base_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown
}

# ---------------------------------------------------------------- steps --

do_deps() {
	local need=() p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || need+=("$p")
	done
	if [ ${#need[@]} -eq 0 ]; then
		echo "all packages present"
	else
		echo "installing: ${need[*]}"
		[ "$(id -u)" -eq 0 ] || die "run as root to install packages"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q &&
			apt-get install -y -q --no-install-recommends "${need[@]}" ||
			return 1
	fi
	[ -f "$TARBALL" ] || die "no kernel source at $TARBALL"
	ccache -M 8G >/dev/null
	echo "kernel source: $TARBALL ($(base_version))"
}

do_tree() {
	local stamp
	stamp="$TARBALL $(stat -c '%s %Y' "$TARBALL") $(base_version)"
	if [ ! -d "$BASE" ] || [ "$(cat "$B/base.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "extracting $TARBALL"
		rm -rf "$BASE" "$BASE.tmp" "$SRC" "$B/series.git" \
			"$B/src-overlay.list"
		mkdir -p "$BASE.tmp" &&
			tar -C "$BASE.tmp" --strip-components=1 -xf "$TARBALL" &&
			mv "$BASE.tmp" "$BASE" || return 1
		echo "$stamp" >"$B/base.stamp"
	fi
	python3 "$H/series.py" tree --repo "$REPO" --base "$BASE" --src "$SRC" \
		--store "$B/series.git" --out "$B/series" \
		--base-version "$(make -s -C "$BASE" kernelversion) (Debian linux-source-6.12 $(base_version))"
}

# kunit_run LOG [KERNEL_ARGS]: build (once) and run the KUnit tests.
kunit_run() {
	local log=$1
	shift
	(cd "$SRC" && python3 tools/testing/kunit/kunit.py run \
		--kunitconfig=security/nshard --build_dir="$KU" \
		--jobs="$JOBS" --make_options "CC=$CC_CCACHE" "$@") 2>&1 |
		tee "$log"
}

# Twice: as booted by default, and sealed at boot (nshard.seal=1), where
# every test that would change the policy or the mode must skip, and the
# sealed load is tested.
do_kunit() {
	local rc=0
	kunit_run "$LOGS/kunit-run.log" || rc=1
	python3 "$H/tap.py" kunit "$LOGS/kunit-run.log" "$RES/kunit" || rc=1
	echo "Figures printed by the tests:"
	grep -h '# test_benchmark:\|# test_mutations:\|# test_hook_cost:' \
		"$KU/test.log"
	kunit_run "$LOGS/kunit-sealed-run.log" --kernel_args nshard.seal=1 ||
		rc=1
	python3 "$H/tap.py" kunit "$LOGS/kunit-sealed-run.log" \
		"$RES/kunit-sealed" || rc=1
	return $rc
}

# kernel_config OUT FRAGMENT...: generate OUT/.config from tinyconfig and
# the fragments, check every fragment line took, and replace OUT/.config
# only if it changed (so an unchanged config rebuilds nothing).
kernel_config() {
	local out=$1 cfg=$1-config
	shift
	mkdir -p "$cfg" "$out"
	make -s -C "$SRC" O="$cfg" tinyconfig &&
		"$SRC/scripts/kconfig/merge_config.sh" -m -O "$cfg" \
			"$cfg/.config" "$@" >/dev/null &&
		make -s -C "$SRC" O="$cfg" olddefconfig &&
		python3 "$H/kconfig-check.py" "$cfg/.config" "$@" || return 1
	if ! cmp -s "$cfg/.config" "$out/.config"; then
		echo "config changed"
		cp "$cfg/.config" "$out/.config"
	fi
}

# build_kernel OUT FRAGMENT...: configure and build a bzImage in OUT.
build_kernel() {
	local out=$1
	kernel_config "$@" &&
		make -C "$SRC" O="$out" CC="$CC_CCACHE" -j"$JOBS" bzImage ||
		return 1
	ccache -s | grep -E 'Hits|Misses' || true
	ls -l "$out/arch/x86/boot/bzImage"
}

do_kernel() {
	build_kernel "$KX" "${FRAGMENTS[@]}" &&
		make -C "$SRC" O="$KX" CC="$CC_CCACHE" -j"$JOBS" modules &&
		make -C "$SRC" O="$KX" -j"$JOBS" headers
}

# The benchmark kernel: the test kernel without the debugging options.
do_bench_kernel() {
	build_kernel "$KB" "${FRAGMENTS[@]:0:2}"
}

do_selftests() {
	local log=$LOGS/selftests-make.log t missing=0
	rm -rf "$B/kselftest-install"
	make -C "$SRC/tools/testing/selftests" O="$KX" TARGETS="nshard lsm" \
		CC="$CC_CCACHE" INSTALL_PATH="$B/kselftest-install" install \
		>"$log" 2>&1
	cat "$log"
	# The selftests' install target does not fail when a test does not
	# build: check that every test is there.
	for t in $(make -s -C "$SRC/tools/testing/selftests/nshard" \
			COLLECTION=nshard OUTPUT=/ emit_tests |
			sed -n 's/^nshard://p') lsm_list_modules_test; do
		[ -x "$B/kselftest-install/nshard/$t" ] ||
			[ -x "$B/kselftest-install/lsm/$t" ] ||
			{ echo "missing selftest: $t"; missing=1; }
	done
	[ $missing -eq 0 ] || return 1
	# Our tests build without warnings.
	if awk '/Entering directory .*selftests\/nshard/ { in_nshard = 1 }
		/Leaving directory .*selftests\/nshard/ { in_nshard = 0 }
		in_nshard && /warning:/ { print; found = 1 }
		END { exit !found }' "$log"; then
		echo "the nshard selftests build with warnings"
		return 1
	fi
}

# copy_lib ROOT LIB: copy a library at its path and at its real path
# (/lib64/ld-linux-x86-64.so.2 is a link into /lib/x86_64-linux-gnu, where
# the loader looks for it by name, e.g. in an LD_AUDIT link map).
copy_lib() {
	local root=$1 lib
	for lib in "$2" "$(readlink -f "$2")"; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# copy_with_libs ROOT FILE...: copy programs and the libraries they load.
copy_with_libs() {
	local root=$1 f lib
	shift
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
			copy_lib "$root" "$lib"
		done
	done
}

do_initramfs() {
	local r=$B/initramfs.d c paths=() t
	rm -rf "$r"
	mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,home/user} \
		"$r/opt/nshard/selftests"
	mknod -m 600 "$r/dev/console" c 5 1
	cp /bin/busybox "$r/bin/busybox"
	cp "$H/guest/init" "$r/init"
	cp "$H/guest/run-tests.sh" "$H/guest/demo.sh" "$H/guest/bench.sh" \
		"$H/guest/motd" "$SRC/security/nshard/default.policy" \
		"$SRC/security/nshard/hardened.policy" "$r/opt/nshard/"
	cp -a "$B/kselftest-install/nshard" "$B/kselftest-install/lsm" \
		"$r/opt/nshard/selftests/"
	for c in "${CLIENTS[@]}"; do
		paths+=("$(command -v "$c")") || die "no $c on the host"
	done
	copy_with_libs "$r" "${paths[@]}"
	# Modules (CAN, for the modload gate's test), and depmod's tables,
	# which the guest's busybox modprobe reads.
	make -s -C "$SRC" O="$KX" INSTALL_MOD_PATH="$r" INSTALL_MOD_STRIP=1 \
		modules_install || return 1
	# iptables dlopen()s its extensions, which ldd does not show.
	copy_with_libs "$r" /usr/lib/x86_64-linux-gnu/xtables/*.so
	# An ext4 file system the guest mounts, for the fs-mount gate's
	# reconfiguration test.
	mke2fs -q -t ext4 -F "$r/opt/nshard/ext4.img" 8M || return 1
	for t in "$r"/opt/nshard/selftests/*/*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		ldd "$t" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
			copy_lib "$r" "$lib"
		done
	done
	# cp -L drops the set-user-ID bit of newuidmap and newgidmap.
	for c in "${SETUID_CLIENTS[@]}"; do
		chmod 4755 "$r$(command -v "$c")"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nuser2:x:1001:1001:user2:/home/user2:/bin/sh\n' \
		>"$r/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\nuser2:x:1001:\n' >"$r/etc/group"
	# The loader's cache, as on any installed system (dlmopen() of an
	# LD_AUDIT library resolves its dependencies through it).
	cp /etc/ld.so.cache "$r/etc/"
	# Subordinate ids, as a distribution gives its users for rootless
	# containers (newuidmap, newgidmap).
	printf 'user:100000:65536\n' >"$r/etc/subuid"
	printf 'user:100000:65536\n' >"$r/etc/subgid"
	(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) \
		>"$B/initramfs.cpio" || return 1
	ls -l "$B/initramfs.cpio"
	echo "clients: ${paths[*]}"
}

# qemu_cmd ACTION: set QEMU to the command that boots the test kernel (or
# $KERNEL) with the initramfs and has the guest's init do ACTION.  SeaBIOS
# lists one CPU per socket in its MP table: two sockets give two CPUs.
qemu_cmd() {
	QEMU=(${QEMU_PREFIX:-} qemu-system-x86_64 -machine pc -cpu max
	      -smp "${QEMU_SMP:-2,sockets=2}" -m 2048 ${QEMU_EXTRA:-}
	      -no-reboot -nic none
	      -kernel "${KERNEL:-$KX/arch/x86/boot/bzImage}"
	      -initrd "$B/initramfs.cpio"
	      -append "console=ttyS0 panic=-1 lsm=${BOOT_LSMS:-$LSMS} nshard_harness=$1 ${NSHARD_APPEND:-}")
}

# guest_run NAME ACTION [APPEND]: boot the guest for ACTION and count the
# TAP it sends back into build/results/NAME.
guest_run() {
	local name=$1 action=$2 rc=0
	rm -f "$LOGS/$name.tap" "$LOGS/$name-console.log"
	NSHARD_APPEND="${3:-}" qemu_cmd "$action"
	timeout "$GUEST_TIMEOUT" "${QEMU[@]}" -display none -monitor none \
		-serial file:"$LOGS/$name-console.log" \
		-serial file:"$LOGS/$name.tap" || rc=$?
	[ $rc -eq 124 ] && echo "the guest timed out after ${GUEST_TIMEOUT}s"
	echo "qemu exited with status $rc"
	grep -m1 -E 'Command line' "$LOGS/$name-console.log"
	grep -E 'nshard' "$LOGS/$name-console.log" | head -n 5
	grep -E '^# nshard-guest' "$LOGS/$name.tap"
	python3 "$H/tap.py" guest "$LOGS/$name.tap" "$RES/$name"
}

# NSHARD_TESTS="gate_test cap_test" boots once and runs only those tests
# (as root, and as the test user in enforce mode): for development, and to
# watch a test fail when the code it covers is broken.
do_guest() {
	local rc=0
	if [ -n "${NSHARD_TESTS:-}" ]; then
		local only=${NSHARD_TESTS// /,}
		guest_run guest check "nshard_tests=$only"
		return
	fi
	guest_run guest check || rc=1
	echo
	guest_run guest-sealed sealed "nshard.seal=1" || rc=1
	return $rc
}

# --------------------------------------------------------- static checks --

STATIC_PASS=0
STATIC_FAIL=0

static_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ok      $name"
		echo "$out" | tail -n 40 | sed 's/^/    | /'
		STATIC_PASS=$((STATIC_PASS + 1))
	else
		echo "FAILED  $name"
		echo "$out" | tail -n 40 | sed 's/^/    | /'
		STATIC_FAIL=$((STATIC_FAIL + 1))
	fi
}

nshard_sources() {
	(cd "$SRC" && python3 "$H/series.py" list --repo "$REPO" |
		grep -E '^(security/nshard/.*\.[ch]|include/uapi/linux/nshard\.h)$')
}

# checkpatch runs from build/src, which is not a git tree: its SPDX check
# (which needs one) is done by check_spdx.
check_checkpatch() {
	local p=$1
	(cd "$SRC" && scripts/checkpatch.pl --strict --show-types \
		--ignore FILE_PATH_CHANGES "$p") |
		tee /dev/stderr | grep -qE '^total: 0 errors, 0 warnings, 0 checks'
}

# scripts/spdxcheck.py reads the license list from the git tree it runs in:
# give it one holding LICENSES/.
check_spdx() {
	local g=$B/spdx-tree files
	if [ ! -d "$g/.git" ]; then
		rm -rf "$g" && mkdir -p "$g" && cp -r "$SRC/LICENSES" "$g/" &&
			git -C "$g" init -q &&
			git -C "$g" add LICENSES &&
			git -C "$g" -c user.name=nshard -c user.email=nshard@example.org \
				commit -q -m licenses || return 1
	fi
	files=$(python3 "$H/series.py" list --repo "$REPO" |
		grep -vE '(^|/)\.kunitconfig$|/config$|/settings$' | sed "s|^|$SRC/|")
	(cd "$g" && python3 "$SRC/scripts/spdxcheck.py" -v $files) &&
		! (cd "$g" && python3 "$SRC/scripts/spdxcheck.py" $files) | grep .
}

# The documentation is reStructuredText that docutils reads without a
# warning (the kernel's Sphinx build adds only cross-references to it).
# The unit that loads the site policy at boot, checked by systemd with the
# tool the selftests built in place of /usr/sbin/nshard (verify wants the
# program to exist).
check_unit() {
	local unit=$B/nshard.service bin=$B/kselftest-install/nshard/nshard
	[ -x "$bin" ] || { echo "no $bin: the selftests step builds it"; return 1; }
	sed "s|/usr/sbin/nshard|$bin|" "$SRC/tools/nshard/nshard.service" >"$unit" &&
		systemd-analyze verify "$unit"
}

check_rst() {
	local f
	for f in $(python3 "$H/series.py" list --repo "$REPO" | grep '\.rst$'); do
		rst2pseudoxml --halt=warning "$REPO/$f" >/dev/null || return 1
		echo "$f"
	done
}

check_kernel_doc() {
	local out
	out=$(cd "$SRC" && scripts/kernel-doc -none -Wall $(nshard_sources) 2>&1)
	echo "$out"
	[ -z "$out" ]
}

# build_dir_check DIR MAKEARGS...: configure DIR like the test kernel (but
# without the debug options) and build security/nshard/ with MAKEARGS;
# any diagnostic about nshard's files fails the check.
check_build() {
	local dir=$1 out
	shift
	mkdir -p "$dir"
	make -s -C "$SRC" O="$dir" "$@" tinyconfig >/dev/null &&
		"$SRC/scripts/kconfig/merge_config.sh" -m -O "$dir" "$dir/.config" \
			"$H/configs/qemu-x86_64.config" >/dev/null &&
		make -s -C "$SRC" O="$dir" "$@" olddefconfig >/dev/null || return 1
	# Always compile (and check) every file, not only the changed ones.
	rm -rf "$dir/security/nshard"
	out=$(make -C "$SRC" O="$dir" -j"$JOBS" "$@" W=1 security/nshard/ 2>&1)
	local rc=$?
	# Diagnostics about nshard's files, by their file:line prefix: the
	# build path may contain "nshard" too (a clone named after the project).
	echo "$out" | grep -E '(^|[ /])security/nshard/[^ :]+:[0-9]+(:[0-9]+)?: ' &&
		return 1
	[ $rc -eq 0 ] || { echo "$out" | tail -n 20; return 1; }
	echo "$out" | grep -E '(CC|CHECK) .*nshard'
}

# checkpatch warns (FILE_PATH_CHANGES) about every patch that adds a file
# without touching MAINTAINERS, even when an F: line already covers it:
# check_checkpatch ignores that warning, and this checks the coverage.
check_maintainers() {
	local pats f p covered missing=0
	pats=$(awk '/^NSHARD SECURITY MODULE$/ { s = 1; next }
		    s && /^$/ { exit } s && /^F:/ { print $2 }' "$SRC/MAINTAINERS")
	[ -n "$pats" ] || { echo "MAINTAINERS has no NSHARD entry"; return 1; }
	while read -r f; do
		covered=0
		for p in $pats; do
			if [ "$f" = "$p" ] || { [ "${p%/}" != "$p" ] &&
				[ "${f#"$p"}" != "$f" ]; }; then
				covered=1
			fi
		done
		[ $covered -eq 1 ] || { echo "not in MAINTAINERS: $f"; missing=1; }
	done < <(cd "$SRC" && python3 "$H/series.py" list --repo "$REPO")
	echo "$pats"
	[ $missing -eq 0 ]
}

check_coccinelle() {
	local out
	out=$(make -C "$SRC" O="$B/check-gcc" coccicheck MODE=report \
		M=security/nshard J="$JOBS" 2>&1)
	echo "$out" | grep -E '^(security/nshard|.*/security/nshard)/' && return 1
	echo "$out" | grep -qE 'spatch|coccicheck' || { echo "$out"; return 1; }
}

do_static() {
	local p
	for p in "$B"/series/0*.patch; do
		case $p in */0000-*) continue ;; esac
		static_check "checkpatch --strict ${p##*/}" check_checkpatch "$p"
	done
	static_check "MAINTAINERS covers every new file" check_maintainers
	static_check "spdxcheck" check_spdx
	static_check "kernel-doc -Wall" check_kernel_doc
	static_check "rst (docutils)" check_rst
	static_check "systemd-analyze verify nshard.service" check_unit
	static_check "gcc W=1 + sparse (C=2)" check_build "$B/check-gcc" \
		CC="$CC_CCACHE" C=2
	static_check "clang W=1 (LLVM=1)" check_build "$B/check-clang" LLVM=1
	static_check "coccicheck" check_coccinelle
	echo "static checks: $STATIC_PASS passed, $STATIC_FAIL failed"
	echo "$STATIC_PASS $STATIC_FAIL 0" >"$RES/static"
	[ $STATIC_FAIL -eq 0 ]
}

# ------------------------------------------------------------- commands --

print_timings() {
	echo "Step timings (seconds):"
	awk '{ printf "  %-10s %8s%s\n", $1, $2, ($3 == 0 ? "" : "  FAILED"); t += $2 }
	     END { printf "  %-10s %8.1f\n", "total", t }' "$B/timings"
}

cmd_check() {
	rm -rf "$RES"
	mkdir -p "$RES"
	: >"$B/timings"
	step deps do_deps || { failed_result deps; finish; }
	step tree do_tree || { failed_result tree; finish; }
	step kunit do_kunit || [ -f "$RES/kunit" ] || failed_result kunit
	if step kernel do_kernel; then
		if step selftests do_selftests && step initramfs do_initramfs; then
			step guest do_guest || [ -f "$RES/guest" ] ||
				failed_result guest
		else
			failed_result guest
		fi
	else
		failed_result kernel
	fi
	step static do_static || [ -f "$RES/static" ] || failed_result static
	finish
}

finish() {
	echo
	print_timings
	echo "Results:"
	python3 "$H/tap.py" summary "$RES"
	exit $?
}

cmd_boot() {
	local action=$1
	: >"$B/timings"
	step deps do_deps && step tree do_tree && step kernel do_kernel &&
		step selftests do_selftests && step initramfs do_initramfs ||
		exit 1
	echo "==> booting the test kernel (lsm=$LSMS)"
	if [ "$action" = shell ]; then
		echo "    (exit the shell to power off; Ctrl-a x quits QEMU)"
		qemu_cmd shell
		"${QEMU[@]}" -nographic
	else
		NSHARD_APPEND="quiet" qemu_cmd demo
		"${QEMU[@]}" -display none -monitor none -serial stdio </dev/null
	fi
}

# The benchmark: one non-debug kernel, booted without nshard, with nshard
# off, with nshard enforcing its built-in policy and the hardened one, and
# with nshard enforcing policies of 10 and of 10,000 uid rules on the
# operations measured; BENCH_PASSES rounds of the six boots, interleaved,
# so that the spread between boots of one configuration shows what noise
# is left.  The table goes to build/logs/bench.txt.
#
# QEMU runs with -icount: the guest's clock advances by 1 ns per guest
# instruction executed, so that the figures count instructions, like
# callgrind, and do not depend on what else the host is doing; without it,
# the same boot measured twice differs by 10 to 50%.  Cache misses and
# branch mispredictions are not modelled.
BENCH_PASSES=${NSHARD_BENCH_PASSES:-2}

do_bench() {
	local name lsms append pass files=()
	# TCG's TSCs look unsynchronized to the kernel, which then falls back
	# to jiffies: 4 ms resolution.  The TSC is what the figures need.
	local clock="tsc=reliable clocksource=tsc"
	for pass in $(seq "$BENCH_PASSES"); do
		for run in "none|landlock,lockdown,yama|" \
			   "off|$LSMS|nshard.mode=off" \
			   "builtin|$LSMS|nshard.mode=enforce" \
			   "hardened|$LSMS|nshard.mode=enforce nshard_bench_policy=hardened" \
			   "small|$LSMS|nshard.mode=enforce nshard_bench_policy=small" \
			   "large|$LSMS|nshard.mode=enforce nshard_bench_policy=large"; do
			IFS='|' read -r name lsms append <<<"$run"
			local out=$LOGS/bench-$name-$pass.txt
			echo "== pass $pass, $name: lsm=$lsms $append"
			rm -f "$out"
			# One vCPU, on one host core: less noise.
			KERNEL=$KB/arch/x86/boot/bzImage BOOT_LSMS=$lsms \
				QEMU_SMP=1 QEMU_PREFIX="taskset -c 1" \
				QEMU_EXTRA="-icount shift=0,sleep=off" \
				NSHARD_APPEND="$clock $append" qemu_cmd bench
			timeout "$GUEST_TIMEOUT" "${QEMU[@]}" -display none \
				-monitor none -serial file:"${out%.txt}-console.log" \
				-serial file:"$out" || return 1
			cat "$out"
			grep -q '^# nshard-done' "$out" || return 1
			files+=("$out")
		done
	done
	{
		python3 "$H/bench.py" "${files[@]}"
		echo
		echo "nshard_capable(), as compiled in the benchmark kernel:"
		objdump -d --no-show-raw-insn --disassemble=nshard_capable \
			"$KB/vmlinux" | sed -n '/<nshard_capable>:/,/^$/p'
	} | tee "$LOGS/bench.txt"
}

cmd_bench() {
	: >"$B/timings"
	step deps do_deps && step tree do_tree &&
		step bench-kernel do_bench_kernel && step kernel do_kernel &&
		step selftests do_selftests && step initramfs do_initramfs &&
		step bench do_bench || exit 1
	cat "$LOGS/bench.txt"
}

cmd_apply() {
	local kdir=${1:-} p patches=()
	[ -n "$kdir" ] && [ -f "$kdir/Makefile" ] || die "usage: make apply KDIR=/path/to/linux"
	step deps do_deps && step tree do_tree || exit 1
	for p in "$B"/series/0*.patch; do
		case $p in */0000-*) ;; *) patches+=("$p") ;; esac
	done
	if git -C "$kdir" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$kdir" am "${patches[@]}" || die "git am failed; see 'git -C $kdir am --abort'"
	else
		for p in "${patches[@]}"; do
			patch -p1 -N -d "$kdir" <"$p" || die "patch ${p##*/} failed"
		done
	fi
	echo "applied ${#patches[@]} patches to $kdir"
}

case ${1:-} in
check) cmd_check ;;
bench) cmd_bench ;;
demo) cmd_boot demo ;;
shell) cmd_boot shell ;;
apply) cmd_apply "${2:-}" ;;
deps | tree)
	step "$1" "do_${1/-/_}" ;;
kunit | kernel | bench-kernel | selftests | initramfs | guest | static)
	step tree do_tree && step "$1" "do_${1/-/_}" ;;
*) sed -n '3,13p' "$0"; exit 2 ;;
esac
