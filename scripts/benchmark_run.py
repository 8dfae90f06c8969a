"""Before/after benchmark of the whole workflow on a reduced default configuration, in one invocation.

Checks out the code at a git ref (before) and snapshots the working tree (after) into a temporary folder, runs
`snakemake --cores 2 figures` with the same reduced configuration in each (one after the other, on the same
machine), then prints each run's profile (scripts/profile_run.py: CPU per rule and scheme), the CPU ratio
after/before per row and in total, the wall times, and whether the claims tables agree.

Usage: python scripts/benchmark_run.py --before REF [--keep DIR] [--cores 2] [--full]
The reduced configuration is the paper's default with fewer layouts and sweep points (REDUCED below): every scheme
and rule of the default run, about a fifth of its work. --full runs the default configuration itself (`make figures`
of each side, one after the other: about half an hour).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from profile_run import profile, table  # noqa: E402

REDUCED = {
    "cfmmimo": {"fig3": {"n_layouts": 50, "kappa_db": [0.0, 2.0, 10.0, 20.0]}, "fig4": {"n_layouts": 50}},
    "dfbs": {"fig3": {"power_dbm": [0.0, 10.0]}, "fig4": {"power_dbm": [0.0, 10.0, 20.0]}},
}


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def checkout(ref: str, dest: Path) -> None:
    """The repository's tree at `ref` (a commit, branch or tag) in `dest`."""
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(dest)], check=True)
    _git("checkout", "-q", ref, cwd=dest)


def snapshot(dest: Path) -> None:
    """What a commit of the working tree would hold (tracked and untracked-but-not-ignored files)."""
    for rel in filter(None, _git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO).split("\0")):
        if (REPO / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)


def run(tree: Path, overlay: Path | None, cores: int) -> tuple[float, float]:
    """Wall time of `snakemake figures` in `tree` with the package imported from `tree/src` (PYTHONPATH comes
    before the editable install, so each run uses its own code); Snakemake's output goes to tree/benchmark.log."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tree / "src"), os.environ.get("PYTHONPATH")]))}
    t0, c0 = time.perf_counter(), _children_cpu()
    with open(tree / "benchmark.log", "w") as log:
        extra = [] if overlay is None else ["--configfile", str(overlay)]
        subprocess.run([sys.executable, "-m", "snakemake", "--cores", str(cores), "figures", *extra], cwd=tree,
                       check=True, env=env, stdout=log, stderr=subprocess.STDOUT)
    return time.perf_counter() - t0, _children_cpu() - c0


def benchmark_files_cpu(tree: Path) -> float:
    """Sum of `cpu_time` over Snakemake's benchmark files of a run (sampled: misses up to 30 s per long job)."""
    total = 0.0
    for f in (tree / "benchmarks").rglob("*.tsv"):
        with open(f) as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        total += sum(float(r["cpu_time"]) for r in rows[:1] if r.get("cpu_time") not in (None, "", "NA", "-"))
    return total


def _children_cpu() -> float:
    """User + system CPU of every finished descendant (Snakemake and all its jobs), exact (getrusage)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="git ref of the code before the change")
    ap.add_argument("--keep", type=Path, help="keep both run folders here (default: a temporary folder)")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--full", action="store_true", help="the default configuration instead of the reduced one")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="secure-isac-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    before, after = root / "before", root / "after"
    checkout(args.before, before)
    after.mkdir()
    snapshot(after)
    overlay = None if args.full else root / "reduced.yaml"
    if overlay is not None:
        overlay.write_text(yaml.safe_dump(REDUCED))
    walls, cpus = {}, {}
    for name, tree in (("before", before), ("after", after)):
        print(f"running {name} ({tree}) ...", flush=True)
        walls[name], cpus[name] = run(tree, overlay, args.cores)
    profiles = {name: profile(tree) for name, tree in (("before", before), ("after", after))}
    for name in ("before", "after"):
        print(f"\n== {name}: wall {walls[name]:.0f} s, CPU of Snakemake and every job {cpus[name]:.0f} s")
        print("\n".join(table(profiles[name])))
    a, b = profiles["before"], profiles["after"]
    print("\n== CPU after/before per row (* = a side read from Snakemake's sampled benchmark files, which miss up to "
          "30 s per job: code before the job-CPU log line; compare such rows with care, the whole-run CPU is exact)")
    for key in sorted(set(a) | set(b), key=lambda k: -a.get(k, {}).get("cpu", 0.0)):
        ca, cb = a.get(key, {}).get("cpu", 0.0), b.get(key, {}).get("cpu", 0.0)
        mark = "*" if a.get(key, {}).get("sampled") or b.get(key, {}).get("sampled") else " "
        print(f"{key:<28} {ca:>8.1f} -> {cb:>8.1f}  x{cb / ca if ca else float('nan'):.2f} {mark}")
    ta, tb = (sum(r["cpu"] for r in p.values()) for p in (a, b))
    print(f"{'total CPU':<28} {ta:>8.1f} -> {tb:>8.1f}  x{tb / ta:.2f}")
    print(f"{'wall':<28} {walls['before']:>8.0f} -> {walls['after']:>8.0f}  x{walls['after'] / walls['before']:.2f}")
    print(f"{'CPU of the whole run':<28} {cpus['before']:>8.0f} -> {cpus['after']:>8.0f}  "
          f"x{cpus['after'] / cpus['before']:.3f}")
    sa, sb = benchmark_files_cpu(before), benchmark_files_cpu(after)
    print(f"{'benchmarks/ cpu_time sum':<28} {sa:>8.0f} -> {sb:>8.0f}  x{sb / sa if sa else float('nan'):.3f}  "
          "(Snakemake's sampled files, the performance issue's instrument)")
    for study in ("cfmmimo", "dfbs"):
        same = filecmp.cmp(before / f"results/{study}/claims.csv", after / f"results/{study}/claims.csv",
                           shallow=False)
        print(f"claims table {study}: {'identical' if same else 'DIFFERENT (compare the files)'}")
    print(f"runs kept in {root}" if args.keep else f"runs in {root} (temporary)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
