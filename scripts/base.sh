#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's linux-source-6.12 once into $TREE and make it a git tree whose
# first commit (tag "base") is the pristine source.  When the installed
# version changes (a newer 6.12.y, or BASE_VERSION=), the old tree is kept
# aside as work/linux-VERSION, never overwritten, and taken back when that
# version is installed again.
. "$(dirname "$0")/lib.sh"

ver=$(base_version)
[ -n "$ver" ] && [ -f "$BASE_TARBALL" ] || die "$BASE_PKG is not installed (run scripts/deps.sh)"

if [ -f "$WORK/base.version" ] && [ -d "$TREE/.git" ]; then
	old=$(cat "$WORK/base.version")
	[ "$old" = "$ver" ] && exit 0
	# Keep the old tree (make tree's branch may hold work) as $TREE-$old;
	# the worktrees and builds of the old base go.
	log "the base is now $ver (tree has $old): moving the old tree to $TREE-$old"
	rm -rf "$CHECK" "$WORK/am" "$BUILD" "$TREE-$old"
	mv "$TREE" "$TREE-$old"
	if [ -d "$TREE-$ver/.git" ]; then
		log "using the tree of $ver kept as $TREE-$ver"
		mv "$TREE-$ver" "$TREE"
		git -C "$TREE" worktree prune
		echo "$ver" > "$WORK/base.version"
		exit 0
	fi
fi

unpack() {
	rm -rf "$TREE" "$TREE.tmp" "$CHECK"
	mkdir -p "$TREE.tmp"
	tar -xaf "$BASE_TARBALL" -C "$TREE.tmp" --strip-components=1
	# Debian's top-level .gitignore ends with "/*" and "!/debian/" for its
	# packaging repository: every top-level path would be ignored.  Drop them.
	sed -i -e '\#^/\*$#d' -e '\#^!/debian/$#d' "$TREE.tmp/.gitignore"
	mv "$TREE.tmp" "$TREE"
}

commit() {
	project_identity
	# A fixed date (the tarball's own) makes the base commit id the same on
	# every machine that unpacks the same package version.
	local date
	date="@$(stat -c %Y "$BASE_TARBALL") +0000"
	cd "$TREE"
	git init -q -b base-tree
	git config user.name "$GIT_NAME"
	git config user.email "$GIT_EMAIL"
	git config gc.auto 0
	# Track every file of the tarball: Debian's .gitignore also lacks the
	# kernel's "!.gitattributes"-style exceptions to its ".*" rule.
	git add -A -f
	GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git commit -q -m "Linux $(make -s kernelversion) from Debian $BASE_PKG $ver" \
		-m "Pristine $BASE_TARBALL; only the Debian packaging rules (\"/*\", \"!/debian/\") were removed from the top-level .gitignore."
	git tag -f base >/dev/null
	[ "$(git ls-files | wc -l)" -gt 50000 ] || die "base commit holds too few files: .gitignore rule not neutralised?"
}

mkdir -p "$WORK"
step "unpack $BASE_TARBALL ($ver)" unpack
step "commit the pristine base" commit
echo "$ver" > "$WORK/base.version"
