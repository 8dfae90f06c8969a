"""What the target rules ask for and what every file is made from: a run's figures and the intermediates behind them,
the sweeps, the scenario comparison, the figures drawn from several runs, the sensitivity matrix and the readings
search (the file graph they make: pipeline.graph)."""

from __future__ import annotations

from collections.abc import Mapping

from . import paths, sweeps
from .errors import ConfigError
from .registry import Registry
from .runs import Run, as_json
from .studies import all_studies, readings_study, study


def figure_config(config: Mapping, study_name: str, figure: str) -> str:
    """The params.config JSON of a dataset's aggregate job (also what the dataset records in config_json)."""
    return study(study_name).figure_config(config, figure)


def intermediates(run: Run, study_name: str, plot: str) -> list[str]:
    """Every NetCDF file a plot of a run is made from (the study's intermediates of its dataset) and the dataset.
    The targets list them: one that is missing (or moved aside as damaged, pipeline.files) is rebuilt even when
    the figures made from it are still present."""
    st = study(study_name)
    figure = st.dataset_of(plot)
    return [*st.dataset_inputs(run, figure), st.dataset_path(run, figure)]


def run_files(run: Run, study_name: str, plots=None, claims: bool = True) -> list[str]:
    """A run's figures of a study, every intermediate they are made from and its claims table."""
    st = study(study_name)
    plots = plots or st.plots
    figs = [st.figure_path(run, p, ext) for p in plots for ext in ("pdf", "png")]
    files = [f for p in plots for f in intermediates(run, study_name, p)]
    table = [st.claims_path(run)] if claims else []
    return list(dict.fromkeys([*figs, *files, *table]))


def sweep_files(reg: Registry, prefix: str) -> list[str]:
    """Every sweep of a run: per-value datasets, summary datasets and figures (and the files they need)."""
    out = []
    for (p, study_name, key), values in reg.sweeps.items():
        if p != prefix:
            continue
        run = reg.runs[prefix]
        for label, value_run in values.items():
            out += study(study_name).sweep_value_targets(value_run, key)
            out.append(sweeps.value_path(run, study_name, key, label))
        out += [sweeps.summary_path(run, study_name, key), *sweeps.figure_paths(run, study_name, key)]
    return list(dict.fromkeys(out))


def scenario_files(reg: Registry) -> list[str]:
    """Target of `snakemake scenarios`: every scenario's figures, claims and own sweeps, the default run's figures
    of the same studies, and the comparison."""
    out = []
    for run in [reg.base, *reg.scenarios.values()]:
        for study_name in reg.scenario_studies:
            out += run_files(run, study_name)
        if run.prefix:
            out += sweep_files(reg, run.prefix)
    return list(dict.fromkeys([*out, *paths.SCENARIO_SUMMARY]))


def summary_inputs(reg: Registry) -> list[str]:
    """Datasets and claims tables the scenario comparison reads (those of its studies, every run)."""
    out = []
    for run in [reg.base, *reg.scenarios.values()]:
        for st in all_studies(reg.scenario_studies):
            out += [st.dataset_path(run, f) for f in st.datasets] + [st.claims_path(run)]
    return out


def summary_roots(reg: Registry) -> dict[str, str]:
    """{column name: results folder} of the scenario comparison, the default run first."""
    return {name: f"results/{prefix}".rstrip("/") for name, prefix in summary_prefixes(reg).items()}


def summary_prefixes(reg: Registry) -> dict[str, str]:
    """{column name: run prefix} of the scenario comparison (the columns of summary_roots)."""
    return {"default": "", **{name: run.prefix for name, run in reg.scenarios.items()}}


def extension_figures(reg: Registry) -> dict[tuple[str, str, str], dict[str, str]]:
    """{(run prefix, study, figure name): {line label: dataset}} of the figures drawn from several runs (Study.
    extension_figures) that the base run and its scenarios make possible; they belong to the base run (its prefix)."""
    runs, out = [reg.base, *reg.scenarios.values()], {}
    for st in all_studies():
        mine = [r for r in runs if st.name in reg.studies(r.prefix)]
        swept = {r.prefix: {k for (p, s, k) in reg.sweeps if p == r.prefix and s == st.name} for r in mine}
        for name, lines in st.extension_figures(mine, swept).items():
            out[(reg.base.prefix, st.name, name)] = dict(lines)
    return out


def claims_tables(reg: Registry, prefix: str) -> list[str]:
    """The claims tables results/<run>claims.md is made from (the run's studies)."""
    return [st.claims_path(reg.runs[prefix]) for st in all_studies(reg.studies(prefix))]


# --- the files of a run and what each is made from -------------------------------------------------------------
# --- sensitivity: the claims under every open choice ------------------------------------------------------------
def study_fingerprint(run: Run, study_name: str) -> str:
    """Everything a run's claims of a study are computed from: per dataset the claims read (Study.claims_data), its
    aggregate job's params and the intermediate files it reads (a shared file is shared because its job's params
    are equal, Study.scope), and the seed (the bootstrap stream of study 1's claims intervals). Two runs with equal
    fingerprints have equal claims (results depend only on configuration and seeds); any key a job reads,
    top-level ones like `seed` included, changes it."""
    st = study(study_name)
    own = run.results(study_name) + "/"
    parts = {fig: [st.figure_config(run.config, fig),
                   sorted(f for f in intermediates(run, study_name, fig) if not f.startswith(own))]
             for fig in st.claims_data}
    return as_json({"datasets": parts, "seed": run.config["seed"]})


