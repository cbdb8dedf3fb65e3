#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: a short, readable tour of the emulated device memory.
. /tests/lib.sh
DEV=${DAX_DEV:-dax0.0}
d=/sys/bus/dax/devices/$DEV

say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; sh -c "$*"; }

say "The device: $DEV, soft-reserved memory on CPU-less NUMA node 1, bound to kmem"
run "ls /sys/bus/dax/devices/"
run "cat $d/target_node $d/size; readlink $d/driver"
run "grep -i -A1 'soft reserved' /proc/iomem"
say "Its memory blocks (block size $(block_size) bytes) and their zones"
for b in $(dax_blocks $DEV); do
	printf 'memory%s: %s, zones: %s\n' $b "$(state_of $b)" \
		"$(cat /sys/devices/system/memory/memory$b/valid_zones)"
done
say "System memory and node 1"
run "grep MemTotal /proc/meminfo"
run "grep -E 'MemTotal|MemFree' /sys/devices/system/node/node1/meminfo"
if [ -e $d/hotplug ]; then
	b=$(dax_blocks $DEV | cut -d' ' -f1)
	say "Before any write the device is unmanaged: per-block tools still work"
	say "(hotplug reads the blocks, 'mixed' when they disagree; state, mainline's file, what was set last)"
	run "echo offline > /sys/devices/system/memory/memory$b/state; cat $d/hotplug $d/state"
	run "echo online_movable > /sys/devices/system/memory/memory$b/state; cat $d/hotplug $d/state"
	say "Mainline's state file: unplugged, then an online type; it never claims the device"
	run "echo unplugged > $d/state; cat $d/state; echo online_movable > $d/state; cat $d/state"
	say "Whole-device control: $d/hotplug (all blocks, all ranges, all or nothing)"
	for s in offline online_kernel offline unplug online_movable; do
		run "echo $s > $d/hotplug; cat $d/hotplug; grep MemTotal /proc/meminfo"
	done
	run "grep -E '$DEV|kmem' /proc/iomem"
	say "Refused: another online type without going through offline, and bad input"
	run "echo online_kernel > $d/hotplug; cat $d/hotplug"
	run "echo bogus > $d/hotplug; cat $d/hotplug"
	say "Now managed: per-block changes of its blocks are refused"
	run "echo offline > /sys/devices/system/memory/memory$b/state; cat /sys/devices/system/memory/memory$b/state"
	for b in $(dax_blocks $DEV); do
		printf 'memory%s: %s, zones: %s\n' $b "$(state_of $b)" \
			"$(cat /sys/devices/system/memory/memory$b/valid_zones)"
	done
else
	say "Today, per block: offline every block one at a time, then online them again"
	for b in $(dax_blocks $DEV); do echo offline > /sys/devices/system/memory/memory$b/state; done
	run "grep MemTotal /proc/meminfo"
	for b in $(dax_blocks $DEV); do echo online_movable > /sys/devices/system/memory/memory$b/state; done
	run "grep MemTotal /proc/meminfo"
fi
