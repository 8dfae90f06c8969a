# Helpers of every rule (input functions, params, target lists) and the one wildcard-constraints block, generic over
# the studies (secure_isac.pipeline.studies): what a job computes, the config it receives and every path template are
# declared there and in secure_isac.pipeline.paths; REG (the Snakefile) holds every run of this invocation: the base
# run, the scenarios, the sensitivity scenarios and the sweep values.
import re

from secure_isac.pipeline import cluster, graph, paths, scale, sweeps, targets
from secure_isac.pipeline.studies import NAMES as STUDIES
from secure_isac.pipeline.studies import all_studies, study

# pipeline.report as `captions`: the name `report` is Snakemake's report() flag of the rules
from secure_isac.pipeline import report as captions

REPO = Path(workflow.basedir)


REPAIR = RunRepair(REG)


def gate(wildcards):
    """Listed first in every rule's input: the first input function snakemake evaluates in a process runs before it
    looks at any file, so the damaged NetCDF files of the requested targets are moved aside there when this process
    executes jobs (and only reported otherwise), and the DAG then rebuilds them (pipeline.files.RunRepair).
    """
    for message in REPAIR(workflow):
        logger.warning(message)
    return []


# cluster requests (profiles/slurm): derived from each job's problem size, and with the partition's limit the
# profile states (default-resources runtime_limit) every job and every group job fits it (pipeline.cluster)
RUNTIME_LIMIT = cluster.runtime_limit(workflow.resource_settings.default_resources)


def cluster_group(name, runtime):
    """The rule's group on a cluster: `name` while the profile's group-components of its jobs fit the limit."""
    return lambda w: cluster.cluster_group(
        name, runtime(w), RUNTIME_LIMIT, workflow.group_settings.group_components
    )


def digest(script, *modules):
    """Hash of the rule's script and of the library code it imports (pipeline.digest): a code edit reruns
    exactly the rules that use the code."""
    return code_digest(REPO, script, *modules)


def study_digest(script, job, *modules):
    """digest() of a job generic over the studies: its modules, the library code its own study names for the job
    (Study.job_code) and the study's module shallow (editing one study's code, or code the job does not run,
    reruns none of its jobs)."""

    def of(w):
        s = study(w.study)
        return code_digest(
            REPO, script, *modules, *s.job_code[job], shallow=(s.module,)
        )

    return of


def every_study_digest(script, *modules):
    """digest() of a rule that reads every study's results (the scenario and sensitivity comparisons)."""
    return digest(script, *modules, *(s.module for s in all_studies()))


def job_config(study_name, kind=None):
    """The configuration behind a job's variant folder: the study's scope `kind` (default: the designs of the
    job's scheme, designs/<scheme>)."""
    return lambda w: REG.config(study_name, kind or f"designs/{w.scheme}", w.variant)


def run_of(wildcards):
    return REG.runs[wildcards.run]


def value_run(wildcards, study_name):
    return REG.sweeps[(wildcards.run, study_name, wildcards.key)][wildcards.label]


def sweep_value_inputs(study_name):
    return lambda w: sweeps.value_inputs(value_run(w, study_name), study_name, w.key)


def sweep_value_config(study_name):
    def config_of(w):
        vrun = value_run(w, study_name)
        value = sweeps.value_of(vrun, study_name, w.key)
        return sweeps.value_config(vrun, study_name, w.key, value)

    return config_of


def sweep_inputs(study_name):
    return lambda w: [
        sweeps.value_path(run_of(w), study_name, w.key, label)
        for label in REG.sweeps[(w.run, study_name, w.key)]
    ]


def sweep_summary_config(study_name):
    return lambda w: sweeps.summary_config(run_of(w), study_name, w.key)


def figure_config(study_name):
    return lambda w: study(study_name).figure_config(run_of(w).config, w.figure)


def plot_data(wildcards):
    run, st = run_of(wildcards), study(wildcards.study)
    if wildcards.figure.startswith("sweep_"):
        return sweeps.summary_path(run, st.name, wildcards.figure[len("sweep_") :])
    return st.dataset_path(run, st.dataset_of(wildcards.figure))


