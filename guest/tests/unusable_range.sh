#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A range of a kmem device that cannot be added at probe is left out: the
# other ranges work as a whole device, again and again, and the left-out
# range is reported once in the log and never retried until kmem is bound
# again.  The range is taken by memory added through the memory probe
# interface (CONFIG_ARCH_MEMORY_PROBE) before kmem binds: kmem's
# request_mem_region() then fails for it.
#   dax0.1 = [512M, 768M) + [0, 256M) of the 1 GiB region at 4 GiB, as in
#   multirange.sh; the first block of [0, 256M) is added through probe.
. /tests/lib.sh

BUS=/sys/bus/dax/devices
KMEM=/sys/bus/dax/drivers/kmem
MEMSYS=/sys/devices/system/memory
ktap_print_header
[ -w $MEMSYS/probe ] || { ktap_skip_all "no memory probe interface"; exit 4; }
ktap_set_plan 14

dev=$(two_range_device)
d1=$BUS/$dev
s1=$(cat $d1/mapping1/start)
ktest "$dev has two ranges, the second at $s1" [ -n "$dev" -a -d $d1/mapping1 ]

echo "$s1" > $MEMSYS/probe
blk=$(($(printf '%d' $s1) / $(block_size)))
# (onlined or not, as memhp_default_state says)
st0=$(state_of $blk 2> /dev/null)
ktest "memory$blk added through the probe interface ($st0)" [ -n "$st0" ]

base=$(memtotal_kb)
dmesg -c > /dev/null
echo $dev > $KMEM/bind
ktest "$dev binds to kmem without its second range" [ -e $KMEM/$dev ]
n=$(dmesg | grep -c "$dev: mapping1: left out")
ktest "the log reports the left-out range once" [ "$n" = 1 ]
n0=$(dmesg | grep -c "$dev: mapping1")
range_kb=$((256 * 1024))
ktest "hotplug reads online_movable, MemTotal grows by one range" \
	[ "$(cat $d1/hotplug)" = online_movable -a "$(memtotal_kb)" = $((base + range_kb)) ]
ktest "state reads online_movable" [ "$(cat $d1/state)" = online_movable ]

ok=1
for i in 1 2 3; do
	for v in offline unplug online_movable; do
		echo $v > $d1/hotplug || ok=0
	done
done
ktest "hotplug: offline, unplug, online_movable three times" [ $ok = 1 ]
ktest "... and the device is online_movable again" \
	[ "$(cat $d1/hotplug)" = online_movable -a "$(memtotal_kb)" = $((base + range_kb)) ]
ktest "state: unplugged, then online_movable" \
	eval 'echo unplugged > $d1/state && echo online_movable > $d1/state'
ktest "memory$blk, the probe's, is untouched" [ "$(state_of $blk)" = "$st0" ]
flip() {	# out of its state and back, per block
	local v
	if [ "$st0" = online ]; then set -- offline online_movable; else set -- online_movable offline; fi
	for v; do echo $v > $MEMSYS/memory$blk/state || return 1; done
}
ktest "... and per-block changes of it are not refused" flip
n=$(dmesg | grep -c "$dev: mapping1")
ktest "nothing retried the left-out range (no new log line)" [ "$n" = "$n0" ]

echo unplugged > $d1/state
echo $dev > $KMEM/unbind
ktest "unbind releases the device's range" eval '! grep -q "$dev" /proc/iomem'
echo $dev > $KMEM/bind
ktest "bind again reports it again" [ "$(dmesg | grep -c "$dev: mapping1: left out")" = 2 ]
ktap_finished
