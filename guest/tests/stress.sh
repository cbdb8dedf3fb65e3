#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reliability of kmem's hotplug attribute (make stress; a bounded slice runs in
# make check).  The 1 GiB region behind dax0.0 becomes three devices, dax0.0
# (256 MiB), dax0.1 and dax0.2 (384 MiB each), all bound to kmem and managed
# from probe.  Parts, each a group of KTAP results, chosen with STRESS_PARTS
# (comma-separated):
#   concurrency  per round: writers (valid and invalid words, to hotplug and
#                state), readers, outside writers on memoryN/state, and a
#                kmem unbind/bind cycle, all at once;
#                then the invariants (below) and the kernel log; rounds
#                go on until STRESS_ROUNDS, STRESS_SECONDS or
#                STRESS_TRANSITIONS (state changes made) is reached
#   faults       every transition, with the Nth allocation of the writing task
#                failing (/proc/thread-self/fail-nth; slab, and page allocations
#                of order 1 and up) for N = 1, 2, ... until the transition no
#                longer hits a fault; on STRESS_FI_DEVS (1 or 2) devices
#   fuzz         generated invalid inputs: each is refused with EINVAL and
#                changes nothing
#   perms        as user nobody: reads work, writes fail with EACCES; as root:
#                no write to any file of a managed block (state, online,
#                uevent) changes anything
#   unload       rmmod kmem with the devices in each state and writers active;
#                then kmemleak (debug kernels) must find no leak
# STRESS_MEMMAP=1 puts each device's memory map on its own memory (boot with
# memory_hotplug.memmap_on_memory=1), so that the faults part fails adding
# memory block by block, after some block devices exist.
# STRESS_HAMMER=1 adds a writer to the state files during each faulted
# transition (hammer_start below).
# Invariants: the attribute matches every block of the device, and state (the
# state set last) reads the same; MemTotal = boot baseline + online dax
# memory; /proc/iomem holds one "System RAM (kmem)" resource per range of
# every device that is not unplugged, and no other; the log has no WARNING, BUG, lockdep, hung task or
# RCU stall report.  Figures are printed as "# figure: NAME VALUE" lines.
. /tests/lib.sh

ROUNDS=${STRESS_ROUNDS:-12}
OPS=${STRESS_OPS:-25}			# operations per worker and round
LIMIT=${STRESS_SECONDS:-1500}		# the concurrency part stops after this,
TRANSITIONS=${STRESS_TRANSITIONS:-999999999}	# or once this many were made
FI_MAX=${STRESS_FI_MAX:-5000}		# largest N per transition
FI_STRIDE=${STRESS_FI_STRIDE:-1}	# N = 1, 1 + stride, ...
FI_DEVS=${STRESS_FI_DEVS:-1}		# on the first 1 or 2 devices
FUZZ_RANDOM=${STRESS_FUZZ_RANDOM:-200}	# random-byte inputs (plus the fixed ones)
PARTS=$(echo ${STRESS_PARTS:-concurrency,faults,fuzz,perms,unload} | tr , ' ')

MEMSYS=/sys/devices/system/memory
LEAKS=/sys/kernel/debug/kmemleak
KMEM=/sys/bus/dax/drivers/kmem
BUS=/sys/bus/dax/devices
MiB=$((1 << 20))
ST=/tmp/stress
WORDS="online online_kernel online_movable offline unplug unplugged"
# Mainline's state file takes fewer words: "offline" and "unplug" are EINVAL.
STATE_WORDS="online online_kernel online_movable unplugged"
# The valid words the writers pick and the kernel-zone state of the faults
# and unload parts.  On a KASAN kernel, memory onlined to a kernel zone of
# node 1 cannot all be offlined again (the vmap_area objects of KASAN's
# shadow stay in it; see dax_kernel_zone_pinned in the dax kselftests), so
# the devices stay out of kernel zones there.
PICK=$WORDS
KERNEL=online_kernel
if grep -qw kasan_mem_notifier /proc/kallsyms; then
	echo "# KASAN kernel: no writes of online or online_kernel"
	PICK="online_movable offline unplug unplugged"
	KERNEL=online_movable
fi
REPORTS='WARNING:|BUG:|Oops|possible circular locking|possible recursive locking|inconsistent lock state|INFO: task .* blocked|rcu: INFO|detected stall|soft lockup|KASAN'
T0=$(awk '{ printf "%d\n", $1 }' /proc/uptime)
rm -rf $ST
mkdir -p $ST

