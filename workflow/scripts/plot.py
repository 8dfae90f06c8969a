"""Snakemake adapter: one figure of a study from its dataset (pipeline.plots.plot_file)."""

from pathlib import Path

from secure_isac.pipeline.plots import plot_file
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    plot_file(snakemake.wildcards.study, snakemake.wildcards.figure, snakemake.input[0],
              Path(snakemake.output.pdf).with_suffix(""), style=snakemake.params.style)
end_job()