def claims_data(wildcards):
    st = study(wildcards.study)
    return [st.dataset_path(run_of(wildcards), f) for f in st.claims_data]


def claims_tables(wildcards):
    return targets.claims_tables(REG, wildcards.run)


SENSITIVITY_PREFIXES = {r.prefix for r in REG.sensitivity.values()}


def report_category(wildcards):
    """The report's page of a figure or claims table: the study's (default run), Sweeps, Scenarios or
    Sensitivity."""
    if wildcards.get("figure", "").startswith("sweep_"):
        return "Sweeps"
    if wildcards.run in SENSITIVITY_PREFIXES:
        return "Sensitivity"
    if wildcards.run:
        return "Scenarios"
    return study(wildcards.study).title


def report_subcategory(wildcards):
    """Within Sweeps, Scenarios and Sensitivity: the run and study (a study's own page has none)."""
    title = study(wildcards.study).title
    if wildcards.run:
        return f"{Path(wildcards.run).name}: {title}"  # scenarios/<name>/ -> <name>
    return title if wildcards.get("figure", "").startswith("sweep_") else None


def toy_label(prefix, studies=None):
    """The toy label of the run at `prefix` over `studies` (default: the run's), "" at the paper's layout counts
    (pipeline.scale; a sensitivity scenario against the sensitivity run's counts)."""
    return scale.run_label(
        REG.runs[prefix].config,
        studies or REG.studies(prefix),
        prefix in SENSITIVITY_PREFIXES,
    )


# the report's captions, each study's own texts with the run's values and toy label (pipeline.report): in the config,
# where workflow/report/*.rst find them, and only for a report (no job's params or code digest holds caption text)
if captions.makes_report(sys.argv):
    config[captions.CONFIG_KEY] = captions.captions(REG, toy_label)


def study_toy_label(wildcards):
    return toy_label(wildcards.run, [wildcards.study])


def study_targets(study_name, plots=None, claims=True):
    """The default run's figures of a study, its claims table and every intermediate they are made from."""
    return targets.run_files(REG.base, study_name, plots, claims)


def _one_of(labels):
    labels = sorted(set(labels), key=len, reverse=True)
    return "|".join(re.escape(x) for x in labels) if labels else "(?!)"


# every wildcard of every rule: the runs, variant folders, studies, figures and sweeps of this invocation, each
# study's schemes and coordinates (kappa, P, R-bar, ... by path label) and its own fixed patterns (e.g. batch)
WILDCARDS = {
    "run": _one_of(REG.runs),
    "variant": _one_of(REG.variant_labels()),
    "study": _one_of(STUDIES),
    "figure": _one_of(
        [
            *(f for s in all_studies() for f in (*s.datasets, *s.plots)),
            *(f"sweep_{k}" for k in REG.sweep_keys()),
        ]
    ),
    "key": _one_of(REG.sweep_keys()),
    "label": r"[^/]+",
    "scheme": _one_of(scheme for s in all_studies() for scheme in s.schemes),
    **{name: _one_of(labels) for name, labels in REG.coordinates.items()},
    **{name: pattern for s in all_studies() for name, pattern in s.wildcards.items()},
}


wildcard_constraints:
    **WILDCARDS,


# --- the readings search: the full-count runs the screen picks (checkpoint readings_screen) ---------------------
def readings_screen_files(wildcards):
    """The screen's claims tables; a clear error naming sensitivity.readings_file when there is no search."""
    targets.require_readings(REG)
    return list(targets.readings_screen_inputs(REG).values())


def readings_full(wildcards):
    """{"reference" and each of the best screened combinations: [claims intervals, replicates] at full count}."""
    import pandas as pd

    from secure_isac.pipeline.readings import best

    targets.require_readings(REG)
    screen = pd.read_csv(checkpoints.readings_screen.get().output[0])
    return targets.readings_full_inputs(REG, best(screen, REG.readings_confirm))


def readings_full_files(wildcards):
    return [f for files in readings_full(wildcards).values() for f in files]
