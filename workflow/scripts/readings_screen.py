"""Snakemake adapter: the screen of the readings search, results/sensitivity/readings/screen.csv
(pipeline.readings.write_screen)."""

from pathlib import Path

from secure_isac.pipeline.readings import write_screen
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    write_screen(snakemake.params.inputs, snakemake.params.choices, snakemake.params.fig3_schemes,
                 snakemake.params.n_layouts, Path(snakemake.output[0]))
end_job()
