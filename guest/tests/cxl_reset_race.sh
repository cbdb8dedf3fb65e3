#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "cxl" boot, last part (and make check-upstream's cxl boot, after
# cxl_up.sh): a writer racing a region's teardown.  A decoder reset (0 to the
# region's commit) finds no System RAM and releases the region's driver, which
# the harness's hold_unbind module holds at its start; meanwhile the device's
# memory is onlined through the attribute that sets all of it (the series'
# hotplug, mainline's state) and a process puts data on it; then the release
# goes on, and kmem, which cannot refuse an unbind, keeps the online memory.
# The reset must then be refused, as must "cxl destroy-region -f", deleting
# the region and detaching its target, so the kernel never loses memory it
# uses (C1 of the series).  That region stays until reboot, hence last.
. /tests/lib.sh
. /tests/cxl_lib.sh

DAX=${DAX_TEST_DEVICE:-}
REGION=$(cd $CXLDEV && ls -d region* 2> /dev/null | head -n 1)

# online_blocks B...: how many of the blocks are online.
online_blocks() {
	local b n=0
	for b in "$@"; do
		[ "$(cat /sys/devices/system/memory/memory$b/state 2> /dev/null)" = online ] && n=$((n + 1))
	done
	echo $n
}
ktap_print_header
ktap_set_plan 13

# The device of cxl_up.sh, or built again after cxl_down.sh tore it down.
ready() { [ -n "$REGION" ] && [ -n "$DAX" ] && [ -e /sys/bus/dax/drivers/kmem/$DAX ] && all_movable $DAX; }
how="of cxl_up.sh"
if ! ready; then
	how="built again"
	region_up && fresh_labels && namespace_up && ram_up
fi
if ready; then
	NODE=$(cat $BUS/$DAX/target_node)
	ktap_test_pass "${REGION} and ${DAX} ($how): bound to kmem, online_movable"
else
	ktap_exit_fail_msg "no region and dax device online_movable ($how): the race cannot run"
fi
ATTR=$(dax_attr $DAX)

# 5. A writer between the reset's check for System RAM and its release of
#    the region's driver: the memory goes online, with a process's data on
#    it, while the release is held.
blocks=$(dax_blocks $DAX)
nblocks=$(echo $blocks | wc -w)
echo unplugged > $ATTR
HOLD=/sys/module/hold_unbind/parameters
insmod /tests/modules/hold_unbind.ko dev=$REGION
echo "cxl_reset_race: online disable" > /dev/kmsg
(echo 0 2> $ST/reset.err > $CXLDEV/$REGION/commit; echo $? > $ST/reset.rc) &
reset=$!
# Wait for the hold (up to a minute; the bound only ends a wait for an
# event that does not come).
for _ in $(seq 600); do
	[ "$(cat $HOLD/held 2> /dev/null)" = Y ] && break
	sleep 0.1
done
ktest "0 to $REGION/commit, memory unplugged: past the check, its driver release held" \
	eval '[ "$(cat $HOLD/held)" = Y ] && [ ! -e $ST/reset.rc ]'
ktest "meanwhile $DAX goes online_movable through $(basename $ATTR)" \
	eval 'echo online_movable > $ATTR && [ "$(online_blocks $blocks)" = $nblocks ]'
data_start $NODE 64; rc=$?
before=$(data_check)
ktap_print_msg "node_data on node $NODE: $before"
ktest "64 MiB of data on node $NODE" eval "[ $rc = 0 ] && case '$before' in 'ok '*) true ;; *) false ;; esac"
mt=$(memtotal_kb)
echo 1 > $HOLD/release
wait $reset
ktap_print_msg "reset: exit $(cat $ST/reset.rc), $(cat $ST/reset.err)"
ktest "the reset is refused (EBUSY), the decoders stay committed" \
	eval 'grep -q "busy" $ST/reset.err && [ "$(cat $CXLDEV/$REGION/commit)" = 1 ]'
ktest "$DAX is gone with the driver, the memory stays online ($nblocks blocks), MemTotal unchanged" \
	eval '[ "$(online_blocks $blocks)" = $nblocks ] && [ "$(memtotal_kb)" = $mt ] && [ ! -e $BUS/$DAX ]'
rmmod hold_unbind
ktest "the data survived: $(data_check)" eval 'case "$(data_check)" in "ok "*) true ;; *) false ;; esac'
run cxl destroy-region -f $REGION; rc=$?
ktest "cxl destroy-region -f $REGION is refused (exit $rc), the decoders stay committed" \
	eval '[ $rc != 0 ] && [ "$(cat $CXLDEV/$REGION/commit)" = 1 ]'
ktest "writing $REGION to delete_region is refused too, the region stays committed" \
	eval '! echo $REGION 2> /dev/null > $CXLDEV/decoder0.0/delete_region && [ "$(cat $CXLDEV/$REGION/commit)" = 1 ]'
t0=$(cat $CXLDEV/$REGION/target0)
ktest "detaching its target ($t0) is refused too" \
	eval '! echo 2> /dev/null > $CXLDEV/$REGION/target0 && [ "$(cat $CXLDEV/$REGION/target0)" = "$t0" ] && [ -n "$t0" ]'
ktest "the kernel says why" eval 'dmesg | sed -n "/cxl_reset_race: online disable/,\$p" | grep -q "cannot reset the decoders: memory in .* is System RAM"'
ktest "the data survived and the memory is still online: $(data_check)" \
	eval 'case "$(data_check)" in "ok "*) [ "$(online_blocks $blocks)" = $nblocks ] ;; *) false ;; esac'
for i in $(seq 50); do sh -c : || break; done
ktest "the kernel goes on: 50 processes started and ended" [ "$i" = 50 ]
data_stop
ktap_finished
