#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftest.sh: the harness's own logic on cases made to fail, the first
# checks of make check (a few seconds).  Each line "PASS|FAIL harness: what"
# says that a guard caught what it must catch and let through what it must.
# Needs the applied tree ($CHECK: the kernel's KTAP parser and checkpatch).
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/guards.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() {	# ok WHAT CMD...: one result from CMD's exit status
	local what=$1 rc=0
	shift
	# A background job, not an "if": bash ignores set -e in anything a
	# condition runs, and some cases need it (collect's producers).
	"$@" > "$T/out" 2>&1 &
	wait $! || rc=$?
	if [ "$rc" = 0 ]; then
		echo "PASS harness: $what"
	else
		sed 's/^/  /' "$T/out" >&2
		echo "FAIL harness: $what"
	fi
}

# --- The result parser (scripts/results.py) --------------------------------
ok "results.py: KUnit with kernel messages in it, nested KTAP, a plan not met, no KTAP, a test that did not finish, no KUnit output" \
	python3 "$ROOT/scripts/results.py" --selftest "$CHECK"

# --- Counting (scripts/tally.sh) ------------------------------------------
# tally_case SKIPS-FILE NOSKIP PREFIX PRODUCER...: "passed failed skipped"
# after collecting the producer's lines.
tally_case() {
	(
		SKIPS=$1 NOSKIP=$2 PREFIX=$3
		shift 3
		RESULTS=/dev/null
		. "$ROOT/scripts/tally.sh"
		collect "case" "$@" > /dev/null 2>&1
		echo "$PASSED $FAILED $SKIPPED"
	)
}
printf '%s\n' '# comment | x' 'b: a [1] test (why) | listed, with a bracket' \
	'c: *KASAN kernel:* | kasan' 'd: no reason |' > "$T/skips"
ok_producer() { echo "PASS a"; echo "SKIP b: a [1] test (why)"; }
dies_producer() { echo "PASS a"; false; echo "PASS never"; }
fails_producer() { echo "PASS a"; echo "PASS b"; return 3; }
skips_producer() { echo "SKIP x: not listed"; echo "SKIP d: no reason"; }
kasan_producer() { echo "SKIP c: t (KASAN kernel: no)"; }
expect() {	# expect "P F S" PRODUCER [NOSKIP [PREFIX]]
	local got
	got=$(tally_case "$T/skips" "${3:-}" "${4:-}" "$2")
	[ "$got" = "$1" ] || { echo "$2: passed/failed/skipped $got, want $1"; return 1; }
}
ok "tally: a listed skip counts as a skip" expect "1 0 1" ok_producer
ok "tally: a producer that dies half way (set -e) leaves a FAIL" expect "1 1 0" dies_producer
ok "tally: a producer's exit status counts" expect "2 1 0" fails_producer
ok "tally: a skip not listed, or listed without a reason, is a FAIL" expect "0 2 0" skips_producer
ok "tally: any skip in a noskip boot is a FAIL" expect "1 1 0" ok_producer 1
kasan_cases() { expect "0 0 1" kasan_producer 1 kasan- && expect "0 1 0" kasan_producer 1; }
ok "tally: a listed KASAN skip passes a noskip boot of make check KASAN=1 only" kasan_cases

# --- The kernel log scan (scripts/scan-log.sh) ------------------------------
scan_cases() {
	local r bad=0
	printf '[    1.0] Linux version 6.12\n[    2.0] dax: ok\n' > "$T/clean.log"
	"$ROOT/scripts/scan-log.sh" "$T/clean.log" > /dev/null || { echo "a clean log is flagged"; bad=1; }
	while IFS= read -r r; do
		printf '[    1.0] booting\n[    2.0] %s\n' "$r" > "$T/r.log"
		"$ROOT/scripts/scan-log.sh" "$T/r.log" > /dev/null && { echo "missed: $r"; bad=1; }
	done <<- 'EOF'
	WARNING: CPU: 1 PID: 9 at mm/memory_hotplug.c:100 f+0x1/0x2
	BUG: kernel NULL pointer dereference, address: 0000000000000008
	Oops: general protection fault, probably for non-canonical address
	Kernel panic - not syncing: Fatal exception
	kernel BUG at mm/page_alloc.c:1!
	WARNING: possible circular locking dependency detected
	WARNING: possible recursive locking detected
	WARNING: inconsistent lock state
	DEBUG_LOCKS_WARN_ON(1)
	turning off the locking correctness validator.
	BUG: KASAN: slab-use-after-free in kmem_remove+0x1/0x2
	UBSAN: shift-out-of-bounds in mm/x.c:1:2
	kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
	kmemleak report: unreferenced object 0xffff8880 (size 64):
	INFO: task kworker/0:0:8 blocked for more than 61 seconds.
	rcu: INFO: rcu_sched self-detected stall on CPU
	watchdog: BUG: soft lockup - CPU#0 stuck for 22s!
	list_add corruption. prev->next should be next
	ODEBUG: free active (active state 0) object: 0xffff object type: timer_list
	EOF
	return $bad
}
ok "scan-log.sh: every kind of report is caught, a clean log passes" scan_cases

