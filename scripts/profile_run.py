"""Profile of a finished run, per rule and scheme: jobs, CPU time, share, designs, CPU per design, iterations
(study 1) or SDPs (study 2) per design, and the solver's share of the design time (from the job logs). CPU time is
the fair measure on a shared machine; wall times of parallel jobs are not.

CPU per job: the "job CPU" line every job writes at its end (provenance.log_to: user + system time of the job's
process, imports included). Runs of code that did not write it fall back to Snakemake's benchmark files, which
sample the CPU time every 30 s and miss the last interval (a 60 s job can read 30 s short); such rows are marked
"(benchmark)". Jobs without a benchmark file (layouts, channels, plots, claims) appear only with the log line.

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
JOB_CPU = re.compile(r"job CPU: ([\d.]+) s")


def _cpu(tsv: Path) -> float:
    with open(tsv) as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return sum(float(r["cpu_time"]) for r in rows) / max(1, len(rows))


def _key(parts: tuple[str, ...]) -> str:
    if parts[:2] == ("cfmmimo", "optimise"):
        return f"cfmmimo_optimise {parts[2]}"
    if parts[:2] == ("dfbs", "design"):
        return f"dfbs_design {parts[2]}"
    return "/".join(parts[:2]) if len(parts) > 1 else parts[0]


def profile(run: Path) -> dict[str, dict]:
    """{row name: {jobs, cpu, designs, work, wall, solver, sampled}} of a run directory."""
    rows: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    jobs: dict[Path, Path | None] = {}  # relative job path (no suffix) -> its benchmark file
    for log in sorted((run / "logs").rglob("*.log")) if (run / "logs").exists() else []:
        jobs[log.relative_to(run / "logs").with_suffix("")] = None
    for tsv in sorted((run / "benchmarks").rglob("*.tsv")) if (run / "benchmarks").exists() else []:
        jobs[tsv.relative_to(run / "benchmarks").with_suffix("")] = tsv
    for rel, tsv in sorted(jobs.items()):
        log = run / "logs" / rel.parent / (rel.name + ".log")  # not with_suffix: labels hold dots (p0_r2.5)
        text = log.read_text(errors="replace") if log.exists() else ""
        cpu = JOB_CPU.findall(text)
        if not cpu and tsv is None:
            continue  # an old run's log without the job CPU line and without a benchmark
        key = _key(rel.parts)
        if key.startswith("cfmmimo_optimise"):
            for m in CF_LINE.finditer(text):
                rows[key]["designs"] += 1
                rows[key]["work"] += int(m.group(3))
                rows[key]["wall"] += float(m.group(4))
                rows[key]["solver"] += float(m.group(5))
        elif key.startswith("dfbs_design"):
            for m in DF_LINE.finditer(text):
                rows[key]["designs"] += 1
                rows[key]["work"] += int(m.group(2))
                rows[key]["wall"] += float(m.group(3))
        rows[key]["jobs"] += 1
        if cpu:
            rows[key]["cpu"] += float(cpu[-1])
        else:
            rows[key]["cpu"] += _cpu(tsv)
            rows[key]["sampled"] = 1.0
    return rows


def table(rows: dict[str, dict]) -> list[str]:
    total = sum(r["cpu"] for r in rows.values())
    out = [f"{'rule / scheme':<40} {'jobs':>5} {'CPU s':>8} {'share':>6} {'designs':>8} {'CPU/design':>11} "
           f"{'iter|SDP/design':>15} {'solver/wall':>11}"]
    for key, r in sorted(rows.items(), key=lambda kv: -kv[1]["cpu"]):
        d = r["designs"]
        per = f"{r['cpu'] / d:.3f}" if d else "-"
        work = f"{r['work'] / d:.1f}" if d else "-"
        solver = f"{r['solver'] / r['wall']:.2f}" if r.get("solver") and r["wall"] else "-"
        name = key + (" (benchmark)" if r.get("sampled") else "")
        out.append(f"{name:<40} {int(r['jobs']):>5} {r['cpu']:>8.1f} {100 * r['cpu'] / total:>5.1f}% "
                   f"{int(d) if d else '-':>8} {per:>11} {work:>15} {solver:>11}")
    out.append(f"{'total':<40} {int(sum(r['jobs'] for r in rows.values())):>5} {total:>8.1f}")
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
        print(f"{'total':<40} {ta:>8.1f} -> {tb:>8.1f}  x{tb / ta:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
