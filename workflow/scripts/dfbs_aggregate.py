"""Snakemake adapter: one study-2 figure dataset from its design points (pipeline.dfbs_designs.aggregate)."""

import json

from secure_isac.pipeline.dfbs_designs import aggregate
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    aggregate(snakemake.wildcards.figure, json.loads(snakemake.params.config), snakemake.params.digest,
              list(snakemake.input), snakemake.output[0], repo=snakemake.scriptdir)
end_job()
