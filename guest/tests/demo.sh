#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: an operator's session with a CXL memory device, start to end.
#   1. a CXL region, a devdax namespace on it, system RAM (Debian's cxl,
#      ndctl and daxctl);
#   2. the device's one control, /sys/bus/dax/devices/daxX.Y/hotplug;
#   3. the device's node as a lower memory tier: a process's pages demoted
#      to it;
#   4. offline bringing them back, every byte intact; then (4b) the patched
#      daxctl (userspace/ndctl), when packed, driving the control where
#      Debian's daxctl is refused;
#   5. the device returned: devdax, no namespace, no region.
# The guest boots with the CXL profile and memhp_default_state=offline (a
# distribution's policy; Debian's daxctl refuses to work without it).
. /tests/lib.sh

say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; bash -c "$*" 2>&1 | sed 's/^/  /'; }
blocks() {
	local b
	for b in $(dax_blocks $DAX); do printf '%s ' "memory$b:$(state_of $b)"; done
	echo
}
note() { printf '  (%s)\n' "$*"; }

# The soft-reserved memory of the harness's other boots is a dax device too;
# keep it out of the story (as device_dax, its memory not in use).
for d in $(cd /sys/bus/dax/drivers/kmem && ls -d dax* 2> /dev/null); do
	echo $d > /sys/bus/dax/drivers/kmem/unbind
	echo $d > /sys/bus/dax/drivers/device_dax/new_id
done

say "A CXL type-3 memory device (qemu emulates 1 GiB of persistent memory)"
run "cxl list -M | grep -E 'memdev|pmem_size|serial'"
run "grep MemTotal /proc/meminfo"

say "1. Region, namespace, system RAM: the usual three commands"
run "cxl create-region -m -t pmem -d decoder0.0 -w 1 mem0 | grep -E '\"region\"|\"size\"|decode_state'"
REGION=$(cd /sys/bus/cxl/devices && ls -d region* | head -n 1)
printf '$ %s\n' "ndctl create-namespace -m devdax -r $REGION"
ndctl create-namespace -m devdax -r $REGION > /tmp/ns.json 2>&1
grep -E '"dev"|"size"|"chardev"' /tmp/ns.json | sed 's/^/  /'
NS=$(grep -o '"dev":"namespace[0-9.]*"' /tmp/ns.json | cut -d'"' -f4)
DAX=$(grep -o '"chardev":"dax[0-9.]*"' /tmp/ns.json | cut -d'"' -f4)
D=/sys/bus/dax/devices/$DAX
run "daxctl reconfigure-device -m system-ram $DAX | grep -E 'movable|online_memblocks|reconfigured'"
NODE=$(cat $D/target_node)
run "grep MemTotal /proc/meminfo; cat /sys/devices/system/node/node$NODE/cpulist; grep MemTotal /sys/devices/system/node/node$NODE/meminfo"
note "node $NODE has no CPUs: the device's memory, $(echo $(dax_blocks $DAX) | wc -w) blocks of $(($(block_size) >> 20)) MiB"
printf '  %s\n' "$(blocks)"

say "2. One control for the whole device: $D/hotplug"
run "cat $D/hotplug"
run "echo offline > $D/hotplug; cat $D/hotplug; grep MemTotal /proc/meminfo"
printf '  %s\n' "$(blocks)"
note "every block at once, all or nothing; the device is now managed"
run "echo online_movable > /sys/devices/system/memory/memory$(dax_blocks $DAX | cut -d' ' -f1)/state"
note "per-block changes of a managed device's blocks are refused: EBUSY"
run "echo online_kernel > $D/hotplug; cat $D/hotplug"
run "echo online_movable > $D/hotplug; cat $D/hotplug"
note "no switch between online types without going through offline: EBUSY"
run "echo bogus > $D/hotplug; cat $D/hotplug"
note "bad input: EINVAL, and nothing changes"
run "echo unplugged > $D/hotplug; cat $D/hotplug; grep MemTotal /proc/meminfo"
note "unplugged removes the memory, kmem stays bound; online_movable adds it again"
run "echo online_movable > $D/hotplug; cat $D/hotplug"

say "3. The device's node is a lower memory tier: pages demoted to it"
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
	echo "  ${t##*/}: nodes $(cat $t/nodelist)"
done
run "dmesg | grep 'Demotion targets for Node 0' | tail -n 1 | cut -d']' -f2-"
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir /sys/fs/cgroup/app
run "echo true > /sys/kernel/mm/numa/demotion_enabled"
DATA_CGROUP=/sys/fs/cgroup/app data_start 0 64 || { echo "the data helper did not start"; exit 1; }
where() {
	local n0 nn
	n0=$(grep -o ' N0=[0-9]*' /proc/$DATA_PID/numa_maps | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')
	nn=$(grep -o " N$NODE=[0-9]*" /proc/$DATA_PID/numa_maps | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }')
	echo "  the app's pages: node 0: $n0, node $NODE: $nn; its data: $(data_check)"
}
note "an app in cgroup 'app' holds 64 MiB of patterned data, allocated on node 0"
where
run "grep pgdemote_direct /proc/vmstat; echo 64M > /sys/fs/cgroup/app/memory.reclaim; grep pgdemote_direct /proc/vmstat"
if ! grep -q " N$NODE=" /proc/$DATA_PID/numa_maps; then
	note "nothing demoted yet (memory.reclaim says EAGAIN when it got less than asked): once more"
	run "echo 64M > /sys/fs/cgroup/app/memory.reclaim; grep pgdemote_direct /proc/vmstat"
fi
where
note "reclaim moved the app's cold pages down to the CXL node instead of dropping them"

say "4. Taking the device away brings the pages back, every byte intact"
run "echo offline > $D/hotplug; cat $D/hotplug"
where
run "dmesg | grep 'Demotion targets for Node 0' | tail -n 1 | cut -d']' -f2-"
data_stop

NEW=/opt/ndctl/bin/daxctl
if [ -x $NEW ]; then
	say "4b. daxctl that drives the control: the patched one, $NEW"
	run "daxctl online-memory $DAX"
	note "Debian's daxctl works block by block: a managed device refuses it"
	run "$NEW online-memory $DAX; cat $D/hotplug"
	run "$NEW online-memory --no-movable $DAX"
	run "$NEW list -d $DAX | grep -E 'memblocks|movable|hotplug'"
	run "$NEW offline-memory $DAX; cat $D/hotplug"
	note "one write of the device's control per command (userspace/ndctl, README)"
fi

say "5. The device returned: devdax, then no namespace, no region"
run "daxctl reconfigure-device -m devdax $DAX | grep -E '\"mode\"|reconfigured'"
run "ndctl destroy-namespace -f $NS"
run "cxl disable-region $REGION; cxl destroy-region $REGION"
run "grep -A2 'CXL Window' /proc/iomem; grep MemTotal /proc/meminfo"
say "End of the demo (make shell gives a shell in the same guest)"
