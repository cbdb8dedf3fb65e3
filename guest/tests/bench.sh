#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, in the guest: time whole-device transitions of dax0.0 three ways,
# BENCH_REPS times each, for online_movable and online_kernel:
#   attr      one write to /sys/bus/dax/devices/dax0.0/hotplug, from this shell
#   perblock  what user space does without it: kmem bind (memory added offline,
#             auto_online_blocks=offline) and a loop over memoryN/state; a
#             loop and kmem unbind to remove it
#   daxctl    Debian's daxctl: reconfigure-device (devdax <-> system-ram),
#             offline-memory, online-memory [--no-movable]
# The transitions are unplugged>T, T>offline, offline>T and T>unplugged for
# T = online_movable, online_kernel ("unplugged" is: memory removed; for
# perblock the device is unbound, for daxctl it is in devdax mode).
# During each timed transition the function_graph tracer times the kernel's
# own work (online_pages, offline_pages, memory_blocks_online/offline, which
# change a run of blocks and call them, arch_add_memory, arch_remove_memory,
# create/remove_memory_block_devices), outermost calls only; the sum is
# reported as "kernel".
# Also the time to start one process ("spawn noop": sh -c :), which daxctl
# pays per command and the other two methods do not.
# One line per measurement:
#   @@BENCH SIZE_MIB METHOD TRANSITION REP TOTAL_US KERNEL_US
# and, from one last pass, the calls and time of the per-call sub-steps
# (@@STEP lines, below).
# and a KTAP result per method that every transition of it succeeded.
. /tests/lib.sh

REPS=${BENCH_REPS:-5}
DEV=dax0.0
D=/sys/bus/dax/devices/$DEV
MEMSYS=/sys/devices/system/memory
KMEM=/sys/bus/dax/drivers/kmem
DEVDAX=/sys/bus/dax/drivers/device_dax
TR=/sys/kernel/tracing
SIZE_MIB=$(($(cat $D/size) >> 20))
FUNCS="online_pages offline_pages memory_blocks_online memory_blocks_offline arch_add_memory arch_remove_memory create_memory_block_devices remove_memory_block_devices"

mount -t tracefs tracefs $TR 2>/dev/null
echo 0 > $TR/tracing_on
echo function_graph > $TR/current_tracer
# One function a write: a kernel without some of them (memory_blocks_*
# before patch 48) traces the others.
for f in $FUNCS; do
	echo $f >> $TR/set_ftrace_filter 2> /dev/null &&
		echo $f >> $TR/set_graph_function
done
echo 1 > $TR/max_graph_depth
echo funcgraph-duration > $TR/trace_options 2>/dev/null
echo 8192 > $TR/buffer_size_kb

# The device starts bound to kmem with its memory online (policy); from here on
# every method adds memory offline and onlines it itself.
echo offline > $MEMSYS/auto_online_blocks
BLOCKS=$(dax_blocks $DEV)
FAILED=$(mktemp)

us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }

# timed METHOD TRANSITION REP COMMAND...: run COMMAND with the tracer on and
# print the @@BENCH line.  A failing command is recorded and reported.
timed() {
	local m=$1 t=$2 r=$3 t0 t1 k rc=0
	shift 3
	echo > $TR/trace
	echo 1 > $TR/tracing_on
	t0=$(us)
	"$@" || rc=$?
	t1=$(us)
	echo 0 > $TR/tracing_on
	# Durations are printed in microseconds, e.g. "1)  # 1234.567 us |".
	k=$(awk '/ us +\|/ { for (i = 1; i <= NF; i++) if ($(i + 1) == "us") { s += $i; break } }
		 END { printf "%d\n", s }' $TR/trace)
	if [ $rc -ne 0 ]; then
		echo "$m $t rep $r: exit $rc" >> $FAILED
		ktap_print_msg "$m $t rep $r failed (exit $rc)"
	fi
	echo "@@BENCH $SIZE_MIB $m $t $r $(((t1 - t0))) $k"
}

# The per-block loop: every block to state $1.
loop() {
	local b
	for b in $BLOCKS; do
		echo $1 > $MEMSYS/memory$b/state || return 1
	done
}
perblock_add() { echo $DEV > $KMEM/bind && loop $1; }
# The attribute, written from this shell as the loop writes memoryN/state.
attr_write() { echo $1 > $D/hotplug; }
perblock_remove() { loop offline && echo $DEV > $KMEM/unbind; }

# Untimed moves between the methods' starting points.
to_unbound() {
	if [ -e $KMEM/$DEV ]; then
		[ -e $D/hotplug ] && echo unplugged > $D/hotplug
		echo $DEV > $KMEM/unbind
	fi
	[ -e $DEVDAX/$DEV ] && echo $DEV > $DEVDAX/unbind
	return 0
}
# device_dax takes a kmem-type device only when told its name (as daxctl does).
to_devdax() {
	to_unbound
	echo $DEV > $DEVDAX/new_id 2> /dev/null
	[ -e $DEVDAX/$DEV ] || echo $DEV > $DEVDAX/bind
}
quiet() { "$@" > /dev/null; }

run_attr() {	# run_attr T REP: from unplugged, through the attribute
	to_unbound
	echo $DEV > $KMEM/bind && echo unplugged > $D/hotplug
	timed attr "unplugged>$1" $2 attr_write $1
	timed attr "$1>offline" $2 attr_write offline
	timed attr "offline>$1" $2 attr_write $1
	timed attr "$1>unplugged" $2 attr_write unplug
	echo $DEV > $KMEM/unbind
}
run_perblock() {
	to_unbound
	timed perblock "unplugged>$1" $2 perblock_add $1
	timed perblock "$1>offline" $2 loop offline
	timed perblock "offline>$1" $2 loop $1
	timed perblock "$1>unplugged" $2 perblock_remove
}
run_daxctl() {
	local nm=
	[ $1 = online_kernel ] && nm=--no-movable
	to_devdax
	timed daxctl "unplugged>$1" $2 quiet daxctl reconfigure-device -m system-ram $nm $DEV
	timed daxctl "$1>offline" $2 quiet daxctl offline-memory $DEV
	timed daxctl "offline>$1" $2 quiet daxctl online-memory $nm $DEV
	timed daxctl "$1>unplugged" $2 quiet daxctl reconfigure-device -m devdax -f $DEV
}

ktap_print_header
ktap_set_plan 3
ktap_print_msg "$DEV: $SIZE_MIB MiB, $(echo $BLOCKS | wc -w) blocks, $REPS repetitions"
# The attribute and the loop are written from this shell, as one script
# would; daxctl is a process per command, as it is for an operator.
for r in $(seq $REPS); do
	# What starting one process costs here (daxctl pays it per command).
	timed spawn noop $r sh -c :
	for t in online_movable online_kernel; do
		# Rotate the order of the methods from one repetition to the next.
		case $((r % 3)) in
		0) run_attr $t $r; run_perblock $t $r; run_daxctl $t $r ;;
		1) run_perblock $t $r; run_daxctl $t $r; run_attr $t $r ;;
		2) run_daxctl $t $r; run_attr $t $r; run_perblock $t $r ;;
		esac
	done
