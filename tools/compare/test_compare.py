#!/usr/bin/env python3
"""Tests of tools/compare/compare.py (run by ctest: python3 -m unittest)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def data_items(throughputs):
    items = []
    for rep, t in enumerate(throughputs):
        items.append({"data": {"Average": t}, "unit": "pods/s",
                      "labels": {"Metric": "SchedulingThroughput", "Name": "Case/W", "algorithm": "default",
                                 "repetition": str(rep)}})
    return {"version": "v1", "dataItems": items}


class MannWhitney(unittest.TestCase):
    def test_exact_small_samples_match_scipy(self):
        # scipy.stats.mannwhitneyu(..., alternative="two-sided", method="exact")
        self.assertAlmostEqual(compare.mann_whitney_u_pvalue([1, 2, 3], [4, 5, 6]), 0.1)
        self.assertAlmostEqual(compare.mann_whitney_u_pvalue([1, 3, 5], [2, 4, 6]), 0.7)

    def test_identical_samples_are_not_significant(self):
        self.assertEqual(compare.mann_whitney_u_pvalue([5, 5, 5], [5, 5, 5]), 1.0)

    def test_separated_large_samples_are_significant(self):
        p = compare.mann_whitney_u_pvalue(list(range(9)), list(range(100, 109)))
        self.assertLess(p, 0.001)  # normal approximation: 0.00041


class EndToEnd(unittest.TestCase):
    def run_compare(self, old, new, *extra):
        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.json"), os.path.join(d, "b.json")
            json.dump(old, open(a, "w"))
            json.dump(new, open(b, "w"))
            return subprocess.run([sys.executable, compare.__file__, a, b, *extra], capture_output=True, text=True)

    def test_flags_a_significant_throughput_drop_as_worse(self):
        r = self.run_compare(data_items([100, 101, 99, 100, 102, 98, 100, 101, 99]),
                             data_items([80, 81, 79, 80, 82, 78, 80, 81, 79]), "--fail-on-regression")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("WORSE", r.stdout)
        self.assertIn("-0.2000", r.stdout)

    def test_single_repetition_only_reports_the_change(self):
        r = self.run_compare(data_items([100]), data_items([120]), "--fail-on-regression")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("+0.2000", r.stdout)
        self.assertIn("WARNING", r.stdout)

    def test_reads_google_benchmark_json(self):
        def gb(times):
            return {"benchmarks": [{"name": "BM_Filter", "run_name": "BM_Filter", "run_type": "iteration",
                                    "real_time": t, "cpu_time": t, "time_unit": "ns"} for t in times]}
        r = self.run_compare(gb([10, 11, 10, 10, 11, 10, 10, 11, 10]), gb([5, 5, 6, 5, 5, 6, 5, 5, 6]))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("BM_Filter", r.stdout)
        self.assertIn("BETTER", r.stdout)

    def test_rejects_a_file_that_is_not_results(self):
        r = self.run_compare({"foo": 1}, data_items([1]))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not a DataItems file", r.stderr)



class SweepTable(unittest.TestCase):
    """--table over a `podium sweep merge` file: one column per algorithm, mean ± sd over seeds."""

    def merged(self):
        items = []
        for task, (algorithm, seed, throughput) in enumerate(
                [("default", "1", 100.0), ("default", "2", 300.0), ("first-fit", "1", 50.0), ("first-fit", "2", 50.0)]):
            items.append({"data": {"Average": throughput}, "unit": "pods/s",
                          "labels": {"Metric": "SchedulingThroughput", "Name": "Case/W", "algorithm": algorithm,
                                     "seed": seed, "sweepTask": str(task), "workload": "w.yaml"}})
        axes = [{"name": "workload", "option": "", "values": ["w.yaml"]},
                {"name": "algorithm", "option": "--algorithm", "values": ["default", "first-fit"]},
                {"name": "seed", "option": "--seed", "values": ["1", "2"]}]
        return {"version": "v1", "sweep": {"name": "t", "axes": axes}, "dataItems": items}

    def run_table(self, doc, *extra):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            return subprocess.run([sys.executable, compare.__file__, "--table", "algorithm", path, *extra],
                                  capture_output=True, text=True)

    def test_one_column_per_axis_value_with_mean_and_sd_over_seeds(self):
        r = self.run_table(self.merged())
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertIn("SchedulingThroughput Average: mean ± sd over seed (n) by algorithm", lines)
        header = next(line for line in lines if "first-fit" in line)
        self.assertLess(header.index("default"), header.index("first-fit"))
        row = next(line for line in lines if line.startswith("Case/W"))
        self.assertIn("200 ± 1.4e+02 (2)", row)  # mean of 100 and 300, sample sd 141
        self.assertIn("50 ± 0 (2)", row)

    def test_an_unknown_axis_is_an_error(self):
        r = subprocess.run([sys.executable, compare.__file__, "--table", "nope", os.devnull], capture_output=True,
                           text=True)
        self.assertNotEqual(r.returncode, 0)
        doc = self.merged()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            r = subprocess.run([sys.executable, compare.__file__, "--table", "nope", path], capture_output=True,
                               text=True)
        self.assertIn("no axis 'nope' (axes: workload, algorithm, seed)", r.stderr)

if __name__ == "__main__":
    unittest.main()
