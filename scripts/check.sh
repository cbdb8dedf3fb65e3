#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh: the whole test suite (make check).  Every check prints one line
# PASS/FAIL/SKIP (scripts/tally.sh counts them; a skip that skips.allow does
# not list fails); the run ends with the base, "N skipped, all listed" and
# "check: N passed, N failed".
#   1. install what is missing (BASE_VERSION= picks the base), unpack the base
#   2. the series applies to the base (git am); the harness's self-tests; the
#      series round-trips through export
#   3. checkpatch --strict on every patch (allowlist: checkpatch.allow)
#   4. every patch builds the series' source files on top of its predecessors;
#      sparse and W=1 report nothing new on them relative to the base
#   5. the tip builds fully (config fragments, out of tree, ccache)
#   5b. the patched daxctl (userspace/ndctl, scripts/ndctl.sh) builds at every patch
#   6. each boot in guest/boots: qemu guest, KUnit and guest tests parsed with
#      the kernel's KTAP parser, kernel log free of reports
. "$(dirname "$0")/lib.sh"
. "$ROOT/scripts/tally.sh"
. "$ROOT/scripts/guards.sh"

# KASAN=1: the same suite on a KASAN kernel, built in work/build-kasan.  The
# static checks do not depend on the configuration and are skipped.
if [ "${KASAN:-0}" = 1 ]; then
	export BUILD=$WORK/build-kasan
	export CONFIG_FRAGMENTS="$ROOT/config/kasan.config ${CONFIG_FRAGMENTS:-}"
	export GUEST_TIMEOUT=${GUEST_TIMEOUT:-2400}
	# Three times RCU's CPU stall limit (21 s), as the guest triples its
	# per-test limits: the cxl profile's ACPI interrupt routing runs for about
	# 30 s without rescheduling, and a stop_machine() waiting for it starved
	# RCU's kthread for 26 s (docs/kasan.md).
	export GUEST_KERNEL_ARGS="rcupdate.rcu_cpu_stall_timeout=63"
	QUICK=${QUICK:-KASAN=1}
	PREFIX=kasan-	# boots write work/runs/kasan-NAME
fi
T0=$SECONDS
RESULTS=$WORK/check${PREFIX:+-kasan}.results
mkdir -p "$WORK"
: > "$RESULTS"

finish() {
	log "make check took $((SECONDS - T0))s; results in $RESULTS"
	echo "base: Debian $BASE_PKG $(base_version) (patches/ exported on $(series_base))"
	echo "$SKIPPED skipped, all listed in $(basename "$SKIPS")"
	echo "check: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit
}

step "install build and guest dependencies" "$ROOT/scripts/deps.sh"
step "base tree" "$ROOT/scripts/base.sh"
log "kernel base: Debian $BASE_PKG $(base_version), Linux $(make -s -C "$TREE" kernelversion)"

# 2. The series applies.
if step "apply patches/series to the base" "$ROOT/scripts/apply.sh" "$CHECK"; then
	result PASS "series: $(series_patches | wc -l) patch(es) apply to the base with git am"
else
	result FAIL "series: applies to the base" "see the git am output above"
	finish
fi
mapfile -t COMMITS < <(git -C "$CHECK" rev-list --reverse base..HEAD)
TIP=$(git -C "$CHECK" rev-parse HEAD)
# The kernel that boots is the tip of the postings meant for merging
# (boot_tip: RFC postings at the end are built and checked, not booted).
BOOT_TIP=$(boot_tip "$CHECK")
nrfc=$(git -C "$CHECK" rev-list --count "$BOOT_TIP..HEAD")
[ "$nrfc" = 0 ] || log "the $nrfc patch(es) of RFC postings at the end are built, not booted: the kernel boots at $(git -C "$CHECK" log -1 --format='%h %s' "$BOOT_TIP")"

# The harness's own logic, on cases that must fail (scripts/selftest.sh).
collect "harness self-tests" "$ROOT/scripts/selftest.sh"

# The series round-trips through export.  On the base it was exported on,
# byte for byte; on another base, in what a base cannot change: messages
# and changed lines (scripts/patchcmp.py).
collect "round trip" roundtrip series "$WORK/roundtrip${PREFIX:+-kasan}"

