#!/usr/bin/env python3
"""Compare two sets of `podium bench --format json` results (scheduler_perf DataItems).

Usage:
  tools/compare/compare.py BASELINE CONTENDER [--alpha 0.05] [--metric NAME ...] [--fail-on-regression]
  tools/compare/compare.py --table AXIS MERGED.json [--over seed] [--metric NAME ...] [--field Average]

--table reads one `podium sweep merge` file and prints, per metric and field, a table with
one column per value of AXIS (e.g. algorithm) and one row per value of the other axes: the
mean over the --over axis (default seed; its values are the repetitions) with its standard
deviation and count, `mean ± sd (n)`.

BASELINE and CONTENDER are each a result file, a comma-separated list of files, or a
directory of *.json files; every file (and every --repetitions run inside one) is one
repetition. Items are matched on (Name, algorithm, Metric, the item's own labels, field).
Google Benchmark JSON (`podium_micro_bench --benchmark_format=json`, with or without
--benchmark_repetitions) is read too: each benchmark's real_time and cpu_time (lower is
better); aggregate rows (mean, median, stddev) are ignored in favour of the iterations.

Conventions follow Google Benchmark's tools/compare.py:
  * the change is (new - old) / |old|, printed as a signed fraction (+0.0500 = 5% more);
  * with at least 2 repetitions on each side a two-sided Mann-Whitney U test is run on the
    per-repetition values and its p-value printed; p < alpha marks the change significant;
  * fewer than 9 repetitions on a side get a warning that the U test has little power.
Medians (not means) of the repetitions are compared. Whether "more" is better depends on
the metric (throughput: higher; latency, RSS, imbalance: lower) and is shown as
better / worse for significant changes.

Standard library only.
"""
import argparse
import glob
import json
import math
import os
import statistics
import sys
from collections import defaultdict

UTEST_MIN_REPETITIONS = 2
UTEST_OPTIMAL_REPETITIONS = 9

# Metric -> True if a larger value is better; metrics not listed are compared only on request.
DEFAULT_METRICS = {
    "SchedulingThroughput": True,
    "scheduler_scheduling_attempt_duration_seconds": False,
    "NodeUtilization": None,  # Mean: neither; Stddev (imbalance): lower is better, see direction()
    "Fragmentation": False,
    "NodesUsed": None,
    "PeakRSS": False,
    "PhaseDuration": False,
}
GOOGLE_BENCHMARK = "GoogleBenchmark"  # the Metric given to Google Benchmark rows
COMMON_LABELS = {"Metric", "Name", "algorithm", "seed", "threads", "nodes", "workloadFile", "labels", "repetition"}


def direction(metric, field):
    if metric == GOOGLE_BENCHMARK:
        return False
    if metric == "NodeUtilization":
        return False if field == "Stddev" else None
    if metric == "scheduler_scheduling_attempt_duration_seconds" and field == "Count":
        return None
    return DEFAULT_METRICS.get(metric)


def expand(spec):
    files = []
    for part in spec.split(","):
        if os.path.isdir(part):
            files.extend(sorted(glob.glob(os.path.join(part, "*.json"))))
        else:
            files.append(part)
    if not files:
        sys.exit(f"compare: no result files in {spec}")
    return files


def load(spec, metrics):
    """(name, algorithm, metric, own labels, field) -> [value per repetition]."""
    values = defaultdict(list)
    for path in expand(spec):
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            sys.exit(f"compare: {path}: {e}")
        if "benchmarks" in doc:
            load_google_benchmark(doc, values)
            continue
        if doc.get("version") != "v1" or "dataItems" not in doc:
            sys.exit(f'compare: {path}: not a DataItems file (expected {{"version":"v1","dataItems":[...]}})')
        for item in doc["dataItems"]:
            labels = item.get("labels", {})
            metric = labels.get("Metric", "")
            if metric not in metrics:
                continue
            # (Google Benchmark rows are always kept; see load_google_benchmark.)
            own = ";".join(f"{k}={v}" for k, v in sorted(labels.items()) if k not in COMMON_LABELS and k != "samples")
            for field, value in item.get("data", {}).items():
                key = (labels.get("Name", ""), labels.get("algorithm", ""), metric, own, field)
                values[key].append(float(value))
    return values


