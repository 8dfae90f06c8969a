"""Snakemake adapter: the claims table of a study from its datasets (pipeline.claims.write_claims)."""

from secure_isac.pipeline.claims import write_claims
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    write_claims(snakemake.wildcards.study, list(snakemake.input), snakemake.output[0], snakemake.params.toy)
end_job()
