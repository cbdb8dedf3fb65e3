#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The patched daxctl (userspace/ndctl/, packed as /opt/ndctl/bin/daxctl with
# its own libdaxctl) and its tests in ndctl's style (/opt/ndctl/test), on
# $DAX_TEST_DEVICE; Debian's /usr/bin/daxctl beside it.  Parts
# (DAXCTL_PARTS, comma-separated, default "ours,state,bugs,compat"):
#   ours    each of the series' tests with the patched daxctl: every PASS:,
#           FAIL: and SKIP: line of a test is one result (a test that skips
#           as a whole, exit 77, prints one SKIP: line);
#   state   the patched daxctl where the kernel seems to have mainline's
#           "state" only (daxctl_state_only.sh);
#   bugs    the tests of the three bugs with Debian's daxctl fail (proof that
#           they can);
#   compat  what Debian's daxctl does per block on a device that nothing
#           claimed still works (no regression; single-range devices only:
#           it counts a multi-range device's blocks wrong);
#   create  ndctl's own daxctl-create.sh, with the patched daxctl and with
#           Debian's (needs a boot without kmem: harness.nokmem).
# The plan, announced first, counts the units the parts run (a test program
# with a daxctl, one part's checks); each unit's results, whose number is not
# known in advance, are printed as KTAP nested under the unit's own result.
. /tests/lib.sh

OURS=/opt/ndctl/bin/daxctl
DEBIAN=/usr/bin/daxctl
NDT=/opt/ndctl/test
export NDCTL=/usr/bin/ndctl CXL=/usr/bin/cxl DAXCTL_TEST_DEV=$DAX_TEST_DEVICE
BUGS="daxctl-multirange.sh daxctl-unplugged.sh daxctl-online-zone.sh"
R=/tmp/daxctl.results
: > $R

res() { printf '%s|%s\n' "$1" "$2" >> $R; }	# res P|F|S|# TEXT

# ndtest LABEL DAXCTL TEST: run an ndctl-style test; its PASS:/FAIL:/SKIP:
# lines become results, its other lines comments; echo its exit status
ndtest() {
	local label=$1 t0=$SECONDS st line t
	case "$3" in /*) t=$3 ;; *) t=$NDT/$3 ;; esac
	DAXCTL=$2 "$t" > /tmp/ndtest.out 2>&1
	st=$?
	while IFS= read -r line; do
		case "$line" in
		PASS:\ *) res P "$label: ${line#PASS: }" ;;
		FAIL:\ *) res F "$label: ${line#FAIL: }" ;;
		SKIP:\ *) res S "$label: ${line#SKIP: }" ;;
		*) res '#' "$label: $line" ;;
		esac
	done < /tmp/ndtest.out
	res '#' "$label: exit $st after $((SECONDS - t0)) s"
	echo $st
}

# ours TEST: a test of the series with the patched daxctl
ours() {
	local st
	st=$(ndtest "ours ${1##*/}" $OURS "$1")
	case $st in
	0) grep -q '^PASS:' /tmp/ndtest.out ||
		res F "ours ${1##*/}: exit 0 without a PASS line" ;;
	77) grep -q '^SKIP:' /tmp/ndtest.out ||
		res F "ours ${1##*/}: exit 77 without a SKIP line" ;;
	*) grep -q '^FAIL:' /tmp/ndtest.out || res F "ours ${1##*/}: exit $st without a FAIL line" ;;
	esac
}

# bug_check TEST: the check of TEST that the bug itself fails
bug_check() {
	case $1 in
	daxctl-multirange.sh) echo "daxctl list: total_memblocks is" ;;
	daxctl-unplugged.sh) echo "daxctl list: total_memblocks is 0" ;;
	daxctl-online-zone.sh) echo "daxctl online-memory: fails" ;;
	esac
}

# debian_fails TEST: a bug's test fails with Debian's daxctl, at the check
# that the bug fails
debian_fails() {
	local st
	st=$(ndtest "debian $1" $DEBIAN "$1" | tail -n 1)
	# Its own PASS/FAIL lines are comments here: they are expected to fail.
	sed -i -e "s/^P|debian $1: /#|debian $1: PASS: /" \
		-e "s/^F|debian $1: /#|debian $1: FAIL: /" $R
	case $st in
	77) grep -q '^SKIP:' /tmp/ndtest.out ||
		res S "debian $1: the test skips here (exit 77)" ;;
	1) if grep -qF "FAIL: $(bug_check $1)" /tmp/ndtest.out; then
		res P "Debian's daxctl fails $1 at \"$(bug_check $1)\" (the bug is there)"
	   else
		res F "Debian's daxctl fails $1 at \"$(bug_check $1)\""
	   fi ;;
	*) res F "Debian's daxctl fails $1 (exit $st, expected 1)" ;;
	esac
}

