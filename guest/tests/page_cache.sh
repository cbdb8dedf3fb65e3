#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A server whose memory is full of clean page cache drains a device, as it
# would block by block: the room check counts what reclaim gives back.
# The boot has a virtio disk (/dev/vda, a sparse image); reading 3 GiB of
# it fills node 0, and some of the device's node 1, with the block device's
# page cache (clean file pages, unlike tmpfs).  The disk stays open: the
# kernel drops a block device's page cache when its last user closes it.  node_data keeps
# 256 MiB of patterned anonymous data on node 1.  Then "offline" must
# succeed although node 0 has less free memory than the device holds, the
# data must be intact and on node 0, and nothing may be OOM-killed.
# (A node full of anonymous memory, with no swap, is still refused up front:
# kmem_offline_room.sh.)
. /tests/lib.sh

DEV=${DAX_TEST_DEVICE:-dax0.0}
D=/sys/bus/dax/devices/$DEV
MIB=256
node_kb() {	# node_kb NODE FIELD: a field of the node's meminfo, in kB
	awk -v f="$2:" '$3 == f { print $4 }' /sys/devices/system/node/node$1/meminfo
}
file_kb() { echo $(($(node_kb $1 'Active(file)') + $(node_kb $1 'Inactive(file)'))); }
ktap_print_header
ktap_set_plan 6

ktest "a virtio disk to read through the page cache" [ -b /dev/vda ]
echo online_movable > $D/hotplug
ktest "$DEV online_movable, $MIB MiB of data on node 1" data_start 1 $MIB
exec 8< /dev/vda
t0=$(date +%s)
dd if=/dev/vda of=/dev/null bs=1M count=3072 2> /dev/null
ktap_print_msg "read 3 GiB of /dev/vda in $(($(date +%s) - t0)) s"
used1=$(($(node_kb 1 MemUsed) / 1024))
free0=$(($(node_kb 0 MemFree) / 1024))
file0=$(($(file_kb 0) / 1024))
ktap_print_msg "node 0: $free0 MiB free, $file0 MiB page cache; node 1: $used1 MiB in use, $(($(file_kb 1) / 1024)) MiB of it page cache"
# Without this the drain would prove nothing: the free memory alone must
# be too small for what the device holds.
ktest "node 0 has less free memory than node 1 holds, and more page cache" \
	[ "$free0" -lt "$used1" -a "$file0" -gt "$used1" ]
rc=0
echo offline > $D/hotplug 2> /tmp/offline.err || rc=$?
ktap_print_msg "offline: exit $rc $(cat /tmp/offline.err)"
dmesg | grep 'memory blocks refused' | sed 's/^/# /'
ktest "offline drains the device" [ $rc = 0 -a "$(cat $D/hotplug)" = offline ]
got=$(data_check)
ktap_print_msg "data: $got"
ktest "the data is intact, all of it on node 0" [ "$got" = "ok 0 $((MIB * 256))" ]
data_stop
ktest "nothing was OOM-killed" sh -c '! dmesg | grep -q -i "oom-kill\|out of memory"'
echo online_movable > $D/hotplug
exec 8<&-
ktap_finished
