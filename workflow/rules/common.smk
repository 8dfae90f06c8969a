# Configuration, validation and the helpers every rule uses (the only place with helper functions).
import ast
import hashlib
import json
import os
import sys
from pathlib import Path

from snakemake.utils import validate

# Use the library next to this workflow (the one the code digests hash), installed or not.
sys.path.insert(0, str(Path(workflow.basedir, "src")))

from secure_isac.cfmmimo.tasks import LAYOUT_KEYS, OPTIMISATION_ONLY_KEYS


configfile: os.path.join(workflow.basedir, "config", "config.yaml")


report: "../report/workflow.rst"


# Stops the run before any job with a message naming the offending key (unknown key, wrong type or value).
validate(config, "../schemas/config.schema.yaml")

REPO = Path(workflow.basedir)
SRC = REPO / "src"
SCRIPTS = REPO / "workflow" / "scripts"
CF = config["cfmmimo"]
DF = config["dfbs"]
CF_RESULTS = "results/cfmmimo"
CF_SCHEMES = ("cp", "sp", "sp_early", "cp_paper", "sp_paper", "baseline")
DF_RESULTS = "results/dfbs"
DF_SCHEMES = ("aa", "no_aa", "random_aa", "full_digital")


def _check_config():
    """Library-level validation (cross-field rules) at parse time, so a bad value fails before any job."""
    from secure_isac.cfmmimo.tasks import system_params

    system_params(CF["system"])
    from secure_isac.cfmmimo.design_types import SolverOptions

    SolverOptions(**CF["solver"])
    for fig in ("fig3", "fig4"):
        missing = {"cp", "sp", "baseline"} - set(CF[fig]["schemes"])
        if missing:
            raise ValueError(
                f"cfmmimo.{fig}.schemes: the claims table needs {sorted(missing)}"
            )
    if not {"cp", "sp"} <= set(CF["fig2"]["schemes"]):
        raise ValueError("cfmmimo.fig2.schemes: must contain cp and sp")
    from secure_isac.pipeline.dfbs_tasks import dfbs_params, figure_points

    for fig in ("fig2", "fig3", "fig4"):
        # bad params, or an empty Fig. 3 R-bar grid (naming secrecy_start), fail here
        figure_points(fig, DF[fig], dfbs_params(DF["params"]))
    for fig in ("fig2", "fig3", "fig4"):
        missing = {"aa", "no_aa"} - set(DF[fig]["schemes"])
        if missing:
            raise ValueError(
                f"dfbs.{fig}.schemes: the claims table needs {sorted(missing)}"
            )


_check_config()


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
def kappa_label(kappa_db):
    """Canonical text of a kappa value in paths (2.0 -> "2")."""
    return f"{float(kappa_db):g}"


def cf_batches(n_layouts):
    return list(range(-(-int(n_layouts) // int(CF["batch_size"]))))


CF_DEFAULT_KAPPA = kappa_label(CF["system"]["kappa_db"])
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
            "kappa_db": float(wildcards.kappa_db),
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
        cf_design_file(s, kappa_label(k), b)
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


CF_FIGURES = ["fig2", "fig3", "fig4", "layout_map"]
CF_TARGETS = [
    *(f for name in CF_FIGURES for f in cf_figure_files(name)),
    # the contract datasets are targets too, so that one deleted (e.g. after a corrupt input was rejected)
    # is rebuilt even though the figures made from it are still present
    *(f"{CF_RESULTS}/{name}.nc" for name in ("fig2", "fig3", "fig4")),
    f"{CF_RESULTS}/claims.csv",
]


# ---------------------------------------------------------------------------------------------------------
# Study 2 (dfbs): one reference job per scheme, one design job per scheme x (P, R-bar) point (points shared by
# figures are computed once), per-rule configs.
def df_points(figure):
    from secure_isac.pipeline.dfbs_tasks import dfbs_params, figure_points

    return figure_points(figure, DF[figure], dfbs_params(DF["params"]))


def df_point_path(scheme, power_dbm, secrecy_target):
    from secure_isac.pipeline.dfbs_tasks import point_label

    return f"{DF_RESULTS}/designs/{scheme}/p{point_label(power_dbm)}_r{point_label(secrecy_target)}.nc"


def _df_scheme_config(scheme):
    # the seed only matters for random_aa: other schemes do not rerun when it changes
    cfg = {"scheme": scheme, "params": DF["params"]}
    if scheme == "random_aa":
        cfg["seed"] = config["seed"]
    return cfg


def df_reference_config(wildcards):
    return as_json(_df_scheme_config(wildcards.scheme))


def df_design_config(wildcards):
    return as_json(
        {
            **_df_scheme_config(wildcards.scheme),
            "power_dbm": float(wildcards.power_dbm),
            "secrecy_target": float(wildcards.secrecy_target),
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
DF_TARGETS = [
    *(f for name in DF_FIGURES for f in df_figure_files(name)),
    f"{DF_RESULTS}/claims.csv",
]
ALL_TARGETS = [*CF_TARGETS, *DF_TARGETS]


wildcard_constraints:
    scheme="|".join(CF_SCHEMES + DF_SCHEMES),
    power_dbm=r"-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?",
    kappa_db=r"-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?",
    batch=r"[0-9]+",
