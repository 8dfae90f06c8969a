"""Snakemake adapter: combine design, layout and channel files into one study-1 figure dataset."""

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
