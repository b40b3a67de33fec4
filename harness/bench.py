#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tabulate nshard_bench figures: bench.py build/logs/bench-<config>-<pass>.txt...

Each file holds lines "<op> <mean ns> <min ns> <max ns>" from one boot.
For each configuration the median of its boots' means is shown, with the
spread of those means (max - min, relative to their median): the noise
between boots of one and the same configuration.  Ratios are to the first
configuration ("none": nshard not in lsm=).
"""

import os
import re
import statistics
import sys
from collections import OrderedDict


def read(path):
    res = OrderedDict()
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and not line.startswith("#"):
                res[parts[0]] = int(parts[1])
    return res


def main():
    runs = OrderedDict()
    ops = []
    for path in sys.argv[1:]:
        m = re.match(r"bench-(.+)-(\d+)\.txt$", os.path.basename(path))
        if not m:
            continue
        figures = read(path)
        runs.setdefault(m.group(1), []).append(figures)
        for op in figures:
            if op not in ops:
                ops.append(op)
    configs = list(runs)
    base = configs[0]

    def median(config, op):
        return statistics.median(r[op] for r in runs[config] if op in r)

    def spread(config, op):
        vals = [r[op] for r in runs[config] if op in r]
        return 100.0 * (max(vals) - min(vals)) / statistics.median(vals)

    print("guest ns per operation, under -icount (1 ns = 1 instruction): "
          "median of %d boots per configuration (spread between boots); "
          "change against '%s'" % (len(runs[base]), base))
    print("%-14s" % "operation" + "".join("%25s" % c for c in configs))
    for op in ops:
        row = "%-14s" % op
        for c in configs:
            cell = "%.0f (%.0f%%)" % (median(c, op), spread(c, op))
            if c != base:
                cell += " %+.1f%%" % (100.0 * (median(c, op) -
                                               median(base, op)) /
                                      median(base, op))
            row += "%25s" % cell
        print(row)


if __name__ == "__main__":
    main()
