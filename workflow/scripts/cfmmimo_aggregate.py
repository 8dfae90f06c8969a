"""Snakemake adapter: combine design, layout and channel files into one study-1 figure dataset."""

import sys
from pathlib import Path

# the library of the repository this script belongs to (the one the rule digests hash), also without installing
sys.path.insert(0, str(Path(snakemake.scriptdir).resolve().parents[1] / "src"))

import json

from secure_isac.cfmmimo.tasks import aggregate
from secure_isac.provenance import log_to

with log_to(snakemake.log[0]):
    aggregate(
        snakemake.params.figure,
        json.loads(snakemake.params.config),
        snakemake.params.digest,
        list(snakemake.input.designs),
        list(snakemake.input.layouts),
        list(snakemake.input.channels),
        snakemake.output[0],
        repo=snakemake.scriptdir,
    )
