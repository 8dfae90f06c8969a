"""Snakemake adapter: one scheme at one kappa on one batch of layouts (pipeline.cfmmimo_designs.optimise_batch).

Testing hook: if the environment variable SECURE_ISAC_FAIL_JOB is set and is a substring of this job's output
path, the job raises RuntimeError before computing anything (used by the resilience tests).
"""

import json
import os

from secure_isac.pipeline.cfmmimo_designs import optimise_batch
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    fail = os.environ.get("SECURE_ISAC_FAIL_JOB", "")
    if fail and fail in snakemake.output[0]:
        raise RuntimeError(f"fault injected by SECURE_ISAC_FAIL_JOB={fail!r} into {snakemake.output[0]}")
    optimise_batch(json.loads(snakemake.params.config), snakemake.params.digest, snakemake.input.channels,
                   snakemake.output[0], repo=snakemake.scriptdir)
end_job()
