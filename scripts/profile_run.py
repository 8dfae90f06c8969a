"""Profile of a finished run, per rule and scheme: jobs, CPU time (from Snakemake's benchmark files), share, designs,
CPU per design, iterations (study 1) or SDPs (study 2) per design, and the solver's share of the design time (from
the job logs). CPU time is the fair measure on a shared machine; wall times of parallel jobs are not.

Usage: python scripts/profile_run.py RUN_DIR [RUN_DIR_AFTER]   (two runs: both tables and the ratio per row)
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

CF_LINE = re.compile(r"layout (\d+) scheme (\S+) kappa \S+ dB: .*? iterations=(\d+) .*? "
                     r"wall=([\d.]+)s solver=([\d.]+)s")
DF_LINE = re.compile(r"(\S+) P=\S+ dBm R=\S+: .*? n_sdp=(\d+) wall=([\d.]+)s")


def _cpu(tsv: Path) -> float:
    with open(tsv) as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return sum(float(r["cpu_time"]) for r in rows) / max(1, len(rows))


def profile(run: Path) -> dict[str, dict]:
    """{row name: {jobs, cpu, designs, work, wall, solver}} of a run directory."""
    rows: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for tsv in sorted((run / "benchmarks").rglob("*.tsv")):
        rel = tsv.relative_to(run / "benchmarks")
        parts = rel.parts
        if parts[:2] == ("cfmmimo", "optimise"):
            key = f"cfmmimo_optimise {parts[2]}"
            log = run / "logs" / rel.with_suffix(".log")
            for m in CF_LINE.finditer(log.read_text() if log.exists() else ""):
                rows[key]["designs"] += 1
                rows[key]["work"] += int(m.group(3))
                rows[key]["wall"] += float(m.group(4))
                rows[key]["solver"] += float(m.group(5))
        elif parts[:2] == ("dfbs", "design"):
            key = f"dfbs_design {parts[2]}"
            log = run / "logs" / "dfbs" / "design" / Path(*parts[2:]).with_suffix(".log")
            for m in DF_LINE.finditer(log.read_text() if log.exists() else ""):
                rows[key]["designs"] += 1
                rows[key]["work"] += int(m.group(2))
                rows[key]["wall"] += float(m.group(3))
        else:
            key = "/".join(parts[:2])
        rows[key]["jobs"] += 1
        rows[key]["cpu"] += _cpu(tsv)
    return rows


def table(rows: dict[str, dict]) -> list[str]:
    total = sum(r["cpu"] for r in rows.values())
    out = [f"{'rule / scheme':<28} {'jobs':>5} {'CPU s':>8} {'share':>6} {'designs':>8} {'CPU/design':>11} "
           f"{'iter|SDP/design':>15} {'solver/wall':>11}"]
    for key, r in sorted(rows.items(), key=lambda kv: -kv[1]["cpu"]):
        d = r["designs"]
        per = f"{r['cpu'] / d:.3f}" if d else "-"
        work = f"{r['work'] / d:.1f}" if d else "-"
        solver = f"{r['solver'] / r['wall']:.2f}" if r.get("solver") and r["wall"] else "-"
        out.append(f"{key:<28} {int(r['jobs']):>5} {r['cpu']:>8.1f} {100 * r['cpu'] / total:>5.1f}% "
                   f"{int(d) if d else '-':>8} {per:>11} {work:>15} {solver:>11}")
    out.append(f"{'total':<28} {int(sum(r['jobs'] for r in rows.values())):>5} {total:>8.1f}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__)
        return 2
    runs = [Path(a) for a in argv[1:]]
    profiles = [profile(r) for r in runs]
    for run, rows in zip(runs, profiles):
        print(f"== {run}")
        print("\n".join(table(rows)))
    if len(profiles) == 2:
        a, b = profiles
        print("== CPU ratio after/before per row")
        for key in sorted(set(a) | set(b), key=lambda k: -a.get(k, {}).get("cpu", 0.0)):
            ca, cb = a.get(key, {}).get("cpu", 0.0), b.get(key, {}).get("cpu", 0.0)
            print(f"{key:<28} {ca:>8.1f} -> {cb:>8.1f}  x{cb / ca if ca else float('nan'):.2f}")
        ta, tb = (sum(r["cpu"] for r in p.values()) for p in (a, b))
        print(f"{'total':<28} {ta:>8.1f} -> {tb:>8.1f}  x{tb / ta:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
