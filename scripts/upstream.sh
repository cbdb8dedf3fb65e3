#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# upstream.sh: make check-upstream (make check runs it too).  The postings of
# upstream/<version>/, the fixes the series owes mainline, against Debian's
# linux-source-<version> (the newest <version> in upstream/):
#   1. Debian serves mainline sources in its experimental suite; if apt does
#      not know that suite, an entry is derived from the machine's own Debian
#      entry (same mirror and key) and pinned at priority 1, so that nothing
#      else is ever installed from it;
#   2. the newest version of the package (or UPSTREAM_VERSION=<Debian
#      version>) is installed and unpacked into work/upstream/linux;
#   3. every posting applies with git am, and exporting the result gives the
#      postings back (byte for byte on the recorded version);
#   4. checkpatch --strict on every patch (allowlist upstream/<version>/
#      checkpatch.allow);
#   5. the objects the postings touch build with W=1, with the harness's
#      config fragments less the options that tree does not have (listed);
#   6. unless UPSTREAM_BOOT=0 (make check sets it: CI has the time for 1-5
#      only), the whole kernel with those fragments boots under qemu and runs
#      that tree's own dax and memory-hotplug kselftests (mainline's
#      dax-kmem-hotplug.sh and the postings' dax-kmem-remove-race.sh) and
#      the harness's small_range.sh (the dax bus and kmem fixes of posting
#      B); a second boot with an emulated CXL memory device runs
#      cxl_reset_race.sh (posting C); their logs are scanned for WARNING, BUG
#      and lockdep reports.
# Prints PASS/FAIL lines on stdout, progress on stderr.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dir=$(find "$ROOT/upstream" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' 2>/dev/null | sort -V | tail -n 1)
[ -n "$dir" ] || { echo "FAIL upstream: no upstream/<version>/ postings"; exit 1; }
ver=$(basename "$dir")
export BASE_PKG=linux-source-$ver PATCHES=$dir WORK=$ROOT/work/upstream
unset BUILD
. "$ROOT/scripts/lib.sh"
. "$ROOT/scripts/guards.sh"
exec 3>&1 1>&2
pass() { echo "PASS upstream $ver: $*" >&3; }
fail() { echo "FAIL upstream $ver: $*" >&3; }
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo

# 1. Debian's experimental suite.
experimental() {
	apt-cache policy | grep -q 'a=experimental,' && return 0
	local src=/etc/apt/sources.list.d/debian.sources
	[ -f "$src" ] || die "no $src to derive the experimental suite's entry from"
	python3 - "$src" <<'PY' | $SUDO tee /etc/apt/sources.list.d/harness-experimental.sources >/dev/null
import sys
# The first deb822 stanza with a main suite: same Types, URIs, key.
for stanza in open(sys.argv[1]).read().split('\n\n'):
    f = dict(l.split(':', 1) for l in stanza.splitlines() if ':' in l and not l.startswith(' '))
    if 'deb' in f.get('Types', '') and 'security' not in f.get('URIs', '') + f.get('Suites', ''):
        print('Types: deb')
        print('URIs:' + f['URIs'])
        print('Suites: experimental')
        print('Components: main')
        if 'Signed-By' in f:
            print('Signed-By:' + f['Signed-By'])
        break
else:
    sys.exit('no Debian entry in ' + sys.argv[1])
PY
	printf 'Package: *\nPin: release a=experimental\nPin-Priority: 1\n' |
		$SUDO tee /etc/apt/preferences.d/harness-experimental >/dev/null
	step "apt-get update (with experimental)" $SUDO apt-get update -qq
}
step "Debian's experimental suite in apt" experimental || { fail "apt knows Debian's experimental suite"; exit 1; }
rec=$(sed -n "s/^# base: Debian $BASE_PKG //p" "$PATCHES/series" | head -n 1)
# BASE_VERSION is the 6.12 base's; UPSTREAM_VERSION=<Debian version> picks this one.
export BASE_VERSION=${UPSTREAM_VERSION:-$(apt-cache policy "$BASE_PKG" | sed -n 's/^ *Candidate: //p')}
[ -n "$BASE_VERSION" ] && [ "$BASE_VERSION" != "(none)" ] || { fail "Debian serves $BASE_PKG"; exit 1; }
newest=$(apt-cache pkgnames linux-source- | sed -n 's/^linux-source-\([0-9][0-9.]*\)$/\1/p' | sort -V | tail -n 1)
[ "$newest" = "$ver" ] || log "note: Debian serves linux-source-$newest, newer than upstream/$ver: rebase the postings"

