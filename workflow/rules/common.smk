# Configuration, validation and the helpers every rule uses (the only place with helper functions).
import ast
import hashlib
import json
import os
import re
import sys
from pathlib import Path

from snakemake.common.configfile import load_configfile
from snakemake.utils import update_config, validate

# Use the library next to this workflow (the one the code digests hash), installed or not.
sys.path.insert(0, str(Path(workflow.basedir, "src")))

from secure_isac.cfmmimo.tasks import LAYOUT_KEYS, OPTIMISATION_ONLY_KEYS
from secure_isac.pipeline.config import check_config, typed_cli_overrides
from secure_isac.pipeline.labels import label_map, value_label


configfile: os.path.join(workflow.basedir, "config", "config.yaml")


report: "../report/workflow.rst"


# `--config` values of nested keys arrive as text (snakemake reads them with YAML's BaseLoader): retype them
update_config(
    config, typed_cli_overrides(workflow.config_settings.overwrite_config or {})
)
# Stops the run before any job or large list, naming the offending key: schema (names, types, bounds), finite
# values, limits on layouts/points/jobs per figure, and the library's cross-field rules.
check_config(
    config,
    load_configfile(Path(workflow.basedir, "workflow/schemas/config.schema.yaml")),
)
validate(config, "../schemas/config.schema.yaml")  # fills defaults of omitted keys

REPO = Path(workflow.basedir)
SRC = REPO / "src"
SCRIPTS = REPO / "workflow" / "scripts"
CF = config["cfmmimo"]
DF = config["dfbs"]
CF_RESULTS = "results/cfmmimo"
CF_SCHEMES = ("cp", "sp", "sp_early", "cp_paper", "sp_paper", "baseline")
DF_RESULTS = "results/dfbs"
DF_SCHEMES = ("aa", "no_aa", "random_aa", "full_digital")


# ---------------------------------------------------------------------------------------------------------
# Code digests: a rule's params carry the hash of its script and of every library module it imports
# (static import closure, function-local imports included), so editing a module reruns exactly the rules
# that use it and their downstream, while touching a file without changing it reruns nothing.
def _module_file(name):
    path = SRC.joinpath(*name.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def _imported_modules(name, file):
    """Absolute names of the secure_isac modules imported anywhere in `file`."""
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(file.read_text(), filename=str(file))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m.split(".")[0] == "secure_isac"}


def module_closure(names):
    """Files of the given secure_isac modules, of everything they import and of their parent packages."""
    todo, seen, files = list(names), set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        file = _module_file(name)
        if file is None:
            continue
        files.add(file)
        todo.extend(_imported_modules(name, file))
    return sorted(files)


_DIGESTS = {}


def code_digest(script, *modules):
    """sha256 over the script and the import closure of `modules` (paths relative to the repo, then contents)."""
    key = (script, modules)
    if key not in _DIGESTS:
        h = hashlib.sha256()
        for file in [SCRIPTS / script, *module_closure(modules)]:
            for part in (str(file.relative_to(REPO)).encode(), file.read_bytes()):
                h.update(part)
                h.update(b"\0")
        _DIGESTS[key] = h.hexdigest()
    return _DIGESTS[key]


