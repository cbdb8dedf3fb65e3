#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""results.py [--kunit] SRC RUNDIR: turn one guest run into PASS/FAIL/SKIP lines.

KUnit results come from the kernel console (console.log); each guest test's
output sits in results.log between "@@BEGIN name" and "@@END name rc=N".  Both
are parsed with the kernel's own KTAP parser (tools/testing/kunit/kunit_parser).
Every leaf test becomes one line "PASS|FAIL|SKIP <run>: <test path>".  A test
program that crashed, timed out, printed no KTAP (whatever its exit status),
fell short of its plan or exited with an error that its KTAP does not explain
is a FAIL.  With --kunit, KUnit's results are reported, and a console without
them is a FAIL (make check runs KUnit in one boot; the others turn it off).
results.py --selftest SRC: the parser's own cases, each of which must come out
as written here (make check runs it first).
"""
import os
import re
import sys

args = [a for a in sys.argv[1:] if not a.startswith('--')]
with_kunit = '--kunit' in sys.argv[1:]
src = args[0]
sys.path.insert(0, os.path.join(src, 'tools/testing/kunit'))
import kunit_parser  # noqa: E402
from kunit_parser import TestStatus  # noqa: E402
import kunit_printer  # noqa: E402

# The parser prints its own progress report; keep only our lines.  Linux
# 6.12's parser prints to the module's stdout Printer; later ones (7.3) take
# a printer argument and have a null_printer.
QUIET = getattr(kunit_printer, 'null_printer', None)
if QUIET is None:
    kunit_parser.stdout = kunit_printer.Printer(open(os.devnull, 'w'))

out = []


def emit(status, name, why=''):
    out.append(f'{status} {run}: {name}' + (f' ({why})' if why else ''))


# KUnit prints from a late initcall while other CPUs keep booting, so their
# messages ("Freeing initrd memory", ...) land between KTAP lines.  The
# kernel's parser stops understanding a suite when one lands between
# "KTAP version" and "# Subtest:", and reports it as crashed.  KTAP lines are
# indented or start with a KTAP keyword; other kernel messages do neither.
TIMESTAMP = re.compile(r'^(\[[^\]]*\] ?)+')
KTAP_LINE = re.compile(r'^(\s+\S|KTAP version|TAP version|ok |not ok |1\.\.|#)')


def kunit_lines(console):
    started = False
    for line in console:
        line = TIMESTAMP.sub('', line)
        started = started or line.startswith(('KTAP version', 'TAP version'))
        if started and KTAP_LINE.match(line):
            yield line


def kunit_runs(console):
    """The KUnit runs of a console, one list of lines each: the built-in
    suites at boot, then one run for each module with suites that loads
    (each starts with its own unindented KTAP header)."""
    runs = []
    for line in kunit_lines(console):
        if line.startswith(('KTAP version', 'TAP version')) or not runs:
            runs.append([])
        runs[-1].append(line)
    return runs


def leaves(test, path, root=True):
    name = path if root or not test.name else f'{path}: {test.name}'
    if test.subtests:
        for sub in test.subtests:
            yield from leaves(sub, name, False)
    else:
        yield name, test


def parse(lines):
    if QUIET is None:
        return kunit_parser.parse_run_tests(lines)
    return kunit_parser.parse_run_tests(lines, QUIET)


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


def selftest():
    """Parse a small KUnit run with a foreign message on every line."""
    ktap = ['KTAP version 1', '1..2',
            '    KTAP version 1', '    # Subtest: suite_a', '    # module: m', '    1..2',
            '        KTAP version 1', '        # Subtest: param_test',
            '        ok 1 "x"', '        ok 2 "y"',
            '    # param_test: pass:2 fail:0 skip:0 total:2',
            '    ok 1 param_test', '    ok 2 plain_test',
            '# suite_a: pass:2 fail:0 skip:0 total:2', 'ok 1 suite_a',
            '    KTAP version 1', '    # Subtest: suite_b', '    1..1',
            '    not ok 1 failing_test', 'not ok 2 suite_b']
    want = ['PASS t: kunit: suite_a: param_test: "x"',
            'PASS t: kunit: suite_a: param_test: "y"',
            'PASS t: kunit: suite_a: plain_test',
            'FAIL t: kunit: suite_b: failing_test (failure)']
    bad = 0
    for pos in range(1, len(ktap)):
        lines = ['Booting'] + ktap[:pos] + ['Freeing initrd memory: 11900K'] + ktap[pos:]
        lines = [f'[    1.{i:06d}] {ln}' for i, ln in enumerate(lines)]
        out.clear()
        report(parse(kunit_lines(lines)), 'kunit')
        if out != want:
            print(f'message after line {pos} ({ktap[pos - 1].strip()!r}): {out}')
            bad += 1
    # A module's suite runs when the module loads, later in the log, under
    # its own header: both runs count.
    module = ['KTAP version 1', '1..1', '    KTAP version 1', '    # Subtest: suite_m',
              '    1..1', '    not ok 1 module_test', 'not ok 1 suite_m']
    lines = ['Booting'] + ktap + ['Run /init as init process', 'kmem: loading'] + module
    out.clear()
    for r in kunit_runs(lines):
        report(parse(r), 'kunit')
    if out != want + ['FAIL t: kunit: suite_m: module_test (failure)']:
        print(f'a module\'s run after the built-in one: {out}')
        bad += 1
    return bad


def parse_run(rundir, kunit, console, res):
    """Emit the results of one run: KUnit's (with kunit) and each program's."""
    if kunit:
        if any('KTAP version' in line for line in console):
            for r in kunit_runs(console):
                report(parse(r), 'kunit')
        else:
            emit('FAIL', 'kunit', 'no KUnit output in the console')
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
    if not planned:
        emit('FAIL', 'tests', 'the guest announced no plan')
    for t in planned:
        label = os.path.basename(t)
        c = chunks.get(t)
        if c is None or c['rc'] is None:
            emit('FAIL', label, 'did not finish')
            continue
        rc = c['rc']
        if not any(re.search(r'(K?TAP version|^1\.\.\d)', ln) for ln in c['lines']):
            emit('FAIL', label, f'exit {rc}, no KTAP output')
            continue
        found, failed = report(parse(c['lines']), label)
        if not found:
            # "1..0 # SKIP reason": the whole program skipped.
            skip = [ln for ln in c['lines'] if re.match(r'1\.\.0\s*#\s*SKIP', ln)]
            emit('SKIP' if skip else 'FAIL', label, skip[0] if skip else f'exit {rc}, no results')
        elif rc not in (0, 4) and not failed:
            emit('FAIL', label, f'exit {rc}')


def run_selftest():
    """Whole runs that must come out as written: nested KTAP, a plan that
    is not met, a program without KTAP, a program that did not finish, a
    console without KUnit."""
    global run
    run = 't'
    nested = ['KTAP version 1', '1..2', '    KTAP version 1', '    1..2',
              '    ok 1 inner a', '    ok 2 inner b', 'ok 1 outer',
              'ok 2 plain # SKIP not here']
    cases = [
        ('nested KTAP', ['@@PLAN p', '@@BEGIN p'] + nested + ['@@END p rc=0'], False,
         ['PASS t: p: outer: inner a', 'PASS t: p: outer: inner b', 'SKIP t: p: plain']),
        ('plan not met', ['@@PLAN p', '@@BEGIN p', 'KTAP version 1', '1..3',
                          'ok 1 a', 'ok 2 b', '@@END p rc=0'], False, None),
        ('no KTAP, exit 0', ['@@PLAN p', '@@BEGIN p', 'all fine', '@@END p rc=0'], False,
         ['FAIL t: p (exit 0, no KTAP output)']),
        ('no KTAP, exit 4', ['@@PLAN p', '@@BEGIN p', '@@END p rc=4'], False,
         ['FAIL t: p (exit 4, no KTAP output)']),
        ('did not finish', ['@@PLAN p,q', '@@BEGIN p', 'KTAP version 1', '1..1', 'ok 1 a',
                            '@@END p rc=0', '@@BEGIN q', 'KTAP version 1'], False,
         ['PASS t: p: a', 'FAIL t: q (did not finish)']),
        ('no plan', ['@@DONE'], False, ['FAIL t: tests (the guest announced no plan)']),
        ('no KUnit output', ['@@PLAN p', '@@BEGIN p', 'KTAP version 1', '1..1', 'ok 1 a',
                             '@@END p rc=0'], True,
         ['FAIL t: kunit (no KUnit output in the console)', 'PASS t: p: a']),
    ]
    bad = 0
    for what, res, kunit, want in cases:
        out.clear()
        parse_run('t', kunit, ['Booting the kernel'], res)
        if want is None:
            ok = any(ln.startswith('FAIL') for ln in out)
        else:
            ok = out == want
        if not ok:
            print(f'results.py selftest: {what}: {out}')
            bad += 1
    return bad


if '--selftest' in sys.argv[1:]:
    run = 't'
    sys.exit(1 if selftest() + run_selftest() else 0)

rundir = args[1]
run = os.path.basename(rundir.rstrip('/'))
with open(os.path.join(rundir, 'console.log'), errors='replace') as f:
    console = f.read().splitlines()
with open(os.path.join(rundir, 'results.log'), errors='replace') as f:
    res = f.read().splitlines()
parse_run(rundir, with_kunit, console, res)
print('\n'.join(out))
