"""Snakemake adapter: one figure of a study drawn from several runs' datasets (pipeline.plots.plot_extension_file)."""

from pathlib import Path

from secure_isac.pipeline.plots import plot_extension_file
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    plot_extension_file(snakemake.wildcards.study, snakemake.wildcards.extension,
                        dict(zip(snakemake.params.labels, snakemake.input.data, strict=True)),
                        Path(snakemake.output.pdf).with_suffix(""), style=snakemake.params.style)
end_job()
