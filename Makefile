# SPDX-License-Identifier: GPL-2.0-only
#
# nshard: build, boot and test the series.  Everything lands in build/.
#
#   make check       install what is needed, build, run every test
#   make demo        boot the test kernel and tour nshard
#   make shell       boot the test kernel into a shell
#   make bench       benchmark nshard against no nshard (not part of check)
#   make series      write the patch series to build/series/
#   make apply KDIR=/path/to/linux    apply the series to your tree
#
# Single steps: make deps tree kunit kernel selftests initramfs guest static

H := harness/nshard.sh
STEPS := deps tree kunit kernel bench-kernel selftests initramfs guest static

.PHONY: check bench demo shell series apply clean distclean $(STEPS)

check:
	@$(H) check

demo shell bench:
	@$(H) $@

series: tree
	@ls build/series

apply:
	@$(H) apply "$(KDIR)"

$(STEPS):
	@$(H) $@

# Keeps the extracted kernel; distclean removes everything.
clean:
	rm -rf build/x86 build/x86-config build/x86-bench build/x86-bench-config \
		build/kunit build/check-gcc \
		build/check-clang build/initramfs.d build/initramfs.cpio \
		build/kselftest-install build/logs build/results

distclean:
	rm -rf build
