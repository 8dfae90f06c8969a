"""Checks after the SLURM run of .ci/cluster/test-cluster.sh; exits non-zero naming every failed check.

1. every SLURM job snakemake reports having submitted (plain jobs and array jobs) is in slurmctld's job
   completion file (jobcomp/filetxt) under this run's name, and every such job ended COMPLETED;
2. the rules named with --slurm-rule were submitted to SLURM, and every job of every rule that was submitted
   was executed inside a SLURM allocation (as many distinct outputs in the kept SLURM job logs as the run's
   "Job stats" table counts for that rule); there is one kept log per submitted SLURM job;
3. the run is complete: a dry run of the same target finds nothing to do;
4. with --expect contract: every data-contract output that the target's DAG contains exists, is non-empty,
   and (NetCDF) opens with xarray; contract paths outside the DAG (a study not wired in yet) are listed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

CONTRACT = [f"results/{study}/fig{i}.nc" for study in ("cfmmimo", "dfbs") for i in (2, 3, 4)] + [
    f"figures/{study}/fig{i}.{ext}" for study in ("cfmmimo", "dfbs") for i in (2, 3, 4) for ext in ("pdf", "png")
]

SUBMIT_PLAIN = re.compile(r"has been submitted with SLURM jobid (\d+) \(log: ([^)]*)\)")
SUBMIT_ARRAY = re.compile(
    r"Submitted array job with Snakemake IDs ([\d,]+) and SLURM job ID (\d+)\. The individual task IDs are (\d+)-(\d+)"
)


EXECUTED = re.compile(r"^localrule (\S+):\n(?:\s+input: [^\n]*\n)?\s+output: ([^\n]+)$", re.MULTILINE)


def job_counts(text: str) -> dict[str, int]:
    """First "Job stats" table of a snakemake log as {rule: count}."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "Job stats:":
            counts = {}
            for row in lines[i + 3:]:
                parts = row.split()
                if len(parts) != 2 or not parts[1].isdigit():
                    break
                if parts[0] != "total":
                    counts[parts[0]] = int(parts[1])
            return counts
    return {}


