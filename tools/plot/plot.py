#!/usr/bin/python3
"""Charts from `podium bench --format json` results (scheduler_perf DataItems).

Usage:
  tools/plot/plot.py RESULT.json [MORE.json ...] --out-dir DIR [--workload NAME]

Writes, for whatever the files contain:
  throughput_by_algorithm.png  SchedulingThroughput average per workload and algorithm
                               (bars; whiskers from the window p50 to p99 when windows exist)
  latency_cdf.png              scheduling attempt latency CDF (result=scheduled) per run
  throughput_vs_nodes.png      average throughput against cluster size, per test case and
                               algorithm (give results at several sizes, e.g. --label short
                               and --label performance)
  utilization_histogram.png    nodes by CPU utilisation (requested / allocatable) per run
  quality_by_algorithm.png     placement quality per workload and algorithm: share of nodes used,
                               CPU utilisation mean (whiskers: one stddev), pods left unscheduled
  sweep_by_AXIS.png            for a `podium sweep merge` file: throughput and share of nodes used per
                               workload, one bar per value of AXIS (--axis, default algorithm), the
                               mean over seeds with one standard deviation as error bars

Uses Debian's python3-matplotlib (hence /usr/bin/python3); nothing else.
"""
import argparse
import json
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


SWEEPS = []  # the "sweep" sections of the files loaded (podium sweep merge)


def load(paths):
    items = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            sys.exit(f"plot: {path}: {e}")
        if doc.get("version") != "v1" or "dataItems" not in doc:
            sys.exit(f"plot: {path}: not a DataItems file")
        items.extend(doc["dataItems"])
        if "sweep" in doc:
            SWEEPS.append(doc["sweep"])
    return items


def by_metric(items, metric, **labels):
    out = []
    for it in items:
        lab = it["labels"]
        if lab.get("Metric") == metric and all(lab.get(k) == v for k, v in labels.items()):
            out.append(it)
    return out


def first_repetition(items):
    return [it for it in items if it["labels"].get("repetition", "0") == "0"]


