#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "cxl" boot: what Debian's daxctl and chmem do with a managed CXL kmem
# device, as the admin guide (patch 44) tells operators:
#   - daxctl offline-memory and reconfigure-device -m devdax (with -f too)
#     are refused with EBUSY while the memory is online, and change nothing;
#   - chmem -d SIZE skips the device's blocks and offlines other memory,
#     chmem -d -b of a device block fails with EBUSY;
#   - reconfigure-device -m devdax fails (ENOENT) on an unplugged device and
#     works once it is offline;
#   - with kmem.claim_at_probe=1, reconfigure-device -m system-ram binds kmem,
#     onlines nothing and says "reconfigured 0 devices".
# Starts from the device online and managed (tiering.sh), ends online_movable.
. /tests/lib.sh
. /tests/cxl_lib.sh

DAX=$DAX_TEST_DEVICE
D=$BUS/$DAX
KMEM=/sys/bus/dax/drivers/kmem
blocks=$(dax_blocks $DAX)
nblocks=$(echo $blocks | wc -w)

# states: the device's attribute and every block's state, one line.
states() {
	local b
	printf '%s:' "$(cat $D/hotplug 2> /dev/null || echo none)"
	for b in $blocks; do printf ' %s' "$(cat /sys/devices/system/memory/memory$b/state 2> /dev/null || echo absent)"; done
	echo
}
# offline_others: the offline memory blocks that are not the device's.
offline_others() {
	local m b
	for m in /sys/devices/system/memory/memory*; do
		b=${m##*memory}
		case " $blocks " in *" $b "*) continue ;; esac
		[ "$(cat $m/state)" = offline ] && printf '%s ' $b
	done
}
# refused CMD...: CMD fails, says EBUSY, and the device is as before.
refused() {
	local before rc=0
	before=$(states)
	run "$@" || rc=$?
	[ $rc != 0 ] && grep -q 'Device or resource busy' $ST/out && [ "$(states)" = "$before" ] ||
		{ echo "# exit $rc; before: $before; now: $(states)"; return 1; }
}

ktap_print_header
ktap_set_plan 10

# A write that changes nothing claims nothing: claim the device explicitly.
echo online_movable > $D/hotplug && echo 1 > $D/hotplug_managed
ktest "$DAX online_movable and managed ($nblocks blocks)" eval '[ "$(states)" = "online_movable:$(printf " online%.0s" $blocks)" ] && [ "$(cat $D/hotplug_managed)" = 1 ]'
ktest "daxctl offline-memory $DAX: EBUSY, nothing changed" refused daxctl offline-memory $DAX
ktest "daxctl reconfigure-device -m devdax $DAX: EBUSY, nothing changed" refused daxctl reconfigure-device -m devdax $DAX
ktest "daxctl reconfigure-device -f -m devdax $DAX: EBUSY, nothing changed" refused daxctl reconfigure-device -f -m devdax $DAX

# chmem by size: the device's blocks refuse, other memory goes instead.
others0=$(offline_others)
before=$(states)
run chmem -v -d 256M; rc=$?
others=$(offline_others)
ktap_print_msg "chmem -d 256M (exit $rc): offline outside $DAX now: ${others:-none} (before: ${others0:-none})"
ktest "chmem -d 256M skips $DAX's blocks and offlines 2 other blocks instead" \
	eval '[ $rc = 0 ] && [ "$(states)" = "$before" ] && [ $(echo $others | wc -w) = $(($(echo $others0 | wc -w) + 2)) ]'
run chmem -v -e 256M
ktest "chmem -e 256M onlines them again" eval '[ "$(offline_others)" = "$others0" ]'
ktest "chmem -d -b $(echo $blocks | cut -d' ' -f1) (a block of $DAX): EBUSY, nothing changed" \
	refused chmem -v -d -b $(echo $blocks | cut -d' ' -f1)

# unplugged: daxctl cannot take it to devdax; offline, it can.
echo unplugged > $D/hotplug
run daxctl reconfigure-device -m devdax $DAX; rc=$?
ktest "unplugged $DAX: daxctl reconfigure-device -m devdax fails with ENOENT, still kmem, unplugged" \
	eval '[ $rc != 0 ] && grep -q "No such file or directory" $ST/out && [ -e $KMEM/$DAX ] && [ "$(cat $D/hotplug)" = unplugged ]'
echo offline > $D/hotplug
run daxctl reconfigure-device -m devdax $DAX; rc=$?
ktest "offline $DAX: daxctl reconfigure-device -m devdax works" \
	eval '[ $rc = 0 ] && grep -q "reconfigured 1 device" $ST/out && [ -e /sys/bus/dax/drivers/device_dax/$DAX ]'

# claim at probe: daxctl binds kmem, the kernel refuses its per-block online.
echo 1 > /sys/module/kmem/parameters/claim_at_probe
run daxctl reconfigure-device -m system-ram $DAX; rc=$?
ktest "kmem.claim_at_probe=1: daxctl reconfigure-device -m system-ram binds kmem, onlines nothing, reconfigured 0 devices" \
	eval '[ $rc != 0 ] && grep -q "reconfigured 0 devices" $ST/out && [ -e $KMEM/$DAX ] &&
	      [ "$(states)" = "offline:$(printf " offline%.0s" $blocks)" ]'
echo 0 > /sys/module/kmem/parameters/claim_at_probe
echo online_movable > $D/hotplug
ktap_print_msg "$DAX at the end: $(states)"
ktap_finished