# The loops below run thousands of times, and a fork costs tens of
# milliseconds under emulation: their helpers use bash builtins only and
# return in REPLY.
now() { awk '{ printf "%d\n", $1 }' /proc/uptime; }
figure() { echo "# figure: $1 $2"; }
count() { cat "$@" 2>/dev/null | wc -l; }
rnd() { echo $((RANDOM % $1)); }
pick() { shift $((RANDOM % $#)); REPLY=$1; }	# pick WORD...: one, at random
mark() { echo "stress: $*" > /dev/kmsg; }
contains() { [[ $1 == *"$2"* ]]; }

# put FILE FORMAT [ARG]: write printf FORMAT (with ARG) to FILE in one
# write(2); REPLY is ok or the error as EINVAL, EBUSY, EACCES, ENOENT,
# ENOMEM, EINTR or "error: ...".  write FILE FORMAT prints the same.
# bash's stdout is line-buffered, so its printf writes up to each newline:
# text with a newline before its end goes through a file and cat.
put() {
	local err text="$2${*:3}"
	text=${text%\\n}
	if [[ $text == *'\n'* || $text == *'\x0a'* ]]; then
		if { printf "$2" "${@:3}" > $ST/in.$BASHPID &&
		     cat $ST/in.$BASHPID > "$1"; } 2> $ST/err.$BASHPID; then
			REPLY=ok
			return
		fi
	elif { printf "$2" "${@:3}" > "$1"; } 2> $ST/err.$BASHPID; then
		REPLY=ok
		return
	fi
	read -r err < $ST/err.$BASHPID
	case "$err" in
	*"Invalid argument"*) REPLY=EINVAL ;;
	*"Device or resource busy"*) REPLY=EBUSY ;;
	*"Permission denied"*) REPLY=EACCES ;;
	*"No such file"*|*"No such device"*) REPLY=ENOENT ;;
	*"Out of memory"*|*"Cannot allocate"*) REPLY=ENOMEM ;;
	*"Interrupted"*) REPLY=EINTR ;;
	*) REPLY="error: $err" ;;
	esac
}
write() { put "$@"; echo "$REPLY"; }

# Devices: dax0.0 shrunk to 256 MiB (the fault-injection device: two blocks,
# so that every allocation of a transition can be failed in turn) and two new
# 384 MiB devices after it.  BLK[dev] caches each device's block numbers.
declare -A BLK
# memmap DEV: with STRESS_MEMMAP=1, put DEV's memory map on its own memory
# (needs memory_hotplug.memmap_on_memory=1 on the command line).
memmap() {
	[ -z "${STRESS_MEMMAP:-}" ] || echo 1 > $BUS/$1/memmap_on_memory
}
setup() {
	local d0=$BUS/dax0.0 d
	echo 1 > /sys/module/kmem/parameters/claim_at_probe
	echo offline > $d0/hotplug && echo unplugged > $d0/hotplug &&
		echo dax0.0 > $KMEM/unbind && echo $((256 * MiB)) > $d0/size || return 1
	DEVS=dax0.0
	memmap dax0.0 && echo dax0.0 > $KMEM/bind || return 1
	# The region offers a new seed device once the last one is bound.
	for d in 1 2; do
		d=$(new_dax_device $((384 * MiB))) && memmap $d &&
			echo $d > $KMEM/bind || return 1
		DEVS="$DEVS $d"
	done
	if [ -n "${STRESS_MEMMAP:-}" ]; then
		# A per-block write, refused as the block is managed, still
		# takes the locks of memoryN/state: lockdep knows their order
		# when a fault later makes adding memory unregister blocks.
		write $MEMSYS/memory$(dax_blocks dax0.0 | cut -d' ' -f1)/state offline > /dev/null
	fi
	for d in $DEVS; do
		BLK[$d]=$(dax_blocks $d)
	done
	for d in $DEVS; do
		if ! echo offline > $BUS/$d/hotplug || ! echo unplugged > $BUS/$d/hotplug; then
			echo "# $d: $(cat $BUS/$d/hotplug); $(for b in ${BLK[$d]}; do block_of $b; echo "$REPLY"; done | tr '\n' ' ')"
			dmesg | tail -n 5 | sed 's/^/# /'
			return 1
		fi
	done
	BASE_KB=$(memtotal)
	BLOCK_KB=$(($(block_size) / 1024))
	# With the memory map on the memory, 64 bytes per 4 KiB page of each
	# block never become RAM.
	if [ -n "${STRESS_MEMMAP:-}" ]; then
		BLOCK_KB=$((BLOCK_KB - BLOCK_KB / 64))
	fi
}

range_start() { printf '%x' $(cat $BUS/$1/resource); }

