"""Snakemake adapter: the scenarios side by side, results/scenarios/summary.{csv,md} and figures/scenarios/summary
(pipeline.scenario_summary)."""

from pathlib import Path

from secure_isac.pipeline.scenario_summary import scenario_summary
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    roots = {name: Path(root) for name, root in snakemake.params.roots.items()}
    scenario_summary(roots, Path(snakemake.output.csv), Path(snakemake.output.md),
                     Path(snakemake.output.pdf).with_suffix(""), studies=list(snakemake.params.studies),
                     toy=dict(snakemake.params.toy), style=snakemake.params.style)
end_job()