def read_jobcomp(path: Path) -> list[dict[str, str]]:
    """Records of slurmctld's jobcomp/filetxt file (one `Key=Value ...` line per finished job or array task)."""
    records = []
    if path.exists():
        for line in path.read_text().splitlines():
            fields = dict(tok.split("=", 1) for tok in line.split() if "=" in tok)
            if "JobId" in fields:
                records.append(fields)
    return records


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run-dir", type=Path, required=True)
    ap.add_argument("--snakemake-log", type=Path, required=True)
    ap.add_argument("--jobcomp", type=Path, required=True)
    ap.add_argument("--expect", choices=("contract", "none"), default="contract")
    ap.add_argument("--slurm-rule", action="append", default=[], help="rule whose jobs must all have run under SLURM")
    ap.add_argument("--snakefile", required=True)
    ap.add_argument("--configfile", required=True)
    ap.add_argument("--target", default="figures")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args(argv)

    failures: list[str] = []
    log = args.snakemake_log.read_text()
    m = re.search(r"SLURM run ID: (\S+)", log)
    if not m:
        print("FAIL: no 'SLURM run ID' in the snakemake log: the slurm executor was not used")
        return 1
    run_id = m.group(1)

    # ---- 1. submissions vs slurmctld's completion records
    plain = {jid: logpath for jid, logpath in SUBMIT_PLAIN.findall(log)}
    arrays = {aid: (int(lo), int(hi)) for _, aid, lo, hi in SUBMIT_ARRAY.findall(log)}
    records = [r for r in read_jobcomp(args.jobcomp) if r.get("Name") == run_id]
    by_id = {r["JobId"]: r for r in records if "ArrayJobId" not in r}
    tasks = {(r["ArrayJobId"], int(r["ArrayTaskId"])): r for r in records if "ArrayJobId" in r}
    n_tasks = sum(hi - lo + 1 for lo, hi in arrays.values())
    print(f"SLURM run {run_id}: {len(plain)} plain submission(s), {len(arrays)} array submission(s) with "
          f"{n_tasks} task(s) => {len(plain) + len(arrays)} sbatch call(s) for {len(plain) + n_tasks} SLURM job(s); "
          f"{len(records)} completion record(s) for this run in {args.jobcomp.name}")
    if not plain and not arrays:
        failures.append("snakemake submitted no SLURM job")
    for jid in plain:
        rec = by_id.get(jid)
        if rec is None:
            failures.append(f"SLURM job {jid} has no completion record")
        elif rec.get("JobState") != "COMPLETED":
            failures.append(f"SLURM job {jid} ended {rec.get('JobState')}")
    for aid, (lo, hi) in arrays.items():
        for t in range(lo, hi + 1):
            rec = tasks.get((aid, t))
            if rec is None:
                failures.append(f"SLURM array task {aid}_{t} has no completion record")
            elif rec.get("JobState") != "COMPLETED":
                failures.append(f"SLURM array task {aid}_{t} ended {rec.get('JobState')}")
    bad = [r for r in records if r.get("JobState") != "COMPLETED"]
    for r in bad:
        failures.append(f"SLURM job {r['JobId']} of this run ended {r.get('JobState')}")

    # ---- 2. jobs that ran under SLURM: the plugin keeps one log per SLURM job under .snakemake/slurm_logs/
    # (rule_<rule>/ or group_<group>_<rules>/); the snakemake process inside the allocation prints a
    # "localrule <rule>:" block with the job's output for every job it actually executes there.
    slurm_logs = args.run_dir / ".snakemake" / "slurm_logs"
    log_files = sorted(slurm_logs.rglob("*.log")) if slurm_logs.is_dir() else []
    per_dir = Counter(f.relative_to(slurm_logs).parts[0] for f in log_files)
    executed: dict[str, set[str]] = {}
    for f in log_files:
        for rule, output in EXECUTED.findall(f.read_text(errors="replace")):
            executed.setdefault(rule, set()).add(output.strip())
    stats = job_counts(log)
    print("jobs in this run (Job stats): " + ", ".join(f"{k}={v}" for k, v in stats.items()))
    print("SLURM job logs: " + (", ".join(f"{k}: {v}" for k, v in sorted(per_dir.items())) or "none"))
    print("jobs executed inside SLURM allocations: "
          + (", ".join(f"{k}={len(v)}" for k, v in sorted(executed.items())) or "none"))
    # rules the main snakemake process handed to the executor print "rule X:", local ones "localrule X:"
    remote_rules = set(re.findall(r"^\s*rule (\S+):$", log, re.MULTILINE))
    print("rules submitted to SLURM: " + (", ".join(sorted(remote_rules)) or "none"))
    for rule in args.slurm_rule:
        if stats.get(rule, 0) == 0:
            failures.append(f"rule {rule} is not in this run's Job stats (nothing to check)")
        elif rule not in remote_rules:
            failures.append(f"rule {rule} was not submitted to SLURM")
    for rule in sorted(remote_rules):
        want, got = stats.get(rule, 0), len(executed.get(rule, ()))
        if got != want:
            failures.append(f"rule {rule}: {want} job(s) in the run but {got} executed inside SLURM allocations")
    n_slurm = len(plain) + n_tasks
    if len(log_files) != n_slurm:
        failures.append(f"{n_slurm} SLURM job(s) submitted but {len(log_files)} SLURM job log(s) kept")

    # ---- 3. complete: a dry run finds nothing to do
    cmd = [args.python, "-m", "snakemake", args.target, "-s", args.snakefile, "--directory", str(args.run_dir),
           "--configfile", args.configfile, "-n", "--cores", "1"]
    dry = subprocess.run(cmd, capture_output=True, text=True, cwd=args.run_dir, timeout=300)
    if dry.returncode != 0 or "Nothing to be done" not in dry.stdout + dry.stderr:
        failures.append("a dry run after the SLURM run still has work to do:\n"
                        + (dry.stdout + dry.stderr)[-2000:])
    else:
        print("dry run after the SLURM run: nothing to be done")

    # ---- 4. data-contract outputs
    if args.expect == "contract":
        summary = subprocess.run(cmd[:-3] + ["--summary", "--cores", "1"], capture_output=True, text=True,
                                 cwd=args.run_dir, timeout=300)
        in_dag = {line.split("\t", 1)[0] for line in summary.stdout.splitlines() if "\t" in line}
        built = [p for p in CONTRACT if p in in_dag]
        missing_from_dag = [p for p in CONTRACT if p not in in_dag]
        if not built:
            failures.append("the target's DAG contains none of the data-contract outputs:\n" + summary.stderr[-2000:])
        present = []
        for p in built:
            path = args.run_dir / p
            if not path.is_file() or path.stat().st_size == 0:
                failures.append(f"contract output missing or empty: {p}")
                continue
            if p.endswith(".nc"):
                import xarray as xr

                try:
                    with xr.open_dataset(path) as ds:
                        ds.load()
                except Exception as exc:  # noqa: BLE001  (any read failure is a failed check)
                    failures.append(f"contract output {p} does not open: {exc}")
                    continue
            present.append(p)
        print(f"data-contract outputs built by '{args.target}' and present: {len(present)}/{len(built)}")
        for p in present:
            print(f"  {p}")
        if missing_from_dag:
            print(f"data-contract outputs NOT in the DAG of '{args.target}' (not wired in yet): "
                  f"{len(missing_from_dag)}")
            for p in missing_from_dag:
                print(f"  {p}")

    for f in failures:
        print(f"FAIL: {f}")
    print("cluster checks: " + ("PASSED" if not failures else f"{len(failures)} FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
