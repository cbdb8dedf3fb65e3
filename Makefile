# SPDX-License-Identifier: GPL-2.0
# dax/kmem whole-device hotplug: the patch series in patches/ and its harness.
#   make check    the whole test suite; last line "check: N passed, N failed"
#                 (KASAN=1: the same on a KASAN kernel, in work/build-kasan)
#   make check-upstream  upstream/<version>/ on Debian's linux-source-<version>:
#                 apply, round trip, checkpatch, objects build (also in make check)
#   make stress   concurrency, fault injection, fuzzing, permissions, unload
#                 (SOAK=1: 10,000 transitions and fuzz inputs, 500 faults)
#   make bench    attribute vs per-block loop vs daxctl, 1-8 GiB; results/bench
#   make demo     boot the patched kernel with a CXL device and run an operator's
#                 scripted session (region, RAM, hotplug, tiering, teardown)
#   make shell    interactive shell in the guest
#   make tree     work/linux: base + series as commits, to edit and rebase
#   make export   write work/linux's commits back to patches/
#   make build    configure and build the developer tree (work/linux)
# Everything is cached under work/ (git-ignored) and ~/.cache/ccache.
S := scripts
# A failing script fails its target also when piped into a summary.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: check check-upstream stress bench demo shell tree export build deps clean
check:
	@$(S)/check.sh

check-upstream:
	@$(S)/upstream.sh | awk '{ print } /^PASS/ { p++ } /^FAIL/ { f++ } \
		END { printf "check-upstream: %d passed, %d failed\n", p, f; exit f > 0 }'

stress:
	@$(S)/stress.sh

bench:
	@$(S)/bench.sh

demo: deps
	@$(S)/apply.sh && $(S)/build.sh work/check && $(S)/ndctl.sh && $(S)/initramfs.sh work/check && \
		GUEST_PROFILE=cxl $(S)/run-guest.sh demo demo memhp_default_state=offline

shell: deps
	@$(S)/apply.sh && $(S)/build.sh work/check && $(S)/initramfs.sh work/check && \
		GUEST_PROFILE=cxl $(S)/run-guest.sh shell shell memhp_default_state=offline

deps:
	@$(S)/deps.sh && $(S)/base.sh

tree: deps
	@$(S)/tree.sh

export:
	@$(S)/export.sh

build: deps
	@$(S)/build.sh work/linux work/build-dev

clean:
	rm -rf work/check work/build work/build-* work/runs