# Debian's per-block daxctl on a device that nothing claimed: what worked
# before the kernel's whole-device control still works.
debian_per_block() {
	local n
	export DAXCTL=$DEBIAN
	. $NDT/common
	. $NDT/daxctl-hotplug-common
	# Debian's daxctl counts a multi-range device's blocks wrong (the
	# first bug of the series): nothing to compare with there.
	n=$(ls -d $sysdev/mapping[0-9]* | wc -l)
	if [ "$n" -gt 1 ]; then
		res S "Debian's daxctl per block on $dev: $n ranges, which it counts wrong (daxctl-multirange.sh)"
		return
	fi
	reset_dev
	n=$(blocks | wc -w)
	run $DEBIAN offline-memory $dev
	rcheck "Debian's daxctl offline-memory $dev (not claimed): all $n blocks offline" \
		eval '[ $st = 0 ] && all_blocks offline'
	run $DEBIAN online-memory $dev
	rcheck "Debian's daxctl online-memory $dev: all blocks online in ZONE_MOVABLE" \
		eval '[ $st = 0 ] && all_zones Movable'
	rcheck "Debian's daxctl list $dev: total_memblocks $n" \
		eval '[ "$(dev_json total_memblocks)" = $n ]'
	run $DEBIAN reconfigure-device -f -m devdax $dev
	rcheck "Debian's daxctl reconfigure-device -f -m devdax $dev: devdax, no block left" \
		eval '[ $st = 0 ] && [ -e /sys/bus/dax/drivers/device_dax/$dev ] && all_blocks absent'
	run $DEBIAN reconfigure-device -f -m system-ram $dev
	rcheck "Debian's daxctl reconfigure-device -f -m system-ram $dev: online movable" \
		eval '[ $st = 0 ] && all_zones Movable'
	rcheck "hotplug of $dev reads online_movable afterwards" \
		eval '[ ! -e $sysdev/hotplug ] || [ "$(cat $sysdev/hotplug)" = online_movable ]'
	reset_dev
}
rcheck() {
	local desc=$1
	shift
	if "$@"; then res P "$desc"; else res F "$desc"; fi
}

create() {
	local d st
	for d in $OURS $DEBIAN; do
		st=$(ndtest "daxctl-create.sh with $d" $d daxctl-create.sh)
		case $st in
		0) res P "ndctl's daxctl-create.sh with $d" ;;
		77) grep -q '^SKIP:' /tmp/ndtest.out ||
			res S "ndctl's daxctl-create.sh with $d: skipped (exit 77)" ;;
		*) res F "ndctl's daxctl-create.sh with $d (exit $st)" ;;
		esac
	done
}

# unit NAME CMD...: run CMD, whose res lines are the unit's results; print
# them nested under one result for NAME that passes when none failed.
unit() {
	local name=$1 n=0 failed=0 k text
	shift
	: > $R
	"$@"
	echo "    KTAP version 1"
	echo "    1..$(grep -c '^[PFS]|' $R)"
	while IFS='|' read -r k text; do
		case $k in
		P) n=$((n + 1)); echo "    ok $n $text" ;;
		F) n=$((n + 1)); failed=1; echo "    not ok $n $text" ;;
		S) n=$((n + 1)); echo "    ok $n $text # SKIP" ;;
		*) echo "    # $text" ;;
		esac
	done < $R
	if [ $n -gt 0 ] && [ $failed = 0 ]; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name ($n results, failed or none)"
	fi
}

version() {
	if [ ! -x $OURS ]; then
		res F "patched daxctl packed as $OURS (scripts/ndctl.sh, scripts/initramfs.sh)"
		return
	fi
	v=$($OURS version 2>&1)
	if [ "$v" = 76.1+hotplug ]; then
		res P "$OURS runs with its own libdaxctl (version $v)"
	else
		res F "$OURS runs with its own libdaxctl (version: $v)"
	fi
}
compat() {
	debian_per_block > /tmp/per-block.out 2>&1
	while IFS= read -r l; do res '#' "per-block: $l"; done < /tmp/per-block.out
}

PARTS=$(echo ${DAXCTL_PARTS:-ours,state,bugs,compat} | tr , ' ')
plan=1
for part in $PARTS; do
	case $part in
	ours) plan=$((plan + $(echo $BUGS daxctl-hotplug.sh | wc -w))) ;;
	bugs) plan=$((plan + $(echo $BUGS | wc -w))) ;;
	create) plan=$((plan + 1)) ;;
	state|compat) plan=$((plan + 1)) ;;
	*) ktap_exit_fail_msg "unknown DAXCTL_PARTS part: $part" ;;
	esac
done
ktap_print_header
ktap_set_plan $plan
unit "patched daxctl" version
[ -x $OURS ] || ktap_exit_fail_msg "no patched daxctl: the other units cannot run"
for part in $PARTS; do
	case $part in
	ours) for t in $BUGS daxctl-hotplug.sh; do unit "ours $t" ours $t; done ;;
	state) unit "ours daxctl_state_only.sh" ours /tests/daxctl_state_only.sh ;;
	bugs) for t in $BUGS; do unit "debian $t" debian_fails $t; done ;;
	compat) unit "Debian's daxctl per block" compat ;;
	create) unit "ndctl's daxctl-create.sh" create ;;
	esac
done
ktap_finished
