#!/usr/bin/env python3
"""Count test results from meson's testlog.json and print 'N passed, M failed'.

A TAP test counts each of its test cases ('ok' / 'not ok' lines); a test
that crashed before reporting all its planned cases counts the missing ones
as failed. Other tests count as one result each.
SPDX-License-Identifier: GPL-3.0-or-later
"""
import argparse
import json
import re
import sys

OK_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIP_RESULTS = {"SKIP"}


def count(entries):
    passed = failed = skipped = 0
    for entry in entries:
        result = entry.get("result", "ERROR")
        stdout = entry.get("stdout") or ""
        if entry.get("protocol") == "tap" or re.search(r"^1\.\.\d+", stdout, re.M):
            plan = re.search(r"^1\.\.(\d+)", stdout, re.M)
            ok = len(re.findall(r"^ok \d+(?! # SKIP)", stdout, re.M))
            skip = len(re.findall(r"^ok \d+ # SKIP", stdout, re.M))
            bad = len(re.findall(r"^not ok \d+", stdout, re.M))
            planned = int(plan.group(1)) if plan else ok + skip + bad
            missing = max(0, planned - ok - skip - bad)
            if result not in OK_RESULTS and bad == 0 and missing == 0:
                bad = 1  # crashed after its last case, or at exit (leak, abort)
            passed += ok
            skipped += skip
            failed += bad + missing
        elif result in OK_RESULTS:
            passed += 1
        elif result in SKIP_RESULTS:
            skipped += 1
        else:
            failed += 1
    return passed, failed, skipped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("testlog")
    parser.add_argument("--counts-file")
    args = parser.parse_args()
    unreadable = 0
    entries = []
    try:
        with open(args.testlog, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                try:
                    entries.append(json.loads(line))
                except json.JSONDecodeError:
                    # A log another run overwrote meanwhile: counted as a
                    # failure, never passed over.
                    unreadable += 1
    except OSError as e:
        print(f"cannot read {args.testlog}: {e}", file=sys.stderr)
    if unreadable:
        print(f"{unreadable} unreadable line(s) in {args.testlog}", file=sys.stderr)
    passed, failed, skipped = count(entries)
    failed += unreadable
    if not entries:
        failed = max(failed, 1)
    if args.counts_file:
        with open(args.counts_file, "w", encoding="utf-8") as f:
            f.write(f"{passed} {failed} {skipped}\n")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)


if __name__ == "__main__":
    main()
