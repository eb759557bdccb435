#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists exactly the files with translatable strings.

Usage:
  check-potfiles.py SOURCE_ROOT   check the tree at SOURCE_ROOT
  check-potfiles.py --self-test   test this checker on temporary trees

Scans src/ and ui/ (recursively) for files with translatable strings:
C sources and headers using _(), N_(), C_(), NC_(), g_dngettext() or
ngettext(), and GtkBuilder files with translatable="yes". Exits 1 and
prints one path per line (relative to SOURCE_ROOT) for each such file that
po/POTFILES.in does not list, and for each listed file that does not exist.
Files listed in po/POTFILES.skip, if present, are not reported.
"""

import os
import re
import subprocess
import sys
import tempfile

SCAN_DIRS = ('src', 'ui')

C_MARKERS = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\s*\(\s*"'
    r'|(?<![A-Za-z0-9_])g_d?n?gettext\s*\('
    r'|(?<![A-Za-z0-9_])g_dpgettext2?\s*\('
    r'|(?<![A-Za-z0-9_])g_dngettext(?![A-Za-z0-9_])'
    r'|(?<![A-Za-z0-9_])ngettext\s*\('
)
UI_MARKER = re.compile(r'''translatable\s*=\s*["'](?:yes|true|1)["']''')


def read_list(path):
    """Entries of a POTFILES-style file: no comments, no [encoding]/[type] tags."""
    entries = []
    try:
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                line = re.sub(r'^\[[^\]]*\]\s*', '', line)  # [type: gettext/glade]
                if line.startswith('[encoding'):
                    continue
                if line:
                    entries.append(os.path.normpath(line).replace(os.sep, '/'))
    except FileNotFoundError:
        pass
    return entries


def has_translatable_strings(path):
    if path.endswith(('.c', '.h')):
        pattern = C_MARKERS
    elif path.endswith('.ui'):
        pattern = UI_MARKER
    else:
        return False
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return pattern.search(f.read()) is not None
    except OSError:
        return False


def find_translatable(root):
    found = []
    for top in SCAN_DIRS:
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if has_translatable_strings(full):
                    found.append(os.path.relpath(full, root).replace(os.sep, '/'))
    return found


def check(root):
    """Return (unlisted files, listed files that do not exist)."""
    potfiles_in = os.path.join(root, 'po', 'POTFILES.in')
    if not os.path.isfile(potfiles_in):
        raise FileNotFoundError(f'{potfiles_in} not found')
    listed = read_list(potfiles_in)
    skipped = set(read_list(os.path.join(root, 'po', 'POTFILES.skip')))
    listed_set = set(listed)
    unlisted = [p for p in find_translatable(root)
                if p not in listed_set and p not in skipped]
    nonexistent = [p for p in listed if not os.path.isfile(os.path.join(root, p))]
    return unlisted, nonexistent


def run_check(root):
    try:
        unlisted, nonexistent = check(root)
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 1
    if unlisted:
        print('Files with translatable strings missing from po/POTFILES.in:',
              file=sys.stderr, flush=True)
        for path in unlisted:
            print(path, flush=True)
    if nonexistent:
        print('Files listed in po/POTFILES.in that do not exist:',
              file=sys.stderr, flush=True)
        for path in nonexistent:
            print(path, flush=True)
    return 1 if unlisted or nonexistent else 0


# --- self-test ---------------------------------------------------------------

def _write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def _run_self(root):
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), root],
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout.split()


def self_test():
    failures = []

    def expect(label, got, want):
        if got != want:
            failures.append(f'{label}: got {got!r}, expected {want!r}')

    with tempfile.TemporaryDirectory(prefix='check-potfiles-') as root:
        _write(root, 'src/app/a.c', 'const char *s = _("Hello");\n')
        _write(root, 'src/core/gnu.c', 'x = g_strdup (_ ("GNU style"));\n')
        _write(root, 'src/core/plural.c',
               'n = ngettext ("one lead", "%d leads", k);\n')
        _write(root, 'src/core/plain.c', 'int f (void) { return 0; }\n')
        _write(root, 'src/core/under_score.c', 'foo_("not a marker");\n')
        _write(root, 'ui/w.ui',
               '<interface><object class="GtkLabel"><property name="label" '
               'translatable="yes">Leads</property></object></interface>\n')
        _write(root, 'ui/plain.ui', '<interface/>\n')
        _write(root, 'data/x.desktop.in', '[Desktop Entry]\n')

        complete = ('# comment\n\ndata/x.desktop.in\nsrc/app/a.c\n'
                    'src/core/gnu.c\nsrc/core/plural.c\nui/w.ui\n')

        # A file with translatable strings is not listed.
        _write(root, 'po/POTFILES.in', complete.replace('ui/w.ui\n', ''))
        expect('unlisted file', _run_self(root), (1, ['ui/w.ui']))

        # A listed file does not exist.
        _write(root, 'po/POTFILES.in', complete + 'src/gone.c\n')
        expect('nonexistent file', _run_self(root), (1, ['src/gone.c']))

        # POTFILES.skip excludes a file from the check.
        _write(root, 'po/POTFILES.in', complete.replace('src/app/a.c\n', ''))
        _write(root, 'po/POTFILES.skip', 'src/app/a.c\n')
        expect('skipped file', _run_self(root), (0, []))
        os.remove(os.path.join(root, 'po', 'POTFILES.skip'))

        # The complete list passes.
        _write(root, 'po/POTFILES.in', complete)
        expect('complete tree', _run_self(root), (0, []))

    for failure in failures:
        print(f'self-test FAILED: {failure}', file=sys.stderr)
    if not failures:
        print('self-test passed')
    return 1 if failures else 0


def main(argv):
    if len(argv) != 2 or argv[1] in ('-h', '--help'):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[1] == '--self-test':
        return self_test()
    return run_check(argv[1])


if __name__ == '__main__':
    sys.exit(main(sys.argv))
