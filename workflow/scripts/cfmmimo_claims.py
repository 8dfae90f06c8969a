"""Snakemake adapter: the study-1 claims table from fig3.nc and fig4.nc."""

from secure_isac.cfmmimo.claims import write_claims
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    write_claims(snakemake.input.fig3, snakemake.input.fig4, snakemake.output[0])
