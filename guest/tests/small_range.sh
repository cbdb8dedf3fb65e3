#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dax bus's mapping attribute and a range too small for a memory block.
#   - mapping refuses a misaligned size with EINVAL and adds nothing
#     (B2 of the series);
#   - a device made of a 256 MiB range and a 64 MiB range in the middle of a
#     memory block binds to kmem, which uses the first range only;
#   - mapping refuses to add a range while kmem is bound, with EBUSY, and
#     adds nothing (B1);
#   - unplugged and unbound, the device leaves nothing behind: kmemleak
#     finds no leak (kmem used to keep its data for the small range, B3);
#   - unbound while online, kmem keeps its data on purpose and kmemleak
#     does not report it (B4).  This leaves the memory online until reboot.
# Built out of the 1 GiB region behind dax0.0, which gives its memory up.
# Only the dax bus and the state attribute of mainline's contract are used,
# so that it runs on mainline too (make check-upstream).
. /tests/lib.sh

BUS=/sys/bus/dax/devices
KMEM=/sys/bus/dax/drivers/kmem
LEAKS=/sys/kernel/debug/kmemleak
MiB=$((1 << 20))
ktap_print_header
ktap_set_plan 12

# write FILE VALUE: print ok or the error's name.
write() {
	local err
	err=$( { echo "$2" > "$1"; } 2>&1 ) && { echo ok; return; }
	case "$err" in
	*"Invalid argument"*) echo EINVAL ;;
	*"Device or resource busy"*) echo EBUSY ;;
	*) echo "error: $err" ;;
	esac
}
range() { printf '%#x-%#x' $(($1)) $(($1 + $2 - 1)); }

d0=$BUS/dax0.0
base=$(printf '%d' "$(cat $d0/resource)")
echo unplugged > $d0/state && echo dax0.0 > $KMEM/unbind && echo 0 > $d0/size
region=$d0/../dax_region
seed=$(cat $region/seed)
[ -n "$seed" ] || { echo 1 > $region/create; seed=$(cat $region/seed); }
dev=$BUS/$seed
ktap_print_msg "region at $(printf '%#x' $base), align $(cat $dev/align); device $seed"

got=$(write $dev/mapping "$(range $base $MiB)")
ktest "mapping of 1 MiB, below the 2 MiB alignment: $got" [ "$got" = EINVAL ]
ktest "... and $seed is still empty" [ "$(cat $dev/size)" = 0 ]

small=$((base + 512 * MiB + 32 * MiB))
r1=$(write $dev/mapping "$(range $base $((256 * MiB)))")
r2=$(write $dev/mapping "$(range $small $((64 * MiB)))")
ktest "mappings of 256 MiB and of 64 MiB inside a memory block: $r1, $r2" \
	[ "$r1" = ok -a "$r2" = ok -a "$(cat $dev/size)" = $((320 * MiB)) ]

# Everything that touches kmem's data runs in a short-lived process: with
# lockdep, a task's record of the locks it held keeps pointers into the data
# for as long as the task lives, and kmemleak would count them as references.
sh -c "echo $seed > $KMEM/bind"
ktest "$seed binds to kmem" [ -e $KMEM/$seed ]
ktest "... its 256 MiB range is online_movable" \
	[ "$(cat $dev/state)" = online_movable -a "$(state_of $((base / $(block_size))))" = online ]
# kmem sized its data by the ranges it found at probe.
got=$(write $dev/mapping "$(range $((base + 256 * MiB)) $((256 * MiB)))")
ktest "mapping of 256 MiB more while kmem is bound: $got" [ "$got" = EBUSY ]
ktest "... and $seed still has its two ranges, 320 MiB" \
	[ "$(cat $dev/size)" = $((320 * MiB)) -a ! -e $dev/mapping2 ]
sh -c "echo unplugged > $dev/state && echo $seed > $KMEM/unbind"
ktest "unplugged and unbound" [ ! -e $KMEM/$seed ]

# kmem_leaks WHAT: a kmemleak test that nothing kmem's probe allocated is
# unreferenced, WHAT saying why; a skip without kmemleak.
kmem_leaks() {
	local n
	if [ ! -e $LEAKS ]; then
		ktap_test_skip "kmemleak: not in this kernel"
		return
	fi
	# Stale copies of the pointer on the stacks of live tasks (this
	# shell's, which unbound the device) would hide the leak: leave
	# stacks out of this scan, and count only what kmem's probe allocated.
	echo stack=off > $LEAKS
	# kmemleak reports objects older than 5 s, and only once two scans
	# found them unreferenced and unchanged.
	sleep 6
	echo scan > $LEAKS
	echo scan > $LEAKS
	n=$(grep -c "dev_dax_kmem_probe" $LEAKS)
	grep -B14 "dev_dax_kmem_probe" $LEAKS | head -n 40 | sed 's/^/# /'
	ktest "kmemleak: $1 ($n objects)" [ "$n" = 0 ]
	# This scan saw no stacks: what it reports is no news for the end of
	# the boot.
	echo stack=on > $LEAKS
	echo clear > $LEAKS
}

kmem_leaks "nothing that kmem allocated leaked"
sh -c "echo $seed > $KMEM/bind"
ktest "$seed binds to kmem again" [ -e $KMEM/$seed ]

# Unbound while its memory is online, kmem keeps its data, resources and
# memory until reboot, on purpose (B4): that is no leak.  The memory stays
# online for good, so this comes last.
sh -c "echo $seed > $KMEM/unbind"
ktest "unbound while online: the memory stays" \
	[ ! -e $KMEM/$seed -a "$(state_of $((base / $(block_size))))" = online ]
kmem_leaks "what kmem keeps for online memory is not reported"
ktap_finished
