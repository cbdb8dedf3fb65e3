# SPDX-License-Identifier: GPL-2.0
# Shared settings and helpers for the harness scripts.  Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$ROOT/work}
BASE_PKG=${BASE_PKG:-linux-source-6.12}
BASE_TARBALL=/usr/src/$BASE_PKG.tar.xz
TREE=$WORK/linux          # git tree: commit "base" + the series (make tree)
CHECK=$WORK/check         # worktree of $TREE that make check applies patches/ to
BUILD=${BUILD:-$WORK/build}
PATCHES=${PATCHES:-$ROOT/patches}
# Material shared by the machines of the project, beside this repository:
# mainline's state selftest (mainline-7.3/), ndctl's source tarball (ndctl/).
SHARED=${SHARED:-$(cd "$ROOT/.." && pwd)/shared}
MAINLINE_DAX=$SHARED/mainline-7.3/tools/testing/selftests/dax
JOBS=${JOBS:-$(nproc)}

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=$WORK
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Fixed build identity so that init/version.c and friends hit the cache too.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=harness KBUILD_BUILD_HOST=guest

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "error: $*" >&2; exit 1; }

# step "what" cmd...: run a long step, say what it is and how long it took.
# The command runs as a background job, so that "set -e" applies inside the
# functions it calls (bash ignores it for commands whose status is tested).
step() {
	local what=$1 t0=$SECONDS rc=0 pid
	shift
	log "$what ..."
	"$@" &
	pid=$!
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		log "$what: FAILED (exit $rc) after $((SECONDS - t0))s"
		return "$rc"
	fi
	log "$what: done in $((SECONDS - t0))s"
}

# The patches of the series, in order, as paths.
series_patches() {
	local p
	[ -f "$PATCHES/series" ] || return 0
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		echo "$PATCHES/$p"
	done < "$PATCHES/series"
}

base_version() { dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null; }
# copy_layout DIR: what export.sh keeps from patches/ (series, cover letters,
# an allowlist that lives there), so that an export into DIR reproduces it.
copy_layout() {
	local f
	[ -f "$PATCHES/series" ] && cp "$PATCHES/series" "$1/"
	[ -f "$PATCHES/checkpatch.allow" ] && cp "$PATCHES/checkpatch.allow" "$1/"
	for f in "$PATCHES"/0000-cover-letter.patch "$PATCHES"/*/0000-cover-letter.patch; do
		[ -f "$f" ] || continue
		mkdir -p "$1/$(dirname "${f#"$PATCHES"/}")"
		cp "$f" "$1/${f#"$PATCHES"/}"
	done
}
# The Debian version of the base that patches/ were exported on: the header
# line "# base: Debian linux-source-6.12 VERSION" of patches/series.
# boot_tip TREE: the commit whose kernel boots: TREE's HEAD less the patches
# of the RFC postings at the end of $PATCHES/series (a cover letter whose
# subject says "[RFC PATCH"), which are built and checked but not booted;
# BOOT_RFC=1 boots HEAD.
boot_tip() {
	local n=0 d
	if [ -z "${BOOT_RFC:-}" ] && [ -f "$PATCHES/series" ]; then
		while read -r d; do
			grep -q '^Subject: \[RFC PATCH' "$PATCHES/$d/0000-cover-letter.patch" 2>/dev/null || break
			n=$((n + $(grep -c "^$d/" "$PATCHES/series")))
		done < <(grep -v '^#' "$PATCHES/series" | sed -n 's|/.*||p' | uniq | tac)
	fi
	git -C "$1" rev-parse "HEAD~$n"
}
# checkout_boot_tip: check out boot_tip in $CHECK (make stress, make bench).
checkout_boot_tip() {
	git -C "$CHECK" checkout -q --detach "$(boot_tip "$CHECK")"
	log "the kernel: $(git -C "$CHECK" log -1 --format='%h %s')"
}
series_base() { sed -n "s/^# base: Debian $BASE_PKG //p" "$PATCHES/series" 2>/dev/null | head -n 1; }

project_identity() {
	git -C "$ROOT" config user.name >/dev/null 2>&1 || git -C "$ROOT" config user.name "dax-hotplug project"
	git -C "$ROOT" config user.email >/dev/null 2>&1 || git -C "$ROOT" config user.email "dax-hotplug@localhost"
	GIT_NAME=$(git -C "$ROOT" config user.name)
	GIT_EMAIL=$(git -C "$ROOT" config user.email)
}

# guest_timeout ARGS: how long a check boot with kernel arguments ARGS may run:
# GUEST_TIMEOUT (default 900) seconds, but always 300 s more than the limit
# that guest/init gives each test (harness.timeout=, default 600; three times
# that on a KASAN kernel), so that a test's own limit, not the guest's, ends
# a test that hangs.
guest_timeout() {
	local w per=600 min
	for w in $1; do
		case "$w" in harness.timeout=*) per=${w#*=} ;; esac
	done
	grep -qx 'CONFIG_KASAN=y' "$BUILD/.config" 2>/dev/null && per=$((per * 3))
	min=$((per + 300))
	echo $((${GUEST_TIMEOUT:-900} > min ? ${GUEST_TIMEOUT:-900} : min))
}

kmake() { make -s -C "$1" O="$2" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "${@:3}"; }

# run_boot NAME ARGS TESTS PROFILE [--kunit]: boot BUILD's kernel in qemu, run
# TESTS (comma-separated) and print one "PASS|FAIL|SKIP what" line per result
# on stdout: the guest finished, each KTAP result (and KUnit's with --kunit;
# the other boots run with KUnit off), and the kernel log scan.  Progress and
# reports go to stderr.  Exits non-zero when a result could not be produced.
RESULTS_PY=${RESULTS_PY:-$ROOT/scripts/results.py}
run_boot() {
	local name=$1 dir=$WORK/runs/$1 args=$2 rc=0
	[ "${5:-}" = --kunit ] || args="kunit.enable=0 $args"
	if step "boot '$name' and run its tests" env GUEST_PROFILE="$4" \
		"$ROOT/scripts/run-guest.sh" "$name" check "$args" "$3" >&2; then
		echo "PASS boot $name: guest finished"
	else
		echo "FAIL boot $name: guest finished"
	fi
	[ -f "$dir/results.log" ] || { echo "FAIL boot $name: no results.log"; return 1; }
	python3 "$RESULTS_PY" ${5:-} "$CHECK" "$dir" || rc=$?
	[ "$rc" = 0 ] || { echo "FAIL boot $name: results parser exited $rc"; return "$rc"; }
	if "$ROOT/scripts/scan-log.sh" "$dir/console.log" >&2; then
		echo "PASS boot $name: kernel log has no WARNING/BUG/lockdep/KASAN report"
	else
		echo "FAIL boot $name: kernel log has reports (printed above)"
	fi
}
