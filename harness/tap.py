#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count test results for the nshard harness.

  tap.py guest TAP RESULT    the guest's framed TAP stream (run-tests.sh)
  tap.py kunit LOG RESULT    the output of kunit.py run
  tap.py summary DIR         add up every RESULT file in DIR

A RESULT file holds one line: "<passed> <failed> <skipped>".
"""

import os
import re
import sys

RESULT_RE = re.compile(r"^(not )?ok (\d+)\b(.*)$")
PLAN_RE = re.compile(r"^1\.\.(\d+)$")


def write_result(path, passed, failed, skipped):
    with open(path, "w") as f:
        f.write(f"{passed} {failed} {skipped}\n")


def parse_guest(path):
    """Return (passed, failed, skipped, problems) for a framed TAP stream."""
    try:
        with open(path, errors="replace") as f:
            lines = [l.rstrip("\r\n") for l in f]
    except FileNotFoundError:
        return 0, 1, 0, [f"{path}: no TAP output from the guest"]

    passed = failed = skipped = 0
    problems = []
    runs = 0
    cur = None
    done = False

    def close_run(status):
        nonlocal passed, failed, skipped
        label = cur["label"]
        if cur["plan"] is None:
            problems.append(f"{label}: no TAP plan")
            failed += 1
        elif cur["seen"] != cur["plan"]:
            problems.append(f"{label}: planned {cur['plan']} tests, "
                            f"reported {cur['seen']}")
            failed += 1
        if status is None:
            problems.append(f"{label}: did not finish (crash or hang)")
            failed += 1
        elif status not in (0, 4) and not cur["failed"]:
            problems.append(f"{label}: exited with status {status}")
            failed += 1
        passed += cur["passed"]
        failed += cur["failed"]
        skipped += cur["skipped"]
        took = "" if cur["time"] is None else f" {cur['time']:>7s}s"
        print(f"  {label:55s} {cur['passed']:3d} passed {cur['failed']:3d} "
              f"failed {cur['skipped']:3d} skipped{took}"
              f"{'' if status == 0 else f'  (exit {status})'}")

    for line in lines:
        if line.startswith("# nshard-run: "):
            if cur:
                close_run(None)
            cur = {"label": line.split(": ", 1)[1], "plan": None, "seen": 0,
                   "passed": 0, "failed": 0, "skipped": 0, "time": None}
            runs += 1
            continue
        if line.startswith("# nshard-time: ") and cur:
            cur["time"] = line.split(": ", 1)[1].strip()
            continue
        if line.startswith("# nshard-exit: ") and cur:
            status = line.rsplit(" ", 1)[1]
            close_run(int(status) if status.isdigit() else -1)
            cur = None
            continue
        if line == "# nshard-done":
            done = True
            continue
        if not cur:
            continue
        m = PLAN_RE.match(line)
        if m:
            cur["plan"] = int(m.group(1))
            continue
        m = RESULT_RE.match(line)
        if m:
            cur["seen"] += 1
            if m.group(1):
                cur["failed"] += 1
                print(f"  FAIL {cur['label']}: {line}")
            elif re.search(r"#\s*SKIP", m.group(3), re.I):
                cur["skipped"] += 1
            else:
                cur["passed"] += 1
    if cur:
        close_run(None)
    if not done:
        problems.append("the guest did not reach the end of its test run")
        failed += 1
    if runs == 0 or passed == 0:
        problems.append("no test ran in the guest")
        failed += 1
    return passed, failed, skipped, problems


def parse_kunit(path):
    with open(path, errors="replace") as f:
        text = f.read()
    m = re.search(r"Testing complete\. Ran (\d+) tests: (.*)", text)
    if not m:
        return 0, 1, 0, ["kunit.py did not complete a run"]
    counts = dict((k, int(v)) for k, v in re.findall(r"(\w+): (\d+)",
                                                     m.group(2)))
    failed = counts.get("failed", 0) + counts.get("crashed", 0) + \
        counts.get("errors", 0)
    passed = counts.get("passed", 0)
    problems = []
    if passed == 0:
        problems.append("no KUnit test passed")
        failed += 1
    return passed, failed, counts.get("skipped", 0), problems


def summary(d):
    tp = tf = ts = 0
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name)) as f:
            p, fl, s = (int(x) for x in f.read().split())
        print(f"  {name:30s} {p:4d} passed {fl:4d} failed {s:4d} skipped")
        tp, tf, ts = tp + p, tf + fl, ts + s
    print(f"{ts} skipped")
    print(f"{tp} passed, {tf} failed")
    return 1 if tf or tp == 0 else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "summary":
        sys.exit(summary(sys.argv[2]))
    if len(sys.argv) != 4 or sys.argv[1] not in ("guest", "kunit"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    parse = parse_guest if sys.argv[1] == "guest" else parse_kunit
    p, f, s, problems = parse(sys.argv[2])
    for pr in problems:
        print(f"  PROBLEM: {pr}")
    print(f"{sys.argv[1]}: {p} passed, {f} failed, {s} skipped")
    write_result(sys.argv[3], p, f, s)
    sys.exit(1 if f else 0)


if __name__ == "__main__":
    main()
