"""Every job's params of a workflow, without running anything: the evidence that a refactoring leaves the science
alone (a job reruns when its params text changes, and its params are everything it computes from).

    python scripts/job_params.py dump OUT.json [--snakefile PATH] [--configfile F ...] [--target T ...]
    python scripts/job_params.py diff BEFORE.json AFTER.json

`dump` builds the DAG of the targets (default: figures, sweeps, scenarios, sensitivity) in an empty temporary
directory with every job scheduled (a dry run: nothing is written but the JSON) and records, per job (rule and
output files), every param as the text snakemake compares. Use --snakefile to dump another checkout (its Snakefile
imports its own src/). `diff` lists the jobs only one side has and, per param, the jobs whose text differs; the
code digests (param `digest`) are counted apart, since a code change is meant to change them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = ("figures", "sweeps", "scenarios", "sensitivity")


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def job_params(snakefile: Path, configfiles, targets=TARGETS) -> dict[str, dict[str, str]]:
    """{"<rule> <first output>": {param: text}} of every job of `targets` (all scheduled, nothing run)."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.enums import Quietness
    from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, ResourceSettings

    snakefile = Path(snakefile).resolve()
    configfiles = [Path(c).resolve() for c in configfiles]
    with tempfile.TemporaryDirectory(prefix="job-params-") as work, contextlib.redirect_stdout(io.StringIO()):
        cwd = os.getcwd()
        # the scenario files are found relative to the working directory first, then to the Snakefile's repository
        os.chdir(work)
        try:
            with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
                wf = api.workflow(resource_settings=ResourceSettings(cores=1), snakefile=snakefile,
                                  workdir=Path(work),
                                  config_settings=ConfigSettings(configfiles=configfiles))
                dag = wf.dag(DAGSettings(targets=set(targets), forceall=True))
                dag.execute_workflow(executor="dryrun")
                jobs = list(wf._workflow.dag.jobs)
        finally:
            os.chdir(cwd)
    out = {}
    for job in jobs:
        if not job.output:
            continue  # target rules
        params = {name: _text(value) for name, value in job.params.items()}
        out[f"{job.rule.name} {sorted(map(str, job.output))[0]}"] = params
    return dict(sorted(out.items()))


def diff(before: dict, after: dict) -> int:
    """Print the differences; returns the number of jobs whose params other than `digest` differ (or that one
    side lacks)."""
    only_b = sorted(set(before) - set(after))
    only_a = sorted(set(after) - set(before))
    for name, jobs in (("before", only_b), ("after", only_a)):
        print(f"jobs only {name}: {len(jobs)}")
        for j in jobs[:20]:
            print(f"  {j}")
    changed, digests = Counter(), Counter()
    bad = set(only_a) | set(only_b)
    examples = {}
    for job in sorted(set(before) & set(after)):
        b, a = before[job], after[job]
        for key in sorted(set(a) | set(b)):
            if b.get(key) == a.get(key):
                continue
            rule = job.split()[0]
            if key == "digest":
                digests[rule] += 1
            else:
                changed[(rule, key)] += 1
                bad.add(job)
                examples.setdefault((rule, key), (job, b.get(key), a.get(key)))
    print(f"jobs in both: {len(set(before) & set(after))}")
    print(f"code digests changed (expected after a code change), by rule: {dict(sorted(digests.items()))}")
    print(f"other params changed: {sum(changed.values())}")
    for (rule, key), n in sorted(changed.items()):
        job, b, a = examples[(rule, key)]
        print(f"  {rule}.{key}: {n} jobs, e.g. {job}\n    before {str(b)[:300]}\n    after  {str(a)[:300]}")
    return len(bad)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--snakefile", type=Path, default=REPO / "Snakefile")
    d.add_argument("--configfile", action="append", default=[])
    d.add_argument("--target", action="append", default=[])
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        params = job_params(args.snakefile, args.configfile, tuple(args.target) or TARGETS)
        args.out.write_text(json.dumps(params, indent=1, sort_keys=True) + "\n")
        print(f"{len(params)} jobs -> {args.out}")
        return 0
    return 1 if diff(json.loads(args.before.read_text()), json.loads(args.after.read_text())) else 0


if __name__ == "__main__":
    sys.exit(main())
