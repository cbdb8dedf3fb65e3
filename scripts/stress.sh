#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stress.sh: make stress.  Builds the tip like make check (same kernel, same
# build directory), boots it once and runs guest/tests/stress.sh with the full
# settings below (any STRESS_* variable in the environment overrides them), then
# prints the figures and "stress: N passed, N failed".  The figures are also
# written to results/stress/figures.md.
# SOAK=1 (make stress SOAK=1) runs until the concurrency part has made 10,000
# transitions, fuzzes with 10,000 inputs, injects faults into the transitions
# of two devices, checks that the run reached those numbers (and 500 faults
# hit) and writes results/stress/soak.md (docs/stress.md has its timings).
. "$(dirname "$0")/lib.sh"

T0=$SECONDS
name=stress-full out=$ROOT/results/stress/figures.md
if [ -n "${SOAK:-}" ]; then
	name=stress-soak out=$ROOT/results/stress/soak.md
	: "${STRESS_ROUNDS:=1000000}" "${STRESS_OPS:=40}" "${STRESS_SECONDS:=3600}"
	: "${STRESS_TRANSITIONS:=10000}" "${STRESS_FUZZ_RANDOM:=3200}" "${STRESS_FI_DEVS:=2}"
fi
: "${STRESS_ROUNDS:=12}" "${STRESS_OPS:=25}" "${STRESS_SECONDS:=1500}"
: "${STRESS_TRANSITIONS:=999999999}" "${STRESS_FI_DEVS:=1}"
: "${STRESS_FI_MAX:=5000}" "${STRESS_FI_STRIDE:=1}" "${STRESS_FUZZ_RANDOM:=300}"
: "${STRESS_PARTS:=concurrency,faults,fuzz,perms,unload}"
args="harness.timeout=7000"
for v in ROUNDS OPS SECONDS TRANSITIONS FI_MAX FI_STRIDE FI_DEVS FUZZ_RANDOM PARTS; do
	eval "args+=\" harness.env.STRESS_$v=\$STRESS_$v\""
done
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-7200}

step "install build and guest dependencies" "$ROOT/scripts/deps.sh"
step "base tree" "$ROOT/scripts/base.sh"
step "apply patches/series to the base" "$ROOT/scripts/apply.sh" "$CHECK"
# The kernel of make check's boots: without the RFC postings (BOOT_RFC=1: with).
checkout_boot_tip
step "build the tip" "$ROOT/scripts/build.sh" "$CHECK" "$BUILD"
step "pack the initramfs" "$ROOT/scripts/initramfs.sh" "$CHECK" "$BUILD"

passed=0 failed=0
while read -r st rest; do
	echo "$st $rest"
	case "$st" in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; esac
done < <(run_boot $name "$args" tests/stress.sh "" </dev/null)

# figure NAME: its value in the guest's results, or "absent".
figure() {
	tr -d '\r' < "$WORK/runs/$name/results.log" 2>/dev/null |
		sed -n "s/^# figure: $1 \([0-9]*\)$/\1/p" | tail -n 1 | grep . || echo absent
}
# at_least NAME N / at_most NAME N: a soak target, as a result line.
at_least() {
	local v
	v=$(figure "$1")
	if [[ $v =~ ^[0-9]+$ ]] && [ "$v" -ge "$2" ]; then echo "PASS soak: $1 $v >= $2"; passed=$((passed + 1))
	else echo "FAIL soak: $1 $v, want at least $2"; failed=$((failed + 1)); fi
}
at_most() {
	local v
	v=$(figure "$1")
	if [[ $v =~ ^[0-9]+$ ]] && [ "$v" -le "$2" ]; then echo "PASS soak: $1 $v <= $2"; passed=$((passed + 1))
	else echo "FAIL soak: $1 $v, want at most $2"; failed=$((failed + 1)); fi
}
if [ -n "${SOAK:-}" ]; then
	at_least transitions 10000
	at_least unbind-bind-cycles 20
	at_least fuzz-inputs-tried 10000
	at_least faults-hit 500
	at_most invariant-violations 0
	at_most kernel-reports 0
	at_most kmemleak-unreferenced-objects 0
fi

mkdir -p "$(dirname "$out")"
{
	echo "| figure | value |"
	echo "|---|---|"
	tr -d '\r' < "$WORK/runs/$name/results.log" |
		sed -n 's/^# figure: \([^ ]*\) \(.*\)$/| \1 | \2 |/p'
	echo
	echo "Settings: $args"
	echo "Kernel: $(cat "$BUILD/include/config/kernel.release"), $(date -u +%Y-%m-%d)"
	echo "Result: $passed passed, $failed failed (the guest's KTAP results and the log scan$([ -n "${SOAK:-}" ] && echo ", and the soak targets"))"
} > "$out"
cat "$out"
log "make stress took $((SECONDS - T0))s"
echo "stress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
