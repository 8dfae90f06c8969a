"""Snakemake adapter: draw one study-1 figure from its dataset."""

from pathlib import Path

from secure_isac.cfmmimo.figures import plot_file
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    plot_file(snakemake.params.figure, snakemake.input[0], Path(snakemake.output.pdf).with_suffix(""))