done

# Sub-steps: one more pass of the attribute and the per-block loop with the
# tracer on the functions whose cost does not depend on a call's size, each
# timed wherever it is called, also inside another (no graph root, any depth):
#   @@STEP SIZE_MIB METHOD TRANSITION FUNCTION CALLS TOTAL_US
# The second line breaks the attribute's write down: the sysfs write, kmem's store, its
# counting of the blocks' states, the range operations of mm, adding memory.
# The third breaks down online_pages() and offline_pages(), whose cost grows
# with the size: isolation, the isolation test, taking free pages off the
# buddy lists, memmap init, handing pages to the buddy, undoing isolation.
# The fourth names the other memory notifiers a guest has (the slab one is
# in the first), so that memory_notify()'s time is broken down by notifier.
# A function that is not traceable here (inlined) is left out with a note.
STEPS="online_pages offline_pages memory_notify slab_memory_callback set_zone_contiguous init_per_zone_wmark_min zone_pcp_disable lru_cache_disable mem_hotplug_begin memory_blocks_online memory_blocks_offline
kernfs_fop_write_iter dax_kmem_store __count_memory_ranges_state __online_memory_ranges __offline_memory_ranges __offline_and_remove_memory_ranges __add_memory_driver_managed_locked device_online device_offline
start_isolate_page_range test_pages_isolated __offline_isolated_pages move_pfn_range_to_zone generic_online_page undo_isolate_page_range
ksm_memory_callback cpuset_track_online_nodes memtier_hotplug_callback mm_compute_batch_notifier reserve_mem_notifier crash_memhp_notifier kcore_callback hmat_callback page_ext_callback dax_kmem_memory_notify"
steps() {	# steps METHOD TRANSITION COMMAND...
	local m=$1 t=$2
	shift 2
	echo > $TR/trace
	echo 1 > $TR/tracing_on
	"$@" || echo "$m $t steps: exit $?" >> $FAILED
	echo 0 > $TR/tracing_on
	awk -v pre="@@STEP $SIZE_MIB $m $t" '
		/ us +\|/ {
			d = 0; f = ""
			for (i = 1; i <= NF; i++) if ($(i + 1) == "us") { d = $i; break }
			# "} /* name */", or "} /* name [module] */" for a module.
			if (match($0, /\/\* [a-z_0-9]+( \[[a-z_0-9]+\])? \*\//)) {
				f = substr($0, RSTART + 3, RLENGTH - 6); sub(/ .*/, "", f)
			} else if (match($0, /[a-z_0-9]+(\(\)| \[[a-z_0-9]+\]\(\));/)) {
				f = substr($0, RSTART, RLENGTH); sub(/[ (].*/, "", f)
			}
			if (f != "") { n[f]++; s[f] += d }
		}
		END { for (f in n) printf "%s %s %d %d\n", pre, f, n[f], s[f] }' $TR/trace
}
echo > $TR/set_ftrace_filter
for f in $STEPS; do
	echo $f >> $TR/set_ftrace_filter 2> /dev/null ||
		ktap_print_msg "sub-steps: $f is not traceable, left out"
done
echo > $TR/set_graph_function
echo 0 > $TR/max_graph_depth
echo funcgraph-tail > $TR/trace_options 2>/dev/null
for t in online_movable online_kernel; do
	to_unbound
	echo $DEV > $KMEM/bind && echo unplugged > $D/hotplug
	steps attr "unplugged>$t" attr_write $t
	steps attr "$t>offline" attr_write offline
	echo $DEV > $KMEM/unbind
	to_unbound
	steps perblock "unplugged>$t" perblock_add $t
	steps perblock "$t>offline" loop offline
	perblock_remove
done
to_unbound
for m in attr perblock daxctl; do
	ktest "$m: every transition succeeded" sh -c "! grep -q '^$m ' $FAILED"
done
ktap_finished