def as_json(value):
    """Canonical JSON text of a rule's config (params compare as text, independent of dict order)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------------------
# Study 1 (cfmmimo): layout batches, kappa labels and the per-rule configs.
def cf_batches(n_layouts):
    return list(range(-(-int(n_layouts) // int(CF["batch_size"]))))


# every kappa a design job can be asked for, by path label; the exact configured value reaches the optimiser
# (issue: a label parsed back from the path rounded 1.7609126 to 1.76091)
CF_KAPPAS = label_map([CF["system"]["kappa_db"], *CF["fig3"]["kappa_db"]])
CF_DEFAULT_KAPPA = value_label(CF["system"]["kappa_db"])
CF_FIG2_BATCH = int(CF["fig2"]["layout"]) // int(CF["batch_size"])


def cf_system(drop=(), keep=None):
    system = dict(CF["system"])
    if keep is not None:
        system = {k: v for k, v in system.items() if k in keep}
    return {k: v for k, v in system.items() if k not in drop}


def cf_layout_config(wildcards):
    return as_json(
        {
            "seed": config["seed"],
            "batch": int(wildcards.batch),
            "batch_size": CF["batch_size"],
            "system": cf_system(keep=LAYOUT_KEYS),
        }
    )


def cf_channel_config(wildcards):
    return as_json(
        {
            "seed": config["seed"],
            "batch": int(wildcards.batch),
            "batch_size": CF["batch_size"],
            "system": cf_system(drop=OPTIMISATION_ONLY_KEYS),
        }
    )


def cf_optimise_config(wildcards):
    # the swept kappa comes from the path; the default kappa_db is dropped so that changing it leaves other
    # sweep points alone
    return as_json(
        {
            "seed": config["seed"],
            "batch": int(wildcards.batch),
            "batch_size": CF["batch_size"],
            "scheme": wildcards.scheme,
            "kappa_db": CF_KAPPAS[wildcards.kappa_db],
            "system": cf_system(drop=("kappa_db",)),
            "solver": CF["solver"],
        }
    )


def cf_figure_config(fig, drop=()):
    return as_json(
        {
            **CF[fig],
            "batch_size": CF["batch_size"],
            "seed": config["seed"],
            "system": cf_system(drop=drop),
        }
    )


def cf_design_file(scheme, kappa, batch):
    return f"{CF_RESULTS}/designs/{scheme}/kappa{kappa}/batch{batch}.nc"


def cf_fig4_designs(wildcards):
    return [
        cf_design_file(s, CF_DEFAULT_KAPPA, b)
        for s in CF["fig4"]["schemes"]
        for b in cf_batches(CF["fig4"]["n_layouts"])
    ]


def cf_fig3_designs(wildcards):
    return [
        cf_design_file(s, value_label(k), b)
        for s in CF["fig3"]["schemes"]
        for k in CF["fig3"]["kappa_db"]
        for b in cf_batches(CF["fig3"]["n_layouts"])
    ]


def cf_fig2_designs(wildcards):
    return [
        cf_design_file(s, CF_DEFAULT_KAPPA, CF_FIG2_BATCH)
        for s in CF["fig2"]["schemes"]
    ]


def cf_scenario_files(kind, n_layouts):
    return [f"{CF_RESULTS}/{kind}/batch{b}.nc" for b in cf_batches(n_layouts)]


def cf_figure_files(name):
    return [f"figures/cfmmimo/{name}.pdf", f"figures/cfmmimo/{name}.png"]


def cf_intermediates(fig):
    """Every file a figure's dataset is made from, and the dataset itself."""
    if fig in ("fig2", "layout_map"):
        files = [
            *cf_fig2_designs(None),
            f"{CF_RESULTS}/layouts/batch{CF_FIG2_BATCH}.nc",
            f"{CF_RESULTS}/channels/batch{CF_FIG2_BATCH}.nc",
        ]
        fig = "fig2"
    else:
        designs = cf_fig3_designs if fig == "fig3" else cf_fig4_designs
        n = CF[fig]["n_layouts"]
        files = [
            *designs(None),
            *cf_scenario_files("layouts", n),
            *cf_scenario_files("channels", n),
        ]
    return [*files, f"{CF_RESULTS}/{fig}.nc"]


CF_FIGURES = ["fig2", "fig3", "fig4", "layout_map"]
# Intermediates are targets too: one that was deleted (or found unreadable and deleted at parse time, see the
# end of this file) is rebuilt even when the figures made from it are still present; its downstream then reruns
# because its input is newer.
CF_TARGETS = list(
    dict.fromkeys(
        [
            *(f for name in CF_FIGURES for f in cf_figure_files(name)),
            *(f for name in CF_FIGURES for f in cf_intermediates(name)),
            f"{CF_RESULTS}/claims.csv",
        ]
    )
)


# ---------------------------------------------------------------------------------------------------------
# Study 2 (dfbs): one reference job per scheme, one design job per scheme x (P, R-bar) point (points shared by
# figures are computed once), per-rule configs.
def df_points(figure):
    from secure_isac.pipeline.dfbs_tasks import dfbs_params, figure_points

    return figure_points(figure, DF[figure], dfbs_params(DF["params"]))


