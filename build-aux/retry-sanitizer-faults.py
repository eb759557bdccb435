#!/usr/bin/env python3
"""Run once more the tests whose run LeakSanitizer itself aborted.

LeakSanitizer stops every thread with a tracer before it scans memory; on a
loaded machine that tracer sometimes faults ("Tracer caught signal 11 …
LeakSanitizer has encountered a fatal error"). That is no verdict on the
test: no leak was reported, the scan never ran. Such a test, and only such
a test, is run once more; its second result replaces the first in
testlog.json (the first log is kept as testlog-first.json). Every other
failure stands as it was.

Usage: retry-sanitizer-faults.py BUILDDIR
Exit status: 0 when nothing needed a retry or every retry passed.
SPDX-License-Identifier: GPL-3.0-or-later
"""
import json
import os
import shutil
import subprocess
import sys

FAULT = "LeakSanitizer has encountered a fatal error"
OK_RESULTS = {"OK", "EXPECTEDFAIL", "SKIP"}


def read_log(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    builddir = sys.argv[1]
    log = os.path.join(builddir, "meson-logs", "testlog.json")
    entries = read_log(log)
    faulted = [e["name"] for e in entries
               if e.get("result") not in OK_RESULTS and FAULT in (e.get("stderr") or "")]
    if not faulted:
        return 0
    print("LeakSanitizer's tracer faulted in: " + ", ".join(faulted) + "; running them once more")
    shutil.copyfile(log, os.path.join(builddir, "meson-logs", "testlog-first.json"))
    subprocess.call(["dbus-run-session", "--", "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                     "meson", "test", "-C", builddir, "--print-errorlogs", "--num-processes", "1"]
                    + [name.split(" / ")[-1] for name in faulted])
    again = {e["name"]: e for e in read_log(log)}
    merged = [again.get(e["name"], e) if e["name"] in faulted else e for e in entries]
    with open(log, "w", encoding="utf-8") as f:
        for e in merged:
            f.write(json.dumps(e) + "\n")
    return 0 if all(again.get(n, {}).get("result") in OK_RESULTS for n in faulted) else 1


if __name__ == "__main__":
    sys.exit(main())
