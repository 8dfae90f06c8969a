"""Snakemake adapter: positions of one batch of study-1 layouts (pipeline.cfmmimo_scenario.make_layouts)."""

import json

from secure_isac.pipeline.cfmmimo_scenario import make_layouts
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    make_layouts(json.loads(snakemake.params.config), snakemake.params.digest, snakemake.output[0],
                 repo=snakemake.scriptdir)
end_job()
