"""Snakemake adapter: the summary of a study-2 sweep over its values (pipeline.dfbs_designs.sweep_summary)."""

import json

from secure_isac.pipeline.dfbs_designs import sweep_summary
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    sweep_summary(json.loads(snakemake.params.config), snakemake.params.digest, list(snakemake.input),
                  snakemake.output[0], repo=snakemake.scriptdir)
end_job()
