#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# virtio-mem regression check (it calls add_memory_driver_managed() and
# offline_and_remove_memory(), which the series changes).  The guest boots with
# a virtio-mem device "vm0" that has 512 MiB requested; the test asks the host
# (qemu monitor, via "@@HOST" lines) to resize it and checks MemTotal follows:
#   512 MiB -> 0: MemTotal drops by 512 MiB (the boot plug was exactly that)
#   0 -> 768 MiB, 768 -> 256 MiB: MemTotal follows up and down.
# It runs in both of the driver's modes: sub-block mode (QEMU's default
# device block size) and, with virtio_mem.force_bbm=1, big-block mode, which
# offlines and removes a big block of several memory blocks in one
# offline_and_remove_memory() call.
. /tests/lib.sh

MiB_kb=1024
ktap_print_header
ktap_set_plan 5

# wait_memtotal KB: wait up to 120 s for MemTotal to reach KB.
wait_memtotal() {
	local i=0
	while [ "$(memtotal_kb)" != "$1" ] && [ $i -lt 240 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	ktap_print_msg "MemTotal $(memtotal_kb) kB, wanted $1 kB"
	[ "$(memtotal_kb)" = "$1" ]
}
# settle: wait until MemTotal has not changed for 3 s (boot-time plugging).
settle() {
	local last=-1 same=0 i=0
	while [ $same -lt 6 ] && [ $i -lt 240 ]; do
		m=$(memtotal_kb)
		if [ "$m" = "$last" ]; then same=$((same + 1)); else same=0; fi
		last=$m
		sleep 0.5
		i=$((i + 1))
	done
}
request() {
	echo "@@HOST qom-set vm0 requested-size $1"
	ktap_print_msg "requested-size $1"
}

dev=$(ls -d /sys/bus/virtio/drivers/virtio_mem/virtio* 2>/dev/null | head -n 1)
ktest "a virtio-mem device is bound to virtio_mem" [ -n "$dev" ]
mode="subblock size"
grep -q 'virtio_mem.force_bbm=1' /proc/cmdline && mode="big block size"
dmesg | grep 'virtio_mem.*block size' | sed 's/^/# /'
ktest "the driver runs with a $mode" sh -c "dmesg | grep -q 'virtio_mem virtio[0-9]*: $mode'"
settle
boot=$(memtotal_kb)
ktap_print_msg "MemTotal after boot: $boot kB"
grep -i virtio_mem /proc/iomem | sed 's/^/# /'

request 0
ktest "unplugging all of it frees exactly the 512 MiB plugged at boot" \
	wait_memtotal $((boot - 512 * MiB_kb))
request 768M
ktest "growing to 768 MiB at runtime adds 768 MiB" \
	wait_memtotal $((boot + 256 * MiB_kb))
request 256M
ktest "shrinking to 256 MiB at runtime removes 512 MiB" \
	wait_memtotal $((boot - 256 * MiB_kb))
ktap_finished
