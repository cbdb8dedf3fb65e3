#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""results.py [--kunit] SRC RUNDIR: turn one guest run into PASS/FAIL/SKIP lines.

KUnit results come from the kernel console (console.log); each guest test's
output sits in results.log between "@@BEGIN name" and "@@END name rc=N".  Both
are parsed with the kernel's own KTAP parser (tools/testing/kunit/kunit_parser).
Every leaf test becomes one line "PASS|FAIL|SKIP <run>: <test path>".  A test
program that crashed, timed out, printed no KTAP or exited with an error that
its KTAP does not explain is a FAIL.
With --kunit, KUnit results are reported too (make check does it for its
first boot only, as every boot runs the same suites).
"""
import os
import re
import sys

args = [a for a in sys.argv[1:] if a != '--kunit']
with_kunit = '--kunit' in sys.argv[1:]
src, rundir = args[0], args[1]
sys.path.insert(0, os.path.join(src, 'tools/testing/kunit'))
import kunit_parser  # noqa: E402
from kunit_parser import TestStatus  # noqa: E402
import kunit_printer  # noqa: E402

# The parser prints its own progress report; keep only our lines.
kunit_parser.stdout = kunit_printer.Printer(open(os.devnull, 'w'))

run = os.path.basename(rundir.rstrip('/'))
out = []


def emit(status, name, why=''):
    out.append(f'{status} {run}: {name}' + (f' ({why})' if why else ''))


def leaves(test, path, root=True):
    name = path if root or not test.name else f'{path}: {test.name}'
    if test.subtests:
        for sub in test.subtests:
            yield from leaves(sub, name, False)
    else:
        yield name, test


def parse(lines):
    return kunit_parser.parse_run_tests(lines)


def report(test, prefix, rc=None):
    """Emit one line per leaf; return the number of failing leaves."""
    failed = 0
    found = False
    for name, leaf in leaves(test, prefix):
        if leaf is test and not test.subtests and test.status == TestStatus.NO_TESTS:
            continue
        found = True
        st = leaf.status
        if st == TestStatus.SUCCESS:
            emit('PASS', name)
        elif st == TestStatus.SKIPPED:
            emit('SKIP', name)
        else:
            emit('FAIL', name, st.name.lower())
            failed += 1
    return found, failed


# KUnit suites built into the kernel, from the console.
with open(os.path.join(rundir, 'console.log'), errors='replace') as f:
    console = f.read().splitlines()
if with_kunit and any('KTAP version' in line for line in console):
    report(parse(console), 'kunit')

# Guest test programs.
with open(os.path.join(rundir, 'results.log'), errors='replace') as f:
    res = f.read().splitlines()
planned = []
chunks = {}
cur = None
for line in res:
    if line.startswith('@@PLAN '):
        planned = [t for t in line[7:].split(',') if t]
    elif line.startswith('@@BEGIN '):
        cur = line[8:]
        chunks[cur] = {'lines': [], 'rc': None}
    elif line.startswith('@@END ') and cur:
        m = re.search(r'rc=(\d+)', line)
        chunks[cur]['rc'] = int(m.group(1)) if m else None
        cur = None
    elif cur:
        chunks[cur]['lines'].append(line)

for t in planned:
    label = os.path.basename(t)
    c = chunks.get(t)
    if c is None or c['rc'] is None:
        emit('FAIL', label, 'did not finish')
        continue
    rc = c['rc']
    if not any(re.search(r'(K?TAP version|^1\.\.\d)', ln) for ln in c['lines']):
        if rc == 4:
            emit('SKIP', label, 'exit 4')
        else:
            emit('FAIL' if rc else 'PASS', label, f'exit {rc}, no KTAP output')
        continue
    found, failed = report(parse(c['lines']), label)
    if not found:
        # "1..0 # SKIP reason": the whole program skipped.
        skip = [ln for ln in c['lines'] if re.match(r'1\.\.0\s*#\s*SKIP', ln)]
        emit('SKIP' if skip else 'FAIL', label, skip[0] if skip else f'exit {rc}, no results')
    elif rc not in (0, 4) and not failed:
        emit('FAIL', label, f'exit {rc}')

print('\n'.join(out))
