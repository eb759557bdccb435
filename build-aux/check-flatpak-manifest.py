#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest: valid JSON, right application id and command.

Usage: check-flatpak-manifest.py MANIFEST.json APP_ID COMMAND
"""

import json
import subprocess
import sys


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    manifest_path, app_id, command = argv[1:]

    # Syntax check with the standard tool first, so its message is familiar.
    result = subprocess.run([sys.executable, '-m', 'json.tool', manifest_path],
                            stdout=subprocess.DEVNULL)
    if result.returncode != 0:
        print(f'{manifest_path}: not valid JSON', file=sys.stderr)
        return 1

    with open(manifest_path, encoding='utf-8') as f:
        manifest = json.load(f)

    errors = []
    if not isinstance(manifest, dict):
        errors.append('top level is not an object')
        manifest = {}
    ids = {key: manifest[key] for key in ('id', 'app-id') if key in manifest}
    if not ids:
        errors.append('no "id" (or "app-id") key')
    for key, value in ids.items():
        if value != app_id:
            errors.append(f'"{key}" is {value!r}, expected {app_id!r}')
    if manifest.get('command') != command:
        errors.append(f'"command" is {manifest.get("command")!r}, expected {command!r}')

    for error in errors:
        print(f'{manifest_path}: {error}', file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
