#!/usr/bin/env python3
# check-size.py — no C file under src/ over 900 lines, no function over
# 120 lines (#24): a file or a function past that is split along a seam.
#
# A function is counted from the line of its opening brace in column 0 to
# its closing brace in column 0, both included (the GNU style the project
# writes puts both there).
#
#   check-size.py SRCDIR        prints TAP, exits 1 on any finding
#   check-size.py --self-test   checks this checker on made-up files
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sys
import tempfile

MAX_FILE_LINES = 900
MAX_FUNCTION_LINES = 120


def findings_of(path, relative):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    found = []
    if len(lines) > MAX_FILE_LINES:
        found.append('%s: %d lines (at most %d)' % (relative, len(lines), MAX_FILE_LINES))
    start = None
    for number, line in enumerate(lines, 1):
        if line.startswith('{'):
            start = number
        elif line.startswith('}') and start is not None:
            length = number - start + 1
            if length > MAX_FUNCTION_LINES:
                found.append('%s:%d: a function of %d lines (at most %d)'
                             % (relative, start, length, MAX_FUNCTION_LINES))
            start = None
    return found


def check(srcdir):
    found = []
    for root, dirs, files in os.walk(srcdir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith('.c'):
                path = os.path.join(root, name)
                found += findings_of(path, os.path.relpath(path, srcdir))
    return found


def self_test():
    def body(n):
        return 'static void\nf (void)\n{\n' + 'x ();\n' * (n - 2) + '}\n'

    cases = [
        ('a function of 120 lines passes', body(120), 0),
        ('a function of 121 lines is found', body(121), 1),
        ('a file of 901 lines is found', '/* */\n' * 901, 1),
        ('a file of 900 lines passes', '/* */\n' * 900, 0),
        ('an initialiser in column 0 counts like a function', 'int a[] =\n' + body(130)[20:], 1),
    ]
    print('1..%d' % len(cases))
    failed = 0
    for number, (title, text, expected) in enumerate(cases, 1):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, 'x.c'), 'w', encoding='utf-8') as f:
                f.write(text)
            got = len(check(tmp))
        ok = got == expected
        failed += not ok
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', number, title,
                                '' if ok else ' (%d findings, expected %d)' % (got, expected)))
    return 1 if failed else 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == '--self-test':
        return self_test()
    if len(sys.argv) != 2:
        print('usage: check-size.py SRCDIR | --self-test', file=sys.stderr)
        return 2
    found = check(sys.argv[1])
    print('1..1')
    for finding in found:
        print('# ' + finding)
    print('%s 1 - C files within %d lines, functions within %d'
          % ('not ok' if found else 'ok', MAX_FILE_LINES, MAX_FUNCTION_LINES))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
