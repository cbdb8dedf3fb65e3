#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench-report.py OUTDIR RESULTS.LOG...: summarise the @@BENCH lines of
make bench's guests into OUTDIR/bench.md, bench.dat, bench.png and raw.txt.

Each transition is reported as median [min-max] in milliseconds per method
and size.  Ratios are taken between medians of the same boot: attribute /
per-block loop, attribute / daxctl, attribute / kernel work (the summed time
of the kernel's per-block functions during the attribute's own transitions).
The @@STEP lines (calls and total time of per-call sub-steps, one pass) of
the largest size are tabled as they are, and the targets of issue 14 are
checked against the largest size: attribute / per-block loop at most 0.5
for offline and offline+remove, 0.75 for online and add+online, 0.7 for a
full cycle, and one online_pages()/offline_pages() call per transition.
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
    steps = {}                  # (size, method, transition, function) -> (calls, us)
    for path in logs:
        with open(path, errors="replace") as f:
            for line in f:
                w = line.split()
                if len(w) == 7 and w[0] == "@@STEP":
                    steps[int(w[1]), w[2], w[3], w[4]] = (int(w[5]), int(w[6]))
                    continue
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
          "of the same boot.  The attribute is written and the per-block loop runs in "
          "the benchmark's own shell (no new process); each daxctl step is one daxctl "
          "process.  \"process start\" is the median time of `sh -c :` in the same "
          "guest." % min(len(v) for v in total.values()), ""]
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
    md += targets(sizes[-1], trans, med, steps)
    md += substeps(sizes[-1], steps)
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


def targets(size, trans, med, steps):
    """Issue 14's targets, checked on the medians of the largest size."""
    def r(pick):
        ts = [t for t in trans if pick(t)]
        a = sum(med.get((size, "attr", t), 0) for t in ts)
        p = sum(med.get((size, "perblock", t), 0) for t in ts)
        return a / p if p else None
    rows = [("offline (T → offline)", lambda t: t.endswith(">offline"), 0.5),
            ("offline + remove (T → unplugged)",
             lambda t: t.endswith(">unplugged"), 0.5),
            ("online (offline → T)", lambda t: t.startswith("offline>"), 0.75),
            ("add + online (unplugged → T)",
             lambda t: t.startswith("unplugged>"), 0.75),
            ("full cycle", lambda t: True, 0.7)]
    md = ["", "## Targets (%d MiB)" % size, "",
          "Attribute / per-block loop, sums of the medians of both online types.", "",
          "| what | measured | target | met |", "|---|---|---|---|"]
    for name, pick, want in rows:
        v = r(pick)
        md.append("| %s | %s | ≤ %.2f | %s |" % (
            name, "%.2f" % v if v is not None else "-", want,
            "yes" if v is not None and v <= want else "no"))
    for fn, pick in (("online_pages", lambda t: t.startswith("unplugged>")),
                     ("offline_pages", lambda t: t.endswith(">offline"))):
        for m in ("attr", "perblock"):
            calls = [steps[k][0] for k in steps
                     if k[0] == size and k[1] == m and pick(k[2]) and k[3] == fn]
            if calls:
                md.append("| %s() calls per transition, %s | %s | %s | %s |" % (
                    fn, m, "/".join(str(c) for c in calls),
                    "1" if m == "attr" else "(one per block)",
                    ("yes" if max(calls) == 1 else "no") if m == "attr" else "-"))
    return md


def substeps(size, steps):
    """The sub-step pass of the largest size, as measured."""
    keys = sorted(k for k in steps if k[0] == size)
    if not keys:
        return []
    md = ["", "## Sub-steps (%d MiB, one pass)" % size, "",
          "Calls and total time of each function during one transition, wherever "
          "it was called (nested calls are counted in their callers' time too).", "",
          "| method | transition | function | calls | total ms | per call µs |",
          "|---|---|---|---|---|---|"]
    for k in keys:
        n, us = steps[k]
        md.append("| %s | %s | %s | %d | %.1f | %.0f |" % (
            k[1], k[2].replace(">", " → "), k[3], n, us / 1e3, us / n if n else 0))
    md += attr_breakdown(size, steps)
    md += page_work(size, steps)
    return md


