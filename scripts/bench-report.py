#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py OUTDIR RESULTS.LOG...: summarise the @@BENCH lines of
make bench's guests into OUTDIR/bench.md, bench.dat, bench.png and raw.txt.

Each transition is reported as median [min-max] in milliseconds per method
and size.  Ratios are taken between medians of the same boot: attribute /
per-block loop, attribute / daxctl, attribute / kernel work (the summed time
of the kernel's per-block functions during the attribute's own transitions).
"""
import os
import statistics
import subprocess
import sys
from collections import defaultdict

METHODS = ["attr", "perblock", "daxctl"]
NAMES = {"attr": "hotplug attribute", "perblock": "per-block loop",
         "daxctl": "daxctl", "kernel": "kernel work (in attr)"}


def main():
    out, logs = sys.argv[1], sys.argv[2:]
    total = defaultdict(list)   # (size, method, transition) -> [us]
    kern = defaultdict(list)
    raw = []
    for path in logs:
        with open(path, errors="replace") as f:
            for line in f:
                w = line.split()
                if len(w) != 7 or w[0] != "@@BENCH":
                    continue
                size, m, t = int(w[1]), w[2], w[3]
                total[size, m, t].append(int(w[5]))
                kern[size, m, t].append(int(w[6]))
                raw.append(" ".join(w[1:]))
    if not total:
        sys.exit("no @@BENCH lines in " + " ".join(logs))
    spawn = {k[0]: statistics.median(v) for k, v in total.items() if k[1] == "spawn"}
    total = {k: v for k, v in total.items() if k[1] != "spawn"}
    kern = {k: v for k, v in kern.items() if k[1] != "spawn"}
    sizes = sorted({k[0] for k in total})
    trans = []
    for k in total:
        if k[2] not in trans:
            trans.append(k[2])
    med = {k: statistics.median(v) for k, v in total.items()}
    kmed = {k: statistics.median(v) for k, v in kern.items()}

    def cell(v):
        return "%.0f [%.0f-%.0f]" % (statistics.median(v) / 1e3, min(v) / 1e3, max(v) / 1e3)

    def ratio(a, b):
        return "%.2f" % (a / b) if b else "-"

    md = ["# make bench: whole-device transitions", "",
          "Times in ms, median [min-max] of %d repetitions; ratios are between medians "
          "of the same boot.  Each attribute write is made by a new `sh -c` process, "
          "each daxctl step is one daxctl process, the per-block loop runs inside the "
          "benchmark's shell (no process per block).  \"process start\" is the median "
          "time of `sh -c :` in the same guest." % min(len(v) for v in total.values()), ""]
    # Headline: a full cycle (sum of the medians of its transitions) per size.
    md += ["## Full cycles (all %d transitions)" % len(trans), "",
           "| size | attr ms | per-block ms | daxctl ms | kernel work ms "
           "| attr / per-block | attr / daxctl | kernel work / attr "
           "| attr minus kernel work, per transition | process start |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    dat = []
    for s in sizes:
        sums = {m: sum(med.get((s, m, t), 0) for t in trans) for m in METHODS}
        ksum = sum(kmed.get((s, "attr", t), 0) for t in trans)
        md.append("| %d MiB | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.1f ms | %s |" % (
            s, sums["attr"] / 1e3, sums["perblock"] / 1e3, sums["daxctl"] / 1e3,
            ksum / 1e3, ratio(sums["attr"], sums["perblock"]),
            ratio(sums["attr"], sums["daxctl"]), ratio(ksum, sums["attr"]),
            (sums["attr"] - ksum) / len(trans) / 1e3,
            "%.1f ms" % (spawn[s] / 1e3) if s in spawn else "-"))
        dat.append("%g %f %f %f %f" % (s / 1024, sums["attr"] / 1e3,
                                       sums["perblock"] / 1e3, sums["daxctl"] / 1e3,
                                       ksum / 1e3))
    for s in sizes:
        md += ["", "## %d MiB" % s, "",
               "| transition | attr | per-block | daxctl | kernel work in attr "
               "| attr / per-block | attr / daxctl | kernel / attr |",
               "|---|---|---|---|---|---|---|---|"]
        for t in trans:
            a = (s, "attr", t)
            md.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                t.replace(">", " → "), cell(total[a]), cell(total[s, "perblock", t]),
                cell(total[s, "daxctl", t]), cell(kern[a]),
                ratio(med[a], med[s, "perblock", t]), ratio(med[a], med[s, "daxctl", t]),
                ratio(kmed[a], med[a])))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench.md"), "w") as f:
        f.write("\n".join(md) + "\n\n![time against size](bench.png)\n")
    with open(os.path.join(out, "raw.txt"), "w") as f:
        f.write("# size_mib method transition rep total_us kernel_us\n")
        f.write("\n".join(raw) + "\n")
    with open(os.path.join(out, "bench.dat"), "w") as f:
        f.write("# size_gib attr_ms perblock_ms daxctl_ms kernel_ms (full cycle, medians)\n")
        f.write("\n".join(dat) + "\n")
    plot = """set terminal pngcairo size 900,560
set output '%s'
set title 'dax/kmem: one full cycle of %d transitions (median of the repetitions)'
set xlabel 'dax device size (GiB)'
set ylabel 'time (ms)'
set key top left
set grid
plot '%s' using 1:3 with linespoints title '%s', \\
     '' using 1:4 with linespoints title '%s', \\
     '' using 1:2 with linespoints title '%s', \\
     '' using 1:5 with linespoints title '%s'
""" % (os.path.join(out, "bench.png"), len(trans), os.path.join(out, "bench.dat"),
       NAMES["perblock"], NAMES["daxctl"], NAMES["attr"], NAMES["kernel"])
    subprocess.run(["gnuplot"], input=plot, text=True, check=True)


if __name__ == "__main__":
    main()
