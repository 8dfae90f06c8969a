"""Snakemake adapter: one scheme at one kappa on one batch of layouts.

Testing hook: if the environment variable SECURE_ISAC_FAIL_JOB is set and is a substring of this job's output
path, the job raises RuntimeError before computing anything (used by the resilience tests).
"""

import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

import json
import os

from secure_isac.cfmmimo.batch import optimise_batch
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    fail = os.environ.get("SECURE_ISAC_FAIL_JOB", "")
    if fail and fail in snakemake.output[0]:
        raise RuntimeError(f"fault injected by SECURE_ISAC_FAIL_JOB={fail!r} into {snakemake.output[0]}")
    optimise_batch(
        json.loads(snakemake.params.config),
        snakemake.params.digest,
        snakemake.input[0],
        snakemake.output[0],
        repo=snakemake.scriptdir,
    )
