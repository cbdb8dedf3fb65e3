#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: make bench.  Builds the tip without the debug options but with the
# function_graph tracer (config/bench.config, in work/build-bench), then for
# each number of vCPUs in BENCH_CPUS (default "2 8") and each size in
# BENCH_SIZES (GiB of dax memory, default "1 2 4 8") boots a guest and runs
# guest/tests/bench.sh (BENCH_REPS repetitions, default 9).
# scripts/bench-report.py turns the measurements of each vCPU count into
# results/bench/vcpus-N/: bench.md (tables, ratios, sub-steps, targets),
# bench.png (time against size), raw.txt (every sample).
. "$(dirname "$0")/lib.sh"

T0=$SECONDS
BENCH_SIZES=${BENCH_SIZES:-1 2 4 8}
BENCH_CPUS=${BENCH_CPUS:-2 8}
BENCH_REPS=${BENCH_REPS:-9}
export BUILD=$WORK/build-bench
export CONFIG_BASE="$ROOT/config/guest.config $ROOT/config/bench.config"
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-3000}
# One host thread for all vCPUs: with thread=multi the tracer's code patching
# hit "Oops: int3" at boot in about half of the boots (docs/bench.md).
export GUEST_TCG=${GUEST_TCG:-single}
OUT=${BENCH_OUT:-$ROOT/results/bench}

step "install build and guest dependencies" "$ROOT/scripts/deps.sh"
step "base tree" "$ROOT/scripts/base.sh"
step "apply patches/series to the base" "$ROOT/scripts/apply.sh" "$CHECK"
# The kernel of make check's boots: without the RFC postings (BOOT_RFC=1: with).
checkout_boot_tip
step "build the tip with config/bench.config" "$ROOT/scripts/build.sh" "$CHECK" "$BUILD"
step "pack the initramfs" "$ROOT/scripts/initramfs.sh" "$CHECK" "$BUILD"

failed=0
for cpus in $BENCH_CPUS; do
	runs=()
	for gb in $BENCH_SIZES; do
		name=bench-${cpus}c-${gb}G
		while read -r st rest; do
			echo "$st $rest"
			[ "$st" = FAIL ] && failed=$((failed + 1))
		done < <(GUEST_CPUS=$cpus DAX_MEM_GB=$gb run_boot "$name" \
			"harness.timeout=2900 harness.env.BENCH_REPS=$BENCH_REPS" tests/bench.sh "" </dev/null)
		runs+=("$WORK/runs/$name/results.log")
	done
	out=$OUT/vcpus-$cpus
	mkdir -p "$out"
	step "write $out" python3 "$ROOT/scripts/bench-report.py" "$out" "${runs[@]}"
	{
		echo
		echo "Kernel: $(cat "$BUILD/include/config/kernel.release") (guest.config + bench.config, no debug options),"
		echo "qemu $(qemu-system-x86_64 --version | head -1 | awk '{ print $4 }') TCG (thread=$GUEST_TCG), $cpus vCPUs, on $(nproc) host cores; $(date -u +%Y-%m-%d)."
		echo "Reproduce: make bench BENCH_CPUS=$cpus BENCH_SIZES=\"$BENCH_SIZES\" BENCH_REPS=$BENCH_REPS"
	} >> "$out/bench.md"
	cat "$out/bench.md"
done
log "make bench took $((SECONDS - T0))s"
[ "$failed" -eq 0 ]
