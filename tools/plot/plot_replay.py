#!/usr/bin/python3
"""Allocation curves from `podium replay` JSON (the FGD paper's Fig. 7-style chart).

Usage:
  tools/plot/plot_replay.py REPLAY.json --out FILE.png [--pods-file SUBSTRING]

One panel per pod list in the file (or only those whose path contains SUBSTRING): for each
algorithm, the share of GPU capacity left unallocated (100 - allocated %) against the GPU
demand arrived (% of capacity), averaged over the seeds the replay ran. Prints the path.

Uses Debian's python3-matplotlib (hence /usr/bin/python3); nothing else.
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        sys.exit(f"plot_replay: {path}: {e}")
    if doc.get("mode") != "arrivals" or not isinstance(doc.get("results"), list):
        sys.exit(f"plot_replay: {path}: not a `podium replay` arrivals result")
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("replay")
    ap.add_argument("--out", required=True)
    ap.add_argument("--pods-file", help="only pod lists whose path contains this")
    args = ap.parse_args()
    doc = load(args.replay)
    lists = []
    for r in doc["results"]:
        if args.pods_file and args.pods_file not in r["pods_file"]:
            continue
        if r["pods_file"] not in lists:
            lists.append(r["pods_file"])
    if not lists:
        sys.exit("plot_replay: no result matches")
    fig, axes = plt.subplots(1, len(lists), figsize=(6.5 * len(lists), 4.8), squeeze=False)
    for ax, pods in zip(axes[0], lists):
        for r in doc["results"]:
            if r["pods_file"] != pods:
                continue
            xs = [100 * p["arrived_ratio"] for p in r["curve"]]
            ys = [100 * (1 - p["allocated_ratio"]) for p in r["curve"]]
            ax.plot(xs, ys, label=f'{r["algorithm"]} ({100 * (1 - r["gpu_allocation_ratio"]):.2f}% at end)')
        seeds = len(doc["results"][0]["seeds"])
        ax.set_title(f"{os.path.basename(pods)} (mean of {seeds} seed{'s' if seeds != 1 else ''})")
        ax.set_xlabel("GPU demand arrived (% of capacity)")
        ax.set_ylabel("GPU capacity unallocated (%)")
        ax.set_xlim(80 if doc["until"] > 0.9 else 0, 100 * doc["until"])
        ax.set_ylim(0, 30)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(args.out)


if __name__ == "__main__":
    main()
