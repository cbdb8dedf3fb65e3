#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build a dax device with two ranges and a hole between them, out of the
# 1 GiB region behind dax0.0, and bind it to kmem; the kselftests then run on
# it (harness.daxdev=dax0.1 on this boot's command line).
#   dax0.0: 1 GiB -> 512 MiB; dax0.1 (a new device): 256 MiB after it;
#   dax0.0 -> 0; dax0.1 grows by 256 MiB, which the bus takes from the start
#   of the region: dax0.1 = [512M, 768M) + [0, 256M).
. /tests/lib.sh

ktap_print_header
ktap_set_plan 3

seed=$(two_range_device)
d1=/sys/bus/dax/devices/$seed
for m in $d1/mapping[0-9]*; do
	ktap_print_msg "$seed $(basename $m): $(cat $m/start)-$(cat $m/end)"
done
ktest "$seed is dax0.1, the device the tests are told to use" [ "$seed" = dax0.1 ]
n=$(ls -d $d1/mapping[0-9]* | wc -l)
s0=$(printf '%d' $(cat $d1/mapping0/start)); e0=$(printf '%d' $(cat $d1/mapping0/end))
s1=$(printf '%d' $(cat $d1/mapping1/start)); e1=$(printf '%d' $(cat $d1/mapping1/end))
ktest "$seed has two ranges with a hole between them" \
	[ "$n" = 2 -a "$s0" -gt $((e1 + 1)) ]
[ -n "$seed" ] && echo $seed > /sys/bus/dax/drivers/kmem/bind
ktest "$seed is bound to kmem" [ -n "$seed" -a -e "/sys/bus/dax/drivers/kmem/$seed" ]
ktap_finished
