# Secure ISAC reproduction workflow: loads and validates the configuration, checks the run directory, includes the
# rules. Targets: figures (default: every figure and claims table of both studies), cfmmimo, dfbs, one per figure
# (e.g. cfmmimo_fig3), sweeps (every sweep of the configuration), scenarios (every scenario of the scenarios file
# and their comparison) and sensitivity (the claims under every open choice, config/sensitivity.yaml).
# Configuration: config/config.yaml plus --configfile / --config (config/README.md).
import os
import sys
from pathlib import Path

from snakemake.logging import logger
from snakemake.utils import min_version, update_config

min_version("9.0")

# The library next to this Snakefile (the one the code digests hash), installed or not: for this file, and (via
# files.use_library) for the script of every job, so that a checkout always runs its own code.
sys.path.insert(0, str(Path(workflow.basedir, "src")))

from secure_isac.pipeline import registry
from secure_isac.pipeline.config import typed_cli_overrides
from secure_isac.pipeline.digest import code_digest
from secure_isac.pipeline.files import RunRepair, prepare_run, use_library

use_library(Path(workflow.basedir, "src"))


configfile: os.path.join(workflow.basedir, "config", "config.yaml")


# nested --config values arrive as text (only those: a --configfile is already typed YAML, quoted text stays
# text); then, in one function (registry.parse_time): every config file read once more (snakemake's YAML reader
# keeps the last of two equal keys silently), the one validation route naming any bad key before any job, and
# every run of this invocation (the base run, the named scenarios, each validated like the base, the sensitivity
# and readings runs and the values of every sweep) in the registry the rules look up their configuration in
update_config(config, typed_cli_overrides(workflow.config_settings.config or {}))
_validated, REG = registry.parse_time(
    config, workflow.configfiles, Path.cwd(), Path(workflow.basedir)
)
config.clear()
config.update(_validated)

# a report of datasets made with another config is refused (damaged intermediates: `gate` in common.smk)
if workflow.is_main_process:
    for _message in prepare_run(REG, sys.argv):
        logger.warning(_message)


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
# one rules file per study (pipeline.studies.NAMES)
include: "workflow/rules/cfmmimo.smk"
include: "workflow/rules/dfbs.smk"
include: "workflow/rules/outputs.smk"
include: "workflow/rules/extensions.smk"
include: "workflow/rules/targets.smk"


rule figures:
    default_target: True
    input:
        gate,
        [study_targets(s) for s in STUDIES],
        paths.fill(paths.CLAIMS_MD, run=""),


# the last lines of a run that ran jobs: where the requested figures and tables are (a run with nothing to do ends
# with snakemake's own "Nothing to be done")
onsuccess:
    for _line in targets.where(workflow.dag.derived_targetfiles, os.getcwd()):
        logger.info(_line)
