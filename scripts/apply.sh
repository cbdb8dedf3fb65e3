#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply.sh [DIR]: make DIR (default work/check) a checkout of "base" with every
# patch of patches/series applied by git am, one commit each.  Fails naming the
# first patch that does not apply cleanly.  The patches are applied in a scratch
# worktree (work/am) and DIR then checks out the result, so that only files that
# differ from DIR's previous checkout are rewritten and builds stay incremental.
. "$(dirname "$0")/lib.sh"

dir=${1:-$CHECK}
scratch=$WORK/am
# One apply at a time (make check, make stress and make bench may overlap).
mkdir -p "$WORK"
exec 9> "$WORK/apply.lock"
flock 9

worktree() {	# worktree PATH: a detached worktree of $TREE at PATH
	if [ ! -e "$1/.git" ]; then
		rm -rf "$1"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$1" base
	fi
}

worktree "$scratch"
cd "$scratch"
git am --abort >/dev/null 2>&1 || true
git checkout -q --detach base
git reset -q --hard base
git clean -qfdx

n=0
while read -r p; do
	if ! git am -q --whitespace=error-all "$p" >"$WORK/am.log" 2>&1; then
		cat "$WORK/am.log" >&2
		git am --abort >/dev/null 2>&1 || true
		die "patch $(basename "$p") does not apply cleanly to $(git log -1 --format=%s base)"
	fi
	n=$((n + 1))
done < <(series_patches)
tip=$(git rev-parse HEAD)

worktree "$dir"
git -C "$dir" reset -q --hard
git -C "$dir" clean -qfdx
git -C "$dir" checkout -q --detach "$tip"
log "applied $n patch(es) on top of base; $dir is at ${tip:0:12}"
