#!/usr/bin/python3
"""Smoke test of tools/plot/plot.py (`podium bench` JSON in, PNG charts out) and
plot_replay.py (`podium replay` JSON in, allocation curves out).

Usage (ctest runs it): test_plot.py PATH/TO/podium PATH/TO/workload.yaml
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

PODIUM, WORKLOAD = (sys.argv[1], sys.argv[2]) if len(sys.argv) >= 3 else (None, None)
PLOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot.py")
PLOT_REPLAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot_replay.py")
OPENB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "datasets", "openb", "data")

try:
    import matplotlib  # noqa: F401
    HAVE_MPL = True
except ImportError:
    HAVE_MPL = False


@unittest.skipUnless(HAVE_MPL, "python3-matplotlib is not installed")
class Plot(unittest.TestCase):
    def test_writes_the_charts_as_png(self):
        with tempfile.TemporaryDirectory() as d:
            result = os.path.join(d, "r.json")
            subprocess.run([PODIUM, "bench", WORKLOAD, "--label", "short", "--algorithm", "default,MostAllocated",
                            "--format", "json", "--out", result, "--timing-samples", "2"], check=True,
                           capture_output=True)
            out = subprocess.run([sys.executable, PLOT, result, "--out-dir", d], check=True, capture_output=True,
                                 text=True).stdout.split()
            names = {os.path.basename(p) for p in out}
            # One cluster size only: no throughput-vs-size chart.
            self.assertEqual(names, {"throughput_by_algorithm.png", "latency_cdf.png", "utilization_histogram.png",
                                "quality_by_algorithm.png"})
            for p in out:
                with open(p, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_rejects_a_file_that_is_not_results(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "bad.json")
            with open(bad, "w") as f:
                f.write("{}")
            r = subprocess.run([sys.executable, PLOT, bad, "--out-dir", d], capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("not a DataItems file", r.stderr)

    def test_a_sweep_file_gets_the_per_axis_chart_with_error_bars(self):
        items = []
        for task, (algorithm, seed, rate, used) in enumerate(
                [("default", "1", 100.0, 9), ("default", "2", 300.0, 10), ("best-fit", "1", 50.0, 3),
                 ("best-fit", "2", 60.0, 3)]):
            labels = {"Name": "Case/W", "algorithm": algorithm, "seed": seed, "nodes": "10", "sweepTask": str(task)}
            items.append({"data": {"Average": rate, "Perc50": rate, "Perc99": rate}, "unit": "pods/s",
                          "labels": {"Metric": "SchedulingThroughput", **labels}})
            items.append({"data": {"Used": used, "Total": 10}, "unit": "", "labels": {"Metric": "NodesUsed", **labels}})
        axes = [{"name": "algorithm", "option": "--algorithm", "values": ["default", "best-fit"]},
                {"name": "seed", "option": "--seed", "values": ["1", "2"]}]
        with tempfile.TemporaryDirectory() as d:
            merged = os.path.join(d, "m.json")
            with open(merged, "w") as f:
                json.dump({"version": "v1", "sweep": {"name": "t", "axes": axes}, "dataItems": items}, f)
            out = subprocess.run([sys.executable, PLOT, merged, "--out-dir", d], check=True, capture_output=True,
                                 text=True).stdout.split()
            self.assertIn(os.path.join(d, "sweep_by_algorithm.png"), out)
            r = subprocess.run([sys.executable, PLOT, merged, "--out-dir", d, "--axis", "nope"], capture_output=True,
                               text=True)
            self.assertIn("no sweep axis 'nope' (axes: algorithm, seed)", r.stderr)


@unittest.skipUnless(HAVE_MPL, "python3-matplotlib is not installed")
class PlotReplay(unittest.TestCase):
    def test_writes_the_allocation_curves_as_png(self):
        with tempfile.TemporaryDirectory() as d:
            result = os.path.join(d, "replay.json")
            subprocess.run([PODIUM, "replay", "--nodes", os.path.join(OPENB, "openb_node_list_gpu_node.csv"),
                            "--pods", os.path.join(OPENB, "openb_pod_list_default.csv"), "--algorithm",
                            "fgd,best-fit", "--until", "0.2", "--out", result], check=True, capture_output=True)
            png = os.path.join(d, "curves.png")
            out = subprocess.run([sys.executable, PLOT_REPLAY, result, "--out", png], check=True, capture_output=True,
                                 text=True).stdout.strip()
            self.assertEqual(out, png)
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_rejects_a_bench_result(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "bad.json")
            with open(bad, "w") as f:
                f.write('{"version": "v1", "dataItems": []}')
            r = subprocess.run([sys.executable, PLOT_REPLAY, bad, "--out", os.path.join(d, "x.png")],
                               capture_output=True, text=True)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("not a `podium replay` arrivals result", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
