"""Snakemake adapter: one value of a study-1 sweep, the Fig. 4 variables of that value's system
(pipeline.cfmmimo_designs.sweep_value)."""

import json

from secure_isac.pipeline.cfmmimo_designs import sweep_value
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    sweep_value(json.loads(snakemake.params.config), snakemake.params.digest, list(snakemake.input.designs),
                list(snakemake.input.layouts), list(snakemake.input.channels), snakemake.output[0],
                repo=snakemake.scriptdir)
end_job()
