"""Snakemake adapter: one value of a study-2 sweep, every scheme's design at the sweep's point
(pipeline.dfbs_designs.sweep_value)."""

import json

from secure_isac.pipeline.dfbs_designs import sweep_value
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    sweep_value(json.loads(snakemake.params.config), snakemake.params.digest, list(snakemake.input.designs),
                snakemake.output[0], repo=snakemake.scriptdir)
end_job()
