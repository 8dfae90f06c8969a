"""Snakemake adapter: draw one study-2 figure from its dataset."""

import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

from secure_isac.pipeline.dfbs_outputs import plot_file
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    plot_file(snakemake.params.figure, snakemake.input[0], Path(snakemake.output.pdf).with_suffix(""))
