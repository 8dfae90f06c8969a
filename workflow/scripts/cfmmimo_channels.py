"""Snakemake adapter: large-scale fading of one batch of study-1 layouts (pipeline.cfmmimo_scenario.make_channels)."""

import json

from secure_isac.pipeline.cfmmimo_scenario import make_channels
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    make_channels(json.loads(snakemake.params.config), snakemake.params.digest, snakemake.input.layouts,
                  snakemake.output[0], repo=snakemake.scriptdir)
end_job()
