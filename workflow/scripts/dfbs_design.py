"""Snakemake adapter: the study-2 designs of one job (figure x scheme, Fig. 3 also x P)."""

import json
import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

from secure_isac.pipeline.dfbs_tasks import run_designs
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    run_designs(
        json.loads(snakemake.params.config), snakemake.params.digest, snakemake.output[0], repo=snakemake.scriptdir
    )
