#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kmem unbind and module unload in every state of dax0.0 (destructive: the
# last step leaves memory online until reboot, so this runs in its own boot).
#   unplugged: rmmod frees everything; modprobe adds the memory again (policy)
#   offline:   rmmod removes the memory;  modprobe adds it again
#   online:    rmmod leaves the memory online and usable, says so in the log;
#              its blocks go back to per-block control; modprobe cannot
#              reserve the range again and leaves the device unbound
. /tests/lib.sh

DEV=${DAX_TEST_DEVICE:-dax0.0}
d=/sys/bus/dax/devices/$DEV
KMEM=/sys/bus/dax/drivers/kmem
ktap_print_header
ktap_set_plan 10

base=$(memtotal_kb)
size_kb=$(( $(cat $d/size) / 1024 ))
echo offline > $d/hotplug && echo unplugged > $d/hotplug
base=$(memtotal_kb)
blocks=$(dax_blocks $DEV)

rmmod kmem
ktest "unplugged: rmmod kmem, nothing of $DEV left in /proc/iomem" \
	sh -c "! grep -q $DEV /proc/iomem && [ $(memtotal_kb) = $base ]"
modprobe kmem
ktest "modprobe kmem: $DEV bound, memory added and online per policy" \
	sh -c "[ -e $KMEM/$DEV ] && [ \$(cat $d/hotplug) = online_movable ] && [ \$(awk '/^MemTotal/ {print \$2}' /proc/meminfo) = $((base + size_kb)) ]"

echo offline > $d/hotplug
rmmod kmem
gone() { [ ! -e /sys/devices/system/memory/memory$1 ]; }
ktest "offline: rmmod kmem removes every block and the resources" \
	eval 'every "$blocks" gone && ! grep -q $DEV /proc/iomem'
modprobe kmem
ktest "modprobe kmem: $DEV back online_movable" sh -c "[ \$(cat $d/hotplug) = online_movable ]"

m0=$(memtotal_kb)
rmmod kmem
ktest "online: rmmod kmem leaves the memory online (MemTotal unchanged)" [ "$(memtotal_kb)" = "$m0" ]
ktest "... and logs that it stays until reboot" sh -c 'dmesg | grep -q "cannot be hotremoved until the next reboot"'
b=${blocks%% *}
ktest "... and its blocks are back under per-block control" \
	sh -c "echo offline > /sys/devices/system/memory/memory$b/state && echo online_movable > /sys/devices/system/memory/memory$b/state"
modprobe kmem
ktest "modprobe kmem again: $DEV stays unbound (its range is still in use)" [ ! -e $KMEM/$DEV ]
ktest "... and the memory is still online and usable" [ "$(memtotal_kb)" = "$m0" ]
ktest "no kernel warning or BUG" sh -c '! dmesg | grep -q "WARNING:\|BUG:"'
ktap_finished
