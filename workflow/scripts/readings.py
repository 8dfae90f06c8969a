"""Snakemake adapter: the readings search, results/sensitivity/readings.csv and figures/sensitivity/readings
(pipeline.readings.write_readings)."""

from pathlib import Path

from secure_isac.pipeline.readings import write_readings
from secure_isac.provenance import end_job, log_to

with log_to(snakemake.log[0]):
    write_readings(Path(snakemake.input.screen), snakemake.params.full, snakemake.params.fig3_schemes,
                   snakemake.params.factors, snakemake.params.level, Path(snakemake.output.csv),
                   Path(snakemake.output.pdf).with_suffix(""))
end_job()