def attr_breakdown(size, steps):
    """Where an attribute write's time goes, from the sub-step pass."""
    def us(t, fn):
        return steps.get((size, "attr", t, fn), (0, 0))[1]
    ts = sorted({k[2] for k in steps if k[0] == size and k[1] == "attr"})
    if not any(us(t, "dax_kmem_store") for t in ts):
        return []
    mm = ("__online_memory_ranges", "__offline_memory_ranges",
          "__offline_and_remove_memory_ranges", "__add_memory_driver_managed_locked")
    md = ["", "## The attribute's write (%d MiB, one pass)" % size, "",
          "In ms: the sysfs write (kernfs_fop_write_iter), kmem's store, the mm "
          "operations it calls (adding memory, the range operations), its counting of "
          "the blocks' states, and what is left: kmem's own work (locks, resources, "
          "its state) and the sysfs layer around the store.", "",
          "| transition | sysfs write | kmem store | mm operations | counting | rest of the store | sysfs around the store |",
          "|---|---|---|---|---|---|---|"]
    for t in ts:
        w, st = us(t, "kernfs_fop_write_iter"), us(t, "dax_kmem_store")
        m = sum(us(t, f) for f in mm)
        c = us(t, "__count_memory_ranges_state")
        md.append("| %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f |" % (
            t.replace(">", " → "), w / 1e3, st / 1e3, m / 1e3, c / 1e3,
            (st - m - c) / 1e3, (w - st) / 1e3))
    return md


# The memory notifiers a guest may have (guest/tests/bench.sh traces them).
NOTIFIERS = ("slab_memory_callback", "ksm_memory_callback", "cpuset_track_online_nodes",
             "memtier_hotplug_callback", "mm_compute_batch_notifier", "reserve_mem_notifier",
             "crash_memhp_notifier", "kcore_callback", "hmat_callback", "page_ext_callback",
             "dax_kmem_memory_notify")


def page_work(size, steps):
    """Where online_pages() and offline_pages() spend their time."""
    def us(m, t, fn):
        return steps.get((size, m, t, fn), (0, 0))[1]
    keys = sorted({k[1:3] for k in steps if k[0] == size})
    if not any(us(m, t, "start_isolate_page_range") for m, t in keys):
        return []
    md = ["", "## Inside online_pages(), offline_pages() and memory_notify() (%d MiB, one pass)"
          % size, "",
          "In ms, all calls during the transition.  \"rest\" is the function's time "
          "outside the parts named: for memory_notify() the notifier chain itself (its "
          "lock, the calls); for offline_pages() mostly the scan for pages to "
          "migrate (scan_movable_pages(), inlined, so not traced on its own)."]
    tables = (
        ("offline_pages", (("isolation", "start_isolate_page_range"),
                           ("notifiers", "memory_notify"),
                           ("isolation test", "test_pages_isolated"),
                           ("off the buddy lists", "__offline_isolated_pages"),
                           ("lru_cache_disable", "lru_cache_disable"))),
        ("online_pages", (("memmap init", "move_pfn_range_to_zone"),
                          ("pages to the buddy", "generic_online_page"),
                          ("undo isolation", "undo_isolate_page_range"),
                          ("notifiers", "memory_notify"))),
        ("memory_notify", tuple((f.replace("_callback", "").replace("_notifier", ""), f)
                                for f in NOTIFIERS)),
    )
    for fn, parts in tables:
        rows = [(m, t) for m, t in keys if us(m, t, fn)]
        if not rows:
            continue
        # Leave out what this kernel does not have (never called).
        parts = [(p, f) for p, f in parts if any(us(m, t, f) for m, t in rows)]
        md += ["", "| method | transition | %s() | %s | rest |" % (
            fn, " | ".join(p for p, _ in parts)),
            "|---|---|---|%s---|" % ("---|" * len(parts))]
        for m, t in rows:
            tot = us(m, t, fn)
            vals = [us(m, t, f) for _, f in parts]
            md.append("| %s | %s | %.1f | %s | %.1f |" % (
                m, t.replace(">", " → "), tot / 1e3,
                " | ".join("%.1f" % (v / 1e3) for v in vals), (tot - sum(vals)) / 1e3))
    return md


if __name__ == "__main__":
    main()
