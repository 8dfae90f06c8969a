"""Snakemake adapter: one study-2 scheme's designs without the secrecy constraint
(pipeline.dfbs_designs.run_reference)."""

import json

from secure_isac.pipeline.dfbs_designs import run_reference
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    run_reference(json.loads(snakemake.params.config), snakemake.params.digest, snakemake.output[0],
                  repo=snakemake.scriptdir)
end_job()
