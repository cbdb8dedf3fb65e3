#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stress.sh: make stress.  Builds the tip like make check (same kernel, same
# build directory), boots it once and runs guest/tests/stress.sh with the full
# settings below (any STRESS_* variable in the environment overrides them), then
# prints the figures and "stress: N passed, N failed".  The figures are also
# written to results/stress/figures.md.
. "$(dirname "$0")/lib.sh"

T0=$SECONDS
: "${STRESS_ROUNDS:=12}" "${STRESS_OPS:=25}" "${STRESS_SECONDS:=1500}"
: "${STRESS_FI_MAX:=5000}" "${STRESS_FI_STRIDE:=1}" "${STRESS_FUZZ_RANDOM:=300}"
: "${STRESS_PARTS:=concurrency,faults,fuzz,perms,unload}"
args="harness.timeout=3600"
for v in ROUNDS OPS SECONDS FI_MAX FI_STRIDE FUZZ_RANDOM PARTS; do
	eval "args+=\" harness.env.STRESS_$v=\$STRESS_$v\""
done
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-3700}

step "install build and guest dependencies" "$ROOT/scripts/deps.sh"
step "base tree" "$ROOT/scripts/base.sh"
step "apply patches/series to the base" "$ROOT/scripts/apply.sh" "$CHECK"
step "build the tip" "$ROOT/scripts/build.sh" "$CHECK" "$BUILD"
step "pack the initramfs" "$ROOT/scripts/initramfs.sh" "$CHECK" "$BUILD"

passed=0 failed=0
while read -r st rest; do
	echo "$st $rest"
	case "$st" in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; esac
done < <(run_boot stress-full "$args" tests/stress.sh "" </dev/null)

out=$ROOT/results/stress
mkdir -p "$out"
{
	echo "| figure | value |"
	echo "|---|---|"
	tr -d '\r' < "$WORK/runs/stress-full/results.log" |
		sed -n 's/^# figure: \([^ ]*\) \(.*\)$/| \1 | \2 |/p'
	echo
	echo "Settings: $args"
	echo "Kernel: $(cat "$BUILD/include/config/kernel.release"), $(date -u +%Y-%m-%d)"
} > "$out/figures.md"
cat "$out/figures.md"
log "make stress took $((SECONDS - T0))s"
echo "stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
