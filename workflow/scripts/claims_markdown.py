"""Snakemake adapter: both claims tables as Markdown (results/claims.md), for the README."""

import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

from secure_isac.pipeline.report import claims_markdown
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    claims_markdown(list(snakemake.input), list(snakemake.params.titles), snakemake.output[0])