def sensitivity_inputs(reg: Registry) -> dict[str, list[str]]:
    """{name: [each study's sensitivity claims (Study.sensitivity_claims), in the order of the studies]} of every
    sensitivity run, the reference first.

    A scenario whose claims of a study are computed from exactly what the reference's are (study_fingerprint: the
    same dataset jobs with the same params reading the same files, the same bootstrap seed) reads that study's
    claims from the reference run: same inputs, hence the same numbers, without aggregating and re-testing them
    once per scenario. A scenario that changes anything those jobs read (a study key, the seed, ...) gets its own."""
    return {name: [st.sensitivity_claims(claims_source(reg, run, st.name)) for st in all_studies()]
            for name, run in reg.sensitivity.items()}


def claims_source(reg: Registry, run: Run, study_name: str) -> Run:
    """The run whose claims of a study a sensitivity run reads: the reference's when their fingerprints are equal
    (study_fingerprint), else its own."""
    ref = reg.sensitivity.get("reference")
    same = ref is not None and study_fingerprint(run, study_name) == study_fingerprint(ref, study_name)
    return ref if same else run


def sensitivity_extra(reg: Registry) -> list[str]:
    """The further files the matrix reads beside sensitivity_inputs (Study.sensitivity_extra: study 1's bootstrap
    replicates, for the paired differences to the reference), each once."""
    return list(dict.fromkeys(f for run in reg.sensitivity.values() for st in all_studies()
                              for f in st.sensitivity_extra(claims_source(reg, run, st.name))))


# --- the search for the paper's reading (sensitivity.readings_file; studies.readings_study) -----------------------
def require_readings(reg: Registry) -> None:
    """ConfigError naming sensitivity.readings_file when a readings output is asked for without a search (the key
    null): the input functions of the readings rules call it, so the request stops while the DAG is built, before
    any job runs (it used to run the screen on no combination and stop in it with a bare KeyError)."""
    if not reg.readings:
        raise ConfigError(f"sensitivity.readings_file: null (no search for the paper's reading), so there is no "
                          f"{paths.READINGS_SCREEN} or {', '.join(paths.READINGS)}; set sensitivity.readings_file to "
                          "a readings file (the default: config/readings.yaml) to build them")


def readings_screen_inputs(reg: Registry) -> dict[str, str]:
    """{combination: its claims table at the screen's layout counts} (point verdicts rank the screen)."""
    st = readings_study()
    return {name: st.claims_path(c.screen) for name, c in reg.readings.items()}


def readings_full_inputs(reg: Registry, names) -> dict[str, list[str]]:
    """{combination: [claims with intervals, replicates] at full count} of the combinations `names` (the best of the
    screen), and the sensitivity reference's under "reference" (the paired differences)."""
    st = readings_study()
    # a combination whose claims are computed from exactly the reference's reads the reference's
    runs = {name: claims_source(reg, reg.readings[name].full, st.name) for name in names}
    if "reference" in reg.sensitivity:
        runs = {"reference": reg.sensitivity["reference"], **runs}
    return {name: [st.sensitivity_claims(run), *st.sensitivity_extra(run)] for name, run in runs.items()}


def readings_targets(reg: Registry) -> list[str]:
    """The readings outputs of `snakemake sensitivity` (none without a search)."""
    return list(paths.READINGS) if reg.readings else []


def readings_fig3_schemes(reg: Registry) -> dict[str, list[str]]:
    """{combination: the Fig. 3 schemes of its screen run} (which CP scheme the readings table reads)."""
    st = readings_study()
    return {n: st.fig3_schemes(c.screen) for n, c in reg.readings.items()}


def readings_layouts(reg: Registry) -> dict[str, str]:
    """{combination: the layout counts of its screen run, as the claims tables state them}."""
    st = readings_study()
    return {n: st.layouts_text(c.screen) for n, c in reg.readings.items()}


def where(files, workdir: str = "") -> list[str]:
    """The closing lines of a run (the Snakefile's onsuccess): where the requested figures and tables are, from the
    requested files (figures/ grouped by folder; the Markdown and CSV tables, claims first). Intermediates and
    datasets are left out: they are what the figures and tables are made from."""
    from pathlib import PurePosixPath

    figures: dict[str, set[str]] = {}
    tables = []
    for f in sorted({str(f) for f in files}):
        p = PurePosixPath(f)
        if p.parts and p.parts[0] == "figures" and p.suffix in (".png", ".pdf"):
            figures.setdefault(str(p.parent), set()).add(p.stem)
        elif p.suffix in (".md", ".csv"):
            tables.append(f)
    if not figures and not tables:
        return []
    lines = [f"Outputs of this run{f' (in {workdir})' if workdir else ''}:"]
    if figures:
        lines.append("  figures (.pdf, .png):")
        lines += [f"    {folder}/: {', '.join(sorted(stems))}" for folder, stems in figures.items()]
    if tables:
        lines.append("  claims and tables:")
        lines += [f"    {t}" for t in sorted(tables, key=lambda t: (not t.endswith("claims.md"), t))]
    return lines
