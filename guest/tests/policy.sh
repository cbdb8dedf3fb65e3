#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The boot policy memhp_default_state= decides how kmem onlines a device's
# memory at probe: the blocks of dax0.0 must be in the state (and zone) that
# the last memhp_default_state= on the command line names.
. /tests/lib.sh

DEV=${DAX_TEST_DEVICE:-dax0.0}
policy=
for w in $(cat /proc/cmdline); do
	case "$w" in memhp_default_state=*) policy=${w#*=} ;; esac
done
ktap_print_header
ktap_set_plan 3
ktap_print_msg "memhp_default_state=$policy, auto_online_blocks=$(cat /sys/devices/system/memory/auto_online_blocks)"
ktest "auto_online_blocks reports the boot policy" \
	[ "$(cat /sys/devices/system/memory/auto_online_blocks)" = "$policy" ]

case "$policy" in
offline) want_state=offline want_zone= ;;
online_movable) want_state=online want_zone=Movable ;;
online_kernel) want_state=online want_zone=Normal ;;
*) ktap_exit_fail_msg "no memhp_default_state= on the command line" ;;
esac
as_wanted() {	# as_wanted BLOCK: in the state and zone the policy names
	local st zones
	st=$(state_of $1)
	zones=$(cat /sys/devices/system/memory/memory$1/valid_zones)
	ktap_print_msg "memory$1: $st ($zones)"
	[ "$st" = "$want_state" ] && { [ -z "$want_zone" ] || [ "$zones" = "$want_zone" ]; }
}
blocks=$(dax_blocks $DEV)
ktest "every block of $DEV ($(echo $blocks | wc -w)) is $want_state${want_zone:+ in $want_zone}" \
	every "$blocks" as_wanted

node1_kb=$(awk '/MemTotal/ { print $4 }' /sys/devices/system/node/node1/meminfo)
size_kb=$(( $(cat /sys/bus/dax/devices/$DEV/size) / 1024 ))
if [ "$want_state" = online ]; then
	ktest "node 1 holds the device's memory ($node1_kb kB)" [ "$node1_kb" = "$size_kb" ]
else
	ktest "node 1 holds no memory ($node1_kb kB)" [ "$node1_kb" = 0 ]
fi
ktap_finished
