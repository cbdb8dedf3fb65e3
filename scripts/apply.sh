#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apply.sh DIR: make DIR a checkout of "base" with every patch of patches/series
# applied by git am, one commit each.  Fails naming the first patch that does not
# apply cleanly.  DIR is a git worktree of $TREE (created if missing).
. "$(dirname "$0")/lib.sh"

dir=${1:-$CHECK}
if [ ! -e "$dir/.git" ]; then
	rm -rf "$dir"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$dir" base
fi
cd "$dir"
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
log "applied $n patch(es) on top of base in $dir"
