"""Cluster requests (profiles/slurm): each study derives its jobs' runtime and memory from the problem size
(Study methods); here the limit the profile states and the rules every request keeps."""

from __future__ import annotations

from collections.abc import Mapping

# Peak memory of a job: ~150 MB of interpreter, numpy, cvxpy and its data, plus what its solver holds (each study
# adds its measured term); requests are twice the need, in steps of 100 MB, at least MEM_MIN_MB.
MEM_BASE_MB = 150.0
MEM_MIN_MB = 1000
RUNTIME_LIMIT_KEY = "runtime_limit"  # profiles/slurm default-resources: the longest job the partition allows (min)


def within(minutes: int, limit: int | None, what: str, key: str, remedy: str) -> int:
    """`minutes` if it fits `limit` (None: no limit known); else ValueError naming the key that sets it."""
    if limit is not None and minutes > limit:
        raise ValueError(f"{key}: {what} asks for {minutes} min, over the {limit} min the cluster profile allows "
                         f"(default-resources {RUNTIME_LIMIT_KEY}): {remedy}")
    return minutes


def cluster_group(name: str, runtime: int, limit: int | None, components: Mapping[str, int] | None) -> str | None:
    """The group a cluster job joins: `name` when `components` (the profile's group-components) such jobs, run one
    after the other in one allocation, fit `limit` minutes, else None (the job is submitted alone; it fits the limit
    by itself, the studies' runtime requests refuse it otherwise). So every request, group or job, is within the
    limit the profile states."""
    n = int((components or {}).get(name, 1))
    if limit is not None and n * runtime > limit:
        return None
    return name


def runtime_limit(default_resources) -> int | None:
    """The longest job (minutes) the cluster's partition allows, as the profile states it (default-resources
    runtime_limit, profiles/slurm/config.yaml); None when the invocation states none (a local run). ValueError unless
    it is a positive number."""
    try:
        value = default_resources.get(RUNTIME_LIMIT_KEY) if default_resources else None
    except (AttributeError, TypeError):  # a snakemake without the Resources mapping: no limit known
        return None
    value = getattr(value, "value", value)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"default-resources {RUNTIME_LIMIT_KEY}: a positive number of minutes, got {value!r}")
    return int(value)
