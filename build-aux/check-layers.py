#!/usr/bin/env python3
# check-layers.py — the source tree's include graph keeps its layers (#24).
#
# Every file under src/ belongs to a layer: core < store < sync < app < ui,
# and the two programs on top (cli, and main.c for the GUI). A file may
# include its own layer's headers and those of the layers below it, never
# one above; the CLI never includes the widget layer. Between modules (a
# .c file and its .h are one module) the include graph has no cycle: when
# module A includes B's header, B must not include A's, directly or
# through others.
#
#   check-layers.py SRCDIR        prints TAP, exits 1 on any finding
#   check-layers.py --self-test   checks this checker on made-up trees
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys

RANK = {'core': 0, 'store': 1, 'sync': 2, 'app': 3, 'ui': 4, 'cli': 5, 'main': 5}
# What each layer may include, beyond itself: the layers ranked below it,
# except that the CLI is not built on the widgets.
FORBIDDEN = {'cli': {'ui'}}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def layer_of(relative):
    parts = relative.split(os.sep)
    return parts[0] if len(parts) > 1 else 'main'


def module_of(relative, members=None):
    """A .c file and its .h are one module. A private header cp-foo-private.h
    and the files cp-foo-*.c that include it are one module too: one piece
    of code split in files, cp-foo-private.h being its internal header."""
    if members and relative in members:
        return members[relative]
    stem = re.sub(r'\.(c|h)$', '', os.path.basename(relative))
    stem = re.sub(r'-private$', '', stem)
    return os.path.join(os.path.dirname(relative), stem)


def collect(srcdir):
    headers = {}
    files = []
    for root, _dirs, names in os.walk(srcdir):
        for name in names:
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                relative = os.path.relpath(path, srcdir)
                files.append(relative)
                if name.endswith('.h'):
                    headers.setdefault(name, []).append(relative)
    return sorted(files), headers


def self_test():
    import subprocess
    import tempfile

    def tree(files):
        root = tempfile.mkdtemp(prefix='cp-layers-')
        for path, text in files.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), 'w', encoding='utf-8') as handle:
                handle.write(text)
        run = subprocess.run([sys.executable, __file__, root], capture_output=True, text=True)
        return run.returncode, run.stdout

    cases = [
        ('a sound tree passes', {'core/a.h': '', 'core/a.c': '#include "a.h"\n',
                                 'store/b.c': '#include "a.h"\n'}, 0, None),
        ('core including store is refused', {'core/a.c': '#include "b.h"\n', 'store/b.h': ''},
         1, 'core/a.c includes store/b.h'),
        ('the CLI including the widgets is refused', {'cli/c.c': '#include "w.h"\n', 'ui/w.h': ''},
         1, 'cli/c.c includes ui/w.h'),
        ('two modules including each other are a cycle',
         {'store/x.h': '', 'store/y.h': '', 'store/x.c': '#include "y.h"\n',
          'store/y.c': '#include "x.h"\n'}, 1, 'store/x -> store/y -> store/x'),
        ('a private header and its family are one module',
         {'store/f-private.h': '#include "f.h"\n', 'store/f.h': '', 'store/f.c': '#include "f-private.h"\n',
          'store/f-part.c': '#include "f-private.h"\n#include "f.h"\n'}, 0, None),
    ]
    print('1..%d' % len(cases))
    failed = 0
    for number, (name, files, status, needle) in enumerate(cases, 1):
        got_status, out = tree(files)
        ok = got_status == status and (needle is None or needle in out)
        failed += not ok
        print('%s %d - %s' % ('ok' if ok else 'not ok', number, name))
        if not ok:
            print('#   ' + out.replace('\n', '\n#   '))
    return 1 if failed else 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    if len(sys.argv) != 2:
        print('usage: check-layers.py SRCDIR | --self-test', file=sys.stderr)
        return 2
    srcdir = sys.argv[1]
    files, headers = collect(srcdir)
    includes = {}
    for relative in files:
        with open(os.path.join(srcdir, relative), encoding='utf-8') as handle:
            includes[relative] = INCLUDE.findall(handle.read())
    members = {}
    for relative in files:
        stem = re.sub(r'\.(c|h)$', '', os.path.basename(relative))
        for included in includes[relative]:
            family = re.sub(r'-private\.h$', '', os.path.basename(included))
            where = headers.get(os.path.basename(included), [''])[0]
            if included.endswith('-private.h') and \
                    (stem == family or stem.startswith(family + '-')) and \
                    os.path.dirname(where) == os.path.dirname(relative) and \
                    (relative not in members or len(family) > len(os.path.basename(members[relative]))):
                members[relative] = os.path.join(os.path.dirname(relative), family)
                header = os.path.join(os.path.dirname(relative), stem + '.h')
                if header in includes:
                    members[header] = members[relative]
    upward = []
    edges = {}
    for relative in files:
        here = layer_of(relative)
        for included in includes[relative]:
            targets = headers.get(os.path.basename(included), [])
            if not targets:
                continue  # config.h and generated headers
            target = targets[0]
            there = layer_of(target)
            if RANK[there] > RANK[here] or there in FORBIDDEN.get(here, ()) or \
                    (there in ('cli', 'main') and there != here):
                upward.append('%s includes %s (%s above %s)' % (relative, target, there, here))
            a, b = module_of(relative, members), module_of(target, members)
            if a != b:
                edges.setdefault(a, set()).add(b)

    cycles = find_cycles(edges)
    print('1..2')
    print('%s 1 - no include points to a layer above' % ('not ok' if upward else 'ok'))
    for line in upward:
        print('#   ' + line)
    print('%s 2 - no cycle between modules' % ('not ok' if cycles else 'ok'))
    for cycle in cycles:
        print('#   ' + ' -> '.join(cycle))
    return 1 if upward or cycles else 0


def find_cycles(edges):
    """One cycle per strongly connected component with more than one module."""
    index = {}
    low = {}
    stack = []
    on_stack = set()
    components = []
    counter = [0]

    def connect(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges.get(node, ())):
            if succ not in index:
                connect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    sys.setrecursionlimit(10000)
    for node in sorted(edges):
        if node not in index:
            connect(node)

    cycles = []
    for component in components:
        members = set(component)
        start = min(component)
        # A shortest way back to the start, through the component.
        paths = {start: [start]}
        queue = [start]
        found = None
        while queue and found is None:
            node = queue.pop(0)
            for succ in sorted(edges.get(node, ())):
                if succ == start:
                    found = paths[node] + [start]
                    break
                if succ in members and succ not in paths:
                    paths[succ] = paths[node] + [succ]
                    queue.append(succ)
        cycles.append(found or sorted(component))
    return cycles


if __name__ == '__main__':
    sys.exit(main())