def df_point_path(scheme, power_dbm, secrecy_target):
    return f"{DF_RESULTS}/designs/{scheme}/p{value_label(power_dbm)}_r{value_label(secrecy_target)}.nc"


def _df_scheme_config(scheme):
    # the seed only matters for random_aa: other schemes do not rerun when it changes
    cfg = {"scheme": scheme, "params": DF["params"]}
    if scheme == "random_aa":
        cfg["seed"] = config["seed"]
    return cfg


def df_reference_config(wildcards):
    return as_json(_df_scheme_config(wildcards.scheme))


def df_design_config(wildcards):
    power_dbm, secrecy_target = DF_POINTS[
        (wildcards.power_dbm, wildcards.secrecy_target)
    ]
    return as_json(
        {
            **_df_scheme_config(wildcards.scheme),
            "power_dbm": power_dbm,
            "secrecy_target": secrecy_target,
        }
    )


def df_figure_config(figure):
    return as_json({**DF[figure], "seed": config["seed"], "params": DF["params"]})


def df_design_files(figure):
    return [
        df_point_path(s, p, r)
        for s in DF[figure]["schemes"]
        for p, r in df_points(figure)
    ]


def df_figure_files(name):
    return [f"figures/dfbs/{name}.pdf", f"figures/dfbs/{name}.png"]


DF_FIGURES = ["fig2", "fig3", "fig4"]
# every (P, R-bar) point of the three figures by its path labels -> the exact configured values
DF_POINTS = {
    (value_label(p), value_label(r)): (p, r)
    for f in DF_FIGURES
    for p, r in df_points(f)
}


def df_intermediates(fig):
    """Every file a figure's dataset is made from (references, design points), and the dataset itself."""
    refs = [f"{DF_RESULTS}/references/{s}.nc" for s in DF[fig]["schemes"]]
    return [*refs, *df_design_files(fig), f"{DF_RESULTS}/{fig}.nc"]


DF_TARGETS = list(
    dict.fromkeys(
        [
            *(f for name in DF_FIGURES for f in df_figure_files(name)),
            *(f for name in DF_FIGURES for f in df_intermediates(name)),
            f"{DF_RESULTS}/claims.csv",
        ]
    )
)
ALL_TARGETS = [*CF_TARGETS, *DF_TARGETS]


def _one_of(labels):
    return "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))


wildcard_constraints:
    scheme=_one_of(CF_SCHEMES + DF_SCHEMES),
    kappa_db=_one_of(CF_KAPPAS),
    power_dbm=_one_of({p for p, _ in DF_POINTS}),
    secrecy_target=_one_of({r for _, r in DF_POINTS}),
    batch=r"[0-9]+",


# Unreadable (e.g. truncated) NetCDF intermediates are deleted before planning, so that this run rebuilds them
# and everything made from them; dry runs, reports and other listing modes only report them. Cluster jobs
# re-read this file: only the main process checks.
if workflow.is_main_process:
    from snakemake.logging import logger
    from secure_isac.pipeline.files import executes_jobs, repair_intermediates

    for message in repair_intermediates(
        [f for f in ALL_TARGETS if f.endswith(".nc")], delete=executes_jobs(sys.argv)
    ):
        logger.warning(message)


# A report describes the data on disk: refuse when the datasets were made with another configuration (e.g. a
# toy run reported without its --configfile), instead of captions and metadata that describe another run.
if workflow.is_main_process and "--report" in sys.argv:
    from secure_isac.pipeline.report import config_mismatches

    _mismatch = config_mismatches(
        {
            f"{CF_RESULTS}/fig2.nc": cf_figure_config("fig2"),
            f"{CF_RESULTS}/fig3.nc": cf_figure_config("fig3", drop=("kappa_db",)),
            f"{CF_RESULTS}/fig4.nc": cf_figure_config("fig4"),
            **{f"{DF_RESULTS}/{f}.nc": df_figure_config(f) for f in DF_FIGURES},
        }
    )
    if _mismatch:
        raise WorkflowError(
            "the datasets were made with another configuration than this report's:\n  "
            + "\n  ".join(_mismatch)
            + "\nCreate the report with the configuration of the run, e.g. "
            "`snakemake --report report.html --configfile config/test.yaml` after the toy run."
        )