# block_of B: REPLY is "STATE ZONES" of memoryB, or "absent".
block_of() {
	local st z
	if read -r st 2> /dev/null < $MEMSYS/memory$1/state; then
		read -r z < $MEMSYS/memory$1/valid_zones
		REPLY="$st $z"
	else
		REPLY=absent
	fi
}
# kmem_resources: REPLY is the "System RAM (kmem)" lines of /proc/iomem
# (kmem_resources_print prints them).
kmem_resources() {
	local l
	REPLY=
	mapfile -t l < /proc/iomem
	for l in "${l[@]}"; do
		case "$l" in *"System RAM (kmem)"*) REPLY+="$l"$'\n' ;; esac
	done
}
kmem_resources_print() { kmem_resources; printf '%s' "$REPLY"; }
memtotal() { local k v; read -r k v k < /proc/meminfo; echo $v; }

# check_invariants: print each violation as a diagnostic; fail if any.
check_invariants() {
	local d a s b st want online=0 want_kmem=0 n bad=0 res start
	kmem_resources
	res=$REPLY
	for d in $DEVS; do
		read -r a < $BUS/$d/hotplug 2> /dev/null || a=unbound
		read -r s < $BUS/$d/state 2> /dev/null || s=unbound
		[ "$a" = "$s" ] || { echo "# $d: hotplug says $a, state says $s"; bad=1; }
		for b in ${BLK[$d]}; do
			block_of $b
			st=$REPLY
			case "$st" in online*) online=$((online + 1)) ;; esac
			case "$a:$st" in
			unplugged:absent|unbound:absent|"offline:offline "*) ;;
			"online_movable:online Movable"|"online_kernel:online Normal"|"online:online "*) ;;
			*) echo "# $d: attribute $a but memory$b is $st"; bad=1 ;;
			esac
		done
		read -r start < $BUS/$d/resource
		start=$(printf '%x' $start)
		n=0
		while read -r l; do
			case "$l" in "$start-"*) n=$((n + 1)) ;; esac
		done <<< "$res"
		case "$a" in unplugged|unbound) want=0 ;; *) want=1 ;; esac
		[ "$n" = "$want" ] || { echo "# $d ($a): $n kmem resources at $start in /proc/iomem, want $want"; bad=1; }
		want_kmem=$((want_kmem + want))
	done
	n=$(printf '%s' "$res" | grep -c .)
	[ "$n" = "$want_kmem" ] || { echo "# /proc/iomem: $n kmem resources, want $want_kmem"; bad=1; }
	n=$(memtotal)
	[ "$n" = $((BASE_KB + online * BLOCK_KB)) ] ||
		{ echo "# MemTotal $n kB, want $BASE_KB + $online blocks"; bad=1; }
	return $bad
}

# log_clean TAG: no kernel report since "stress: TAG" was logged (in the
# whole log if the mark has rolled out of the kernel's log buffer).
log_clean() {
	local hits
	if dmesg | grep -q "stress: $1\$"; then
		hits=$(dmesg | sed -n "/stress: $1\$/,\$p" | grep -E "$REPORTS")
	else
		hits=$(dmesg | grep -E "$REPORTS")
	fi
	[ -z "$hits" ] && return 0
	echo "$hits" | head -n 20 | sed 's/^/# /'
	echo "$hits" | wc -l >> $ST/reports
	return 1
}