# For quick iterations: QUICK=1 skips checkpatch, the per-patch builds and
# sparse/W=1 (each reported as SKIP); BOOTS="a b" runs only those boots.
if [ -n "${QUICK:-}" ]; then
	result SKIP "checkpatch, per-patch builds, sparse and W=1" "QUICK=$QUICK"
fi

# 3. checkpatch.
[ -n "${QUICK:-}" ] || collect "checkpatch" checkpatch_series series

# 5. The tip builds fully (without RFC postings); this is also the kernel the
# guest boots.
git -C "$CHECK" checkout -q --detach "$BOOT_TIP"
what="tip of the series"
[ "$nrfc" = 0 ] || what="tip of the series without its RFC postings ($nrfc patches)"
if step "build the tip" "$ROOT/scripts/build.sh" "$CHECK" "$BUILD"; then
	result PASS "build: $what (bzImage and modules)"
else
	result FAIL "build: $what" "see the build output above"
	finish
fi

# Every symbol the series exports is in Module.symvers with the namespace
# its EXPORT_SYMBOL line names, and no module imports a "module:" namespace
# by hand (later loaders refuse that).
git -C "$CHECK" diff base "$BOOT_TIP" > "$WORK/series.diff"
if exports_check "$WORK/series.diff" "$BUILD/Module.symvers" > "$WORK/exports.out"; then
	result PASS "exports: $(cat "$WORK/exports.out")"
else
	cat "$WORK/exports.out"
	result FAIL "exports: every symbol the series exports, in its namespace"
fi
bad=$(find "$BUILD/mods" -name '*.ko' -exec modinfo -F import_ns {} + | grep '^module:' || true)
if [ -z "$bad" ]; then
	result PASS "exports: no module imports a module: namespace"
else
	result FAIL "exports: modules import $bad"
fi

# 4. Bisectability, sparse and W=1, on the C files the series touches.
mapfile -t OBJS < <(git -C "$CHECK" diff --name-only base "$TIP" -- '*.c' |
	while read -r f; do [ -f "$BUILD/${f%.c}.o" ] && echo "${f%.c}.o"; done)
# These builds check out older commits in the scratch worktree that apply.sh
# used, never in work/check, so that the tip build stays incremental.
SCRATCH=$WORK/am
objs_at() {	# objs_at COMMIT BUILDDIR [make args]: build OBJS that exist at COMMIT
	local c=$1 dir=$2 o objs=()
	shift 2
	git -C "$SCRATCH" checkout -q --detach "$c"
	for o in "${OBJS[@]}"; do
		[ -f "$SCRATCH/${o%.o}.c" ] && objs+=("$o")
	done
	mkdir -p "$dir"
	cp "$BUILD/.config" "$dir/.config"
	kmake "$SCRATCH" "$dir" olddefconfig >/dev/null &&
		kmake "$SCRATCH" "$dir" "$@" "${objs[@]}"
}
# modpost_at COMMIT: modpost, as a full build at COMMIT would run it, on every
# module of the build: the touched ones as objs_at built them at COMMIT, the
# others from the tip.  vmlinux's exports at COMMIT are the tip's, less those
# of the touched built-in objects at the tip, plus theirs at COMMIT (given to
# modpost as a partial vmlinux.o).  So a module that uses a symbol a later
# patch exports, or a namespace it does not import, fails where it breaks.
# (A composite module whose parts the series touched would need linking
# first; the series has none: kmem, test_memory_notifier are one file each.)
modpost_at() {
	local d=$WORK/modpost o src builtins=() tipobjs=()
	rm -rf "$d"
	mkdir -p "$d"
	for o in "${OBJS[@]}"; do
		grep -qxF "$o" "$BUILD/modules.order" && continue
		tipobjs+=("$BUILD/$o")
		[ -f "$SCRATCH/${o%.o}.c" ] && builtins+=("$WORK/build-bisect/$o")
	done
	nm "${tipobjs[@]}" | sed -n 's/.* __export_symbol_//p' | sort -u > "$d/touched"
	awk -F '\t' 'NR == FNR { t[$1]; next } $3 == "vmlinux" && !($2 in t)' \
		"$d/touched" "$BUILD/Module.symvers" > "$d/Module.symvers"
	ld -r -o "$d/vmlinux.o" "${builtins[@]}"
	while read -r o; do
		src=$BUILD/$o
		if printf '%s\n' "${OBJS[@]}" | grep -qxF "$o"; then
			[ -f "$SCRATCH/${o%.o}.c" ] || continue
			src=$WORK/build-bisect/$o
		fi
		mkdir -p "$d/$(dirname "$o")"
		cp "$src" "$d/$o"
		echo "$o" >> "$d/modules.order"
	done < "$BUILD/modules.order"
	modpost_run
}
# modpost_run: modpost on what modpost_at put in $WORK/modpost.
modpost_run() {
	(cd "$WORK/modpost" && "$BUILD/scripts/mod/modpost" -M -E -i Module.symvers \
		-o out.symvers -T modules.order vmlinux.o)
}
build_patch() { objs_at "$1" "$WORK/build-bisect" && modpost_at "$1"; }
if [ -n "${QUICK:-}" ]; then
	:
