#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Cost of the kmem memory notifier for memory that is not managed.  The 1 GiB
# region behind dax0.0 is split into four 256 MiB devices dax0.1..dax0.4, all
# bound to kmem.  dax0.1..dax0.3 are claimed (managed, notifier active);
# dax0.4 stays unmanaged.  Per-block offline+online of dax0.4's blocks is
# timed (a) with the three managed devices bound and (b) after unbinding
# them, when no kmem notifier checks anything.  Checks that the unrelated
# block operations all succeed; prints the timings.
. /tests/lib.sh

ROUNDS=${NOTIFIER_ROUNDS:-40}
MiB=$((1 << 20))
KMEM=/sys/bus/dax/drivers/kmem
d0=/sys/bus/dax/devices/dax0.0
region=$d0/../dax_region
ktap_print_header
ktap_set_plan 4

echo offline > $d0/hotplug && echo unplugged > $d0/hotplug &&
	echo dax0.0 > $KMEM/unbind && echo 0 > $d0/size
devs=
ok=1
for i in 1 2 3 4; do
	d=$(new_dax_device $((256 * MiB))) && echo $d > $KMEM/bind || ok=0
	devs="$devs $d"
done
ktap_print_msg "devices:$devs"
set -- $devs
for d in $1 $2 $3; do
	echo offline > /sys/bus/dax/devices/$d/hotplug &&
		echo online_movable > /sys/bus/dax/devices/$d/hotplug || ok=0
done
ktest "three devices bound and managed, a fourth bound and unmanaged" \
	[ $ok = 1 -a $# = 4 -a -e "$KMEM/${4:-none}" ]

blocks=$(dax_blocks $4)
now_us() { awk '{ printf "%d\n", $1 * 1000000 }' /proc/uptime; }
# cycle: offline and online every block of the unmanaged device ROUNDS
# times; print the mean time per block operation in microseconds.
cycle() {
	local t0 t1 n=0 b i
	t0=$(now_us)
	for i in $(seq $ROUNDS); do
		for b in $blocks; do
			echo offline > /sys/devices/system/memory/memory$b/state || return 1
			echo online_movable > /sys/devices/system/memory/memory$b/state || return 1
			n=$((n + 2))
		done
	done
	t1=$(now_us)
	echo $(((t1 - t0) / n))
}
# Warm up (first onlines allocate memory maps, caches settle).
(ROUNDS=3; cycle > /dev/null)
with=$(cycle) && ktest "unmanaged blocks go offline and online with managed devices bound" true ||
	ktest "unmanaged blocks go offline and online with managed devices bound" false
for d in $1 $2 $3; do
	echo offline > /sys/bus/dax/devices/$d/hotplug
	echo $d > $KMEM/unbind
done
without=$(cycle) && ktest "unmanaged blocks go offline and online with no other device bound" true ||
	ktest "unmanaged blocks go offline and online with no other device bound" false
ktap_print_msg "per block operation (offline or online), mean of $((ROUNDS * 2 * $(echo $blocks | wc -w))):"
ktap_print_msg "  with 3 managed kmem devices registered: ${with} us"
ktap_print_msg "  with none:                              ${without} us"
echo "@@MEASURE notifier_cost with_us=$with without_us=$without rounds=$ROUNDS"
ktest "no kernel warning" sh -c '! dmesg | grep -q "WARNING:\|BUG:"'
ktap_finished
