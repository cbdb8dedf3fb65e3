#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "cxl" boot, after the dax tests.  The operator's way back from cxl_up.sh's
# device:
#   echo offline > /sys/bus/dax/devices/dax0.0/hotplug
#   daxctl reconfigure-device -m devdax dax0.0
#   ndctl destroy-namespace -f namespace0.0
#   cxl disable-region region0; cxl destroy-region region0
# with nothing left behind; the path built again in the same boot; then
# region teardown with the device's memory unplugged and offline, both clean.
# The online case, a writer racing the teardown, is cxl_reset_race.sh.
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
ktap_print_header
ktap_set_plan 9

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
ktap_finished
