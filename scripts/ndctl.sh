#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ndctl.sh: build the patched daxctl (userspace/ndctl/ applied to ndctl 76.1,
# the source of Debian 12's daxctl) into work/ndctl/build.
#   1. verify the tarball's SHA-256 ($SHARED/ndctl/, the checksum Debian's .dsc lists)
#   2. unpack it once into work/ndctl/src as a git tree, first commit tagged "base"
#   3. check out "base" and apply userspace/ndctl/series with git am (fails naming
#      the patch); only files that differ are rewritten, so builds stay incremental
#   4. meson + ninja (ccache), daxctl and its libraries only, docs off; the binary
#      finds its own libdaxctl in /opt/ndctl/lib (rpath), where initramfs.sh packs it
# "ndctl.sh each" then builds daxctl at every patch (one PASS/FAIL line each);
# "ndctl.sh roundtrip" checks that exporting the applied series reproduces
# userspace/ndctl byte for byte; "ndctl.sh docs" builds the daxctl man pages
# (needs asciidoctor, which make check does not install).
. "$(dirname "$0")/lib.sh"

NDCTL_TARBALL=${NDCTL_TARBALL:-$SHARED/ndctl/ndctl_76.1.orig.tar.gz}
NDCTL_SHA256=05e9737c3775241617a0cb51c559e60f66ccf6144175a5649f422403dc758656
NDCTL_PATCHES=$ROOT/userspace/ndctl
NDCTL=$WORK/ndctl
src=$NDCTL/src
build=$NDCTL/build

verify() {
	[ -f "$NDCTL_TARBALL" ] || die "ndctl source missing: $NDCTL_TARBALL (set SHARED=)"
	echo "$NDCTL_SHA256  $NDCTL_TARBALL" | sha256sum -c --quiet - ||
		die "$NDCTL_TARBALL: SHA-256 is not Debian's ($NDCTL_SHA256)"
}

unpack() {
	[ "$(git -C "$src" rev-parse -q --verify base 2>/dev/null)" ] && return 0
	rm -rf "$src"
	mkdir -p "$src"
	tar -xzf "$NDCTL_TARBALL" -C "$src" --strip-components=1
	cd "$src"
	git init -q
	git add -A
	git -c user.name=harness -c user.email=harness@localhost commit -q \
		-m "ndctl 76.1 ($(basename "$NDCTL_TARBALL"))"
	git tag base
}

apply() {
	local p n=0
	cd "$src"
	project_identity
	git am --abort >/dev/null 2>&1 || true
	git checkout -q --detach base
	git reset -q --hard base
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		if ! git -c user.name="$GIT_NAME" -c user.email="$GIT_EMAIL" \
			am -q --whitespace=error-all "$NDCTL_PATCHES/$p" > "$NDCTL/am.log" 2>&1; then
			cat "$NDCTL/am.log" >&2
			git am --abort >/dev/null 2>&1 || true
			die "ndctl patch $p does not apply to ndctl 76.1"
		fi
		n=$((n + 1))
	done < "$NDCTL_PATCHES/series"
	log "ndctl: $n patch(es) applied"
}

build() {
	if [ ! -f "$build/build.ninja" ]; then
		CC="ccache gcc" meson setup "$build" "$src" -Dversion-tag=76.1+hotplug \
			-Ddocs=disabled -Dasciidoctor=disabled -Dlibtracefs=disabled \
			-Dsystemd=disabled -Dkeyutils=disabled \
			-Dc_link_args=-Wl,-rpath,/opt/ndctl/lib > "$NDCTL/setup.log" ||
			{ cat "$NDCTL/setup.log"; return 1; }
	fi
	ninja -C "$build" daxctl/daxctl > "$NDCTL/build.log" 2>&1 || { cat "$NDCTL/build.log"; return 1; }
	# No compiler warning is acceptable in what the series touches.
	if grep -E 'warning:' "$NDCTL/build.log"; then
		log "ndctl build has warnings (above)"
		return 1
	fi
}

# each: build daxctl at every patch of the applied series, in a scratch
# worktree (work/ndctl/am) and build directory (work/ndctl/build-each)
each() {
	local c i=0 subj
	[ -e "$NDCTL/am/.git" ] || { rm -rf "$NDCTL/am"; git -C "$src" worktree prune;
		git -C "$src" worktree add -q --detach "$NDCTL/am" base; }
	for c in $(git -C "$src" rev-list --reverse base..HEAD); do
		i=$((i + 1))
		subj=$(git -C "$src" log -1 --format=%s "$c")
		git -C "$NDCTL/am" checkout -q --detach "$c"
		if src=$NDCTL/am build=$NDCTL/build-each build; then
			echo "PASS ndctl patch $i builds ($subj)"
		else
			echo "FAIL ndctl patch $i builds ($subj)"
		fi
	done
}

# roundtrip: exporting the applied commits gives userspace/ndctl byte for byte
roundtrip() {
	local rt=$NDCTL/roundtrip
	rm -rf "$rt"
	mkdir -p "$rt"
	cp "$NDCTL_PATCHES/0000-cover-letter.patch" "$rt/"
	"$ROOT/scripts/export.sh" "$src" "$rt" > /dev/null
	diff -r "$NDCTL_PATCHES" "$rt"
}

# docs: the daxctl man pages (asciidoctor, not installed by deps.sh) into
# work/ndctl/build-docs, failing on any asciidoctor warning
docs() {
	local d=$NDCTL/build-docs pages
	command -v asciidoctor > /dev/null || die "docs need asciidoctor (apt-get install asciidoctor)"
	[ -f "$d/build.ninja" ] || CC="ccache gcc" meson setup "$d" "$src" -Ddocs=enabled \
		-Dasciidoctor=enabled -Dlibtracefs=disabled -Dsystemd=disabled \
		-Dkeyutils=disabled > "$NDCTL/docs-setup.log" || { cat "$NDCTL/docs-setup.log"; return 1; }
	pages=$(cd "$src/Documentation/daxctl" && ls daxctl*.txt | sed 's|^\(.*\)\.txt$|Documentation/daxctl/\1.1|')
	ninja -C "$d" $pages > "$NDCTL/docs.log" 2>&1 || { cat "$NDCTL/docs.log"; return 1; }
	! grep -iE 'warning|error' "$NDCTL/docs.log"
	log "man pages in $d/Documentation/daxctl (man -l FILE.1)"
}

case "${1:-build}" in
build)
	step "verify ndctl 76.1 source checksum" verify
	step "unpack ndctl 76.1 into $src" unpack
	step "apply userspace/ndctl/series" apply
	step "build daxctl (meson, ninja)" build
	log "daxctl: $("$build/daxctl/daxctl" version 2>/dev/null || echo '?') in $build/daxctl"
	;;
each) each ;;
roundtrip) roundtrip ;;
docs) step "daxctl man pages (asciidoctor)" docs ;;
*) die "usage: ndctl.sh [build|each|roundtrip|docs]" ;;
esac