# --- concurrency -----------------------------------------------------------
# A writer of DEV waits while the unbind/bind cycle has DEV paused; the cycle
# waits until no writer of DEV is between its check and its write.  The flags
# are files holding 0 or 1 ($ST/pause.DEV, $ST/busy.DEV.ID).
writer_enter() {
	local p
	while :; do
		read -r p < $ST/pause.$1
		[ "$p" = 1 ] && { sleep 0.05; continue; }
		echo 1 > $ST/busy.$1.$2
		read -r p < $ST/pause.$1
		[ "$p" = 1 ] || return 0
		echo 0 > $ST/busy.$1.$2
	done
}
writer() {	# writer DEV ID
	local i v f r before valid
	echo 0 > $ST/busy.$1.$2
	for ((i = 0; i < OPS; i++)); do
		pick $PICK $PICK online_moveable Online bogus " online" "offline\n\n" 1
		v=$REPLY
		pick hotplug state
		f=$REPLY
		writer_enter $1 $2
		read -r before < $BUS/$1/hotplug
		put $BUS/$1/$f "$v"
		r=$REPLY
		echo 0 > $ST/busy.$1.$2
		echo "$v $r" >> $ST/writes
		case "$v:$r" in
		unplug:ok|unplugged:ok) [ "$before" != unplugged ] && echo >> $ST/transitions ;;
		*:ok) [ "$before" != "$v" ] && echo >> $ST/transitions ;;
		esac
		valid=$WORDS
		[ $f = state ] && valid=$STATE_WORDS
		case " $valid :$r" in
		*" $v "*:ok|*" $v "*:EBUSY|*" $v "*:ENOMEM|*" $v "*:EINTR) ;;
		*:EINVAL) case " $valid " in *" $v "*) echo "$1 $f '$v' refused EINVAL" >> $ST/wrong ;; esac ;;
		*) echo "$1 $f '$v' -> $r" >> $ST/wrong ;;
		esac
	done
}
reader() {	# reader DEV
	local i a
	for ((i = 0; i < OPS * 2; i++)); do
		pick hotplug state
		read -r a 2> /dev/null < $BUS/$1/$REPLY || a=unbound
		case " $WORDS unbound " in
		*" $a "*) echo >> $ST/reads ;;
		*) echo "$1 read '$a'" >> $ST/wrong ;;
		esac
	done
}
outside() {	# outside: per-block state writes on the devices' blocks
	local i b v
	# (memoryN/state answers EINVAL when the block is already in the asked
	# state and "ok" only for a real change; memoryN/online answers "ok" for
	# a no-op too, so it is tried in the perms part, where nothing races.)
	for ((i = 0; i < OPS; i++)); do
		pick $DEVS
		pick ${BLK[$REPLY]}
		b=$REPLY
		pick online online_kernel online_movable offline
		v=$REPLY
		put $MEMSYS/memory$b/state $v
		case "$REPLY" in
		EBUSY) echo >> $ST/outside.refused ;;
		EINVAL) echo >> $ST/outside.noop ;;
		ENOENT) echo >> $ST/outside.absent ;;
		# The block is being added or removed: its directory is there,
		# its state file not (yet, or any more), and the shell's open
		# with O_CREAT in a sysfs directory fails with EACCES.  Absent,
		# as ENOENT (about 1 in 250 of these writes under this load).
		EACCES) echo "memory$b/state $v" >> $ST/outside.eacces ;;
		ok) echo "memory$b/state $v: $REPLY" >> $ST/outside.through ;;
		*) echo "outside: memory$b/state $v: $REPLY" >> $ST/wrong ;;
		esac
	done
}
cycle() {	# cycle DEV: unplug, unbind, bind (memory comes back per policy)
	local f p
	echo 1 > $ST/pause.$1
	for f in $ST/busy.$1.*; do
		while read -r p < $f && [ "$p" = 1 ]; do sleep 0.05; done
	done
	put $BUS/$1/hotplug unplug
	if [ "$REPLY" = ok ]; then
		echo $1 > $KMEM/unbind && echo $1 > $KMEM/bind &&
			echo >> $ST/cycles || echo "$1 unbind/bind failed" >> $ST/wrong
	else
		echo "$1: unplug $REPLY" >> $ST/cycles.skipped
	fi
	echo 0 > $ST/pause.$1
}

part_concurrency() {
	local r=0 pids d bad=0 t
	for d in $DEVS; do echo 0 > $ST/pause.$d; done
	while [ $r -lt $ROUNDS ] && [ $(($(now) - T0)) -lt $LIMIT ] &&
	      [ $(count $ST/transitions) -lt $TRANSITIONS ]; do
		r=$((r + 1))
		mark "round $r"
		pids=
		for d in $DEVS; do
			writer $d 1 & pids="$pids $!"
			writer $d 2 & pids="$pids $!"
			reader $d & pids="$pids $!"
		done
		outside & pids="$pids $!"
		(sleep 0.$(rnd 10); pick $DEVS; cycle $REPLY) & pids="$pids $!"
		wait $pids
		if ! check_invariants > $ST/inv.out || ! log_clean "round $r" >> $ST/inv.out; then
			cat $ST/inv.out
			echo $r >> $ST/violations
			bad=1
		fi
	done
	figure rounds $r
	figure writes $(count $ST/writes)
	figure writes-accepted $(grep -c ' ok$' $ST/writes)
	figure writes-refused-EBUSY $(grep -c ' EBUSY$' $ST/writes)
	figure writes-refused-EINVAL $(grep -c ' EINVAL$' $ST/writes)
	figure transitions $(count $ST/transitions)
	figure reads $(count $ST/reads)
	figure outside-writes-refused $(count $ST/outside.refused)
	figure outside-writes-no-op-EINVAL $(count $ST/outside.noop)
	figure outside-writes-on-absent-blocks $(count $ST/outside.absent)
	figure outside-writes-refused-EACCES $(count $ST/outside.eacces)
	figure outside-writes-through $(count $ST/outside.through)
	figure unbind-bind-cycles $(count $ST/cycles)
	figure unbind-bind-cycles-skipped-unplug-refused $(count $ST/cycles.skipped)
	[ -s $ST/cycles.skipped ] && sed 's/^/# cycle skipped: /' $ST/cycles.skipped
	figure invariant-violations $(count $ST/violations)
	[ -s $ST/wrong ] && head -n 20 $ST/wrong | sed 's/^/# unexpected: /'
	[ -s $ST/outside.through ] && head -n 20 $ST/outside.through | sed 's/^/# went through: /'
	ktest "concurrency: $r rounds, invariants hold after every round" [ $bad = 0 ]
	ktest "concurrency: every write got a valid answer, every read a valid word" [ ! -s $ST/wrong ]
	ktest "concurrency: no outside per-block write went through" [ ! -s $ST/outside.through ]
	ktest "concurrency: writes were accepted and refused, cycles ran" \
		[ $(grep -c ' ok$' $ST/writes) -gt 0 -a $(grep -c ' EINVAL$' $ST/writes) -gt 0 -a -s $ST/cycles ]
}

