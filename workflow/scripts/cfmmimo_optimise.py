"""Snakemake adapter: one scheme at one kappa on one batch of layouts (pipeline.cfmmimo_designs.optimise_batch)."""

import json

from secure_isac.pipeline.cfmmimo_designs import optimise_batch
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    optimise_batch(json.loads(snakemake.params.config), snakemake.params.digest, snakemake.input.channels,
                   snakemake.output[0], repo=snakemake.scriptdir)
end_job()
