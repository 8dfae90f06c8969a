"""Derive the throwaway-cluster test profile from profiles/slurm/config.yaml.

Everything (groups, group sizes, per-rule runtime/memory, retries, ...) is taken from the real
profile; only what a one-node test cluster without an accounting database needs is overridden,
and every override is printed:
  * slurm_partition -> the test partition; slurm_account removed + slurm-no-account
    (no accounting database, so there are no accounts to validate);
  * slurm-status-command: squeue (sacct returns nothing without slurmdbd; the test slurm.conf keeps
    finished jobs visible to squeue with MinJobAge=600);
  * fast status polling (the toy jobs take seconds; the defaults are tuned for real queues);
  * slurm-keep-successful-logs (the check counts SLURM job logs);
  * mem_mb / cpus_per_task capped at what the node has, so that no job is unschedulable.
"""

import argparse
import sys

import yaml

TEST_OVERRIDES = {
    "slurm-no-account": True,
    "slurm-status-command": "squeue",
    "seconds-between-status-checks": 2,
    "slurm-init-seconds-before-status-checks": 2,
    "slurm-keep-successful-logs": True,
    "latency-wait": 10,
    "jobs": 8,
}


def _cap(resources: dict, max_mem_mb: int, max_cpus: int, where: str) -> None:
    """Cap memory and cpu requests in place so that the test node can run every job."""
    for key, limit in (("mem_mb", max_mem_mb), ("cpus_per_task", max_cpus)):
        value = resources.get(key)
        if isinstance(value, (int, float)) and value > limit:
            print(f"  {where}: {key} {value} -> {limit} (test node limit)")
            resources[key] = limit


def derive(profile: dict, partition: str, max_mem_mb: int, max_cpus: int) -> dict:
    """Return the test profile: `profile` with the documented test overrides applied."""
    out = dict(profile)
    if out.get("executor") != "slurm":
        raise ValueError(f"profile executor must be 'slurm', got {out.get('executor')!r}")
    defaults = dict(out.get("default-resources") or {})
    if isinstance(out.get("default-resources"), list):
        raise ValueError("default-resources must be a mapping in profiles/slurm/config.yaml")
    defaults.pop("slurm_account", None)
    defaults["slurm_partition"] = partition
    _cap(defaults, max_mem_mb, max_cpus, "default-resources")
    out["default-resources"] = defaults
    set_res = {rule: dict(res) for rule, res in (out.get("set-resources") or {}).items()}
    for rule, res in set_res.items():
        _cap(res, max_mem_mb, max_cpus, f"set-resources[{rule}]")
    if set_res:
        out["set-resources"] = set_res
    if isinstance(out.get("cores"), int) and out["cores"] > max_cpus:
        print(f"  cores: {out['cores']} -> {max_cpus} (test node limit)")
        out["cores"] = max_cpus
    limits = [str(r) for r in out.get("resources") or []]
    for i, item in enumerate(limits):
        name, _, value = item.partition("=")
        if name.strip() == "mem_mb" and value.strip().isdigit() and int(value) > max_mem_mb:
            print(f"  resources: {item} -> mem_mb={max_mem_mb} (test node limit)")
            limits[i] = f"mem_mb={max_mem_mb}"
    if limits:
        out["resources"] = limits
    for key, value in TEST_OVERRIDES.items():
        print(f"  {key}: {out.get(key)!r} -> {value!r}")
        out[key] = value
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("dest")
    ap.add_argument("--partition", required=True)
    ap.add_argument("--max-mem-mb", type=int, required=True)
    ap.add_argument("--max-cpus", type=int, required=True)
    args = ap.parse_args(argv)
    with open(args.source) as fh:
        profile = yaml.safe_load(fh)
    print(f"deriving test profile from {args.source}:")
    derived = derive(profile, args.partition, args.max_mem_mb, args.max_cpus)
    with open(args.dest, "w") as fh:
        fh.write(f"# derived from {args.source} by .ci/cluster/derive_profile.py -- do not edit\n")
        yaml.safe_dump(derived, fh, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
