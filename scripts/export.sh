#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# export.sh [TREE [OUTDIR]]: write the commits base..HEAD of TREE (default: the
# developer tree) as git format-patch files plus "series" into OUTDIR (default
# patches/).
#
# The series is a sequence of postings, each a folder of OUTDIR with its own
# cover letter and numbering (A-mm-fixes/0000-cover-letter.patch, 0001-...).
# OUTDIR/series says which folder holds how many patches, in order; commits the
# tree has beyond that go to the last posting (move them by editing series).
# A cover letter's subject, date and text are kept from the existing one; its
# shortlog and diffstat are regenerated.  The first line of OUTDIR/series names
# the base's Debian version.  Output is reproducible: exporting what apply.sh
# applied gives byte-identical files.
. "$(dirname "$0")/lib.sh"

src=${1:-$TREE}
out=$(realpath -m "${2:-$PATCHES}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

mapfile -t commits < <(git -C "$src" rev-list --reverse base..HEAD)
n=${#commits[@]}

# The postings and their sizes, from the existing series (one flat posting "."
# when there is none).
dirs=() counts=()
if [ -f "$out/series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		d=$(dirname "$p")
		if [ "${#dirs[@]}" -gt 0 ] && [ "${dirs[-1]}" = "$d" ]; then
			counts[-1]=$((counts[-1] + 1))
		else
			dirs+=("$d") counts+=(1)
		fi
	done < "$out/series"
fi
[ "${#dirs[@]}" -gt 0 ] || dirs=(.) counts=(0)
listed=0
for c in "${counts[@]}"; do listed=$((listed + c)); done
if [ "$n" -lt "$listed" ]; then
	die "$src has $n commits, $out/series lists $listed: remove the lines of the patches you dropped or squashed from $out/series, then export again"
fi
if [ "$n" -gt "$listed" ]; then
	counts[-1]=$((counts[-1] + n - listed))
	[ "$listed" -eq 0 ] || log "the $((n - listed)) commit(s) beyond $out/series go to posting ${dirs[-1]}; edit $out/series to move them"
fi

# keep_blurb OLD NEW: the subject, date and text of cover letter OLD in NEW.
keep_blurb() {
	local author
	author=$(git -C "$src" log -1 --format=%an HEAD)
	python3 - "$1" "$2" "$author" <<'PY'
import re, sys
old, new, author = open(sys.argv[1]).read(), open(sys.argv[2]).read(), sys.argv[3]
head, _, body = old.partition('\n\n')
subject = re.search(r'^Subject: \[[^\]]*PATCH[^\]]*\] (.*)$', head, re.M).group(1)
date = re.search(r'^Date: .*$', head, re.M).group(0)
blurb = re.split(r'^' + re.escape(author) + r' \(\d+\):$', body, maxsplit=1, flags=re.M)[0]
new = new.replace('*** SUBJECT HERE ***', subject, 1)
new = new.replace('*** BLURB HERE ***\n\n', blurb.rstrip('\n') + '\n\n', 1)
new = re.sub(r'^Date: .*$', lambda m: date, new, count=1, flags=re.M)
open(sys.argv[2], 'w').write(new)
PY
}

first=0
for i in "${!dirs[@]}"; do
	d=${dirs[$i]} c=${counts[$i]}
	mkdir -p "$tmp/$d"
	if [ "$c" -gt 0 ]; then
		from=${commits[$first]} to=${commits[$((first + c - 1))]}
		# The subject prefix stays what the cover letter says ("RFC PATCH"
		# for a posting meant for discussion).
		prefix=PATCH
		if [ -f "$out/$d/0000-cover-letter.patch" ]; then
			prefix=$(sed -n 's/^Subject: \[\(.*PATCH\)[^]]*\].*/\1/p' "$out/$d/0000-cover-letter.patch" | head -n 1)
		fi
		# A fixed abbreviation: the default depends on how many objects the repo has.
		git -C "$src" -c core.abbrev=12 format-patch -q --zero-commit --no-signature \
			--subject-prefix="${prefix:-PATCH}" --cover-letter -o "$tmp/$d" "$from^..$to"
		if [ -f "$out/$d/0000-cover-letter.patch" ]; then
			keep_blurb "$out/$d/0000-cover-letter.patch" "$tmp/$d/0000-cover-letter.patch"
		fi
	fi
	first=$((first + c))
done

# Replace the old patch files and cover letters, keep anything else in OUTDIR.
if [ -f "$out/series" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		rm -f "$out/$p"
	done < "$out/series"
fi
# A kernel series records, as its first line, the Debian version of the base
# it was exported on (check.sh compares byte for byte only on that base).
sub=$(git -C "$src" log -1 --format=%s base)
: > "$out/series.new"
case "$sub" in
*" from Debian $BASE_PKG "*)
	echo "# base: Debian $BASE_PKG ${sub##* }" >> "$out/series.new"
	echo "# The patches apply with git am, in this order, to that base and to newer ${BASE_PKG#linux-source-}.y." >> "$out/series.new"
	;;
esac
for d in "${dirs[@]}"; do
	mkdir -p "$out/$d"
	for f in "$tmp/$d"/*.patch; do
		[ -e "$f" ] || continue
		b=$(basename "$f")
		cp "$f" "$out/$d/$b"
		[ "$b" = 0000-cover-letter.patch ] && continue
		if [ "$d" = . ]; then echo "$b"; else echo "$d/$b"; fi >> "$out/series.new"
	done
done
mv "$out/series.new" "$out/series"
log "exported $n patch(es) from $src to $out (${#dirs[@]} posting(s))"