def plot_throughput(items, out):
    rows = first_repetition(by_metric(items, "SchedulingThroughput"))
    if not rows:
        return None
    names = list(dict.fromkeys(it["labels"]["Name"] for it in rows))
    algorithms = list(dict.fromkeys(it["labels"]["algorithm"] for it in rows))
    width = 0.8 / len(algorithms)
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(names) * max(1, len(algorithms) / 2)), 4.5))
    for a, algorithm in enumerate(algorithms):
        xs, ys, lo, hi = [], [], [], []
        for n, name in enumerate(names):
            match = [it for it in rows if it["labels"]["Name"] == name and it["labels"]["algorithm"] == algorithm]
            if not match:
                continue
            d = match[0]["data"]
            xs.append(n + (a - (len(algorithms) - 1) / 2) * width)
            ys.append(d["Average"])
            lo.append(d["Perc50"])
            hi.append(d["Perc99"])
        ax.bar(xs, ys, width, label=algorithm)
        # Whiskers span the window rates' p50..p99, wherever the average lies.
        ax.vlines(xs, lo, hi, colors="black", linewidth=1.2)
        ax.hlines(lo + hi, [x - width / 6 for x in xs] * 2, [x + width / 6 for x in xs] * 2, colors="black", linewidth=1.2)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("pods/s (log scale)")
    ax.set_title("SchedulingThroughput: average (bars), window p50..p99 (whiskers)")
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_latency_cdf(items, out):
    rows = first_repetition(by_metric(items, "SchedulingAttemptLatencyCDF", result="scheduled"))
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for it in rows:
        pts = sorted((float(q), ms * 1000.0) for q, ms in it["data"].items())
        xs = [max(v, 1e-3) for _, v in pts]
        ax.step(xs, [q for q, _ in pts], where="post", label=f'{it["labels"]["Name"]} [{it["labels"]["algorithm"]}]')
    ax.set_xscale("log")
    ax.set_xlabel("scheduling attempt latency (µs, log scale)")
    ax.set_ylabel("fraction of scheduled pods")
    ax.set_ylim(0, 1.01)
    ax.set_title("Attempt latency CDF (scheduled pods)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_vs_nodes(items, out):
    rows = first_repetition(by_metric(items, "SchedulingThroughput"))
    # One point per (test case, algorithm, node count): the first workload of that size
    # in the file (e.g. 5000Nodes before 5000Nodes_150000Pods).
    series = defaultdict(dict)
    for it in rows:
        case = it["labels"]["Name"].split("/")[0]
        series[(case, it["labels"]["algorithm"])].setdefault(int(it["labels"]["nodes"]), it["data"]["Average"])
    series = {k: sorted(v.items()) for k, v in series.items() if len(v) >= 2}
    if not series:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for (case, algorithm), pts in sorted(series.items()):
        ax.plot([n for n, _ in pts], [t for _, t in pts], marker="o", label=f"{case} [{algorithm}]")
    ax.set_xscale("log")
    ax.set_yscale("log")
    sizes = sorted({n for pts in series.values() for n, _ in pts})
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(n) for n in sizes])
    ax.set_xlabel("nodes (first workload of each size per test case)")
    ax.set_ylabel("pods/s (average)")
    ax.set_title("Throughput vs cluster size")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_utilization(items, out):
    rows = first_repetition(by_metric(items, "NodeUtilizationHistogram", resource="cpu"))
    if not rows:
        return None
    names = list(dict.fromkeys(it["labels"]["Name"] for it in rows))[:12]
    cols = min(3, len(names))
    nrows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 3.2 * nrows), squeeze=False)
    for idx, name in enumerate(names):
        ax = axes[idx // cols][idx % cols]
        runs = [it for it in rows if it["labels"]["Name"] == name]
        width = 0.05 / len(runs)
        for i, it in enumerate(runs):
            bins = sorted((float(k), v) for k, v in it["data"].items())
            ax.bar([b + width * (i + 0.5) for b, _ in bins], [v for _, v in bins], width, label=it["labels"]["algorithm"])
        ax.set_xlim(0, 1)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("CPU requested / allocatable", fontsize=8)
        ax.set_ylabel("nodes", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=7)
    for idx in range(len(names), nrows * cols):
        axes[idx // cols][idx % cols].axis("off")
    fig.suptitle("Node CPU utilisation after the run (bins of 5%)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_quality(items, out):
    """Three panels per workload: nodes used (share of nodes), CPU utilisation mean +- sd, and
    unschedulable pods, one bar per algorithm: what an algorithm buys for its speed."""
    used = first_repetition(by_metric(items, "NodesUsed"))
    if not used:
        return None
    util = first_repetition(by_metric(items, "NodeUtilization", resource="cpu"))
    outcomes = first_repetition(by_metric(items, "PodOutcomes"))
    names = list(dict.fromkeys(it["labels"]["Name"] for it in used))
    algorithms = list(dict.fromkeys(it["labels"]["algorithm"] for it in used))
    width = 0.8 / len(algorithms)

    def value(rows, name, algorithm, fn):
        match = [it for it in rows if it["labels"]["Name"] == name and it["labels"]["algorithm"] == algorithm]
        return fn(match[0]["data"]) if match else None

    panels = [
        ("share of nodes used", used, lambda d: d["Used"] / d["Total"] if d.get("Total") else 0.0, None),
        ("CPU utilisation of nodes (mean, whiskers 1 sd)", util, lambda d: d["Mean"], lambda d: d["Stddev"]),
        ("pods left unscheduled", outcomes, lambda d: d.get("Unschedulable", 0), None),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(max(12, 1.5 * len(names) * max(1, len(algorithms) / 3)), 4.2))
    for ax, (title, rows, fn, err) in zip(axes, panels):
        for a, algorithm in enumerate(algorithms):
            xs, ys, es = [], [], []
            for n, name in enumerate(names):
                v = value(rows, name, algorithm, fn)
                if v is None:
                    continue
                xs.append(n + (a - (len(algorithms) - 1) / 2) * width)
                ys.append(v)
                es.append(value(rows, name, algorithm, err) if err else 0)
            ax.bar(xs, ys, width, yerr=es if err else None, capsize=2, label=algorithm)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=20, ha="right", fontsize=7)
        ax.set_title(title, fontsize=9)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.suptitle("Placement quality by algorithm (same cluster, seed and filters)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def sweep_axis(requested):
    """The axis a sweep chart compares: --axis, else algorithm, else the first axis with several
    values other than seed (the axis the error bars run over)."""
    axes = [a for sweep in SWEEPS for a in sweep.get("axes", [])]
    names = [a["name"] for a in axes]
    if requested:
        if requested not in names:
            sys.exit(f"plot: no sweep axis {requested!r} (axes: {', '.join(names) or 'none'})")
        return requested
    if "algorithm" in names:
        return "algorithm"
    return next((a["name"] for a in axes if a["name"] != "seed" and len(a["values"]) > 1), None)


def plot_sweep(items, axis, out):
    """Per workload (Name), one bar per value of `axis`: mean over the items that differ only by
    seed (and repetition), whiskers one standard deviation."""
    if not SWEEPS or axis is None:
        return None
    panels = [("SchedulingThroughput", lambda d: d.get("Average"), "pods/s (mean over seeds, log scale)"),
              ("NodesUsed", lambda d: d["Used"] / d["Total"] if d.get("Total") else None,
               "share of nodes used (mean over seeds)")]
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.8))
    drawn = False
    for ax, (metric, fn, ylabel) in zip(axes, panels):
        values = defaultdict(list)
        for it in by_metric(items, metric):
            v = fn(it["data"])
            if v is not None and axis in it["labels"]:
                values[(it["labels"]["Name"], it["labels"][axis])].append(v)
        if not values:
            ax.axis("off")
            continue
        drawn = True
        names = list(dict.fromkeys(n for n, _ in values))
        groups = list(dict.fromkeys(g for _, g in values))
        width = 0.8 / len(groups)
        for g, group in enumerate(groups):
            xs, ys, es = [], [], []
            for n, name in enumerate(names):
                v = values.get((name, group))
                if not v:
                    continue
                mean = sum(v) / len(v)
                sd = (sum((x - mean) ** 2 for x in v) / (len(v) - 1)) ** 0.5 if len(v) > 1 else 0.0
                xs.append(n + (g - (len(groups) - 1) / 2) * width)
                ys.append(mean)
                es.append(sd)
            ax.bar(xs, ys, width, yerr=es, capsize=2, label=group)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=25, ha="right", fontsize=7)
        ax.set_ylabel(ylabel, fontsize=8)
        if metric == "SchedulingThroughput":
            ax.set_yscale("log")
        ax.set_title(f"{metric} by {axis}", fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    if not drawn:
        plt.close(fig)
        return None
    axes[0].legend(fontsize=7)
    fig.suptitle(f"Sweep {', '.join(s.get('name', '') for s in SWEEPS)}: mean over seeds, whiskers one sd")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="+")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--workload", help="only items whose Name (TestCase/Workload) or test case is this")
    ap.add_argument("--axis", help="sweep files: the axis sweep_by_AXIS.png compares (default algorithm)")
    args = ap.parse_args()
    items = load(args.results)
    if args.workload:
        items = [it for it in items
                 if args.workload in (it["labels"].get("Name"), it["labels"].get("Name", "").split("/")[0])]
    os.makedirs(args.out_dir, exist_ok=True)
    made = []
    for fn, name in [(plot_throughput, "throughput_by_algorithm.png"), (plot_latency_cdf, "latency_cdf.png"),
                     (plot_vs_nodes, "throughput_vs_nodes.png"), (plot_utilization, "utilization_histogram.png"),
                     (plot_quality, "quality_by_algorithm.png")]:
        path = fn(items, os.path.join(args.out_dir, name))
        if path:
            made.append(path)
    axis = sweep_axis(args.axis)
    path = plot_sweep(items, axis, os.path.join(args.out_dir, f"sweep_by_{axis}.png")) if axis else None
    if path:
        made.append(path)
    if not made:
        sys.exit("plot: nothing to plot in the given files")
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