elif [ ${#OBJS[@]} -eq 0 ]; then
	result SKIP "build: each patch on its predecessors" "the series touches no C file"
	result SKIP "sparse and W=1: nothing new on touched files" "the series touches no C file"
else
	log "objects the series touches: ${OBJS[*]}"
	i=0 unbuilt=()
	for c in "${COMMITS[@]}"; do
		i=$((i + 1))
		subj=$(git -C "$CHECK" log -1 --format=%s "$c")
		# A patch that touches only Documentation/ and tools/ leaves the
		# kernel of its predecessor: nothing to build.
		if ! builds_kernel "$CHECK" "$c"; then
			unbuilt+=("$i")
			continue
		fi
		if step "build patch $i, modpost" build_patch "$c" 2> "$WORK/bisect.log"; then
			result PASS "build and modpost: patch $i ($subj)"
		else
			tail -n 30 "$WORK/bisect.log"
			result FAIL "build and modpost: patch $i ($subj)"
		fi
		# The check can fail: at patch 1, the tip's kmem.ko uses exports
		# that only later patches add.
		if [ $i = 1 ]; then
			cp "$BUILD/drivers/dax/kmem.o" "$WORK/modpost/drivers/dax/kmem.o"
			out=$(modpost_run 2>&1 || true)
			if grep -qE 'ERROR: modpost: "[^"]+" \[drivers/dax/kmem.ko\] undefined' <<< "$out"; then
				result PASS "harness: modpost at patch 1 refuses the tip's kmem.ko (later exports undefined)"
			else
				result FAIL "harness: modpost at patch 1 accepts the tip's kmem.ko"
			fi
		fi
	done
	[ ${#unbuilt[@]} -eq 0 ] ||
		result PASS "build and modpost: patches ${unbuilt[*]} touch only Documentation/ and tools/ (the kernel of their predecessor)"
	warnings() {	# warnings COMMIT FILE: sparse + W=1 diagnostics, no line numbers
		objs_at "$1" "$WORK/build-w1" C=2 W=1 > "$2.raw" 2>&1 ||
			{ tail -n 30 "$2.raw"; return 1; }
		grep -E '(warning|error):' "$2.raw" | sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' |
			sort -u > "$2"
	}
	wb=0 wt=0
	step "sparse and W=1 at the base" warnings base "$WORK/w1.base" || wb=$?
	step "sparse and W=1 at the tip" warnings "$TIP" "$WORK/w1.tip" || wt=$?
	rc=0
	new_diagnostics "$wb" "$WORK/w1.base" "$wt" "$WORK/w1.tip" > "$WORK/w1.new" || rc=$?
	cat "$WORK/w1.new"
	case $rc in
	0) result PASS "sparse and W=1: nothing new on ${OBJS[*]}" ;;
	1) result FAIL "sparse and W=1: new diagnostics" "$(wc -l < "$WORK/w1.new")" ;;
	*) result FAIL "sparse and W=1: the build at the base or the tip failed" "see above" ;;
	esac
fi

# Without memory hot-remove the series' dax and memory hotplug code builds
# too, with no new warning: kmem then offers no attribute and must not claim
# devices at probe.
nohotremove() {
	local log=$WORK/build-nohotremove.log
	CONFIG_FRAGMENTS="$ROOT/config/nohotremove.config" KMAKE_ARGS=W=1 \
	BUILD_TARGETS="drivers/dax/kmem.o drivers/dax/bus.o drivers/base/memory.o mm/memory_hotplug.o" \
		"$ROOT/scripts/build.sh" "$CHECK" "$WORK/build-nohotremove" > "$log" 2>&1 ||
		{ tail -n 30 "$log"; return 1; }
	# Compiler diagnostics only (Kconfig says "override" for the fragment).
	! grep -E '\.[ch]:[0-9]+:[0-9]+: (warning|error):' "$log"
}
if [ -n "${QUICK:-}" ]; then
	:
elif step "build without CONFIG_MEMORY_HOTREMOVE" nohotremove; then
	result PASS "build: dax and memory hotplug objects without CONFIG_MEMORY_HOTREMOVE, W=1 clean"
else
	result FAIL "build: dax and memory hotplug objects without CONFIG_MEMORY_HOTREMOVE"
fi

# The patched daxctl (userspace/ndctl on Debian's ndctl 76.1): the source's
# checksum, the series applies and round-trips, daxctl builds without warnings
# at every patch; initramfs.sh packs it for the daxctl boots.
nseries=$(grep -c '^[^#]' "$ROOT/userspace/ndctl/series")
if step "patched daxctl: verify, apply, build" "$ROOT/scripts/ndctl.sh"; then
	result PASS "ndctl: $nseries patch(es) apply to ndctl 76.1 (SHA-256 verified), daxctl builds without warnings"
	if "$ROOT/scripts/ndctl.sh" roundtrip > "$WORK/ndctl-roundtrip.diff"; then
		result PASS "ndctl: export after apply reproduces userspace/ndctl byte for byte"
	else
		head -n 30 "$WORK/ndctl-roundtrip.diff"
		result FAIL "ndctl: export after apply reproduces userspace/ndctl" "diff in $WORK/ndctl-roundtrip.diff"
	fi
	if [ -z "${QUICK:-}" ]; then
		collect "ndctl: daxctl at every patch" "$ROOT/scripts/ndctl.sh" each
	fi
else
	result FAIL "ndctl: userspace/ndctl applies to ndctl 76.1 and daxctl builds" "see the output above"
fi

# The fixes the series owes mainline (upstream/<version>/) on Debian's newest
# mainline source: apply, round trip, checkpatch, objects with W=1.
if [ -n "${QUICK:-}" ]; then
	result SKIP "upstream postings (QUICK=$QUICK)"
else
	UPSTREAM_BOOT=0 collect "upstream postings" "$ROOT/scripts/upstream.sh"
fi

# 6. Guest boots, BOOT_JOBS (default 2) at a time: a TCG guest running its
# tests keeps about one host core busy.  Each boot's output is kept in
# work/runs/NAME.{out,err,rc}; the results are counted in guest/boots order.
# The first boot runs KUnit, the others boot with it off.
BOOT_JOBS=${BOOT_JOBS:-2}
step "pack the initramfs" "$ROOT/scripts/initramfs.sh" "$CHECK" "$BUILD" || { result FAIL "initramfs"; finish; }
boot_job() {	# boot_job NAME ARGS...: run_boot into work/runs/NAME.*
	local out=$WORK/runs/$1 r=0
	(set -e; run_boot "$@") > "$out.out" 2> "$out.err" < /dev/null &
	wait $! || r=$?
	echo "$r" > "$out.rc"
}
boot_results() {	# boot_results NAME: what boot_job kept, and its status
	local out=$WORK/runs/$1
	cat "$out.err" >&2
	cat "$out.out"
	return "$(cat "$out.rc")"
}
mkdir -p "$WORK/runs"
names=() kunit=--kunit
declare -A noskip=() pid=()
while IFS='|' read -r name args tests profile flags; do
	name=$(echo $name)
	case "$name" in ''|'#'*) continue ;; esac
	# BOOTS="a b" runs only those boots (KUnit then in the first of them).
	case " ${BOOTS:-$name} " in *" $name "*) ;; *) continue ;; esac
	name=${PREFIX:-}$name
	case " $(echo $flags) " in *" noskip "*) noskip[$name]=1 ;; esac
	rm -f "$WORK/runs/$name".{out,err,rc}
	while [ "$(jobs -rp | wc -l)" -ge "$BOOT_JOBS" ]; do wait -n || true; done
	log "boot '$name' starts"
	boot_job "$name" "$(echo $args)" "$(echo $tests)" "$(echo $profile)" $kunit &
	pid[$name]=$!
	names+=("$name")
	kunit=
done < "$ROOT/guest/boots"
for name in "${names[@]}"; do
	wait "${pid[$name]}" || true
	NOSKIP=${noskip[$name]:-} collect "boot $name" boot_results "$name"
done

finish