def load_google_benchmark(doc, values):
    for b in doc["benchmarks"]:
        if b.get("run_type") == "aggregate" or "real_time" not in b:
            continue
        name = b.get("run_name", b["name"])
        for field in ("real_time", "cpu_time"):
            values[(name, b.get("time_unit", ""), GOOGLE_BENCHMARK, "", field)].append(float(b[field]))


def mann_whitney_u_pvalue(x, y):
    """Two-sided p-value of the Mann-Whitney U test.

    Exact (by counting rank-sum arrangements) for small samples without ties, else the
    normal approximation with tie correction and continuity correction — what SciPy's
    mannwhitneyu(method="auto") does, which Google Benchmark's compare.py uses.
    """
    n1, n2 = len(x), len(y)
    pooled = sorted([(v, 0) for v in x] + [(v, 1) for v in y])
    ranks = [0.0] * len(pooled)
    tie_term = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2.0 + 1
        t = j - i + 1
        tie_term += t ** 3 - t
        i = j + 1
    r1 = sum(r for r, (_, group) in zip(ranks, pooled) if group == 0)
    u1 = r1 - n1 * (n1 + 1) / 2.0
    u2 = n1 * n2 - u1
    u = max(u1, u2)
    if tie_term == 0 and n1 <= 8 and n2 <= 8:
        # counts[k] = arrangements of n1 ranks among n1 + n2 whose U equals k.
        counts = _u_distribution(n1, n2)
        total = sum(counts)
        tail = sum(counts[int(math.ceil(u)):]) / total
        return min(1.0, 2 * tail)
    n = n1 + n2
    mean = n1 * n2 / 2.0
    var = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (u - mean - 0.5) / math.sqrt(var)
    return min(1.0, math.erfc(z / math.sqrt(2)))


def _u_distribution(n1, n2):
    # f[i][j][k]: sequences of i x's and j y's with k (x > y) pairs.
    f = {(0, 0): {0: 1}}
    for total in range(1, n1 + n2 + 1):
        for i in range(max(0, total - n2), min(n1, total) + 1):
            j = total - i
            dist = defaultdict(int)
            if i > 0:  # the largest element is an x: it beats all j y's
                for k, c in f[(i - 1, j)].items():
                    dist[k + j] += c
            if j > 0:
                for k, c in f[(i, j - 1)].items():
                    dist[k] += c
            f[(i, j)] = dist
    dist = f[(n1, n2)]
    return [dist.get(k, 0) for k in range(n1 * n2 + 1)]


