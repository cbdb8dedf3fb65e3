#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dax kselftests as kselftest's own runner runs them: the collection, in
# its default order, with the timeout of its settings file.
exec /kselftest/run_kselftest.sh -c dax
