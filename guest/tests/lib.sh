# SPDX-License-Identifier: GPL-2.0
# Helpers for the harness's guest tests (sourced).  KTAP output comes from the
# kernel's own tools/testing/selftests/kselftest/ktap_helpers.sh, packed beside.
. ${KTAP_HELPERS:-/tests/ktap_helpers.sh}

block_size() { printf '%d\n' 0x$(cat /sys/devices/system/memory/block_size_bytes); }
memtotal_kb() { awk '/^MemTotal:/ { print $2 }' /proc/meminfo; }
state_of() { cat /sys/devices/system/memory/memory$1/state; }

# dax_blocks DEV: the numbers of the memory blocks that lie wholly in DEV's
# (first) physical range, the ones kmem adds (a devdax namespace's range
# need not start on a block boundary).
dax_blocks() {
	local d=/sys/bus/dax/devices/$1 start size bs
	start=$(printf '%d' $(cat $d/resource))
	size=$(cat $d/size)
	bs=$(block_size)
	seq $(((start + bs - 1) / bs)) $(((start + size) / bs - 1)) | tr '\n' ' '
}

# every "ITEMS" COMMAND...: true when ITEMS is not empty and COMMAND ITEM is
# true for each item (all of them run, so each can print what it found).
# Empty ITEMS are false: a loop over no memory block proves nothing.
every() {
	local items=$1 i n=0 ok=0
	shift
	for i in $items; do
		n=$((n + 1))
		"$@" "$i" || ok=1
	done
	[ $n -gt 0 ] && [ $ok = 0 ]
}

# ktest DESCRIPTION COMMAND...: one KTAP result from COMMAND's exit status
# (ktap_test_result word-splits its arguments; this keeps them intact).
ktest() {
	local desc=$1
	shift
	if "$@"; then ktap_test_pass "$desc"; else ktap_test_fail "$desc"; fi
}

# new_dax_device SIZE: carve a new device of SIZE bytes out of dax0.0's region
# (the region's seed, created first if there is none); print its name.
new_dax_device() {
	local region=/sys/bus/dax/devices/dax0.0/../dax_region seed
	seed=$(cat $region/seed)
	if [ -z "$seed" ]; then
		echo 1 > $region/create || return 1
		seed=$(cat $region/seed)
	fi
	[ -n "$seed" ] && echo "$1" > /sys/bus/dax/devices/$seed/size || return 1
	echo "$seed"
}

# two_range_device: take dax0.0 off kmem and split its 1 GiB region into
# dax0.0 (empty) and a new device with two ranges and a hole between them,
# [512M, 768M) + [0, 256M) of the region, not bound to any driver; print its
# name.
two_range_device() {
	local d0=/sys/bus/dax/devices/dax0.0 MiB=$((1 << 20)) seed
	echo unplugged > $d0/state && echo dax0.0 > /sys/bus/dax/drivers/kmem/unbind &&
		echo $((512 * MiB)) > $d0/size || return 1
	seed=$(new_dax_device $((256 * MiB))) || return 1
	echo 0 > $d0/size && echo $((512 * MiB)) > /sys/bus/dax/devices/$seed/size &&
		echo "$seed"
}

# data_start NODE MIB / data_check / data_stop: node_data (the dax
# kselftests' helper) keeps MIB MiB of patterned data, allocated on NODE;
# data_check prints its verdict, "ok ON_NODE PAGES" when every byte is intact
# (ON_NODE: how many of its PAGES pages are on NODE).  With DATA_CGROUP set,
# the helper runs in that cgroup (its memory is charged there).  DATA_PID is
# its pid; files in /tmp/data.
data_start() {
	local d=/tmp/data
	mkdir -p $d && rm -f $d/in $d/out && mkfifo $d/in || return 1
	sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs" || exit 1; shift; exec "$@"' \
		sh "${DATA_CGROUP:-}" /kselftest/dax/node_data "$@" < $d/in > $d/out 2>&1 &
	DATA_PID=$!
	exec 7> $d/in
	for _ in $(seq 600); do
		grep -q '^ready' $d/out && return 0
		kill -0 $DATA_PID 2> /dev/null || break
		sleep 0.1
	done
	sed 's/^/# node_data: /' $d/out
	exec 7>&-
	return 1
}
data_check() {
	local n
	n=$(wc -l < /tmp/data/out)
	echo check >&7
	for _ in $(seq 600); do
		[ "$(wc -l < /tmp/data/out)" -gt "$n" ] && { tail -n 1 /tmp/data/out; return; }
		sleep 0.1
	done
	echo "no answer"
}
data_stop() {
	kill -0 $DATA_PID 2> /dev/null && echo quit >&7
	exec 7>&-
	wait $DATA_PID
}
