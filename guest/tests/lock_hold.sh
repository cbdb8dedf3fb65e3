#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# How long offlining holds mem_hotplug_lock for writing, with runs and block
# by block (a measurement for patch 48's changelog, not a pass/fail test):
# dax0.0 holds MIB MiB of data (node_data); it is offlined once through the
# hotplug attribute (one offline_pages() call per run) and once with a loop
# over memoryN/state (one call per block), and function_graph times every
# offline_pages() call, which runs inside the lock's write section.  Prints
# "lock_hold: PATH max_ms N calls K total_ms T" for each path.
# Needs the bench kernel (config/bench.config: function_graph, no debug
# options).  Run, with BUILD the bench build and its initramfs packed:
#   scripts/run-guest.sh lock-hold check "" tests/lock_hold.sh
. /tests/lib.sh

DEV=${DAX_TEST_DEVICE:-dax0.0}
D=/sys/bus/dax/devices/$DEV
MIB=${LOCK_HOLD_MIB:-768}
TR=/sys/kernel/tracing
ktap_print_header
ktap_set_plan 2
mount -t tracefs nodev $TR 2> /dev/null

trace_on() {
	echo 0 > $TR/tracing_on
	echo function_graph > $TR/current_tracer
	echo offline_pages > $TR/set_graph_function
	echo 1 > $TR/max_graph_depth
	echo > $TR/trace
	echo 1 > $TR/tracing_on
}
# trace_off PATH: print the durations of the offline_pages() calls.
trace_off() {
	echo 0 > $TR/tracing_on
	awk -v path="$1" '/offline_pages/ {
		for (i = 1; i <= NF; i++) if ($(i + 1) == "us") { d = $i; break }
		gsub(/[^0-9.]/, "", d); n++; t += d; if (d > m) m = d }
		END { printf "lock_hold: %s max_ms %.1f calls %d total_ms %.1f\n", path, m / 1000, n, t / 1000 }' $TR/trace
	echo nop > $TR/current_tracer
}

# Runs: the hotplug attribute.
echo online_movable > $D/hotplug
data_start 1 $MIB || ktap_exit_fail_msg "node_data"
trace_on
echo offline > $D/hotplug; rc=$?
r=$(trace_off runs)
ktap_print_msg "$r"
ktest "runs: offline of $DEV with $MIB MiB of data, timed" \
	[ $rc = 0 -a "$(echo "$r" | awk '{ print $6 }')" -gt 0 ]
data_stop

# Block by block: hand the device back, online it, the same data, a loop.
echo online_movable > $D/hotplug
echo 0 > $D/hotplug_managed
data_start 1 $MIB || ktap_exit_fail_msg "node_data"
trace_on
ok=1
for b in $(dax_blocks $DEV); do
	echo offline > /sys/devices/system/memory/memory$b/state || ok=0
done
r=$(trace_off per-block)
ktap_print_msg "$r"
ktest "per block: offline of every block of $DEV with $MIB MiB of data, timed" \
	[ $ok = 1 -a "$(echo "$r" | awk '{ print $6 }')" -gt 0 ]
data_stop
ktap_finished
