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


if __name__ == "__main__":
    unittest.main()
