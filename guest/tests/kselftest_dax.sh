#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dax kselftests as kselftest's own runner runs them: the collection, in
# its default order, with the timeout of its settings file (times
# HARNESS_SLOW, which guest/init sets to 3 on a KASAN kernel).
t=$(sed -n 's/^timeout=//p' /kselftest/dax/settings)
exec /kselftest/run_kselftest.sh -c dax -o $((t * ${HARNESS_SLOW:-1}))
