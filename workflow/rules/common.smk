# Path helpers (input functions and target lists) and the one wildcard-constraints block. What each job computes
# and the config it receives are in secure_isac.pipeline.plan.
import re

REPO = Path(workflow.basedir)
CF_KAPPAS = plan.cf_kappas(config)  # kappa path label -> exact value
DF_POINTS = plan.df_point_labels(config)  # (P label, R-bar label) -> exact values
STUDIES = ("cfmmimo", "dfbs")


def digest(script, *modules):
    """Hash of the rule's script and of the library code it imports (pipeline.digest): a code edit reruns
    exactly the rules that use the code."""
    return code_digest(REPO, script, *modules)


def cf_figure_inputs(wildcards):
    f = wildcards.figure
    return {
        "designs": plan.cf_designs(config, f),
        "layouts": plan.cf_scenario(config, f, "layouts"),
        "channels": plan.cf_scenario(config, f, "channels"),
    }


def df_figure_inputs(wildcards):
    return plan.df_designs(config, wildcards.figure)


def plot_data(wildcards):
    figure = "fig2" if wildcards.figure == "layout_map" else wildcards.figure
    return f"results/{wildcards.study}/{figure}.nc"


def claims_data(wildcards):
    figures = ("fig3", "fig4") if wildcards.study == "cfmmimo" else plan.DF_FIGURES
    return expand("results/{study}/{figure}.nc", study=wildcards.study, figure=figures)


def report_category(wildcards):
    return {
        "cfmmimo": "Study 1: cell-free massive MIMO ISAC",
        "dfbs": "Study 2: DFBS with antenna allocation",
    }[wildcards.study]


def figure_files(study, plots=None):
    return expand(
        "figures/{study}/{figure}.{ext}",
        study=study,
        figure=plots or plan.PLOTS[study],
        ext=("pdf", "png"),
    )


def study_targets(study, plots=None, claims=True):
    """A study's figures, claims table and every intermediate they are made from (so that one deleted or
    found damaged is rebuilt although its figures exist)."""
    plots = plots or plan.PLOTS[study]
    files = [f for p in plots for f in plan.intermediates(config, study, p)]
    table = [f"results/{study}/claims.csv"] if claims else []
    return list(dict.fromkeys([*figure_files(study, plots), *files, *table]))


def _one_of(labels):
    return "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))


wildcard_constraints:
    study=_one_of(STUDIES),
    figure=_one_of(plan.CF_PLOTS),
    scheme=_one_of(plan.CF_SCHEMES + plan.DF_SCHEMES),
    kappa_db=_one_of(CF_KAPPAS),
    power_dbm=_one_of({p for p, _ in DF_POINTS}),
    secrecy_target=_one_of({r for _, r in DF_POINTS}),
    batch=r"[0-9]+",
