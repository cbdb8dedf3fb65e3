#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scan-log.sh CONSOLE-LOG: print every kernel report (WARNING, BUG, Oops,
# lockdep, KASAN, kmemleak, hung task, RCU stall, panic) with its context and
# exit 1 if there is any.
log=${1:?usage: scan-log.sh CONSOLE-LOG}
pat='WARNING:|BUG:|Oops|general protection fault|Kernel panic|kernel BUG|'
pat+='possible circular locking|possible recursive locking|inconsistent lock state|'
pat+='DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|'
pat+='KASAN|UBSAN|kmemleak: .*new suspected memory leaks|kmemleak report:|INFO: task .* blocked|'
pat+='rcu: INFO|detected stall|soft lockup|hard LOCKUP|list_(add|del) corruption|'
pat+='ODEBUG: .*(object|activate|destroy|free)'
hits=$(grep -nE "$pat" "$log" | cut -d: -f1)
[ -z "$hits" ] && exit 0
shown=0
for n in $hits; do
	[ "$n" -le "$shown" ] && continue
	echo "---- kernel report at $log:$n"
	sed -n "$((n > 3 ? n - 3 : 1)),$((n + 40))p" "$log"
	shown=$((n + 40))
done
exit 1
