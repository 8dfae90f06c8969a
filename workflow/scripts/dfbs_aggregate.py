"""Snakemake adapter: combine the design files of one study-2 figure into its contract dataset."""

import json
import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

from secure_isac.pipeline.dfbs_tasks import aggregate
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    aggregate(
        snakemake.params.figure,
        json.loads(snakemake.params.config),
        snakemake.params.digest,
        list(snakemake.input),
        snakemake.output[0],
        repo=snakemake.scriptdir,
    )
