"""What the workflow computes and in which files: runs, job granularity, the configuration each job gets, paths.

A *run* is one full configuration: the base run (the configuration given to snakemake), a named scenario (an
overlay of it, results under results/scenarios/<name>/), or one value of a sweep. Every intermediate file
depends on a *scope*, the part of the configuration its job reads (layouts: the geometry keys and the seed;
channels: also the path-loss keys; designs: also the optimisation keys). Intermediates of a run whose scope equals
the base run's live in the base run's folders, so a scenario or sweep value that leaves a scope unchanged reuses
those files; any other scope gets its own folder results/<study>/variants/<label>/, named after the keys it
changes. Every job receives only its scope (canonical JSON params), so changing a key reruns exactly the jobs
that use it (config/README.md, "what reruns"). The exact configured values reach the library through these
configs, never parsed back from a path (labels.value_label).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..cfmmimo.options import options_of_scheme
from ..dfbs.params import DfbsParams, secrecy_target_grid, validate_snr
from .labels import label_map, value_label
from .settings import CF_SCHEMES, DF_SCHEMES  # noqa: F401  (the scheme vocabulary of the paths)

STUDIES = ("cfmmimo", "dfbs")
CF_FIGURES = ("fig2", "fig3", "fig4")  # datasets; the layout map is drawn from fig2.nc
CF_PLOTS = ("fig2", "fig3", "fig4", "layout_map", "fig3_decomposition")
PLOT_DATASET = {"layout_map": "fig2", "fig3_decomposition": "fig3"}  # plots drawn from another figure's dataset
DF_FIGURES = ("fig2", "fig3", "fig4")
PLOTS = {"cfmmimo": CF_PLOTS, "dfbs": DF_FIGURES}
CLAIMS_DATA = {"cfmmimo": ("fig3", "fig4"), "dfbs": DF_FIGURES}
# SystemParams keys that shape the geometry (layout jobs) and those that enter only the optimisation (designs):
# the layout and channel jobs ignore the latter, so changing them redraws nothing
LAYOUT_KEYS = ("M", "K", "L", "side_m")
OPTIMISATION_ONLY_KEYS = ("N", "tau", "rho_w", "nu", "nu_unit", "varsigma_db", "kappa_db", "ue_sinr_form", "prelog",
                          "sensing_combining", "cluster_size")
DF_POINT_KEYS = ("power_dbm", "secrecy_target")  # study-2 sweep keys that are not dfbs.params keys


def as_json(value: Any) -> str:
    """Canonical JSON text of a job's config (params compare as text, independent of dict order)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Run:
    """One configuration the workflow computes: the base run, a scenario or a sweep value."""

    config: dict
    base: dict = field(repr=False)
    prefix: str = ""  # results/<prefix><study>/...: "" for the base run, "scenarios/<name>/" for a scenario

    def results(self, study: str) -> str:
        return f"results/{self.prefix}{study}"

    def figures(self, study: str) -> str:
        return f"figures/{self.prefix}{study}"


# --- scopes and variant folders ----------------------------------------------------------------------------------
def scope(config: Mapping, kind: str, scheme: str | None = None) -> dict:
    """The part of the configuration an intermediate of `kind` depends on: everything its job reads except the
    file's own coordinates (batch, scheme, kappa, (P, R-bar)). The job's params are this scope plus those coordinates
    (cf_layout_config, cf_channel_config, cf_optimise_config, df_scheme_config), so two runs share a file exactly
    when its job would receive the same params from both. Study-1 designs of one scheme depend only on the solver
    options that scheme reads (cfmmimo.options.FIELDS_READ): changing an SP-only option leaves the CP and baseline
    designs in place; scheme=None keeps every solver option."""
    cf = config["cfmmimo"]
    batch = {"seed": config["seed"], "batch_size": cf["batch_size"]}
    if kind == "layouts":
        return {**batch, "system": _system(config, keep=LAYOUT_KEYS)}
    if kind == "channels":
        return {**batch, "system": _system(config, drop=OPTIMISATION_ONLY_KEYS)}
    if kind == "designs":  # the design's kappa is in its path
        solver = cf["solver"] if scheme is None else options_of_scheme(cf["solver"], scheme)
        return {**batch, "solver": solver, "system": _system(config, drop=("kappa_db",))}
    if kind == "dfbs":  # references and design points of one scheme; the seed only matters for random_aa
        out = {"params": config["dfbs"]["params"]}
        if scheme == "random_aa":
            out["seed"] = config["seed"]
        return out
    raise ValueError(f"kind: unknown intermediate kind {kind!r}")


def _flat(node: Any, prefix: str = "") -> dict:
    if isinstance(node, Mapping):
        out: dict = {}
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: node}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value_label(value)
    if isinstance(value, (list, tuple)):
        return "_".join(_text(v) for v in value)
    return str(value)


def sweep_label(value: Any) -> str:
    """File label of a (canonical, pipeline.config.sweep_value) sweep value: numbers as labels.value_label, booleans
    as true/false, text as it is."""
    return _text(value)


_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-=,")


def variant_label(mine: Mapping, base: Mapping) -> str:
    """Folder name of a scope that differs from the base run's: the changed keys and values ("K=8",
    "system.nu=2,solver.rel_tol=0.001" if two sections differ), or a hash when that text is long or unsafe."""
    a, b = _flat(mine), _flat(base)
    changed = sorted(k for k in set(a) | set(b) if a.get(k, None) != b.get(k, None))
    sections = {k.split(".")[0] for k in changed}
    keys = {k: (k.split(".")[-1] if len(sections) == 1 else k) for k in changed}
    text = ",".join(f"{keys[k]}={_text(a.get(k, 'none'))}" for k in changed)
    if not text or len(text) > 80 or not set(text) <= _SAFE:
        text = "h" + hashlib.sha256(as_json(mine).encode()).hexdigest()[:12]
    return text