# --- The round-trip comparison on a newer base (scripts/patchcmp.py) --------
ok "patchcmp.py: index lines, hunk positions and context pass; changed lines and messages fail" \
	python3 "$ROOT/scripts/patchcmp.py" --selftest

# --- checkpatch (checkpatch_report in scripts/guards.sh) -------------------
checkpatch_cases() {
	local p=$T/0001-x.patch bad=0 rc
	echo "patch" > "$p"
	printf '#!/bin/sh\necho "Global symbol requires explicit package name" >&2\nexit 255\n' > "$T/dies"
	printf '#!/bin/sh\nexit 1\n' > "$T/silent"
	printf '#!/bin/sh\necho "total: 0 errors, 1 warnings, 0 checks, 9 lines checked"\nexit 1\n' > "$T/uncounted"
	printf '#!/bin/sh\necho "$2:3: WARNING:FILE_PATH_CHANGES: other text"\necho "total: 0 errors, 1 warnings, 0 checks, 9 lines checked"\nexit 1\n' > "$T/report"
	sed -i 's/\$2/$4/' "$T/report"
	printf '#!/bin/sh\necho "total: 0 errors, 0 warnings, 0 checks, 9 lines checked"\nexit 0\n' > "$T/clean"
	chmod +x "$T"/{dies,silent,uncounted,report,clean}
	echo "0001-x.patch | FILE_PATH_CHANGES: added, moved or deleted file(s), does MAINTAINERS need updating? | why" > "$T/allow"
	for c in dies:2 silent:2 uncounted:2 report:1 clean:1; do
		rc=0
		CHECKPATCH=$T/${c%:*} checkpatch_report "$p" "$T/allow" > /dev/null || rc=$?
		[ "$rc" = "${c#*:}" ] || { echo "${c%:*}: returned $rc, want ${c#*:}"; bad=1; }
	done
	: > "$T/allow"
	rc=0
	CHECKPATCH=$T/clean checkpatch_report "$p" "$T/allow" > /dev/null || rc=$?
	[ "$rc" = 0 ] || { echo "clean: returned $rc, want 0"; bad=1; }
	return $bad
}
ok "checkpatch: a checkpatch that dies or miscounts fails; the allowlist forgives only its exact message, and an unused entry fails" \
	checkpatch_cases

# --- The exports check (exports_check in scripts/guards.sh) ----------------
exports_cases() {
	local bad=0
	printf '+EXPORT_SYMBOL_NS_GPL(f, MEMORY_HOTPLUG_DRIVER);\n+EXPORT_SYMBOL_GPL(g);\n+EXPORT_SYMBOL_IF_KUNIT(k);\n' > "$T/diff"
	printf '0x0\tf\tvmlinux\tEXPORT_SYMBOL_GPL\tMEMORY_HOTPLUG_DRIVER\n0x0\tg\tvmlinux\tEXPORT_SYMBOL_GPL\t\n0x0\tk\tvmlinux\tEXPORT_SYMBOL\tEXPORTED_FOR_KUNIT_TESTING\n' > "$T/good"
	printf '0x0\tf\tvmlinux\tEXPORT_SYMBOL_GPL\tMEMORY_HOTPLUG_DRIVER\n' > "$T/missing"
	printf '0x0\tf\tvmlinux\tEXPORT_SYMBOL_GPL\tmodule:kmem\n0x0\tg\tvmlinux\tEXPORT_SYMBOL_GPL\t\n' > "$T/ns"
	exports_check "$T/diff" "$T/good" > /dev/null || { echo "good symvers refused"; bad=1; }
	exports_check "$T/diff" "$T/missing" > /dev/null && { echo "a missing symbol passed"; bad=1; }
	exports_check "$T/diff" "$T/ns" > /dev/null && { echo "a wrong namespace passed"; bad=1; }
	: > "$T/diff"
	exports_check "$T/diff" "$T/good" > /dev/null && { echo "a series that exports nothing passed"; bad=1; }
	return $bad
}
ok "exports: every symbol the series exports, in its namespace; a missing one or a wrong namespace fails" \
	exports_cases

