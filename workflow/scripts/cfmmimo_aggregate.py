"""Snakemake adapter: one study-1 figure dataset from its design, layout and channel files
(pipeline.cfmmimo_designs.aggregate)."""

import json

from secure_isac.pipeline.cfmmimo_designs import aggregate
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    aggregate(snakemake.wildcards.figure, json.loads(snakemake.params.config), snakemake.params.digest,
              list(snakemake.input.designs), list(snakemake.input.layouts), list(snakemake.input.channels),
              snakemake.output[0], repo=snakemake.scriptdir)
end_job()
