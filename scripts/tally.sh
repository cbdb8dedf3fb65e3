# SPDX-License-Identifier: GPL-2.0
# tally.sh: how make check counts results.  Sourced by check.sh and by the
# harness self-tests (selftest.sh), which run these functions on cases that
# must fail.
#   result ST NAME [DETAIL]   count one result; a SKIP that skips.allow does
#                             not list, or any SKIP while NOSKIP is set (a
#                             "noskip" boot), counts as a FAIL
#   collect WHAT CMD...       the "PASS|FAIL|SKIP text" lines CMD prints become
#                             results; CMD failing, or ending early, is a FAIL

SKIPS=${SKIPS:-$ROOT/skips.allow}
RESULTS=${RESULTS:-/dev/null}
PASSED=0 FAILED=0 SKIPPED=0

# skip_listed TEXT: a line "PATTERN | reason" of $SKIPS matches TEXT (the
# result's text after "SKIP ").  "*" in PATTERN matches anything; every other
# character matches itself.
skip_listed() {
	local pat reason
	while IFS='|' read -r pat reason; do
		case "$pat" in ''|'#'*) continue ;; esac
		pat=${pat%"${pat##*[![:space:]]}"}
		[ -n "$pat" ] && [ -n "${reason// /}" ] || continue
		pat=${pat//\\/\\\\}
		pat=${pat//\[/\\[}
		pat=${pat//\?/\\?}
		pat=${pat//\(/\\(}
		pat=${pat//\)/\\)}
		# shellcheck disable=SC2053
		[[ $1 == $pat ]] && return 0
	done < "$SKIPS"
	return 1
}

result() {
	local st=$1 name=$2 detail=${3:-}
	if [ "$st" = SKIP ]; then
		if [ -n "${NOSKIP:-}" ] && ! [[ ${PREFIX:-} == kasan- && $name == *"KASAN kernel:"* ]]; then
			st=FAIL detail="${detail:+$detail; }skipped in a noskip boot"
		elif ! skip_listed "$name${detail:+ ($detail)}"; then
			st=FAIL detail="${detail:+$detail; }a skip that $(basename "$SKIPS") does not list"
		fi
	fi
	printf '%s %s%s\n' "$st" "$name" "${detail:+ ($detail)}" | tee -a "$RESULTS"
	case "$st" in
	PASS) PASSED=$((PASSED + 1)) ;;
	SKIP) SKIPPED=$((SKIPPED + 1)) ;;
	*) FAILED=$((FAILED + 1)) ;;
	esac
}

# The producer runs as a background job so that "set -e" holds inside it, and
# its exit status is passed on as a last line: a producer that dies half way
# (a parser crash, a failing command under set -e) leaves a FAIL behind.
# Call it as a command of its own, never in a condition (if, &&, ||): bash
# ignores set -e in everything a condition runs, background jobs included.
collect() {
	local what=$1 st rest rc=
	shift
	while IFS= read -r line; do
		st=${line%% *} rest=${line#* }
		case "$st" in
		@@rc) rc=$rest ;;
		PASS|FAIL|SKIP) result "$st" "$rest" ;;
		*) echo "$line" >&2 ;;
		esac
	done < <(r=0; (set -e; "$@") </dev/null & wait $! || r=$?; echo "@@rc $r")
	[ "$rc" = 0 ] || result FAIL "$what: exited ${rc:-without a status}, its results are incomplete"
}