# --- fault injection -------------------------------------------------------
snapshot() {	# snapshot DEV: SNAP is everything a transition of DEV may change
	local b a k v
	read -r a < $BUS/$1/hotplug
	SNAP="attr $a"$'\n'
	for b in ${BLK[$1]}; do
		block_of $b
		SNAP+="memory$b $REPLY"$'\n'
	done
	read -r k v k < /proc/meminfo
	SNAP+="MemTotal $v"$'\n'
	kmem_resources
	SNAP+=$REPLY
}
set_state() {	# set_state DEV STATE, through offline
	local a=$BUS/$1/hotplug s
	read -r s < $a
	[ "$s" = "$2" ] && return 0
	printf offline > $a || return 1
	[ "$2" = offline ] || printf "$2" > $a
}
# inject N FILE VALUE: write VALUE to FILE with the Nth allocation of this
# shell failing.  Prints "RESULT hit|miss".  Runs in this shell (builtins only),
# as fail-nth belongs to the task.
inject() {
	local rc=ok left
	echo $1 > /proc/thread-self/fail-nth
	printf "$3" 2> $ST/fi.err > $2 || { read -r rc < $ST/fi.err || rc=unknown; }
	if read left < /proc/thread-self/fail-nth 2> /dev/null; then
		:
	else
		left=1	# the fault hit the open of fail-nth, not the write
	fi
	until echo 0 > /proc/thread-self/fail-nth 2> /dev/null; do :; done
	case "$rc" in
	ok) ;;
	*"Out of memory"*|*"Cannot allocate"*) rc=ENOMEM ;;
	*"Device or resource busy"*) rc=EBUSY ;;
	*) rc="error: $rc" ;;
	esac
	[ "$left" = 0 ] && echo "$rc hit" || echo "$rc miss"
}
# quiesce: every device unplugged, so that the parts after the concurrency
# start from a known state.  Memory onlined to ZONE_NORMAL can hold unmovable
# pages (such as the memory map of another device added while it was online),
# so this takes several passes, dropping caches between them.
quiesce() {
	local pass d a left
	for pass in 1 2 3 4 5; do
		left=
		for d in $DEVS; do
			read -r a < $BUS/$d/hotplug
			[ "$a" = unplugged ] || set_state $d unplugged 2> /dev/null || left="$left $d"
		done
		[ -z "$left" ] && return 0
		echo 3 > /proc/sys/vm/drop_caches
		sleep 1
	done
	echo "# could not unplug:$left"
	return 1
}

# hammer_start DEV / hammer_stop: with STRESS_HAMMER=1 (the faults-memmap boot
# of make check), a task that writes "offline" to the state files of DEV's
# blocks, in a loop, while one faulted transition runs.  During the
# transition (which holds device_hotplug_lock) such a write sleeps in the
# store with the file active (lock_device_hotplug_sysfs()), so when a fault
# makes adding memory remove sysfs files it had created, the removal waits
# for it and lockdep learns the order of that wait and the locks held
# around it.  It catches the failed memmap_on_memory add that unregisters
# its blocks under mem_hotplug_lock and a block whose own device_add()
# fails after its attributes exist, also under mem_hotplug_lock (both fixed
# by patch 2).  After the transition the writes are
# refused or change nothing, but a refused offline shows the block
# "going-offline" for a moment: hammer_stop waits for the task before
# anything is compared.
hammer_start() {
	HAMMER=
	[ -n "${STRESS_HAMMER:-}" ] || return 0
	: > $ST/hammer
	(
		while [ -e $ST/hammer ]; do
			for b in ${BLK[$1]}; do
				echo offline > $MEMSYS/memory$b/state
			done
		done 2> /dev/null
	) &
	HAMMER=$!
}
hammer_stop() {
	[ -n "$HAMMER" ] || return 0
	rm -f $ST/hammer
	wait $HAMMER
}

