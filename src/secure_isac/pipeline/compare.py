"""Runs compared side by side: the console script secure-isac-compare.

`secure-isac-compare RUN_A RUN_B` prints the headline numbers that differ beyond a tolerance, the numbers only one
run has, every claims verdict that changed, and the configuration keys and package versions that differ between
two runs. A run is a folder holding results/<study>/ (a run's working directory) or <study>/ directly (a scenario's
results/scenarios/<name>/). The parts, each its own module: reading a run (run_results), the differences
(run_differences), the output formats (compare_formats); the scenario summary (scenario_summary) reads runs the
same way. The library API is re-exported here.
"""

from __future__ import annotations

import argparse
import sys

from .compare_formats import FORMATS, format_comparison
from .run_differences import ABSENT, ATOL, RTOL, compare, comparison, config_differences, differs
from .run_results import CompareError, claims, headlines, results_root

__all__ = ["ABSENT", "ATOL", "FORMATS", "RTOL", "CompareError", "claims", "compare", "comparison",
           "config_differences", "differs", "format_comparison", "headlines", "main", "results_root"]


def main(argv: list[str] | None = None) -> int:
    """Console script secure-isac-compare: headline differences and changed claims verdicts of two runs."""
    ap = argparse.ArgumentParser(prog="secure-isac-compare", description=main.__doc__)
    ap.add_argument("run_a", help="run folder (holding results/) or scenario folder (results/scenarios/<name>)")
    ap.add_argument("run_b")
    ap.add_argument("--rtol", type=_tolerance, default=RTOL, help="relative tolerance of a headline difference "
                    f"(|b - a| > atol + rtol |a| counts; default {RTOL:g})")
    ap.add_argument("--atol", type=_tolerance, default=ATOL, help=f"absolute tolerance (default {ATOL:g})")
    ap.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default text)")
    args = ap.parse_args(argv)
    try:
        c = comparison(results_root(args.run_a), results_root(args.run_b), args.rtol, args.atol)
    except (FileNotFoundError, CompareError) as exc:
        print(f"secure-isac-compare: {exc}", file=sys.stderr)
        return 2
    for w in c["warnings"]:
        if args.format != "text":  # the text output carries them itself; a machine format keeps them in its data
            print(f"secure-isac-compare: warning: {w}", file=sys.stderr)
    try:
        print(FORMATS[args.format](c), end="" if args.format == "csv" else "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `secure-isac-compare a b | head`: the reader left; no traceback at exit either
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _tolerance(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a tolerance is a number >= 0")
    return value


if __name__ == "__main__":
    sys.exit(main())
