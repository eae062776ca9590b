#!/usr/bin/env python3
"""Exit 0 when two `podium sweep merge` files hold the same results, else print the first
difference and exit 1.

The same grid run by two executors gives the same placements, hence identical placement
items (PodOutcomes, NodesUsed, NodeUtilization, Fragmentation, ...); what is measured with a
clock (throughput, latency, phase times, peak RSS) differs from run to run and is compared
by presence only — except SchedulingThroughputWindows, whose very presence depends on how long
the run took (a run shorter than one window has none), so it is left out. Standard library only.
"""
import json
import sys

LEFT_OUT = {"SchedulingThroughputWindows"}
MEASURED = {"SchedulingThroughput", "scheduler_scheduling_attempt_duration_seconds",
            "SchedulingAttemptLatencyCDF", "PhaseDuration", "PeakRSS"}


def comparable(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    items = []
    for it in doc["dataItems"]:
        if it["labels"].get("Metric") in LEFT_OUT:
            continue
        measured = it["labels"].get("Metric") in MEASURED
        items.append({"labels": it["labels"], "unit": it.get("unit"),
                      "data": sorted(it["data"]) if measured else it["data"]})
    return doc["sweep"], items


def main():
    a_sweep, a_items = comparable(sys.argv[1])
    b_sweep, b_items = comparable(sys.argv[2])
    if a_sweep != b_sweep:
        print(f"sweep sections differ:\n  {a_sweep}\n  {b_sweep}")
        return 1
    if len(a_items) != len(b_items):
        print(f"{len(a_items)} items against {len(b_items)}")
        return 1
    for i, (a, b) in enumerate(zip(a_items, b_items)):
        if a != b:
            print(f"item {i} differs:\n  {a}\n  {b}")
            return 1
    if a_sweep["merged"] != a_sweep["taskCount"] or a_sweep["failed"] or a_sweep["missing"]:
        print(f"incomplete sweep: {a_sweep}")
        return 1
    print(f"same results: {len(a_items)} items from {a_sweep['taskCount']} tasks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