def cf_kind(kind: str, scheme: str | None = None) -> str:
    """Registry kind of a study-1 folder: "layouts", "channels" or "designs/<scheme>" (a design folder's scope
    depends on its scheme)."""
    if kind == "designs":
        if scheme is None:
            raise ValueError("scheme: a study-1 design folder belongs to one scheme")
        return f"designs/{scheme}"
    return kind


def variant(run: Run, kind: str, scheme: str | None = None) -> str:
    """"" if the run's scope of `kind` is the base run's (the files are shared), else "variants/<label>/"."""
    mine, base = scope(run.config, kind, scheme), scope(run.base, kind, scheme)
    return "" if mine == base else f"variants/{variant_label(mine, base)}/"


# --- study 1 (cfmmimo) -------------------------------------------------------------------------------------------
def cf_batches(config: Mapping, n_layouts: int) -> list[int]:
    """Layout batches covering the first n_layouts layouts."""
    return list(range(-(-int(n_layouts) // int(config["cfmmimo"]["batch_size"]))))


def cf_fig2_batch(config: Mapping) -> int:
    return int(config["cfmmimo"]["fig2"]["layout"]) // int(config["cfmmimo"]["batch_size"])


def cf_kappas(runs) -> dict[str, float]:
    """Every kappa a design job can be asked for, by path label (the default points and the Fig. 3 sweeps)."""
    values = []
    for run in runs:
        cf = run.config["cfmmimo"]
        values += [cf["system"]["kappa_db"], *cf["fig3"]["kappa_db"]]
    return label_map(values)


def cf_design_path(run: Run, scheme: str, kappa_db: float, batch: int) -> str:
    return (f"results/cfmmimo/{variant(run, 'designs', scheme)}designs/{scheme}/kappa{value_label(kappa_db)}/"
            f"batch{batch}.nc")


def cf_batch_path(run: Run, kind: str, batch: int) -> str:
    return f"results/cfmmimo/{variant(run, kind)}{kind}/batch{batch}.nc"


def _system(config: Mapping, keep=None, drop=()) -> dict:
    system = dict(config["cfmmimo"]["system"])
    if keep is not None:
        system = {k: v for k, v in system.items() if k in keep}
    return {k: v for k, v in system.items() if k not in drop}


def cf_layout_config(config: Mapping, batch: int) -> str:
    return as_json({**scope(config, "layouts"), "batch": int(batch)})


def cf_channel_config(config: Mapping, batch: int) -> str:
    return as_json({**scope(config, "channels"), "batch": int(batch)})


def cf_optimise_config(config: Mapping, scheme: str, kappa_db: float, batch: int) -> str:
    # the point's exact kappa; the default kappa_db is dropped so that changing it leaves other points alone
    return as_json({**scope(config, "designs", scheme), "batch": int(batch), "scheme": scheme,
                    "kappa_db": float(kappa_db)})


# --- cluster requests (profiles/slurm): derived from the problem size, within the limit the profile states --------
# Runtime of one optimisation job: the measured worst case at paper size, <= 9 s per layout (paper SCA, M = 32, K = 4;
# profiles/slurm/README.md), scaled with M K (the design CPU grows as about (M K)^0.6-1.0, docs/performance.md and
# sp_paper at M = 64, K = 8: 8.5 s per layout) and doubled for safety.
SECONDS_PER_LAYOUT = 9.0
# Peak memory of one design job: ~150 MB of interpreter, numpy, cvxpy and the batch's data, plus what the scheme's
# solver holds. Measured (peak RSS of two designs, L = 2): the paper SCA (cvxpy) keeps dense arrays of M x M x K
# entries, sp_paper 155 / 403 / 769 / 1270 / 2710 MB at (M, K) = (16, 2), (32, 4), (32, 8), (64, 4), (64, 8), i.e.
# about 0.08 MB x M^2 K L / 2 over the base, cp_paper 1051 MB at (64, 8) (0.03 MB x M^2 K L / 2); the corrected SCA's
# fast path (cp, sp, sp_early) and the baseline stay within 110-160 MB up to M = 256, K = 32. Requests are twice that.
MEM_BASE_MB = 150.0
MEM_PER_M2KL_MB = {"sp_paper": 0.04, "cp_paper": 0.015}  # x M^2 K L
MEM_MIN_MB = 1000
# Study 2: the slowest default design (a binding aa design near the feasibility edge, N = 16, 181 grid angles) takes
# about 100 s, a reference about 10 s (scripts/benchmark_dfbs.py); their SDPs are N x N with a row per grid angle, and
# no_aa designs grew as N^1.6 from N = 16 to 64 (114 / 133 / 368 MB peak RSS at N = 16, 32, 64): the requests scale
# with (N / 16)^3 and the grid size, at least the default-size requests.
DF_RUNTIME_MIN = {"design": 10, "reference": 20}
DF_MEM_PER_N4_MB = 2.0e-5
RUNTIME_LIMIT_KEY = "runtime_limit"  # profiles/slurm default-resources: the longest job the partition allows (min)


def _within(minutes: int, limit: int | None, what: str, key: str, remedy: str) -> int:
    if limit is not None and minutes > limit:
        raise ValueError(f"{key}: {what} asks for {minutes} min, over the {limit} min the cluster profile allows "
                         f"(default-resources {RUNTIME_LIMIT_KEY}): {remedy}")
    return minutes


def cf_optimise_runtime(config: Mapping, limit: int | None = None) -> int:
    """SLURM runtime (minutes) of one cfmmimo_optimise job of `config`: 2 x 9 s per layout x batch_size at
    M K <= 128 (paper size), scaled by M K / 128 above it, at least 5 minutes. The measured design CPU grows as
    about (M K)^0.6-1.0 (docs/performance.md, study 1 at scale), so a linear scale keeps the request above the need;
    with user-centric clusters (cluster_size < M) the scale is M (K + 2L)^2 / 2e5 instead (docs/performance.md, city
    scale). ValueError naming cfmmimo.batch_size when the request exceeds `limit` (the profile's runtime_limit)."""
    system = config["cfmmimo"]["system"]
    M, K, batch = int(system["M"]), int(system["K"]), int(config["cfmmimo"]["batch_size"])
    scale = M * K / 128.0
    if system.get("cluster_size") is not None and int(system["cluster_size"]) < M:
        # user-centric clusters: the subproblems are sparse, and a design's CPU grows as about M (K + 2L)^2 (the
        # solver's factorisation, docs/performance.md, city scale); M K / 128 would ask for 32 h per 50 layouts at
        # M = 512, K = 32. With 2e5 the request is ~4x the CPU measured at M = 512 and ~10x at M = 1024.
        scale = M * (K + 2 * int(system["L"])) ** 2 / 2.0e5
    per_layout = 2.0 * SECONDS_PER_LAYOUT * max(scale, 1.0)
    minutes = max(5, -(-int(per_layout * batch) // 60))
    fits = int(limit * 60 // per_layout) if limit is not None else batch
    remedy = (f"set cfmmimo.batch_size to at most {fits} (the designs do not depend on it)" if fits >= 1 else
              f"one layout alone asks for {per_layout / 60:.0f} min: use a partition with a longer limit")
    return _within(minutes, limit, f"a design job of {batch} layouts at M = {M}, K = {K}", "cfmmimo.batch_size",
                   remedy)


def cf_optimise_mem_mb(config: Mapping, scheme: str) -> int:
    """SLURM memory (MB) of one cfmmimo_optimise job of `scheme`: twice the measured peak (MEM_BASE_MB plus the
    scheme's M^2 K L term), in steps of 100 MB, at least MEM_MIN_MB."""
    system = config["cfmmimo"]["system"]
    M, K, L = (int(system[k]) for k in ("M", "K", "L"))
    need = MEM_BASE_MB + MEM_PER_M2KL_MB.get(scheme, 0.0) * M * M * K * L
    return max(MEM_MIN_MB, 100 * -(-int(2.0 * need) // 100))


def df_runtime(config: Mapping, kind: str, limit: int | None = None) -> int:
    """SLURM runtime (minutes) of one study-2 job (`kind`: "design" or "reference"): the default-size request
    (DF_RUNTIME_MIN) scaled by (N / 16)^3 and by the number of grid angles over 181. ValueError naming
    dfbs.params.n_antennas when it exceeds `limit`."""
    params = DfbsParams(**config["dfbs"]["params"])
    scale = max(1.0, (params.n_antennas / 16.0) ** 3 * len(params.grid_deg) / 181.0)
    minutes = -(-int(DF_RUNTIME_MIN[kind] * scale * 60) // 60)
    return _within(minutes, limit, f"a study-2 {kind} job at N = {params.n_antennas}, {len(params.grid_deg)} grid "
                                   "angles", "dfbs.params.n_antennas", "use fewer antennas, a coarser grid "
                                   "(dfbs.params.grid_step_deg) or a partition with a longer limit")


def df_mem_mb(config: Mapping) -> int:
    """SLURM memory (MB) of one study-2 job: twice MEM_BASE_MB plus DF_MEM_PER_N4_MB x N^4 x grid angles / 181, in
    steps of 100 MB, at least MEM_MIN_MB."""
    params = DfbsParams(**config["dfbs"]["params"])
    need = MEM_BASE_MB + DF_MEM_PER_N4_MB * params.n_antennas ** 4 * len(params.grid_deg) / 181.0
    return max(MEM_MIN_MB, 100 * -(-int(2.0 * need) // 100))


def cluster_group(name: str, runtime: int, limit: int | None, components: Mapping[str, int] | None) -> str | None:
    """The group a cluster job joins: `name` when `components` (the profile's group-components) such jobs, run one
    after the other in one allocation, fit `limit` minutes, else None (the job is submitted alone; it fits the limit
    by itself, cf_optimise_runtime and df_runtime refuse it otherwise). So every request, group or job, is within the
    limit the profile states."""
    n = int((components or {}).get(name, 1))
    if limit is not None and n * runtime > limit:
        return None
    return name


def runtime_limit(default_resources) -> int | None:
    """The longest job (minutes) the cluster's partition allows, as the profile states it (default-resources
    runtime_limit, profiles/slurm/config.yaml); None when the invocation states none (a local run). ValueError unless
    it is a positive number."""
    try:
        value = default_resources.get(RUNTIME_LIMIT_KEY) if default_resources else None
    except (AttributeError, TypeError):  # a snakemake without the Resources mapping: no limit known
        return None
    value = getattr(value, "value", value)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"default-resources {RUNTIME_LIMIT_KEY}: a positive number of minutes, got {value!r}")
    return int(value)


def cf_figure_config(config: Mapping, figure: str) -> str:
    """Config of a figure's aggregate (Fig. 3 sweeps kappa, so it does not depend on the default kappa_db)."""
    cf = config["cfmmimo"]
    drop = ("kappa_db",) if figure == "fig3" else ()
    return as_json({**cf[figure], "batch_size": cf["batch_size"], "seed": config["seed"],
                    "system": _system(config, drop=drop)})


def cf_design_points(run: Run, figure: str) -> list[tuple[str, float, int]]:
    """(scheme, kappa, batch) of every design batch of a figure."""
    cf = run.config["cfmmimo"]
    k0 = cf["system"]["kappa_db"]
    if figure == "fig2":
        return [(s, k0, cf_fig2_batch(run.config)) for s in cf["fig2"]["schemes"]]
    kappas = cf["fig3"]["kappa_db"] if figure == "fig3" else [k0]
    return [(s, k, b) for s in cf[figure]["schemes"] for k in kappas
            for b in cf_batches(run.config, cf[figure]["n_layouts"])]


def cf_designs(run: Run, figure: str) -> list[str]:
    """Design batch files of a figure (Fig. 2 and Fig. 3's default point reuse Fig. 4's files)."""
    return [cf_design_path(run, s, k, b) for s, k, b in cf_design_points(run, figure)]


def cf_scenario(run: Run, figure: str, kind: str) -> list[str]:
    """Layout or channel batch files of a figure."""
    if figure == "fig2":
        return [cf_batch_path(run, kind, cf_fig2_batch(run.config))]
    return [cf_batch_path(run, kind, b) for b in cf_batches(run.config, run.config["cfmmimo"][figure]["n_layouts"])]


# --- study 2 (dfbs) ----------------------------------------------------------------------------------------------
def df_points(config: Mapping, figure: str) -> list[tuple[float, float]]:
    """The (P dBm, R-bar) design points of one figure: Fig. 2 one point, Fig. 3 the P x R-bar grid (R-bar below
    log2(1 + N_RF P/noise), at most secrecy_max), Fig. 4 the P values. ValueError naming the key of an empty grid
    or a P out of range."""
    df = config["dfbs"]
    fig = df[figure]
    params = DfbsParams(**df["params"])
    powers = [fig["power_dbm"]] if figure == "fig2" else fig["power_dbm"]
    for p in powers:
        validate_snr(params, p)
    if figure == "fig2":
        return [(float(fig["power_dbm"]), float(fig["secrecy_target"]))]
    if figure == "fig4":
        return [(float(p), float(fig["secrecy_target"])) for p in fig["power_dbm"]]
    out = []
    for p in fig["power_dbm"]:
        rs = secrecy_target_grid(params, float(p), float(fig["secrecy_step"]), start=float(fig["secrecy_start"]),
                                 maximum=float(fig["secrecy_max"])).tolist()
        if not rs:
            raise ValueError(f"secrecy_start: no secrecy target below the bound log2(1 + N_RF P/noise) at P = {p} dBm")
        out += [(float(p), r) for r in rs]
    return out


def df_sweep_point(config: Mapping, key: str) -> tuple[float, float]:
    """The (P, R-bar) of every design of a study-2 sweep value (config: the value's run)."""
    sweep = config["dfbs"]["sweeps"][key]
    return float(sweep["power_dbm"]), float(sweep["secrecy_target"])


def df_point_labels(runs, sweep_runs=()) -> dict[tuple[str, str], tuple[float, float]]:
    """Every (P, R-bar) point of the runs' figures and of the sweep values' designs, by path labels -> exact
    values. sweep_runs: (key, run) of every study-2 sweep value."""
    points = [pt for run in runs for f in DF_FIGURES for pt in df_points(run.config, f)]
    points += [df_sweep_point(run.config, key) for key, run in sweep_runs]
    return {(value_label(p), value_label(r)): (p, r) for p, r in points}


def df_design_path(run: Run, scheme: str, power_dbm: float, secrecy_target: float) -> str:
    return (f"results/dfbs/{variant(run, 'dfbs', scheme)}designs/{scheme}/"
            f"p{value_label(power_dbm)}_r{value_label(secrecy_target)}.nc")


def df_reference_path(run: Run, scheme: str) -> str:
    return f"results/dfbs/{variant(run, 'dfbs', scheme)}references/{scheme}.nc"


def df_designs(run: Run, figure: str) -> list[str]:
    return [df_design_path(run, s, p, r) for s in run.config["dfbs"][figure]["schemes"]
            for p, r in df_points(run.config, figure)]


def df_scheme_config(config: Mapping, scheme: str) -> str:
    return as_json({"scheme": scheme, **scope(config, "dfbs", scheme)})


def df_design_config(config: Mapping, scheme: str, power_dbm: float, secrecy_target: float) -> str:
    return as_json({**json.loads(df_scheme_config(config, scheme)), "power_dbm": float(power_dbm),
                    "secrecy_target": float(secrecy_target)})


def df_figure_config(config: Mapping, figure: str) -> str:
    df = config["dfbs"]
    return as_json({**df[figure], "seed": config["seed"], "params": df["params"]})


# --- the datasets of a run ----------------------------------------------------------------------------------------
def figure_config(config: Mapping, study: str, figure: str) -> str:
    """The params.config JSON of a figure's aggregate job (also what its dataset records in config_json)."""
    return cf_figure_config(config, figure) if study == "cfmmimo" else df_figure_config(config, figure)


def intermediates(run: Run, study: str, plot: str) -> list[str]:
    """Every NetCDF file a plot of a run is made from (layouts, channels, designs or references and design
    points) and its dataset. The targets list them: one that is missing (or moved aside as damaged,
    pipeline.files) is rebuilt even when the figures made from it are still present."""
    figure = PLOT_DATASET.get(plot, plot)
    if study == "cfmmimo":
        files = [*cf_designs(run, figure), *cf_scenario(run, figure, "layouts"), *cf_scenario(run, figure, "channels")]
        return [*files, f"{run.results(study)}/{figure}.nc"]
    refs = [df_reference_path(run, s) for s in run.config["dfbs"][figure]["schemes"]]
    return [*refs, *df_designs(run, figure), f"{run.results(study)}/{figure}.nc"]


# --- runs: scenarios and sweep values ---------------------------------------------------------------------------
def scenario_prefix(name: str) -> str:
    return f"scenarios/{name}/"


def sensitivity_prefix(name: str) -> str:
    return f"sensitivity/{name}/"


def sweep_value_runs(run: Run, study: str, key: str) -> dict[str, Run]:
    """{value label: the run of that value}: the run's configuration with the swept key at the value (study 1:
    Fig. 4 with the sweep's layouts and schemes; study 2: the sweep's point and schemes)."""
    out = {}
    sweep = run.config[study]["sweeps"][key]
    for value in sweep["values"]:
        config = json.loads(as_json(run.config))
        if study == "cfmmimo":
            config["cfmmimo"]["system"][key] = value
            config["cfmmimo"]["fig4"] = {"n_layouts": sweep["n_layouts"], "schemes": sweep["schemes"]}
        elif key in DF_POINT_KEYS:
            config["dfbs"]["sweeps"][key][key] = value
        else:
            config["dfbs"]["params"][key] = value
        label = sweep_label(value)
        if label in out:
            raise ValueError(f"{study}.sweeps.{key}.values: two values share the file label {label!r}")
        out[label] = Run(config, run.base, run.prefix)
    return out


def sweep_value(value_run: Run, study: str, key: str) -> Any:
    """The exact value of the swept key in a sweep value's run."""
    if study == "cfmmimo":
        return value_run.config["cfmmimo"]["system"][key]
    if key in DF_POINT_KEYS:
        return value_run.config["dfbs"]["sweeps"][key][key]
    return value_run.config["dfbs"]["params"][key]


def sweep_value_path(run: Run, study: str, key: str, label: str) -> str:
    return f"{run.results(study)}/sweeps/{key}/{label}.nc"


def sweep_path(run: Run, study: str, key: str) -> str:
    return f"{run.results(study)}/sweeps/{key}.nc"


def sweep_value_inputs(value_run: Run, study: str, key: str) -> dict[str, list[str]]:
    """Input files of one sweep value's dataset."""
    if study == "cfmmimo":
        return {"designs": cf_designs(value_run, "fig4"), "layouts": cf_scenario(value_run, "fig4", "layouts"),
                "channels": cf_scenario(value_run, "fig4", "channels")}
    p, r = df_sweep_point(value_run.config, key)
    schemes = value_run.config["dfbs"]["sweeps"][key]["schemes"]
    return {"designs": [df_design_path(value_run, s, p, r) for s in schemes]}


def sweep_value_config(value_run: Run, study: str, key: str, value: Any) -> str:
    """params.config of a sweep value's dataset: its figure config, the swept key and its exact value."""
    if study == "cfmmimo":
        base = json.loads(cf_figure_config(value_run.config, "fig4"))
    else:
        p, r = df_sweep_point(value_run.config, key)
        schemes = value_run.config["dfbs"]["sweeps"][key]["schemes"]
        base = {"schemes": schemes, "power_dbm": p, "secrecy_target": r, "seed": value_run.config["seed"],
                "params": value_run.config["dfbs"]["params"]}
    return as_json({**base, "sweep_key": key, "sweep_value": value})


def sweep_targets(run: Run, studies=STUDIES) -> list[str]:
    """Every sweep of a run: per-value datasets, summary datasets and figures."""
    out = []
    for study in studies:
        for key in run.config[study].get("sweeps", {}):
            out += [sweep_value_path(run, study, key, label) for label in sweep_value_runs(run, study, key)]
            out += [sweep_path(run, study, key), f"{run.figures(study)}/sweep_{key}.pdf",
                    f"{run.figures(study)}/sweep_{key}.png"]
    return out


def sweep_summary_config(run: Run, study: str, key: str) -> str:
    """params.config of a sweep's summary dataset: the sweep's section and the run's study parameters."""
    section = run.config[study]["sweeps"][key]
    if study == "cfmmimo":
        rest = {"seed": run.config["seed"], "system": _system(run.config, drop=(key,))}
    else:
        rest = {"params": {k: v for k, v in run.config["dfbs"]["params"].items() if k != key}}
    return as_json({**section, **rest, "sweep_key": key})


# --- the registry of every run the workflow knows -------------------------------------------------------------
@dataclass
class Registry:
    """Every run of one snakemake invocation and the lookups its rules need: the base run, the scenarios (by
    folder prefix), the sweep values, the configuration behind every variant folder, and the exact kappa and
    (P, R-bar) value behind every path label."""

    base: Run
    scenarios: dict[str, Run]  # name -> run
    scenario_studies: tuple[str, ...]
    sweeps: dict[tuple[str, str, str], dict[str, Run]]  # (run prefix, study, key) -> {value label: value run}
    cf_variants: dict[tuple[str, str], dict]  # (kind or "designs/<scheme>", variant) -> a configuration with that scope
    df_variants: dict[tuple[str, str], dict]  # (scheme, variant) -> a configuration with that scope
    kappas: dict[str, float]
    points: dict[tuple[str, str], tuple[float, float]]
    sensitivity: dict[str, Run] = field(default_factory=dict)  # name -> run (results/sensitivity/<name>/)
    readings: dict[str, Reading] = field(default_factory=dict)  # combination name -> its screen and full runs
    readings_confirm: int = 0  # how many of the best screened combinations run at full count

    @property
    def runs(self) -> dict[str, Run]:
        """run prefix ("", "scenarios/<name>/", "sensitivity/<name>/" or "sensitivity/readings/{screen,full}/
        <name>/") -> run."""
        readings = [r for c in self.readings.values() for r in (c.screen, c.full)]
        return {"": self.base, **{r.prefix: r for r in [*self.scenarios.values(), *self.sensitivity.values(),
                                                         *readings]}}

    def studies(self, prefix: str) -> tuple[str, ...]:
        return run_studies(prefix, self.scenario_studies)

    def sweep_keys(self) -> set[str]:
        return {key for (_, _, key) in self.sweeps}

    def upstream(self, kind: str, variant: str, batch: int, scheme: str | None = None) -> str:
        """The input of a study-1 job of `kind` ("channels" or "designs" of `scheme`) in folder `variant`: the layout
        or channel batch of the same configuration, which may live in another folder (a design key changed: the
        default run's channels; a channel key changed: the default run's layouts)."""
        source = {"channels": "layouts", "designs": "channels"}[kind]
        return cf_batch_path(Run(self.cf_config(kind, variant, scheme), self.base.config), source, batch)

    def cf_config(self, kind: str, variant: str, scheme: str | None = None) -> dict:
        """A configuration behind the study-1 folder `variant` of `kind` (designs: of `scheme`)."""
        return self.cf_variants[(cf_kind(kind, scheme), variant)]


@dataclass(frozen=True)
class Reading:
    """One combination of the readings search (config.load_readings): its levels by factor, its run at the
    screen's reduced layout counts and its run at the claims' full counts (only requested when it ranks among the
    best of the screen)."""

    name: str
    choices: dict
    screen: Run
    full: Run


def readings_prefix(stage: str, name: str) -> str:
    return f"sensitivity/readings/{stage}/{name}/"


def _register(table: dict, key: tuple[str, str], config: dict, scope_of: dict) -> None:
    """table[key] = (config, scope text); two scopes whose params text differs (not only their values: 2 and 2.0
    too) behind one variant folder are an error, never a silent choice of one of them."""
    scope_of = as_json(scope_of)
    if key in table and table[key][1] != scope_of:
        raise ValueError(f"the variant folder {key[1]!r} of {key[0]} would hold two different configurations; "
                         "make the values of the scenarios or sweeps that differ there differ in their text too")
    table.setdefault(key, (config, scope_of))


def run_studies(prefix: str, scenario_studies) -> tuple[str, ...]:
    """The studies a run builds: a scenario's (scenarios.studies), every study for the default and sensitivity runs."""
    return tuple(scenario_studies) if prefix.startswith("scenarios/") else STUDIES


def registry(config: Mapping, scenarios: Mapping[str, dict] | None = None,
             scenario_studies=STUDIES, sensitivity: Mapping[str, dict] | None = None,
             readings: Mapping[str, Any] | None = None) -> Registry:
    """The registry of the base configuration, the scenarios {name: validated configuration}, the sensitivity
    scenarios (config.load_sensitivity), the readings search (config.load_readings) and all their sweeps (a
    scenario's own sweeps, of its studies only)."""
    base = Run(dict(config), dict(config))
    scen = {name: Run(c, base.config, scenario_prefix(name)) for name, c in (scenarios or {}).items()}
    sens = {name: Run(c, base.config, sensitivity_prefix(name)) for name, c in (sensitivity or {}).items()}
    readings = readings or {"confirm": 0, "combinations": {}}
    combos = {name: Reading(name, dict(c["choices"]), Run(c["screen"], base.config, readings_prefix("screen", name)),
                            Run(c["full"], base.config, readings_prefix("full", name)))
              for name, c in readings["combinations"].items()}
    sens_runs = [*sens.values(), *(r for c in combos.values() for r in (c.screen, c.full))]
    sweeps = {}
    for run in [base, *scen.values(), *sens_runs]:
        for study in run_studies(run.prefix, scenario_studies):
            for key in run.config[study].get("sweeps", {}):
                sweeps[(run.prefix, study, key)] = sweep_value_runs(run, study, key)
    runs = [base, *scen.values(), *sens_runs]
    values = [v for d in sweeps.values() for v in d.values()]
    cf_variants, df_variants = {}, {}
    for run in [*runs, *values]:
        for kind in ("layouts", "channels"):
            _register(cf_variants, (kind, variant(run, kind)), run.config, scope(run.config, kind))
        for scheme in CF_SCHEMES:
            _register(cf_variants, (cf_kind("designs", scheme), variant(run, "designs", scheme)), run.config,
                      scope(run.config, "designs", scheme))
        for scheme in DF_SCHEMES:
            _register(df_variants, (scheme, variant(run, "dfbs", scheme)), run.config,
                      scope(run.config, "dfbs", scheme))
    df_sweeps = [(key, r) for (_, study, key), d in sweeps.items() if study == "dfbs" for r in d.values()]
    return Registry(base, scen, tuple(scenario_studies), sweeps, {k: c for k, (c, _) in cf_variants.items()},
                    {k: c for k, (c, _) in df_variants.items()},
                    cf_kappas([*runs, *values]), df_point_labels(runs, df_sweeps), sens, combos,
                    int(readings["confirm"]))


def run_files(run: Run, study: str, plots=None, claims: bool = True) -> list[str]:
    """A run's figures of a study, every intermediate they are made from (a deleted or damaged one is rebuilt
    although its figures exist) and its claims table."""
    plots = plots or PLOTS[study]
    figs = [f"{run.figures(study)}/{p}.{ext}" for p in plots for ext in ("pdf", "png")]
    files = [f for p in plots for f in intermediates(run, study, p)]
    table = [f"{run.results(study)}/claims.csv"] if claims else []
    return list(dict.fromkeys([*figs, *files, *table]))


def sweep_files(reg: Registry, prefix: str) -> list[str]:
    """Every sweep of a run: per-value datasets, summary datasets and figures (and the files they need)."""
    out = []
    for (p, study, key), values in reg.sweeps.items():
        if p != prefix:
            continue
        run = reg.runs[prefix]
        for label, value_run in values.items():
            out += [f for files in sweep_value_inputs(value_run, study, key).values() for f in files]
            if study == "dfbs":
                out += [df_reference_path(value_run, s) for s in run.config["dfbs"]["sweeps"][key]["schemes"]]
            out.append(sweep_value_path(run, study, key, label))
        out += [sweep_path(run, study, key), f"{run.figures(study)}/sweep_{key}.pdf",
                f"{run.figures(study)}/sweep_{key}.png"]
    return list(dict.fromkeys(out))


SCENARIO_SUMMARY = ("results/scenarios/summary.csv", "results/scenarios/summary.md",
                    "figures/scenarios/summary.pdf", "figures/scenarios/summary.png")


def scenario_files(reg: Registry) -> list[str]:
    """Target of `snakemake scenarios`: every scenario's figures, claims and own sweeps, the default run's figures
    of the same studies, and the comparison."""
    out = []
    for run in [reg.base, *reg.scenarios.values()]:
        for study in reg.scenario_studies:
            out += run_files(run, study)
        if run.prefix:
            out += sweep_files(reg, run.prefix)
    return list(dict.fromkeys([*out, *SCENARIO_SUMMARY]))


def summary_inputs(reg: Registry) -> list[str]:
    """Datasets and claims tables the scenario comparison reads (those of its studies, every run)."""
    out = []
    for run in [reg.base, *reg.scenarios.values()]:
        for study in reg.scenario_studies:
            figures = CF_FIGURES if study == "cfmmimo" else DF_FIGURES
            out += [f"{run.results(study)}/{f}.nc" for f in figures] + [f"{run.results(study)}/claims.csv"]
    return out


def summary_roots(reg: Registry) -> dict[str, str]:
    """{column name: results folder} of the scenario comparison, the default run first."""
    return {"default": "results", **{name: f"results/{run.prefix}".rstrip("/") for name, run in reg.scenarios.items()}}


# --- the files of a run and what each is made from -------------------------------------------------------------
def file_inputs(reg: Registry) -> dict[str, list[str]]:
    """{file any run of the registry can build: the files its job reads}, from the functions that give the rules
    their inputs. What a requested target is made from is the closure of this graph (upstream_files)."""
    graph: dict[str, list[str]] = {}

    def add(out: str, inputs) -> None:
        graph.setdefault(out, list(inputs))

    def cf_chain(run: Run, figure: str) -> None:
        for s, k, b in cf_design_points(run, figure):
            channels, layouts = cf_batch_path(run, "channels", b), cf_batch_path(run, "layouts", b)
            add(cf_design_path(run, s, k, b), [channels])
            add(channels, [layouts])
            add(layouts, [])

    def df_chain(run: Run, schemes, points) -> None:
        for s in schemes:
            add(df_reference_path(run, s), [])
            for p, r in points:
                add(df_design_path(run, s, p, r), [df_reference_path(run, s)])

    for prefix, run in reg.runs.items():
        studies = reg.studies(prefix)
        for study in studies:
            for figure in CF_FIGURES if study == "cfmmimo" else DF_FIGURES:
                if study == "cfmmimo":
                    cf_chain(run, figure)
                else:
                    df_chain(run, run.config["dfbs"][figure]["schemes"], df_points(run.config, figure))
                add(f"{run.results(study)}/{figure}.nc", intermediates(run, study, figure)[:-1])
            for p in PLOTS[study]:
                dataset = f"{run.results(study)}/{PLOT_DATASET.get(p, p)}.nc"
                for ext in ("pdf", "png"):
                    add(f"{run.figures(study)}/{p}.{ext}", [dataset])
            add(f"{run.results(study)}/claims.csv", [f"{run.results(study)}/{f}.nc" for f in CLAIMS_DATA[study]])
        for out in (claims_interval_path(run), claims_replicates_path(run)):
            add(out, [f"{run.results('cfmmimo')}/{f}.nc" for f in ("fig3", "fig4")])
        add(f"results/{prefix}claims.md", [f"{run.results(study)}/claims.csv" for study in studies])
    for (prefix, study, key), values in reg.sweeps.items():
        run = reg.runs[prefix]
        for label, vrun in values.items():
            inputs = [f for files in sweep_value_inputs(vrun, study, key).values() for f in files]
            if study == "cfmmimo":
                cf_chain(vrun, "fig4")
            else:
                df_chain(vrun, run.config["dfbs"]["sweeps"][key]["schemes"], [df_sweep_point(vrun.config, key)])
            add(sweep_value_path(run, study, key, label), inputs)
        add(sweep_path(run, study, key), [sweep_value_path(run, study, key, label) for label in values])
        for ext in ("pdf", "png"):
            add(f"{run.figures(study)}/sweep_{key}.{ext}", [sweep_path(run, study, key)])
    for out in SCENARIO_SUMMARY:
        add(out, summary_inputs(reg))
    for out in SENSITIVITY_MATRIX:
        add(out, dict.fromkeys([*(f for files in sensitivity_inputs(reg).values() for f in files),
                                *sensitivity_replicates(reg)]))
    if reg.readings:
        add(READINGS_SCREEN, readings_screen_inputs(reg).values())
        # the full-count runs the screen may pick (which ones is known only once it has run: a checkpoint)
        for out in READINGS:
            add(out, [READINGS_SCREEN, *(f for files in readings_full_inputs(reg, reg.readings).values()
                                         for f in files)])
    return graph


def upstream_files(graph: Mapping[str, list[str]], targets) -> list[str]:
    """`targets` and every file they are made from (file_inputs), each once, targets first."""
    out, todo = {}, list(targets)
    while todo:
        path = todo.pop()
        if path not in out:
            out[path] = None
            todo.extend(graph.get(path, ()))
    return list(out)


# --- sensitivity: the claims under every open choice ------------------------------------------------------------
SENSITIVITY_MATRIX = ("results/sensitivity/claims.csv", "results/sensitivity/claims.md",
                      "figures/sensitivity/claims.pdf", "figures/sensitivity/claims.png")


def claims_interval_path(run: Run) -> str:
    """Study-1 claims of a run with bootstrap intervals over layouts (sensitivity runs)."""
    return f"{run.results('cfmmimo')}/claims_intervals.csv"


def claims_replicates_path(run: Run) -> str:
    """The bootstrap replicates behind a run's claims intervals (the paired differences of the claims matrix)."""
    return f"{run.results('cfmmimo')}/claims_replicates.csv"


def study_fingerprint(run: Run, study: str) -> str:
    """Everything a run's claims of `study` are computed from: per dataset the claims read (CLAIMS_DATA), its
    aggregate job's params and the intermediate files it reads (a shared file is shared because its job's params are
    equal, scope), and the bootstrap seed of the study-1 claims intervals. Two runs with equal fingerprints have
    equal claims (results depend only on configuration and seeds); any key a job reads, top-level ones like `seed`
    included, changes it."""
    parts = {fig: [figure_config(run.config, study, fig),
                   sorted(f for f in intermediates(run, study, fig) if not f.startswith(run.results(study) + "/"))]
             for fig in CLAIMS_DATA[study]}
    return as_json({"datasets": parts, "seed": run.config["seed"]})


def sensitivity_inputs(reg: Registry) -> dict[str, list[str]]:
    """{name: [study-1 claims with intervals, study-2 claims]} of every sensitivity run, the reference first.

    A scenario whose claims of a study are computed from exactly what the reference's are (study_fingerprint: the
    same dataset jobs with the same params reading the same files, the same bootstrap seed) reads that study's
    claims from the reference run: same inputs, hence the same numbers, without aggregating and re-testing them
    once per scenario. A scenario that changes anything those jobs read (a study key, the seed, ...) gets its own."""
    def source(run: Run, study: str) -> Run:
        return claims_source(reg, run, study)

    return {name: [claims_interval_path(source(run, "cfmmimo")), f"{source(run, 'dfbs').results('dfbs')}/claims.csv"]
            for name, run in reg.sensitivity.items()}


def claims_source(reg: Registry, run: Run, study: str) -> Run:
    """The run whose claims of `study` a sensitivity run reads: the reference's when their fingerprints are equal
    (study_fingerprint), else its own."""
    ref = reg.sensitivity.get("reference")
    same = ref is not None and study_fingerprint(run, study) == study_fingerprint(ref, study)
    return ref if same else run


def sensitivity_replicates(reg: Registry) -> list[str]:
    """The bootstrap replicates next to every study-1 claims-intervals file of sensitivity_inputs (the paired
    differences to the reference read them), each once."""
    return list(dict.fromkeys(files[0].rsplit("/", 1)[0] + "/claims_replicates.csv"
                              for files in sensitivity_inputs(reg).values()))


# --- the search for the paper's reading (sensitivity.readings_file) -----------------------------------------------
READINGS_SCREEN = "results/sensitivity/readings/screen.csv"
READINGS = ("results/sensitivity/readings.csv", "figures/sensitivity/readings.pdf", "figures/sensitivity/readings.png")


def readings_screen_inputs(reg: Registry) -> dict[str, str]:
    """{combination: its study-1 claims table at the screen's layout counts} (point verdicts rank the screen)."""
    return {name: f"{c.screen.results('cfmmimo')}/claims.csv" for name, c in reg.readings.items()}


def readings_full_inputs(reg: Registry, names) -> dict[str, list[str]]:
    """{combination: [claims intervals, replicates] at full count} of the combinations `names` (the best of the
    screen), and the sensitivity reference's under "reference" (the paired differences)."""
    # a combination whose study-1 claims are computed from exactly the reference's reads the reference's
    runs = {name: claims_source(reg, reg.readings[name].full, "cfmmimo") for name in names}
    if "reference" in reg.sensitivity:
        runs = {"reference": reg.sensitivity["reference"], **runs}
    return {name: [claims_interval_path(run), claims_replicates_path(run)] for name, run in runs.items()}


def readings_targets(reg: Registry) -> list[str]:
    """The readings outputs of `snakemake sensitivity` (none without a search)."""
    return list(READINGS) if reg.readings else []


def n_layouts_text(run: Run) -> str:
    """The layout counts of a run's study-1 claims, as the claims-intervals table states them."""
    cf = run.config["cfmmimo"]
    return f"fig4: {cf['fig4']['n_layouts']}, fig3: {cf['fig3']['n_layouts']}"