part_faults() {
	local dev t from to n res before after bad=0 tries=0 hits=0 failed=0
	local fi keep=${DEVS##* } devs
	devs=$(echo $DEVS | cut -d' ' -f1-$FI_DEVS)
	quiesce || bad=1
	# Keep node 1 online with offline memory of another device: adding the
	# first memory of a node registers the node, and a failure there ends in
	# BUG_ON() in add_memory_resource() (upstream: "no rollback way now").
	set_state $keep offline || bad=1
	for fi in failslab fail_page_alloc; do
		fi=/sys/kernel/debug/$fi
		echo N > $fi/ignore-gfp-wait
		echo 1 > $fi/verbose
	done
	echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
	# Order-0 page allocations are left alone (min-order 1, the default):
	# x86's direct-map setup for new memory (init_memory_mapping() ->
	# alloc_low_pages(), GFP_ATOMIC) does not check them for NULL and
	# oopses in phys_pmd_init().  Slab and higher-order page allocations
	# (the memory map) are failed.
	echo 1 > /sys/kernel/debug/fail_page_alloc/min-order
	mark "faults"
	for dev in $devs; do
	for t in unplugged:online_movable unplugged:$KERNEL unplugged:offline \
		 offline:online_movable offline:$KERNEL offline:unplug \
		 online_movable:offline online_movable:unplug $KERNEL:offline \
		 $KERNEL:unplug; do
		from=${t%:*} to=${t#*:}
		n=1
		while [ $n -le $FI_MAX ]; do
			set_state $dev $from || { echo "# cannot set $dev $from"; bad=1; break; }
			snapshot $dev
			before=$SNAP
			hammer_start $dev
			res=$(inject $n $BUS/$dev/hotplug $to 2> /dev/null)
			hammer_stop
			snapshot $dev
			after=$SNAP
			tries=$((tries + 1))
			case "$res" in
			"ok miss")
				# No fault left to inject: the transition is done.
				expect_state $dev $to || { echo "# $from -> $to: succeeded but reads $(cat $BUS/$dev/hotplug)"; bad=1; }
				break ;;
			"ok hit")
				hits=$((hits + 1))
				expect_state $dev $to || { echo "# $from -> $to, fault $n: succeeded but reads $(cat $BUS/$dev/hotplug)"; bad=1; } ;;
			*" hit")
				hits=$((hits + 1)) failed=$((failed + 1))
				if [ "$before" != "$after" ]; then
					echo "# $from -> $to, fault $n: ${res% hit}, but the device changed:"
					echo "$before" > $ST/a; echo "$after" > $ST/b
					diff $ST/a $ST/b | sed 's/^/#   /'
					bad=1
				fi ;;
			*)
				echo "# $from -> $to, fault $n: $res without a fault"; bad=1 ;;
			esac
			check_invariants || bad=1
			n=$((n + FI_STRIDE))
		done
		echo "# faults: $dev $from -> $to: N up to $n"
	done
	set_state $dev unplugged || bad=1
	done
	figure fault-injection-transitions-tried $tries
	figure faults-hit $hits
	figure faulted-transitions-refused $failed
	ktest "faults: every faulted transition failed cleanly or completed ($hits faults hit)" [ $bad = 0 ]
	ktest "faults: faults were hit and made transitions fail" [ $hits -gt 0 -a $failed -gt 0 ]
	ktest "faults: kernel log clean" log_clean faults
}
expect_state() {
	case "$2" in unplug) [ "$(cat $BUS/$1/hotplug)" = unplugged ] ;; *) [ "$(cat $BUS/$1/hotplug)" = "$2" ] ;; esac
}

