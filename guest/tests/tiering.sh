#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Memory tiering across a kmem device managed through its hotplug attribute
# (the hmem device in the "tiering" boot, the CXL device in the "cxl" boot):
#   - online_movable: the device's CPU-less node is in a lower memory tier
#     than node 0 and is node 0's demotion target;
#   - with demotion enabled, a cgroup's memory.reclaim demotes a process's
#     pages from node 0 to the device's node (pgdemote_* in /proc/vmstat);
#   - "offline", and after the same again "unplug", bring every page back to
#     node 0 with every byte intact, and the node leaves its tier and node
#     0's demotion targets; online_movable puts both back.
# The device is left online_movable (claimed), as the later tests expect.
. /tests/lib.sh

DAX=$DAX_TEST_DEVICE
D=/sys/bus/dax/devices/$DAX
TIERS=/sys/devices/virtual/memory_tiering
CG=/sys/fs/cgroup
MIB=64
MARK=0

# in_list N LIST: N is in the node list LIST ("0-2,4" style).
in_list() {
	local r
	for r in ${2//,/ }; do
		[ "$1" -ge "${r%-*}" ] && [ "$1" -le "${r#*-}" ] && return 0
	done
	return 1
}
# tier_of N: the id of the memory tier holding node N, or "none".
tier_of() {
	local t
	for t in $TIERS/memory_tier*; do
		[ -e $t/nodelist ] && in_list $1 "$(cat $t/nodelist)" && { echo ${t##*memory_tier}; return; }
	done
	echo none
}
# mark: a line in the kernel log; demotion_targets prints node 0's demotion
# targets as the kernel logged them last since the latest mark ("" if it
# logged none: its tiers did not change).
mark() {
	MARK=$((MARK + 1))
	echo "tiering: mark $MARK" > /dev/kmsg
}
demotion_targets() {
	dmesg | sed -n "/tiering: mark $MARK\$/,\$p" |
		sed -n 's/.*Demotion targets for Node 0: //p' | tail -n 1
}
# pages_on N: pages of the data helper on node N (its /proc/PID/numa_maps).
pages_on() {
	grep -o " N$1=[0-9]*" /proc/$DATA_PID/numa_maps | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'
}
vmstat() { awk -v k=$1 '$1 == k { print $2 }' /proc/vmstat; }
demoted() { echo $(($(vmstat pgdemote_direct) + $(vmstat pgdemote_kswapd) + $(vmstat pgdemote_khugepaged))); }
# demote: reclaim the cgroup's memory (a few tries: memory.reclaim fails with
# EAGAIN when it reclaimed less than asked) until at least half of the
# helper's pages are on the device's node.
demote() {
	local i
	for i in 1 2 3 4 5 6; do
		echo ${MIB}M > $CG/tier/memory.reclaim 2> /dev/null
		[ $(pages_on $NODE) -ge $((PAGES / 2)) ] && return 0
	done
	return 1
}
# intact_on0: every byte intact and every page on node 0 (PAGES > 0).
intact_on0() {
	local v
	v=$(data_check)
	ktap_print_msg "node_data: $v; numa_maps: node 0 $(pages_on 0), node $NODE $(pages_on $NODE)"
	[ "${PAGES:-0}" -gt 0 ] && [ "$v" = "ok $PAGES $PAGES" ] && [ $(pages_on $NODE) = 0 ]
}
check_write() {
	echo "$1" > $D/hotplug && [ "$(cat $D/hotplug)" = "$2" ]
}

ktap_print_header
ktap_set_plan 17

echo "tiering: start" > /dev/kmsg
NODE=$(cat $D/target_node)
[ -d $TIERS ] && [ -e /sys/kernel/mm/numa/demotion_enabled ] ||
	ktap_exit_fail_msg "no memory tiering in this kernel ($TIERS, numa/demotion_enabled)"
mkdir -p $CG && { grep -q " $CG cgroup2" /proc/mounts || mount -t cgroup2 none $CG; } &&
	echo +memory > $CG/cgroup.subtree_control && mkdir -p $CG/tier ||
	ktap_exit_fail_msg "cannot set up a memory cgroup at $CG/tier"

# 1. Into the tiers: online_movable through the attribute.
echo offline > $D/hotplug
mark
ktest "$DAX: offline, node $NODE in no memory tier" eval '[ "$(tier_of $NODE)" = none ]'
mark
ktest "$DAX: online_movable through the hotplug attribute" check_write online_movable online_movable
t0=$(tier_of 0) tn=$(tier_of $NODE)
ktap_print_msg "memory tiers: node 0 in tier $t0, node $NODE in tier $tn; $(ls $TIERS | grep memory_tier | tr '\n' ' ')"
ktest "node $NODE is in a lower tier than node 0 ($tn > $t0)" eval '[ "$tn" != none ] && [ "$t0" != none ] && [ $tn -gt $t0 ]'
tgt=$(demotion_targets)
ktest "node 0's demotion target is node $NODE (kernel log: $tgt)" eval 'in_list $NODE "$(echo "$tgt" | sed -n "s/^preferred: \([0-9,-]*\),.*/\1/p")"'

# 2. Demotion: node_data's pages on node 0, then memory.reclaim.
echo true > /sys/kernel/mm/numa/demotion_enabled
DATA_CGROUP=$CG/tier data_start 0 $MIB; rc=$?
v=$(data_check)
PAGES=$(echo "$v" | cut -d' ' -f3)
ktest "$MIB MiB of data on node 0 in cgroup tier: $v" eval '[ $rc = 0 ] && [ "$v" = "ok $PAGES $PAGES" ] && [ "$PAGES" -gt 0 ]'
d0=$(demoted)
demote; rc=$?
ktap_print_msg "after memory.reclaim: node 0 $(pages_on 0), node $NODE $(pages_on $NODE) of $PAGES pages; pgdemote +$(($(demoted) - d0))"
ktest "memory.reclaim demotes at least half of them to node $NODE (pgdemote counts them)" \
	eval '[ "${PAGES:-0}" -gt 0 ] && [ $rc = 0 ] && [ $(($(demoted) - d0)) -ge $((PAGES / 2)) ]'
ktest "the demoted data is intact: $(data_check)" eval 'case "$(data_check)" in "ok "*) true ;; *) false ;; esac'

# 3. offline through the attribute brings them back, and the node leaves.
mark
ktest "$DAX: offline through the hotplug attribute" check_write offline offline
ktest "every page back on node 0, every byte intact" intact_on0
tgt=$(demotion_targets)
ktest "node $NODE left the tiers, node 0 has no demotion target (kernel log: $tgt)" \
	eval '[ "$(tier_of $NODE)" = none ] && [ "$tgt" = null ]'

# 4. In again, demoted again, then unplug.
mark
ktest "$DAX: online_movable again: node $NODE back in tier $tn, node 0's demotion target" \
	eval 'check_write online_movable online_movable && [ "$(tier_of $NODE)" = "$tn" ] &&
	      in_list $NODE "$(demotion_targets | sed -n "s/^preferred: \([0-9,-]*\),.*/\1/p")"'
d0=$(demoted)
demote; rc=$?
ktap_print_msg "after memory.reclaim: node 0 $(pages_on 0), node $NODE $(pages_on $NODE) of $PAGES pages; pgdemote +$(($(demoted) - d0))"
ktest "demoted again to node $NODE" eval '[ "${PAGES:-0}" -gt 0 ] && [ $rc = 0 ] && [ $(($(demoted) - d0)) -ge $((PAGES / 2)) ]'
mark
ktest "$DAX: unplug through the hotplug attribute (memory removed)" check_write unplug unplugged
ktest "every page back on node 0, every byte intact" intact_on0
ktest "node $NODE left the tiers again, node 0 has no demotion target" \
	eval '[ "$(tier_of $NODE)" = none ] && [ "$(demotion_targets)" = null ]'
ktest "$DAX: online_movable: node $NODE in tier $tn again" \
	eval 'check_write online_movable online_movable && [ "$(tier_of $NODE)" = "$tn" ]'
data_stop
echo false > /sys/kernel/mm/numa/demotion_enabled
ktest "the kernel log has no OOM kill and no report since this test started" \
	eval '! dmesg | sed -n "/tiering: start\$/,\$p" | grep -E "Out of memory|oom-kill|WARNING:|BUG:"'
ktap_finished
