# SPDX-License-Identifier: GPL-2.0
# guards.sh: static checks of make check whose logic the harness self-tests
# (selftest.sh) run on cases that must fail.  Sourced after lib.sh.

# checkpatch_report PATCH [ALLOW]: checkpatch --strict on PATCH, from the
# applied tree; prints every report that ALLOW (default checkpatch.allow)
# does not forgive by its patch, type and exact message, and every entry of
# ALLOW for PATCH that forgave nothing.  Returns 0 when clean, 1 with reports,
# 2 when checkpatch did not run to its end (it printed to stderr, printed no
# summary, or its summary, exit status and reports disagree).  Debian's python3
# runs checkpatch's helpers (spdxcheck.py needs python3-ply and python3-git).
CHECKPATCH=${CHECKPATCH:-scripts/checkpatch.pl}
checkpatch_report() {
	local p=$1 allow=${2:-$ROOT/checkpatch.allow} name out rc=0 reports total
	local -A forgive=() used=()
	name=$(basename "$p")
	out=$(cd "$CHECK" && PATH=/usr/bin:$PATH $CHECKPATCH --strict --show-types --emacs \
		"$p" 2> "$WORK/checkpatch.err") || rc=$?
	if [ -s "$WORK/checkpatch.err" ]; then
		echo "checkpatch printed to stderr:"
		head -n 5 "$WORK/checkpatch.err"
		return 2
	fi
	total=$(sed -nE 's/^total: ([0-9]+) errors, ([0-9]+) warnings, ([0-9]+) checks, .*/\1 \2 \3/p' <<< "$out")
	if [ -z "$total" ]; then
		echo "checkpatch exited $rc without its summary line"
		return 2
	fi
	reports=$(grep -E '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):[A-Z_0-9]+: ' <<< "$out" || true)
	set -- $total
	if [ $(($1 + $2 + $3)) != "$(grep -c . <<< "$reports")" ] ||
	   { [ $(($1 + $2 + $3)) = 0 ] && [ "$rc" != 0 ]; }; then
		echo "checkpatch's summary ($total), exit status ($rc) and reports disagree"
		return 2
	fi
	local pat msg reason key line bad=0
	while IFS='|' read -r pat msg reason; do
		pat=$(echo $pat)
		[ "$pat" = "$name" ] && [ -n "${reason// /}" ] || continue
		msg=${msg# }
		forgive["${msg% }"]=1
	done < <(grep -v '^#' "$allow")
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		key=$(sed -E 's/^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK)://' <<< "$line")
		if [ -n "${forgive[$key]:-}" ]; then
			used[$key]=1
		else
			echo "$line"
			bad=1
		fi
	done <<< "$reports"
	for key in "${!forgive[@]}"; do
		[ -n "${used[$key]:-}" ] && continue
		echo "$(basename "$allow"): entry for $name forgives no report: $key"
		bad=1
	done
	return $bad
}

# exports_check SERIES-DIFF SYMVERS: every symbol that the series exports
# (an EXPORT_SYMBOL*() line it adds) is in SYMVERS with the namespace the line
# names (none for EXPORT_SYMBOL*(), EXPORTED_FOR_KUNIT_TESTING for
# EXPORT_SYMBOL_IF_KUNIT(), which the harness's kernels build with KUnit).
# Prints what is wrong.
exports_check() {
	local diff=$1 symvers=$2 sym ns got bad=0 n=0
	while read -r sym ns; do
		n=$((n + 1))
		got=$(awk -F '\t' -v s="$sym" '$2 == s { print $5 "|" }' "$symvers")
		if [ -z "$got" ]; then
			echo "exported by the series, missing from Module.symvers: $sym"
			bad=1
		elif [ "$got" != "$ns|" ]; then
			echo "$sym: namespace '${got%|}', the series says '$ns'"
			bad=1
		fi
	done < <(sed -nE 's/^\+[[:space:]]*EXPORT_SYMBOL(_GPL)?\(([a-z0-9_]+)\);.*/\2/p;
		s/^\+[[:space:]]*EXPORT_SYMBOL_NS(_GPL)?\(([a-z0-9_]+), *"?([A-Za-z0-9_:]+)"?\);.*/\2 \3/p;
		s/^\+[[:space:]]*EXPORT_SYMBOL_IF_KUNIT\(([a-z0-9_]+)\);.*/\1 EXPORTED_FOR_KUNIT_TESTING/p' "$diff")
	[ "$n" -gt 0 ] || { echo "the series exports nothing: wrong diff?"; bad=1; }
	[ "$bad" = 0 ] && echo "$n symbol(s) exported as the series says"
	return $bad
}

# builds_kernel REPO COMMIT: COMMIT touches a file outside Documentation/ and
# tools/, so the kernel built at it may differ from its predecessor's.
builds_kernel() {
	git -C "$1" diff-tree --no-commit-id --name-only -r "$2" | grep -qvE '^(Documentation|tools)/'
}

# new_diagnostics BASE_RC BASE TIP_RC TIP: the sparse and W=1 diagnostics
# (files of lines, one per diagnostic) that TIP has and BASE has not.  The
# RCs are the builds' exit statuses: a build that failed has checked
# nothing, so it returns 2 whatever the files say; 1 when there is
# something new (printed), 0 when not.
new_diagnostics() {
	local new
	if [ "$1" != 0 ] || [ "$3" != 0 ]; then
		echo "the build at the base (status $1) or the tip (status $3) failed"
		return 2
	fi
	new=$(comm -13 <(sort -u "$2") <(sort -u "$4"))
	[ -z "$new" ] && return 0
	echo "$new"
	return 1
}

# checkpatch_series LABEL [ALLOW]: checkpatch_report on every patch of
# $PATCHES/series; one "PASS|FAIL LABEL: checkpatch --strict: NAME" line each
# on stdout, the reports on stderr.
checkpatch_series() {
	local label=$1 allow=${2:-} p name rc
	while read -r p; do
		name=${p#"$PATCHES"/}
		rc=0
		checkpatch_report "$p" $allow > "$WORK/checkpatch.out" || rc=$?
		case $rc in
		0) echo "PASS $label: checkpatch --strict: $name" ;;
		1) cat "$WORK/checkpatch.out" >&2
		   echo "FAIL $label: checkpatch --strict: $name ($(grep -c . "$WORK/checkpatch.out") report(s))" ;;
		*) cat "$WORK/checkpatch.out" >&2
		   echo "FAIL $label: checkpatch --strict: $name (checkpatch did not run to its end)" ;;
		esac
	done < <(series_patches)
}

