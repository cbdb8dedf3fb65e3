#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The patched daxctl where the kernel has mainline's "state" but no "hotplug"
# attribute: hide_hotplug.so (LD_PRELOAD) hides "hotplug" from daxctl, and
# the series' "state" has mainline's contract (mainline's own selftest runs
# against it in the mainline-state boot).  daxctl onlines unplugged memory
# through "state", changes blocks one by one otherwise, and never claims the
# device.  Output as the series' tests in ndctl's style: PASS:/FAIL: lines,
# exit 0, 1 or 77.  Needs DAXCTL (the patched daxctl) and DAXCTL_TEST_DEV.
NDT=/opt/ndctl/test
SHIM=/opt/ndctl/lib/hide_hotplug.so
rc=77
. $NDT/common
. $NDT/daxctl-hotplug-common

# M ARGS...: the patched daxctl, "hotplug" hidden from it
M() { LD_PRELOAD=$SHIM "$DAXCTL" "$@"; }

require_kmem_dev
[ -e "$sysdev/state" ] || skip "the kernel has no $sysdev/state"
[ -f $SHIM ] || skip "$SHIM is missing"
M list -d "$dev" | jq -e '.[0].mode == "system-ram"' > /dev/null ||
	skip "the patched daxctl does not run with $SHIM"
rc=1
reset_dev

check "state only: daxctl list has no hotplug field" \
	eval '! M list -d "$dev" | jq -e ".[0].hotplug" > /dev/null'
echo unplugged > "$sysdev/state"
run M online-memory "$dev"
check "state only: online-memory on unplugged memory: state online_movable, all blocks in ZONE_MOVABLE" \
	eval '[ $st = 0 ] && [ "$(cat $sysdev/state)" = online_movable ] && all_zones Movable'
check "state only: the device is not claimed (per-block writes work)" block_write_works
run M offline-memory "$dev"
check "state only: offline-memory goes block by block: all offline (state still reads online_movable)" \
	eval '[ $st = 0 ] && all_blocks offline && [ "$(cat $sysdev/state)" = online_movable ]'
check "state only: not claimed after offline-memory" block_write_works
run M online-memory "$dev"
check "state only: online-memory with blocks offline but state online_movable: block by block, all in ZONE_MOVABLE" \
	eval '[ $st = 0 ] && all_zones Movable'
refused "state only: reconfigure-device -m devdax with memory online" \
	M reconfigure-device -m devdax "$dev"
run M reconfigure-device -f -m devdax "$dev"
check "state only: reconfigure-device -f -m devdax: unplugged through state, devdax, no block left" \
	eval '[ $st = 0 ] && [ -e /sys/bus/dax/drivers/device_dax/$dev ] && all_blocks absent'
run M reconfigure-device -f -m system-ram "$dev"
check "state only: reconfigure-device -f -m system-ram: all blocks in ZONE_MOVABLE" \
	eval '[ $st = 0 ] && all_zones Movable'
check "state only: not claimed after devdax and back" block_write_works

reset_dev
finish
