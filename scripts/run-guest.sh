#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest.sh NAME PLAN [KERNEL-ARGS] [TESTS]: boot BUILD's kernel and initramfs
# under qemu (TCG) with 3 GiB of ordinary memory on node 0 and DAX_MEM of
# soft-reserved memory on the CPU-less node 1, which dax_hmem turns into dax0.0.
# PLAN check writes $WORK/runs/NAME/{console,results}.log; demo and shell use the
# terminal.  A guest that does not power off within GUEST_TIMEOUT seconds is
# killed and reported as a failure with the tail of its console.
. "$(dirname "$0")/lib.sh"

name=${1:?usage: run-guest.sh NAME PLAN [KERNEL-ARGS] [TESTS]}
plan=${2:?}
args=${3:-}
tests=${4:-}
DAX_MEM_GB=${DAX_MEM_GB:-1}
GUEST_CPUS=${GUEST_CPUS:-2}
# GUEST_TCG=single runs every vCPU in one host thread (docs/bench.md).
GUEST_TCG=${GUEST_TCG:-multi}
QEMU_EXTRA=${QEMU_EXTRA:-}
# GUEST_KERNEL_ARGS: kernel arguments for every boot of a run (KASAN=1 sets them).
GUEST_KERNEL_ARGS=${GUEST_KERNEL_ARGS:-}
# GUEST_TIMEOUT: at least 900 s and 300 s above the guest's per-test limit.
GUEST_TIMEOUT=$(guest_timeout "$args $GUEST_KERNEL_ARGS")

# Node 1 (the soft-reserved dax memory) starts at 4 GiB (pc: 3 GiB of node 0
# below 4 GiB) or at 5 GiB (q35 with 2 GiB below 4 GiB: "cxl", "virtio-mem").
dax_base=0x100000000
case "${GUEST_PROFILE:-}" in cxl|virtio-mem) dax_base=0x140000000 ;; esac
cmdline="console=ttyS0 panic=-1 memmap=${DAX_MEM_GB}G%$dax_base-1+0xefffffff"
# A 4 MiB log buffer: tests read the log since their start marker, and the
# default 128 KiB wraps within a few tests of a debug kernel.
cmdline+=" log_buf_len=4M memhp_default_state=online_movable harness.plan=$plan"
[ -n "$tests" ] && cmdline+=" harness.tests=$tests"
[ -n "$args" ] && cmdline+=" $args"
[ -n "$GUEST_KERNEL_ARGS" ] && cmdline+=" $GUEST_KERNEL_ARGS"
# demo and shell: keep kernel messages off the terminal (dmesg has them).
[ "$plan" = check ] || cmdline+=" quiet"

# GUEST_PROFILE adds devices (below): "virtio-mem" is a virtio-mem-pci device "vm0" on
# node 0 (up to 2 GiB, 512 MiB requested at boot), resized by the guest test
# through the monitor (scripts/monitor.py).
mem=$((3 + DAX_MEM_GB))G
extra=()
machine=pc bios=(-bios /usr/share/qemu/qboot.rom) cpu=max
case "${GUEST_PROFILE:-}" in
'') ;;
# "cxl" adds a CXL type-3 memory device (with a serial number, without which
# 7.3 creates no pmem region) with 1 GiB of persistent memory (all
# that qemu 7.2 emulates) behind a CXL host bridge and root port, and a 4 GiB
# CXL window for regions.  SeaBIOS, not qboot: qboot leaves the host bridge's
# bus unconfigured.  No hypervisor CPUID flag: with it, the kernel refuses to
# commit a region (it cannot flush CPU caches in a VM).
cxl)
	machine=q35,cxl=on,max-ram-below-4g=2G bios=() cpu=max,hypervisor=off
	extra=(-object memory-backend-ram,id=cxl-mem0,size=1G
	       -object memory-backend-ram,id=cxl-lsa0,size=256M
	       -device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
	       -device cxl-rp,port=0,bus=cxl.1,id=cxl-rp0,chassis=0,slot=2
	       -device cxl-type3,bus=cxl-rp0,memdev=cxl-mem0,lsa=cxl-lsa0,id=cxl-pmem0,sn=0x1
	       -M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G)
	;;
# "virtio-mem" runs on q35 too: the pc machine's _PRT is an AML loop that a
# KASAN kernel under TCG does not finish within ACPI's 30 s loop limit, and
# without the INTx routing it computes the device gets no interrupt and never
# hears of a resize (q35's _PRT is a table).
virtio-mem)
	machine=q35,max-ram-below-4g=2G bios=()
	mem="$mem,maxmem=$((3 + DAX_MEM_GB + 2))G"
	extra=(-object memory-backend-ram,id=vmem0,size=2G
	       -device virtio-mem-pci,id=vm0,memdev=vmem0,node=0,requested-size=512M)
	;;
# "disk" adds a read-only virtio disk of 4 GiB (a sparse image of zeros in
# WORK), whose reads fill the page cache with clean file pages.
disk)
	img=$WORK/disk.img
	[ -f "$img" ] || truncate -s 4G "$img"
	extra=(-drive "file=$img,if=virtio,format=raw,readonly=on")
	;;
*) die "unknown GUEST_PROFILE $GUEST_PROFILE" ;;
esac

qemu=(qemu-system-x86_64 -accel tcg,thread=$GUEST_TCG -machine $machine -cpu $cpu -smp "$GUEST_CPUS"
	"${bios[@]}" -no-reboot
	-m "$mem" "${extra[@]}"
	-object memory-backend-ram,id=m0,size=3G
	-object memory-backend-ram,id=m1,size=${DAX_MEM_GB}G
	-numa node,nodeid=0,cpus=0-$((GUEST_CPUS - 1)),memdev=m0
	-numa node,nodeid=1,memdev=m1
	-kernel "$BUILD/arch/x86/boot/bzImage" -initrd "$BUILD/initramfs.cpio"
	-append "$cmdline" $QEMU_EXTRA)

case "$plan" in
check)
	dir=$WORK/runs/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "$cmdline" > "$dir/cmdline"
	rc=0
	: > "$dir/results.log"
	python3 "$ROOT/scripts/monitor.py" "$dir/results.log" "$dir/monitor.sock" \
		> "$dir/monitor.log" 2>&1 &
	mon=$!
	timeout -s KILL "$GUEST_TIMEOUT" "${qemu[@]}" -display none \
		-monitor "unix:$dir/monitor.sock,server=on,wait=off" \
		-serial "file:$dir/console.log" -serial "file:$dir/results.log" \
		</dev/null || rc=$?
	kill "$mon" 2>/dev/null || true
	wait "$mon" 2>/dev/null || true
	if [ "$rc" -ne 0 ] || ! grep -q '^@@DONE' "$dir/results.log"; then
		echo "guest $name: did not finish (qemu exit $rc, limit ${GUEST_TIMEOUT}s); console tail:" >&2
		tail -n 40 "$dir/console.log" >&2
		exit 1
	fi
	;;
*)
	exec "${qemu[@]}" -nographic -serial mon:stdio -serial null
	;;
esac