# roundtrip LABEL RT: export $CHECK into RT, with the layout of $PATCHES, and
# compare: byte for byte on the base the series was exported on (the "# base:"
# line of its series file), else in what a base cannot change, messages and
# changed lines (scripts/patchcmp.py).  One "PASS|FAIL LABEL: ..." line on
# stdout; the differences in RT.diff and their start on stderr.
roundtrip() {
	local label=$1 rt=$2 rec name=${PATCHES#"$ROOT"/}
	rec=$(series_base)
	rm -rf "$rt" && mkdir -p "$rt"
	copy_layout "$rt"
	"$ROOT/scripts/export.sh" "$CHECK" "$rt" > /dev/null
	if [ "$rec" = "$(base_version)" ]; then
		if diff -r -x '*.orig' "$PATCHES" "$rt" > "$rt.diff"; then
			echo "PASS $label: export after apply reproduces $name/ byte for byte"
		else
			head -n 30 "$rt.diff" >&2
			echo "FAIL $label: export after apply reproduces $name/ (diff in $rt.diff)"
		fi
	elif python3 "$ROOT/scripts/patchcmp.py" "$PATCHES" "$rt" > "$rt.diff"; then
		echo "PASS $label: export on $(base_version) matches $name/ (exported on ${rec:-?}) in messages and changed lines"
		log "note: $name/ was exported on ${rec:-?}, the base is $(base_version): run 'make tree' and 'make export' to refresh it" >&2
	else
		head -n 30 "$rt.diff" >&2
		echo "FAIL $label: export on $(base_version) changes messages or lines of $name/ (diff in $rt.diff)"
	fi
}
