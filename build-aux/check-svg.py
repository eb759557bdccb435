#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that each given SVG file is well-formed XML with an <svg> root.

Usage: check-svg.py FILE.svg [FILE.svg ...]
"""

import sys
import xml.etree.ElementTree as ET

SVG_NS = '{http://www.w3.org/2000/svg}'


def check(path):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        return f'{path}: not well-formed: {err}'
    if root.tag != SVG_NS + 'svg':
        return f'{path}: root element is {root.tag!r}, expected svg in the SVG namespace'
    if not root.get('viewBox'):
        return f'{path}: missing viewBox'
    return None


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failures = [msg for msg in map(check, argv[1:]) if msg]
    for msg in failures:
        print(msg, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
