#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# export.sh [TREE [OUTDIR]]: write the commits base..HEAD of TREE (default: the
# developer tree) as git format-patch files plus "series" into OUTDIR (default
# patches/).  The cover letter's subject, date and text are kept from the
# existing OUTDIR/0000-cover-letter.patch; its shortlog and diffstat are
# regenerated.  The first line of OUTDIR/series names the base's Debian version.  Output is reproducible: exporting what apply.sh applied gives
# byte-identical files.
. "$(dirname "$0")/lib.sh"

src=${1:-$TREE}
out=$(realpath -m "${2:-$PATCHES}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

n=$(git -C "$src" rev-list --count base..HEAD)
if [ "$n" -gt 0 ]; then
	# A fixed abbreviation: the default depends on how many objects the repo has.
	git -C "$src" -c core.abbrev=12 format-patch -q --zero-commit --no-signature --cover-letter \
		-o "$tmp" base..HEAD
fi

old=$out/0000-cover-letter.patch
new=$tmp/0000-cover-letter.patch
if [ -f "$new" ] && [ -f "$old" ]; then
	# The shortlog groups commits by author; the blurb ends where it starts.
	author=$(git -C "$src" log -1 --format=%an HEAD)
	python3 - "$old" "$new" "$author" <<'PY'
import re, sys
old, new, author = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
head, _, body = old.partition('\n\n')
subject = re.search(r'^Subject: \[PATCH[^\]]*\] (.*)$', head, re.M).group(1)
date = re.search(r'^Date: .*$', head, re.M).group(0)
blurb = re.split(r'^' + re.escape(author) + r' \(\d+\):$', body, maxsplit=1, flags=re.M)[0]
new = new.replace('*** SUBJECT HERE ***', subject, 1)
new = new.replace('*** BLURB HERE ***\n\n', blurb.rstrip('\n') + '\n\n', 1)
new = re.sub(r'^Date: .*$', lambda m: date, new, count=1, flags=re.M)
open(sys.argv[2], 'w').write(new)
PY
fi

# Replace the old patch files, keep anything else in OUTDIR.
if [ -f "$out/series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		rm -f "$out/$p"
	done < "$out/series"
fi
# A kernel series records, as its first line, the Debian version of the base
# it was exported on (check.sh compares byte for byte only on that base).
sub=$(git -C "$src" log -1 --format=%s base)
: > "$out/series"
case "$sub" in
*" from Debian $BASE_PKG "*)
	echo "# base: Debian $BASE_PKG ${sub##* }" >> "$out/series"
	echo "# The patches apply with git am, in this order, to that base and to newer 6.12.y." >> "$out/series"
	;;
esac
for f in "$tmp"/*.patch; do
	[ -e "$f" ] || continue
	b=$(basename "$f")
	cp "$f" "$out/$b"
	[ "$b" = 0000-cover-letter.patch ] || echo "$b" >> "$out/series"
done
log "exported $n patch(es) from $src to $out"
