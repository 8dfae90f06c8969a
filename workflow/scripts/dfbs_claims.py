"""Snakemake adapter: the study-2 claims table from fig2.nc, fig3.nc and fig4.nc."""

import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

from secure_isac.pipeline.dfbs_claims import write_claims
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    write_claims(snakemake.input.fig2, snakemake.input.fig3, snakemake.input.fig4, snakemake.output[0])