# 2. The source.
step "install $BASE_PKG $BASE_VERSION" "$ROOT/scripts/deps.sh" || { fail "$BASE_PKG $BASE_VERSION installs"; exit 1; }
step "base tree" "$ROOT/scripts/base.sh" || { fail "the base tree unpacks"; exit 1; }
log "upstream base: Debian $BASE_PKG $(base_version), Linux $(make -s -C "$TREE" kernelversion) (postings exported on ${rec:-?})"

# 3. Apply, and the round trip.
n=$(series_patches | wc -l)
if step "apply upstream/$ver/series" "$ROOT/scripts/apply.sh" "$CHECK"; then
	pass "$n patch(es) apply to Debian's $BASE_PKG $(base_version) with git am"
else
	fail "the postings apply to Debian's $BASE_PKG $(base_version)"
	exit 0
fi
roundtrip "upstream $ver" "$WORK/roundtrip" >&3

# 4. checkpatch, from the upstream tree.
checkpatch_series "upstream $ver" "$PATCHES/checkpatch.allow" >&3

# 5. The objects the postings touch, W=1.
mapfile -t objs < <(git -C "$CHECK" diff --name-only base HEAD -- '*.c' | sed 's/\.c$/.o/')
frags=$WORK/fragments.config
: > "$frags"
dropped=()
grep -rhoE '^(menu)?config [A-Za-z0-9_]+' --include='Kconfig*' "$TREE" | awk '{ print $2 }' |
	sort -u > "$WORK/kconfig.symbols"
for f in "$ROOT"/config/guest.config "$ROOT"/config/cxl.config "$ROOT"/config/tiering.config "$ROOT"/config/debug.config; do
	while IFS= read -r line; do
		sym=$(sed -n 's/^\(# \)\?CONFIG_\([A-Za-z0-9_]*\).*/\2/p' <<< "$line")
		if [ -n "$sym" ] && ! grep -qxF "$sym" "$WORK/kconfig.symbols"; then
			dropped+=("$sym")
			continue
		fi
		echo "$line" >> "$frags"
	done < "$f"
done
log "config options the $ver tree does not have, left out: ${dropped[*]:-none}"
build() {
	CONFIG_BASE=$frags BUILD_TARGETS="${objs[*]}" KMAKE_ARGS="W=1" \
		"$ROOT/scripts/build.sh" "$CHECK" "$WORK/build" > "$WORK/build.log" 2>&1 ||
		{ tail -n 30 "$WORK/build.log"; return 1; }
	! grep -E '\.[ch]:[0-9]+:[0-9]+: (warning|error):' "$WORK/build.log"
}
if step "build ${objs[*]} (W=1)" build; then
	pass "the ${#objs[@]} objects the postings touch build, W=1 clean"
else
	fail "the objects the postings touch build W=1 clean (see $WORK/build.log)"
fi

# 6. The boot.
[ "${UPSTREAM_BOOT:-1}" = 1 ] || { log "UPSTREAM_BOOT=0: no boot of the $ver kernel"; exit 0; }
boot_kernel() {
	CONFIG_BASE=$frags "$ROOT/scripts/build.sh" "$CHECK" "$BUILD" > "$WORK/build-boot.log" 2>&1 ||
		{ tail -n 30 "$WORK/build-boot.log"; return 1; }
}
if ! step "build the $ver kernel" boot_kernel; then
	fail "the $ver kernel with the postings builds (see $WORK/build-boot.log)"
	exit 0
fi
if ! step "pack the initramfs" "$ROOT/scripts/initramfs.sh" "$CHECK" "$BUILD"; then
	fail "the initramfs of the $ver kernel packs"
	exit 0
fi
# As the mainline-state boot of make check: mainline's test on dax0.0 (not its
# destructive unbind part), lpj= and a cleared log for its own log checks.
# small_range.sh uses only what mainline has; it leaves memory online for good,
# so it comes last.
run_boot "upstream-$ver" "lpj=10376000 harness.clearlog harness.timeout=1500 harness.env.DAX_KMEM_TEST_DEV=dax0.0" \
	"tests/kselftest_dax.sh,tests/mem_on_off.sh,tests/small_range.sh" "" >&3 || fail "boot upstream-$ver produced its results"
# Posting C: the cxl boot's reset race (cxl_up.sh builds the device with
# Debian's cxl, ndctl and daxctl; hold_unbind holds the release of the
# region's driver between the reset's two checks).
run_boot "upstream-$ver-cxl" "memhp_default_state=offline harness.daxdev=dax0.0" \
	"tests/cxl_up.sh,tests/cxl_reset_race.sh" cxl >&3 || fail "boot upstream-$ver-cxl produced its results"
