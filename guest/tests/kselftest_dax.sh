#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dax kselftests as kselftest's own runner runs them: the collection, in
# its default order, with the timeout of its settings file (times
# HARNESS_SLOW, which guest/init sets to 3 on a KASAN kernel).  The runner
# keeps each test's output in /tmp/NAME (-p); it is printed back as KTAP
# nested under the runner's result line, so that every subtest counts.
t=$(sed -n 's/^timeout=//p' /kselftest/dax/settings)
/kselftest/run_kselftest.sh -p -c dax -o $((t * ${HARNESS_SLOW:-1})) > /tmp/runner.out 2>&1
rc=$?
echo "KTAP version 1"
grep -m 1 -E '^1\.\.[0-9]+$' /tmp/runner.out
grep -E '^(not )?ok [0-9]+ ' /tmp/runner.out | while IFS= read -r line; do
	name=$(echo "$line" | sed -E 's/^(not )?ok [0-9]+ selftests: dax: ([^ ]+).*/\2/')
	if [ -f "/tmp/$name" ]; then
		sed -e 's/^# \{0,1\}//' -e 's/^/    /' "/tmp/$name"
	else
		echo "# no log of $name in /tmp"
	fi
	echo "$line"
done
exit $rc
