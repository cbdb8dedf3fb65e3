#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "cxl" boot, last part.  The operator's way back from cxl_up.sh's device:
#   echo offline > /sys/bus/dax/devices/dax0.0/hotplug
#   daxctl reconfigure-device -m devdax dax0.0
#   ndctl destroy-namespace -f namespace0.0
#   cxl disable-region region0; cxl destroy-region region0
# with nothing left behind; the path built again in the same boot; then
# region teardown with the device's memory unplugged, offline and online:
# the first two tear down cleanly.  The online case is a writer racing the
# teardown: a decoder reset (0 to the region's commit) finds no System RAM
# and releases the region's driver, which the harness's hold_unbind module
# holds at its start; meanwhile the device's memory is onlined through its
# hotplug attribute and a process puts data on it; then the release goes on,
# and kmem, which cannot refuse an unbind, keeps the online memory (as
# mainline does).  The reset must then be refused, as must
# "cxl destroy-region -f", so the kernel never loses memory it uses.  That
# region stays until reboot, hence last.
. /tests/lib.sh
. /tests/cxl_lib.sh

BASE=$(cat $ST/memtotal.base)
DAX=$DAX_TEST_DEVICE
REGION=$(cd $CXLDEV && ls -d region* 2> /dev/null | head -n 1)
NS=$(cd /sys/bus/nd/devices && ls -d namespace* 2> /dev/null | head -n 1)

# gone: the device, its region and its memory are gone, MemTotal is back.
gone() {
	window_clean && [ ! -e $BUS/$DAX ] && [ "$(memtotal_kb)" = "$BASE" ] ||
		{ echo "# MemTotal $(memtotal_kb) kB, at the start $BASE kB"; return 1; }
}
# online_blocks B...: how many of the blocks are online.
online_blocks() {
	local b n=0
	for b in "$@"; do
		[ "$(cat /sys/devices/system/memory/memory$b/state 2> /dev/null)" = online ] && n=$((n + 1))
	done
	echo $n
}
ktap_print_header
ktap_set_plan 22

# 1. The operator's way back.
ktest "$DAX: offline through the hotplug attribute" eval "echo offline > $BUS/$DAX/hotplug"
run daxctl reconfigure-device -m devdax $DAX
ktest "daxctl reconfigure-device -m devdax $DAX: reconfigured, devdax" \
	eval "grep -q 'reconfigured 1 device' $ST/out && [ -e /sys/bus/dax/drivers/device_dax/$DAX ]"
run ndctl destroy-namespace -f $NS
ktest "ndctl destroy-namespace $NS" grep -q 'destroyed 1 namespace' $ST/out
run cxl disable-region $REGION && run cxl destroy-region $REGION
ktest "cxl disable-region, destroy-region $REGION" grep -q 'destroyed 1 region' $ST/out
ktest "nothing left: no region, no device, nothing in the CXL window, MemTotal as before" gone

# 2. Again, in the same boot.
chain_up; rc=$?
ktest "built again: $REGION, $NS, $DAX online_movable" [ $rc = 0 ]

# 3. Teardown with the memory unplugged: cxl destroy-region -f.
echo unplugged > $BUS/$DAX/hotplug
run cxl destroy-region -f $REGION
ktest "unplugged $DAX: cxl destroy-region -f $REGION works, nothing left" eval 'grep -q "destroyed 1 region" $ST/out && gone'

# 4. With the memory offline: cxl disable-region, then destroy-region.
#    (destroy-region -f left the namespace's label behind.)
region_up && fresh_labels && namespace_up && ram_up; rc=$?
ktest "built again for the offline case" [ $rc = 0 ]
echo offline > $BUS/$DAX/hotplug
run cxl disable-region $REGION && run cxl destroy-region $REGION
ktest "offline $DAX: cxl disable-region and destroy-region work, nothing left" eval 'grep -q "destroyed 1 region" $ST/out && gone'

# 5. A writer between the reset's check for System RAM and its release of
#    the region's driver: the memory goes online, with a process's data on
#    it, while the release is held.
region_up && fresh_labels && namespace_up && ram_up; rc=$?
ktest "built again for the online case" [ $rc = 0 ]
blocks=$(dax_blocks $DAX)
nblocks=$(echo $blocks | wc -w)
echo unplugged > $BUS/$DAX/hotplug
HOLD=/sys/module/hold_unbind/parameters
insmod /tests/modules/hold_unbind.ko dev=$REGION
echo "cxl_down: online disable" > /dev/kmsg
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
ktest "meanwhile $DAX goes online_movable through its hotplug attribute" \
	eval 'echo online_movable > $BUS/$DAX/hotplug && [ "$(online_blocks $blocks)" = $nblocks ]'
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
ktest "the kernel says why" eval 'dmesg | sed -n "/cxl_down: online disable/,\$p" | grep -q "cannot reset the decoders: memory in .* is System RAM"'
ktest "the data survived and the memory is still online: $(data_check)" \
	eval 'case "$(data_check)" in "ok "*) [ "$(online_blocks $blocks)" = $nblocks ] ;; *) false ;; esac'
for i in $(seq 50); do sh -c : || break; done
ktest "the kernel goes on: 50 processes started and ended" [ "$i" = 50 ]
data_stop
ktap_finished
