#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check that every option the config fragments ask for is in a .config.

  kconfig-check.py .config FRAGMENT...

Later fragments override earlier ones, as merge_config.sh does.  An option
that Kconfig refused (a missing dependency, a typo) fails the check, so the
test kernel never silently lacks what the tests need.
"""

import re
import sys


def read(path):
    opts = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
            if m:
                opts[m.group(1)] = m.group(2)
                continue
            m = re.match(r"^# (CONFIG_\w+) is not set$", line)
            if m:
                opts[m.group(1)] = "n"
    return opts


def main():
    have = read(sys.argv[1])
    want = {}
    for frag in sys.argv[2:]:
        want.update(read(frag))
    bad = []
    for opt, val in sorted(want.items()):
        got = have.get(opt, "n")
        if got != val:
            bad.append(f"{opt}: asked for {val}, got {got}")
    if bad:
        print("config fragments not honoured:\n  " + "\n  ".join(bad))
        sys.exit(1)
    print(f"{len(want)} options from {len(sys.argv) - 2} fragments are set")


if __name__ == "__main__":
    main()
