#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tree.sh: give the developer work/linux on branch "series" = base + patches/.
# Refuses to throw away commits or changes that were not exported yet.
. "$(dirname "$0")/lib.sh"

cd "$TREE"
if git rev-parse -q --verify refs/heads/series >/dev/null; then
	if [ -n "$(git status --porcelain)" ]; then
		die "$TREE has uncommitted changes; commit them and run 'make export' first"
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	copy_layout "$tmp"
	git checkout -q series
	"$ROOT/scripts/export.sh" "$TREE" "$tmp" >/dev/null
	if ! diff -rq "$PATCHES" "$tmp" >/dev/null; then
		die "branch 'series' in $TREE differs from patches/: 'make export' first, or delete the branch (git -C $TREE branch -D series)"
	fi
	log "$TREE: branch 'series' already matches patches/"
	exit 0
fi
git checkout -q -b series base
while read -r p; do
	git am -q "$p" || { git am --abort; die "patch $(basename "$p") does not apply"; }
done < <(series_patches)
log "$TREE: branch 'series' = base + $(series_patches | wc -l) patch(es); edit, commit, then 'make export'"
