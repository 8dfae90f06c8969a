"""Snakemake adapter: large-scale fading of one batch of study-1 layouts."""

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
