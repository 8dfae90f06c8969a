"""Snakemake adapter: the claims matrix claims x sensitivity scenarios, results/sensitivity/claims.{csv,md} and
figures/sensitivity/claims (pipeline.sensitivity.sensitivity_matrix)."""

from pathlib import Path

from secure_isac.pipeline.sensitivity import sensitivity_matrix
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    inputs = {name: [Path(f) for f in files] for name, files in snakemake.params.inputs.items()}
    sensitivity_matrix(inputs, Path(snakemake.output.csv), Path(snakemake.output.md),
                       Path(snakemake.output.pdf).with_suffix(""), snakemake.params.level,
                       dict(snakemake.params.toy), style=snakemake.params.style)
end_job()
