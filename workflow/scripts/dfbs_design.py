"""Snakemake adapter: the study-2 design of one scheme at one (P, R-bar) point."""

import json
import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

from secure_isac.pipeline.dfbs_tasks import run_design
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    run_design(
        json.loads(snakemake.params.config),
        snakemake.params.digest,
        snakemake.input.reference,
        snakemake.output[0],
        repo=snakemake.scriptdir,
    )
