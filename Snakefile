# Secure ISAC reproduction workflow: includes only, plus the default target (snakemake resets a default
# target set inside an included file). Targets: figures (default, both studies), cfmmimo, dfbs and one per
# figure (e.g. cfmmimo_fig2). Configuration: config/config.yaml, documented in config/README.md.
from snakemake.utils import min_version

min_version("9.0")


include: "workflow/rules/common.smk"
include: "workflow/rules/targets.smk"
include: "workflow/rules/cfmmimo.smk"
include: "workflow/rules/dfbs.smk"
include: "workflow/rules/report.smk"


rule figures:
    default_target: True
    input:
        ALL_TARGETS,
        "results/claims.md",
