#!/usr/bin/python3
"""Quality table for docs/performance.md from `eenet-cli evaluate --json` output.

Usage: scripts/quality_report.py RESULTS.json [--baseline maxprob]

For every method: mean accuracy over the budgets (val and test), mean realised-cost error against the budget,
and the mean paired difference in test accuracy against the baseline *at equal realised cost* (the
baseline's test accuracy-cost curve interpolated at the method's realised test cost), with the standard
error of that mean over budgets. Budgets at the two ends of the range (where every policy is forced to a
single exit) are left out of the paired comparison.
"""
import argparse
import json
import math
import sys

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--baseline", default="maxprob")
    args = parser.parse_args()
    with open(args.results) as handle:
        data = json.load(handle)
    rows = [r for r in data["results"] if r["budget"] is not None]
    by_method = {}
    for r in rows:
        by_method.setdefault(r["method"], {}).setdefault(r["split"], []).append(r)
    if args.baseline not in by_method:
        print(f"baseline {args.baseline} is not in {args.results}", file=sys.stderr)
        return 1
    budgets = sorted({r["budget"] for r in rows})
    inner = budgets[1:-1]
    base_test = sorted(by_method[args.baseline].get("test", []), key=lambda r: r["cost"])
    unit = data.get("cost_unit", "")
    print(f"{len(budgets)} budgets from {budgets[0]:.4g} to {budgets[-1]:.4g} {unit}; "
          f"paired differences over the {len(inner)} inner budgets, against `{args.baseline}` at equal realised test cost.\n")
    print("| method | mean val acc % | mean test acc % | mean abs val cost error % | max abs val cost error % | "
          "mean abs test cost error % | test Δ vs baseline (pp) ± SE |")
    print("|---|---|---|---|---|---|---|")
    for method, splits in by_method.items():
        val = splits.get("val", [])
        test = splits.get("test", [])
        val_err = [abs(r["cost"] - r["budget"]) / r["budget"] * 100 for r in val]
        test_err = [abs(r["cost"] - r["budget"]) / r["budget"] * 100 for r in test]
        delta = "—"
        if test and base_test and method != args.baseline:
            costs = np.array([r["cost"] for r in base_test])
            accs = np.array([r["accuracy"] for r in base_test])
            diffs = [r["accuracy"] - float(np.interp(r["cost"], costs, accs)) for r in test if r["budget"] in inner]
            if len(diffs) > 1:
                se = float(np.std(diffs, ddof=1)) / math.sqrt(len(diffs))
                delta = f"{np.mean(diffs):+.3f} ± {se:.3f}"
        fmt = lambda xs: f"{np.mean(xs):.3f}" if xs else "—"
        print(f"| {method} | {fmt([r['accuracy'] for r in val])} | {fmt([r['accuracy'] for r in test])} | "
              f"{fmt(val_err)} | {(f'{max(val_err):.3f}' if val_err else '—')} | {fmt(test_err)} | {delta} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
