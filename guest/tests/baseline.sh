#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Baseline guest test, valid with or without the series: the emulated device
# memory is dax0.0 on node 1, bound to kmem, with its memory blocks listed, and
# the blocks can be offlined and onlined one at a time through memoryN/state with
# MemTotal following.
. /tests/lib.sh

DEV=${DAX_DEV:-dax0.0}
ktap_print_header
ktap_set_plan 6

d=/sys/bus/dax/devices/$DEV
[ -d "$d" ] && ktap_test_pass "$DEV exists" || ktap_exit_fail_msg "$DEV missing"
ktest "$DEV is on node 1" [ "$(cat $d/target_node)" = 1 ]
ktest "$DEV is bound to kmem" [ "$(basename "$(readlink $d/driver)")" = kmem ]

blocks=$(dax_blocks $DEV)
n=$(echo $blocks | wc -w)
ktap_print_msg "$DEV: $(cat $d/size) bytes, blocks: $blocks"
node1=$(ls -d /sys/devices/system/node/node1/memory* 2>/dev/null | sed 's|.*/memory||' | sort -n | tr '\n' ' ')
node1=$(echo $node1)
blocks=$(echo $blocks)
ktest "$DEV has $n >= 8 memory blocks, all listed under node1" \
	[ "$n" -ge 8 -a "$node1" = "$blocks" ]

# Offline and online one block at a time; MemTotal must follow each step.
bs_kb=$(( $(block_size) / 1024 ))
ok=1
for b in $blocks; do
	s=/sys/devices/system/memory/memory$b/state
	before=$(state_of $b)
	[ "$before" = online ] || { ktap_print_msg "memory$b is $before, expected online"; ok=0; continue; }
	m0=$(memtotal_kb)
	echo offline > $s || { ktap_print_msg "offline memory$b failed"; ok=0; continue; }
	m1=$(memtotal_kb)
	[ "$(state_of $b)" = offline ] && [ $((m0 - m1)) -eq $bs_kb ] ||
		{ ktap_print_msg "memory$b: state $(state_of $b), MemTotal $m0 -> $m1 kB"; ok=0; }
done
ktest "every block offlines alone, MemTotal drops one block each time" [ $ok = 1 ]

ok=1
for b in $blocks; do
	m0=$(memtotal_kb)
	echo online_movable > /sys/devices/system/memory/memory$b/state ||
		{ ktap_print_msg "online memory$b failed"; ok=0; continue; }
	m1=$(memtotal_kb)
	[ "$(state_of $b)" = online ] && [ $((m1 - m0)) -eq $bs_kb ] &&
		grep -q Movable /sys/devices/system/memory/memory$b/valid_zones ||
		{ ktap_print_msg "memory$b: state $(state_of $b), MemTotal $m0 -> $m1 kB"; ok=0; }
done
ktest "every block onlines alone (movable), MemTotal grows one block each time" [ $ok = 1 ]
ktap_finished