def sweep_table(path, axis, over, metrics, fields):
    """Prints the per-axis tables of a merged sweep file (see the module doc)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"compare: {path}: {e}")
    if "sweep" not in doc or "dataItems" not in doc:
        sys.exit(f"compare: {path}: not a `podium sweep merge` file (no sweep section)")
    axes = [a["name"] for a in doc["sweep"]["axes"]]
    if axis not in axes:
        sys.exit(f"compare: {path}: no axis {axis!r} (axes: {', '.join(axes)})")
    rest = [a for a in axes if a not in (axis, over)]
    columns = next(a["values"] for a in doc["sweep"]["axes"] if a["name"] == axis)
    # (metric, field) -> row key -> column -> [values over the --over axis]
    cells = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for item in doc["dataItems"]:
        labels = item["labels"]
        metric = labels.get("Metric", "")
        if metric not in metrics:
            continue
        sweep_labels = {a for a in axes} | {"sweepTask", "Metric"} | COMMON_LABELS
        own = ";".join(f"{k}={v}" for k, v in sorted(labels.items()) if k not in sweep_labels and k != "samples")
        row = tuple([labels.get("Name", "")] + [labels.get(a, "") for a in rest] + ([own] if own else []))
        for field, value in item.get("data", {}).items():
            if fields and field not in fields:
                continue
            cells[(metric, field)][row][labels.get(axis, "")].append(float(value))
    if not cells:
        sys.exit(f"compare: {path}: no items with Metric {', '.join(sorted(metrics))}")
    width = max(22, max(len(c) for c in columns) + 2)
    for (metric, field), rows in sorted(cells.items()):
        print(f"\n{metric} {field}: mean ± sd over {over} (n) by {axis}")
        header = f"{'':48}" + "".join(f"{c[:width - 1]:>{width}}" for c in columns)
        print(header)
        print("-" * len(header))
        for row, by_column in sorted(rows.items()):
            line = f"{' '.join(x for x in row if x)[:47]:48}"
            for c in columns:
                v = by_column.get(c, [])
                if not v:
                    line += f"{'-':>{width}}"
                    continue
                sd = statistics.stdev(v) if len(v) > 1 else 0.0
                line += " " + f"{f'{statistics.mean(v):.4g} ± {sd:.2g} ({len(v)})':>{width - 1}}"
            print(line)
    return 0


def main():
    if "--table" in sys.argv[1:]:
        tp = argparse.ArgumentParser(description="per-axis tables of a `podium sweep merge` file")
        tp.add_argument("--table", required=True, metavar="AXIS", help="one column per value of this axis")
        tp.add_argument("merged")
        tp.add_argument("--over", default="seed", help="the axis whose values are repetitions (default seed)")
        tp.add_argument("--metric", action="append", help="Metric names (default SchedulingThroughput)")
        tp.add_argument("--field", action="append", help="data fields (default: all)")
        t = tp.parse_args()
        return sweep_table(t.merged, t.table, t.over, set(t.metric or ["SchedulingThroughput"]), set(t.field or []))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("baseline")
    ap.add_argument("contender")
    ap.add_argument("--alpha", type=float, default=0.05, help="significance level of the U test (default 0.05)")
    ap.add_argument("--metric", action="append", help="compare only these Metric names (repeatable)")
    ap.add_argument("--fail-on-regression", action="store_true",
                    help="exit 1 if any change is significant and worse")
    args = ap.parse_args()

    metrics = set(args.metric) if args.metric else set(DEFAULT_METRICS)
    metrics.add(GOOGLE_BENCHMARK)
    old = load(args.baseline, metrics)
    new = load(args.contender, metrics)
    keys = [k for k in old if k in new]
    if not keys:
        sys.exit("compare: the two result sets have no (Name, algorithm, Metric, field) in common")

    reps_old = max(len(v) for v in old.values())
    reps_new = max(len(v) for v in new.values())
    print(f"Comparing {args.baseline} (baseline, {reps_old} repetition(s)) to {args.contender} "
          f"(contender, {reps_new} repetition(s)); medians; U test alpha {args.alpha}")
    if min(reps_old, reps_new) < UTEST_MIN_REPETITIONS:
        print(f"WARNING: fewer than {UTEST_MIN_REPETITIONS} repetitions on a side: no U test, changes not judged. "
              f"Use `podium bench --repetitions {UTEST_OPTIMAL_REPETITIONS}`.")
    elif min(reps_old, reps_new) < UTEST_OPTIMAL_REPETITIONS:
        print(f"WARNING: the U test has little power with fewer than {UTEST_OPTIMAL_REPETITIONS} repetitions.")

    header = f"{'Metric':60} {'Field':14} {'Old':>12} {'New':>12} {'Change':>9} {'p-value':>8}  Verdict"
    regressions = 0
    section = None
    for key in sorted(keys):
        name, algorithm, metric, own, field = key
        if (name, algorithm) != section:
            section = (name, algorithm)
            print(f"\n{name} [{algorithm}]")
            print(header)
            print("-" * len(header))
        a, b = old[key], new[key]
        mo, mn = statistics.median(a), statistics.median(b)
        change = (mn - mo) / abs(mo) if mo != 0 else (0.0 if mn == 0 else math.inf)
        label = metric + (f"{{{own}}}" if own else "")
        pvalue, verdict = "", ""
        if len(a) >= UTEST_MIN_REPETITIONS and len(b) >= UTEST_MIN_REPETITIONS:
            p = mann_whitney_u_pvalue(a, b)
            pvalue = f"{p:.4f}"
            if p < args.alpha:
                better = direction(metric, field)
                if better is None:
                    verdict = "changed"
                elif (mn > mo) == better:
                    verdict = "BETTER"
                else:
                    verdict = "WORSE"
                    regressions += 1
        print(f"{label[:60]:60} {field[:14]:14} {mo:12.6g} {mn:12.6g} {change:+9.4f} {pvalue:>8}  {verdict}")
    if args.fail_on_regression and regressions:
        print(f"{regressions} significant regression(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
