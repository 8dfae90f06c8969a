# Path helpers (input functions and target lists) and the one wildcard-constraints block. What each job computes
# and the config it receives are in secure_isac.pipeline.plan; REG (the Snakefile) holds every run of this
# invocation: the base run, the scenarios and the sweep values.
import re

REPO = Path(workflow.basedir)
STUDIES = plan.STUDIES


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
# profile states (default-resources runtime_limit) every job and every group job fits it (pipeline.plan)
RUNTIME_LIMIT = plan.runtime_limit(workflow.resource_settings.default_resources)


def cf_runtime(w):
    return plan.cf_optimise_runtime(
        REG.cf_config("designs", w.variant, w.scheme), RUNTIME_LIMIT
    )


def cf_mem_mb(w):
    return plan.cf_optimise_mem_mb(
        REG.cf_config("designs", w.variant, w.scheme), w.scheme
    )


def df_runtime(kind):
    return lambda w: plan.df_runtime(
        REG.df_variants[(w.scheme, w.variant)], kind, RUNTIME_LIMIT
    )


def df_mem_mb(w):
    return plan.df_mem_mb(REG.df_variants[(w.scheme, w.variant)])


def cluster_group(name, runtime):
    """The rule's group on a cluster: `name` while the profile's group-components of its jobs fit the limit."""
    return lambda w: plan.cluster_group(
        name, runtime(w), RUNTIME_LIMIT, workflow.group_settings.group_components
    )


def digest(script, *modules):
    """Hash of the rule's script and of the library code it imports (pipeline.digest): a code edit reruns
    exactly the rules that use the code."""
    return code_digest(REPO, script, *modules)


def run_of(wildcards):
    return REG.runs[wildcards.run]


def value_run(wildcards, study):
    return REG.sweeps[(wildcards.run, study, wildcards.key)][wildcards.label]


def cf_figure_inputs(wildcards):
    run, f = run_of(wildcards), wildcards.figure
    return {
        "designs": plan.cf_designs(run, f),
        "layouts": plan.cf_scenario(run, f, "layouts"),
        "channels": plan.cf_scenario(run, f, "channels"),
    }


def df_figure_inputs(wildcards):
    return plan.df_designs(run_of(wildcards), wildcards.figure)


def sweep_value_inputs(study):
    return lambda w: plan.sweep_value_inputs(value_run(w, study), study, w.key)


def sweep_value_config(study):
    def config_of(w):
        vrun = value_run(w, study)
        value = plan.sweep_value(vrun, study, w.key)
        return plan.sweep_value_config(vrun, study, w.key, value)

    return config_of


def sweep_inputs(study):
    return lambda w: [
        plan.sweep_value_path(run_of(w), study, w.key, label)
        for label in REG.sweeps[(w.run, study, w.key)]
    ]


def plot_data(wildcards):
    figure = plan.PLOT_DATASET.get(wildcards.figure, wildcards.figure)
    root = f"results/{wildcards.run}{wildcards.study}"
    if figure.startswith("sweep_"):
        return f"{root}/sweeps/{figure[len('sweep_'):]}.nc"
    return f"{root}/{figure}.nc"


def claims_data(wildcards):
    return expand(
        "results/{run}{study}/{figure}.nc",
        run=wildcards.run,
        study=wildcards.study,
        figure=plan.CLAIMS_DATA[wildcards.study],
    )


def claims_tables(wildcards):
    return expand(
        "results/{run}{study}/claims.csv",
        run=wildcards.run,
        study=REG.studies(wildcards.run),
    )


def report_category(wildcards):
    return {
        "cfmmimo": "Study 1: cell-free massive MIMO ISAC",
        "dfbs": "Study 2: DFBS with antenna allocation",
    }[wildcards.study]


def study_targets(study, plots=None, claims=True):
    """The default run's figures of a study, its claims table and every intermediate they are made from."""
    return plan.run_files(REG.base, study, plots, claims)


def _one_of(labels):
    labels = sorted(set(labels), key=len, reverse=True)
    return "|".join(re.escape(x) for x in labels) if labels else "(?!)"


wildcard_constraints:
    run=_one_of(REG.runs),
    variant=_one_of({v for _, v in REG.cf_variants} | {v for _, v in REG.df_variants}),
    study=_one_of(STUDIES),
    figure=_one_of([*plan.CF_PLOTS, *(f"sweep_{k}" for k in REG.sweep_keys())]),
    key=_one_of(REG.sweep_keys()),
    label=r"[^/]+",
    scheme=_one_of(plan.CF_SCHEMES + plan.DF_SCHEMES),
    kappa_db=_one_of(REG.kappas),
    power_dbm=_one_of({p for p, _ in REG.points}),
    secrecy_target=_one_of({r for _, r in REG.points}),
    batch=r"[0-9]+",
