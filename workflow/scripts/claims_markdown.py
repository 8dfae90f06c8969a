"""Snakemake adapter: both claims tables as Markdown, results/claims.md (pipeline.claims.claims_markdown)."""

from secure_isac.pipeline.claims import claims_markdown
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    claims_markdown(list(snakemake.input), list(snakemake.params.titles), snakemake.output[0])
end_job()
