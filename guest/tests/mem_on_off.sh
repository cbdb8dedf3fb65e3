#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel's memory-hotplug selftest prints no KTAP: one result from its
# exit status as kselftest's runner reads it (0 pass, 4 skip), its output as
# diagnostics.
. /tests/lib.sh
t=/kselftest/memory-hotplug/mem-on-off-test.sh
ktap_print_header
ktap_set_plan 1
(cd "$(dirname $t)" && ./"$(basename $t)") > /tmp/mem-on-off.out 2>&1
rc=$?
sed 's/^/# /' /tmp/mem-on-off.out
case $rc in
0) ktap_test_pass "mem-on-off-test.sh" ;;
4) ktap_test_skip "mem-on-off-test.sh" ;;
*) ktap_test_fail "mem-on-off-test.sh (exit $rc)" ;;
esac
ktap_finished
