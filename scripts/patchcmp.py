#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""patchcmp.py DIR-A DIR-B: compare two exports of the series in what a newer
base cannot legitimately change: the commit messages (with their diffstat), the
names of the files and the added and removed lines.  "index" lines, hunk
positions and context lines are ignored, and so are the comment lines of
"series" (the base record).  Prints the differences and exits 1 if there are any.

patchcmp.py --selftest: show that the comparison ignores what it should and
catches what it should (make check runs it first).
"""
import difflib
import os
import re
import sys

HUNK = re.compile(r'^@@ -\d+(,\d+)? \+\d+(,\d+)? @@')


def normalize(text, name):
    out = []
    in_diff = False
    for line in text.splitlines():
        if name == 'series':
            if not line.startswith('#'):
                out.append(line)
            continue
        if line.startswith('diff --git '):
            in_diff = True
        if not in_diff:
            out.append(line)
        elif line.startswith('index '):
            continue
        elif HUNK.match(line):
            out.append('@@')
        elif line.startswith(' ') or line == '':
            continue
        else:
            out.append(line)
    return out


def files(top):
    """Every file under top, as a path relative to it (postings are folders)."""
    out = set()
    for d, _, fs in os.walk(top):
        out.update(os.path.relpath(os.path.join(d, f), top) for f in fs)
    return out


def compare(a, b):
    names = sorted(files(a) | files(b))
    diffs = []
    for n in names:
        if n.endswith('.orig'):
            continue
        pa, pb = os.path.join(a, n), os.path.join(b, n)
        if not (os.path.isfile(pa) and os.path.isfile(pb)):
            diffs.append(f'only in {a if os.path.isfile(pa) else b}: {n}')
            continue
        na = normalize(open(pa, errors='replace').read(), n)
        nb = normalize(open(pb, errors='replace').read(), n)
        if na != nb:
            diffs.extend(difflib.unified_diff(na, nb, pa, pb, lineterm='', n=1))
    return diffs


SAMPLE = '''From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
Subject: [PATCH 01/02] mm: a change

Why it is needed.
---
 mm/x.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/x.c b/mm/x.c
index 1111111111..2222222222 100644
--- a/mm/x.c
+++ b/mm/x.c
@@ -10,7 +10,7 @@ static int f(void)
 	int a;
 	int b;
-	return a;
+	return b;
 }
'''


def selftest():
    import tempfile
    same = SAMPLE.replace('1111111111..2222222222', '3333333333..4444444444')
    same = same.replace('@@ -10,7 +10,7 @@ static int f(void)', '@@ -14,7 +14,7 @@ static int g(void)')
    same = same.replace('\tint b;\n', '\tint c;\n')
    cases = [('index, hunk position and context changed', same, True),
             ('an added line changed', SAMPLE.replace('+\treturn b;', '+\treturn c;'), False),
             ('a removed line changed', SAMPLE.replace('-\treturn a;', '-\treturn z;'), False),
             ('the message changed', SAMPLE.replace('Why it is needed.', 'Why.'), False),
             ('a line added', SAMPLE + '+\tfoo();\n', False)]
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, 'a'), os.path.join(d, 'b')
        os.mkdir(a)
        os.mkdir(b)
        open(os.path.join(a, '0001-x.patch'), 'w').write(SAMPLE)
        open(os.path.join(a, 'series'), 'w').write('# base: Debian linux-source-6.12 1\n0001-x.patch\n')
        open(os.path.join(b, 'series'), 'w').write('# base: Debian linux-source-6.12 2\n0001-x.patch\n')
        for what, text, equal in cases:
            open(os.path.join(b, '0001-x.patch'), 'w').write(text)
            got = not compare(a, b)
            if got != equal:
                print(f'patchcmp selftest: {what}: compared {"equal" if got else "different"}')
                bad += 1
        # A patch that moved to another posting (folder) is a difference.
        open(os.path.join(b, '0001-x.patch'), 'w').write(SAMPLE)
        os.mkdir(os.path.join(b, 'F'))
        os.rename(os.path.join(b, '0001-x.patch'), os.path.join(b, 'F', '0001-x.patch'))
        if not compare(a, b):
            print('patchcmp selftest: a patch moved to another posting: compared equal')
            bad += 1
    return bad


if __name__ == '__main__':
    if sys.argv[1:] == ['--selftest']:
        sys.exit(1 if selftest() else 0)
    d = compare(sys.argv[1], sys.argv[2])
    print('\n'.join(d))
    sys.exit(1 if d else 0)
