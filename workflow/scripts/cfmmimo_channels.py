"""Snakemake adapter: large-scale fading of one batch of study-1 layouts."""

import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

import json

from secure_isac.cfmmimo.tasks import make_channels
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    make_channels(
        json.loads(snakemake.params.config),
        snakemake.params.digest,
        snakemake.input[0],
        snakemake.output[0],
        repo=snakemake.scriptdir,
    )
