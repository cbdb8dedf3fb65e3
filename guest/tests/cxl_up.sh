#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "cxl" boot, first part: the CXL memory device becomes system RAM the way an
# operator does it with Debian's tools, and is left online_movable, bound to
# kmem, for the dax kselftests that run next on it (harness.daxdev).
#   cxl create-region -m -t pmem -d decoder0.0 -w 1 mem0
#   ndctl create-namespace -m devdax -r region0
#   daxctl reconfigure-device -m system-ram dax0.0
# The boot uses memhp_default_state=offline, a distribution kernel's policy:
# daxctl refuses to reconfigure when the kernel would online the memory.
. /tests/lib.sh
. /tests/cxl_lib.sh

ktap_print_header
ktap_set_plan 7
# The soft-reserved dax device of every boot is bound to kmem too (its memory
# offline, as the policy says): move it to device_dax, so that the dax tests,
# which count kmem's resources, see only the CXL device's.  (Left unbound,
# it was bound to kmem again once daxctl had reconfigured the CXL device.)
other=$(cd /sys/bus/dax/drivers/kmem && ls -d dax* 2> /dev/null)
# (device_dax takes a soft-reserved device only by name: new_id, as daxctl.)
for d in $other; do
	echo $d > /sys/bus/dax/drivers/kmem/unbind
	echo $d > /sys/bus/dax/drivers/device_dax/new_id
done
ktest "the other dax devices (${other:-none}) moved to device_dax, their memory removed" \
	eval 'for d in $other; do [ -e /sys/bus/dax/drivers/device_dax/$d ] || exit 1; done &&
	      [ -z "$(cd /sys/bus/dax/drivers/kmem && ls -d dax* 2> /dev/null)" ] && ! grep -q "System RAM (kmem)" /proc/iomem'

memtotal_kb > $ST/memtotal.base
run cxl list -M
ktest "cxl list: mem0 has 1 GiB of persistent memory" grep -q '"pmem_size":1073741824' $ST/out
region_up; rc=$?
ktest "cxl create-region: ${REGION:-no region} on mem0, committed" [ $rc = 0 ]
namespace_up; rc=$?
ktest "ndctl create-namespace -m devdax: ${NS:-none}, ${DAX:-none} (the device the dax tests use: ${DAX_TEST_DEVICE:-unset})" \
	[ $rc = 0 -a "$DAX" = "$DAX_TEST_DEVICE" ]
ram_up; rc=$?
ktest "daxctl reconfigure-device -m system-ram $DAX: kmem, online_movable" [ $rc = 0 ]
n=0
for b in $(dax_blocks $DAX); do
	[ "$(cat /sys/devices/system/memory/memory$b/state)" = online ] && n=$((n + 1))
done
ktap_print_msg "$DAX: $n blocks online on node $NODE"
ktest "node $NODE holds the device's memory and has no CPUs" \
	eval '[ $n -gt 0 ] && [ -z "$(cat /sys/devices/system/node/node$NODE/cpulist)" ] && [ -e /sys/devices/system/node/node$NODE/memory$(dax_blocks $DAX | cut -d" " -f1) ]'
ktest "the kernel log is clean" eval '! dmesg | grep -E "WARNING:|BUG:|Oops"'
ktap_finished
