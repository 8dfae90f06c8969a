"""Snakemake adapter: a run's study-1 claims with bootstrap intervals over layouts
(pipeline.studies.cfmmimo_outputs.write_claims_intervals)."""

from pathlib import Path

from secure_isac.pipeline.studies.cfmmimo_outputs import write_claims_intervals
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    write_claims_intervals(Path(snakemake.input.fig3), Path(snakemake.input.fig4), Path(snakemake.output[0]),
                           **snakemake.params.bootstrap)
end_job()