# --- input fuzzing ---------------------------------------------------------
# fuzz_corpus: FUZZ is the list of inputs, each a printf %b string.
fuzz_corpus() {
	local w i n blob len u
	FUZZ=()
	add() {	# skips the valid words that variants happen to produce
		case " $WORDS " in *" $1 "*) return ;; esac
		FUZZ+=("$1")
	}
	for w in $WORDS; do
		for ((i = 1; i < ${#w}; i++)); do add "${w:0:i}"; done
		add "${w}x"; add "${w}_"; add "${w}e"; add "${w}${w}"
		add " $w"; add "$w "; add "\t$w"; add "$w\t"; add "$w\n\n"; add "$w\r\n"
		add "\n$w"; add "$w\0000\0000"; add "$w\0000x"; add "\0000$w"; add "$w $w"
		add "${w^^}"; add "${w^}"; add "${w//_/-}"; add "${w//_/}"
	done
	# (An empty write never reaches the attribute: sysfs returns 0 itself.)
	for w in 0 1 2 -1 00 0x1 4294967296 99999999999999999999 " " "\n" "\0000" \
		 on off yes no true false movable kernel online_ offline_ unpluged \
		 "online\nonline" "%s%s%s" "\\\\" "\0377\0376" mixed "mixed\n"; do
		add "$w"
	done
	printf -v w '%5000s' ''
	add "${w// /a}"
	add "online_movable$w"
	# Random bytes, 1 to 64 of them per input, cut from one read of
	# /dev/urandom as " hh hh ..." and turned into \xhh escapes.
	blob=$(head -c $((FUZZ_RANDOM * 64)) /dev/urandom | od -An -v -tx1 | tr -d '\n')
	for ((i = 0, u = 0; i < FUZZ_RANDOM; i++)); do
		len=$((1 + RANDOM % 64))
		w=${blob:u * 3:len * 3}
		u=$((u + len))
		add "${w// /\\x}"
	done
}
part_fuzz() {
	local dev=${DEVS##* } k f r before bad=0 tried=0 st err
	quiesce || bad=1
	fuzz_corpus
	mark "fuzz"
	for st in offline online_movable unplugged; do
		set_state $dev $st
		snapshot $dev
		before=$SNAP
		for ((k = 0; k < ${#FUZZ[@]}; k++)); do
			pick hotplug state
			f=$REPLY
			put $BUS/$dev/$f '%b' "${FUZZ[k]}"
			tried=$((tried + 1))
			[ "$REPLY" = EINVAL ] ||
				{ echo "# $st, $f, input $k ('${FUZZ[k]:0:80}'): $REPLY"; bad=1; }
			snapshot $dev
			[ "$SNAP" = "$before" ] ||
				{ echo "# $st, $f, input $k ('${FUZZ[k]:0:80}') changed the device"; bad=1; before=$SNAP; }
		done
	done
	figure fuzz-inputs-tried $tried
	ktest "fuzz: $tried invalid inputs refused with EINVAL, nothing changed" [ $bad = 0 ]
	ktest "fuzz: kernel log clean" log_clean fuzz
}

# --- permissions -----------------------------------------------------------
part_perms() {
	local dev=${DEVS%% *} b f v r before bad=0 n=0 out st
	quiesce || bad=1
	set_state $dev online_movable
	mark "perms"
	snapshot $dev
	before=$SNAP
	out=$(su -s /bin/sh nobody -c "id -u; cat $BUS/$dev/hotplug $BUS/$dev/state")
	ktest "perms: user nobody reads hotplug and state" \
		[ "$out" = "$(printf '65534\nonline_movable\nonline_movable')" ]
	out=$(su -s /bin/sh nobody -c "
		for f in $BUS/$dev/hotplug $BUS/$dev/state; do
			for v in offline unplug online_kernel; do
				echo \$v 2>&1 > \$f | grep -c 'Permission denied'
			done
		done" 2>&1 | tr '\n' ' ')
	ktest "perms: user nobody cannot write hotplug or state (EACCES): $out" \
		[ "$out" = "1 1 1 1 1 1 " ]
	pick ${BLK[$dev]}
	out=$(su -s /bin/sh nobody -c "echo offline > $MEMSYS/memory$REPLY/state" 2>&1)
	ktest "perms: user nobody cannot write memoryN/state" contains "$out" "Permission denied"
	snapshot $dev
	ktest "perms: nothing changed" [ "$SNAP" = "$before" ]
	# As root, every writable file of each of the device's blocks (the same
	# files are reached through /sys/devices/system/node/nodeN/memoryM), with
	# the device online and offline.  Refused (EBUSY, EINVAL) or a no-op.
	for st in online_movable offline; do
		set_state $dev $st
		snapshot $dev
		before=$SNAP
		for b in ${BLK[$dev]}; do
			for f in $(find $MEMSYS/memory$b/ -type f -perm -200); do
				for v in offline online online_kernel online_movable 0 1 add remove change; do
					put $f $v
					n=$((n + 1))
					case "$REPLY" in ok|EBUSY|EINVAL) ;; *) echo "# $f '$v': $REPLY"; bad=1 ;; esac
					snapshot $dev
					[ "$SNAP" = "$before" ] ||
						{ echo "# $st: $f '$v' changed the device"; bad=1; before=$SNAP; }
				done
			done
		done
	done
	figure root-writes-under-memory-blocks $n
	ktest "perms: as root, $n writes to the managed blocks' files changed nothing" [ $bad = 0 ]
	ktest "perms: kernel log clean" log_clean perms
}

# --- unload under load ------------------------------------------------------
hammer() {	# hammer DEV: no-op, refused and invalid writes until $ST/stop
	local a=$BUS/$1/hotplug s x
	read -r s < $a
	while [ ! -e $ST/stop ]; do
		pick $s $s bogus online_x
		put $a $REPLY
		read -r x 2> /dev/null < $a
	done
}
part_unload() {
	local st d pids bad=0 m0 n=0 i
	quiesce || bad=1
	# All unplugged, all offline: everything goes and modprobe brings the
	# devices back.  Then online_movable, online_kernel and offline: the
	# offline memory goes, the online memory stays online with a log line.
	for st in "unplugged unplugged unplugged" "offline offline offline" \
		  "online_movable $KERNEL offline"; do
		i=0
		for d in $DEVS; do
			i=$((i + 1))
			set_state $d $(echo $st | cut -d' ' -f$i) || { echo "# cannot set $d"; bad=1; }
		done
		m0=$(memtotal)
		mark "unload $st"
		rm -f $ST/stop
		pids=
		for d in $DEVS $DEVS; do hammer $d & pids="$pids $!"; done
		sleep 1
		rmmod kmem || { echo "# rmmod kmem failed"; bad=1; }
		: > $ST/stop
		wait $pids
		n=$((n + 1))
		case "$st" in
		online*)
			[ "$(memtotal)" = "$m0" ] || { echo "# $st: MemTotal $(memtotal), was $m0"; bad=1; }
			[ "$(dmesg | sed -n "/stress: unload $st/,\$p" | grep -c 'cannot be hotremoved until the next reboot')" = 2 ] ||
				{ echo "# $st: want one log line for each online device"; bad=1; }
			[ "$(kmem_resources_print | wc -l)" = 2 ] || { echo "# $st: want the 2 online devices' resources"; bad=1; }
			set -- $DEVS
			for b in ${BLK[$3]}; do
				[ -d $MEMSYS/memory$b ] && { echo "# $st: memory$b of offline $3 left"; bad=1; }
			done
			;;
		*)
			[ "$(memtotal)" = "$BASE_KB" ] || { echo "# $st: MemTotal $(memtotal), want $BASE_KB"; bad=1; }
			kmem_resources
			[ -z "$REPLY" ] || { echo "# $st: kmem resources left"; bad=1; }
			for d in $DEVS; do
				for b in ${BLK[$d]}; do
					[ -d $MEMSYS/memory$b ] && { echo "# $st: memory$b left"; bad=1; }
				done
			done
			modprobe kmem claim_at_probe=1 || bad=1
			;;
		esac
		log_clean "unload $st" || bad=1
	done
	figure rmmod-under-load $n
	ktest "unload: rmmod kmem with writers active, in every state: no crash, no block or resource left, a log line for memory that stays" [ $bad = 0 ]
	# Nothing that this run allocated is left unreferenced: kmemleak (on
	# the debug kernels) reports an object on the second scan that finds
	# it so, and only once it is 5 s old.  The boot cleared its list
	# before the tests; kmem's data for memory that stays online is not a
	# leak (kmemleak_not_leak()).
	if [ -w $LEAKS ]; then
		sleep 6
		echo scan > $LEAKS
		echo scan > $LEAKS
		n=$(grep -c '^unreferenced object' $LEAKS)
		figure kmemleak-unreferenced-objects $n
		head -n 40 $LEAKS | sed 's/^/# /'
		ktest "unload: kmemleak finds no leak after the run" [ $n = 0 ]
	else
		ktap_test_skip "unload: kmemleak finds no leak (this kernel has no kmemleak)"
	fi
}

case " $PARTS " in *" concurrency "*) n=4 ;; *) n=0 ;; esac
case " $PARTS " in *" faults "*) n=$((n + 3)) ;; esac
case " $PARTS " in *" fuzz "*) n=$((n + 2)) ;; esac
case " $PARTS " in *" perms "*) n=$((n + 6)) ;; esac
case " $PARTS " in *" unload "*) n=$((n + 2)) ;; esac
ktap_print_header
ktap_set_plan $((n + 1))
mark start
if ! setup; then
	ktap_test_fail "setup: three devices bound to kmem"
	ktap_finished
	exit
fi
ktap_test_pass "setup: $DEVS (256, 384, 384 MiB) bound to kmem and managed"
ktap_print_msg "baseline MemTotal $BASE_KB kB, block $BLOCK_KB kB"
for p in $PARTS; do
	t=$(now)
	part_$p
	figure "seconds-$p" $(($(now) - t))
done
figure kernel-reports $(cat $ST/reports 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
figure seconds $(($(now) - T0))
ktap_finished
