"""Snakemake adapter: the study-2 design of one scheme at one (P, R-bar) point (pipeline.dfbs_designs.run_design)."""

import json

from secure_isac.pipeline.dfbs_designs import run_design
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    run_design(json.loads(snakemake.params.config), snakemake.params.digest, snakemake.input.reference,
               snakemake.output[0], repo=snakemake.scriptdir)
end_job()