# --- Guest time limits (guest_timeout in scripts/lib.sh) -------------------
timeout_cases() {
	local got bad=0
	mkdir -p "$T/b"
	echo "CONFIG_KASAN=y" > "$T/b/.config"
	got=$(BUILD=$T GUEST_TIMEOUT=900 guest_timeout "harness.timeout=1200")
	[ "$got" -gt 1200 ] || { echo "1200 s per test, guest $got s"; bad=1; }
	got=$(BUILD=$T GUEST_TIMEOUT=900 guest_timeout "")
	[ "$got" -gt 600 ] || { echo "600 s per test, guest $got s"; bad=1; }
	got=$(BUILD=$T/b GUEST_TIMEOUT=2400 guest_timeout "harness.timeout=1200")
	[ "$got" -gt 3600 ] || { echo "KASAN: 3600 s per test, guest $got s"; bad=1; }
	return $bad
}
ok "run-guest.sh: a guest's limit is above the per-test limit of its boot, on KASAN too" timeout_cases

# --- Which patches the per-patch builds skip (builds_kernel) ----------------
builds_cases() {
	local r=$T/repo bad=0 f
	git init -q "$r"
	for f in Documentation/x.rst tools/testing/selftests/dax/t.sh MAINTAINERS mm/x.c; do
		mkdir -p "$r/$(dirname "$f")"
		echo x > "$r/$f"
		git -C "$r" add -A
		git -C "$r" -c user.name=t -c user.email=t@t commit -q -m "$f"
		case $f in
		Documentation/*|tools/*) ! builds_kernel "$r" HEAD || { echo "$f: built"; bad=1; } ;;
		*) builds_kernel "$r" HEAD || { echo "$f: not built"; bad=1; } ;;
		esac
	done
	return $bad
}
ok "per-patch builds: only a patch that touches nothing outside Documentation/ and tools/ is left unbuilt" builds_cases

# --- sparse and W=1 (new_diagnostics in scripts/guards.sh) -----------------
w1_cases() {
	local bad=0 rc
	printf 'mm/a.c: warning: old\n' > "$T/w1.base"
	printf 'mm/a.c: warning: old\nmm/a.c: warning: new\n' > "$T/w1.tip"
	for c in "0 0 w1.base:0" "0 0 w1.tip:1" "1 0 w1.base:2" "0 2 w1.base:2"; do
		set -- ${c%:*}
		rc=0
		new_diagnostics "$1" "$T/w1.base" "$2" "$T/$3" > /dev/null || rc=$?
		[ "$rc" = "${c#*:}" ] || { echo "builds $1/$2, tip $3: returned $rc, want ${c#*:}"; bad=1; }
	done
	return $bad
}
ok "sparse and W=1: a new diagnostic fails, and so does a build that failed at the base or the tip" w1_cases

# --- Loops over memory blocks (every in guest/tests/lib.sh) -----------------
every_cases() {
	(
		KTAP_HELPERS=$CHECK/tools/testing/selftests/kselftest/ktap_helpers.sh
		. "$ROOT/guest/tests/lib.sh"
		even() { [ $(($1 % 2)) = 0 ]; }
		every "2 4" even || { echo "all even: false"; exit 1; }
		! every "2 3" even || { echo "one odd: true"; exit 1; }
		! every "" true || { echo "no blocks: true"; exit 1; }
	)
}
ok "guest tests: a check over every block of a device fails when the device has none" every_cases

# --- The dax kselftests' log window (dax_log_since in selftests/dax) --------
log_since_cases() {
	(
		. "$CHECK/tools/testing/selftests/kselftest/ktap_helpers.sh"
		. "$CHECK/tools/testing/selftests/dax/dax_lib.sh"
		dmesg() { printf '[ 1.0] a\n[ 2.0] %s\n[ 3.0] WARNING: x\n' "$DAX_START_MARK"; }
		dax_log_since "$DAX_START_MARK" > /dev/null && [ "$(echo "$DAX_LOG" | wc -l)" = 2 ] ||
			{ echo "marker present: '$DAX_LOG'"; exit 1; }
		! dax_log_clean > /dev/null || { echo "a WARNING after the marker passed"; exit 1; }
		dmesg() { printf '[ 1.0] WARNING: before\n[ 2.0] %s\n[ 3.0] b\n' "$DAX_START_MARK"; }
		dax_log_clean > /dev/null || { echo "a clean log since the marker failed"; exit 1; }
		dmesg() { printf '[ 3.0] b\n'; }
		! dax_log_since "$DAX_START_MARK" > /dev/null || { echo "marker wrapped away: true"; exit 1; }
		! dax_log_clean > /dev/null || { echo "log clean without its marker"; exit 1; }
	)
}
ok "dax kselftests: a log whose start marker has wrapped away fails its check" log_since_cases
