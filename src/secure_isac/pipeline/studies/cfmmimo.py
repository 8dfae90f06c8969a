"""Study 1 (cfmmimo) in the workflow: layouts -> large-scale fading -> designs (scheme x kappa x batch) -> one
dataset per figure; a sweep value is the Fig. 4 variables of one value of a cfmmimo.system key.

Its jobs (workflow/rules/cfmmimo.smk) read three scopes: the layouts the geometry keys and the seed, the channels
also the path-loss keys, the designs of a scheme also the optimisation keys and the solver options that scheme
reads (cfmmimo.options.FIELDS_READ), so changing an SP-only option leaves the CP and baseline designs in place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ...cfmmimo.options import options_of_scheme
from ...cfmmimo.params import SystemParams
from ...cfmmimo.schemes import SCHEMES
from .. import paths
from ..cluster import MEM_BASE_MB, MEM_MIN_MB, within
from ..errors import ConfigError, check_count
from ..labels import label_map, value_label
from ..runs import Run, as_json, variant
from .base import Add, Study

# SystemParams keys that shape the geometry (layout jobs) and those that enter only the optimisation (designs):
# the layout and channel jobs ignore the latter, so changing them redraws nothing
LAYOUT_KEYS = ("M", "K", "L", "side_m")
OPTIMISATION_ONLY_KEYS = ("N", "tau", "rho_w", "nu", "nu_unit", "varsigma_db", "kappa_db", "ue_sinr_form", "prelog",
                          "sensing_combining", "cluster_size")

# --- cluster requests (profiles/slurm) ----------------------------------------------------------------------------
# Runtime of one optimisation job: the measured worst case at paper size, <= 9 s per layout (paper SCA, M = 32, K = 4;
# profiles/slurm/README.md), scaled with M K (the design CPU grows as about (M K)^0.6-1.0, docs/performance.md and
# sp_paper at M = 64, K = 8: 8.5 s per layout) and doubled for safety.
SECONDS_PER_LAYOUT = 9.0
# Peak memory of one design job: ~150 MB of interpreter, numpy, cvxpy and the batch's data, plus what the scheme's
# solver holds. Measured (peak RSS of two designs, L = 2): the paper SCA (cvxpy) keeps dense arrays of M x M x K
# entries, sp_paper 155 / 403 / 769 / 1270 / 2710 MB at (M, K) = (16, 2), (32, 4), (32, 8), (64, 4), (64, 8), i.e.
# about 0.08 MB x M^2 K L / 2 over the base, cp_paper 1051 MB at (64, 8) (0.03 MB x M^2 K L / 2); the corrected SCA's
# fast path (cp, sp, sp_early) and the baseline stay within 110-160 MB up to M = 256, K = 32. Requests are twice that.
MEM_PER_M2KL_MB = {"sp_paper": 0.04, "cp_paper": 0.015}  # x M^2 K L


def _system(config: Mapping, keep=None, drop=()) -> dict:
    system = dict(config["cfmmimo"]["system"])
    if keep is not None:
        system = {k: v for k, v in system.items() if k in keep}
    return {k: v for k, v in system.items() if k not in drop}


class Cfmmimo(Study):
    name = "cfmmimo"
    job_code = {"plot": ("secure_isac.cfmmimo.figures",), "claims": ("secure_isac.cfmmimo.claims",)}
    title = "Study 1: cell-free massive MIMO ISAC"
    claims_title = "Study 1 (cfmmimo, arXiv:2603.18635)"
    schemes = SCHEMES
    plots = ("fig2", "fig3", "fig4", "layout_map", "fig3_decomposition")
    plot_dataset = {"layout_map": "fig2", "fig3_decomposition": "fig3"}  # plots drawn from another plot's dataset
    claims_data = ("fig3", "fig4")
    readings_search = True  # paper 1's claims under every combination of its open choices (pipeline.readings)
    wildcards = {"batch": r"[0-9]+"}
    sweep_keys_text = "a key of cfmmimo.system"
    layout_figures = ("fig3", "fig4")  # Fig. 2 shows one layout whatever the run's size

    # path templates of its own rules (workflow/rules/cfmmimo.smk)
    LAYOUTS = "results/cfmmimo/{variant}layouts/batch{batch}.nc"
    LAYOUTS_LOG = "logs/cfmmimo/{variant}layouts/batch{batch}.log"
    CHANNELS = "results/cfmmimo/{variant}channels/batch{batch}.nc"
    CHANNELS_LOG = "logs/cfmmimo/{variant}channels/batch{batch}.log"
    DESIGNS = "results/cfmmimo/{variant}designs/{scheme}/kappa{kappa_db}/batch{batch}.nc"
    OPTIMISE_LOG = "logs/cfmmimo/{variant}optimise/{scheme}/kappa{kappa_db}/batch{batch}.log"
    OPTIMISE_BENCHMARK = "benchmarks/cfmmimo/{variant}optimise/{scheme}/kappa{kappa_db}/batch{batch}.tsv"
    CLAIMS_INTERVALS = "results/{run}cfmmimo/claims_intervals.csv"  # the claims with bootstrap intervals
    CLAIMS_REPLICATES = "results/{run}cfmmimo/claims_replicates.csv"  # their bootstrap replicates (paired deltas)
    CLAIMS_INTERVALS_LOG = "logs/{run}cfmmimo/claims_intervals.log"
    CLAIMS_INTERVALS_BENCHMARK = "benchmarks/{run}cfmmimo/claims_intervals.tsv"

    # --- configuration -------------------------------------------------------------------------------------------
    def section(self) -> type:
        from ..settings.cfmmimo import Cfmmimo

        return Cfmmimo

    def sensitivity_overlay(self) -> dict:
        # Fig. 3's claims compare cp and sp between the smallest and the largest kappa (cfmmimo.claims.kappa_change)
        return {"fig3": {"kappa_db": [0.0, 20.0], "schemes": ["cp", "sp"]},
                "fig4": {"n_layouts": 100, "schemes": ["cp", "sp", "baseline"]}}

    def readme_blocks(self) -> dict:
        from ..settings.cfmmimo import solver_scopes

        return {"solver scopes": solver_scopes}

    def check_limits(self, config: Mapping[str, Any]) -> None:
        lim, cf = config["limits"], config["cfmmimo"]
        max_layouts, max_points, max_jobs = (int(lim[k]) for k in ("max_layouts", "max_points", "max_jobs"))
        bs = int(cf["batch_size"])
        check_count(bs, max_layouts, "cfmmimo.batch_size", "layouts per batch", "max_layouts")
        check_count(int(cf["fig2"]["layout"]) + 1, max_layouts, "cfmmimo.fig2.layout", "layouts (index + 1)",
                    "max_layouts")
        for fig in ("fig3", "fig4"):
            n = int(cf[fig]["n_layouts"])
            check_count(n, max_layouts, f"cfmmimo.{fig}.n_layouts", "layouts", "max_layouts")
            kappas = len(cf[fig]["kappa_db"]) if fig == "fig3" else 1
            check_count(kappas, max_points, f"cfmmimo.{fig}.kappa_db", "sweep points", "max_points")
            jobs = len(cf[fig]["schemes"]) * kappas * -(-n // bs)
            check_count(jobs, max_jobs, f"cfmmimo.{fig}", "design jobs (schemes x kappa x batches)", "max_jobs")

    def check_support(self, config: Mapping[str, Any]) -> None:
        """cfmmimo.design.check_scheme_supports: the paper-faithful SCA has no pilot contamination, no robust grid
        no colluding eavesdroppers and no user-centric clusters; the coherent design has no eavesdropper off the zone
        centre and no user-centric clusters."""
        from ...cfmmimo.design import check_scheme_supports, sensing_model
        from ...cfmmimo.options import SolverOptions

        cf = config["cfmmimo"]
        uses = [(f"cfmmimo.{fig}.schemes", cf[fig]["schemes"], cf["system"]) for fig in ("fig2", "fig3", "fig4")]
        uses += [(f"cfmmimo.sweeps.{key}.schemes", sweep["schemes"], {**cf["system"], key: value})
                 for key, sweep in cf.get("sweeps", {}).items() for value in sweep["values"]]
        options = SolverOptions(**cf["solver"])
        for where, schemes, system in uses:
            params = SystemParams(**system)
            for scheme in schemes:
                try:
                    check_scheme_supports(scheme, params, None, sensing_model(scheme, options))
                except ValueError as exc:
                    raise ConfigError(f"{where}: {exc}") from None

    def sweep_keys(self) -> tuple[str, ...]:
        return tuple(SystemParams.__pydantic_fields__)  # every field of cfmmimo.system

    def canonical_sweep_value(self, config: Mapping[str, Any], key: str, value: Any) -> Any:
        from ..settings.sections import plain

        return plain(getattr(SystemParams(**{**config["cfmmimo"]["system"], key: value}), key))

    def check_sweep_limits(self, config: Mapping[str, Any], key: str, sweep: Mapping[str, Any]) -> None:
        lim, where = config["limits"], f"cfmmimo.sweeps.{key}"
        if sweep["n_layouts"] > lim["max_layouts"]:
            raise ConfigError(f"{where}.n_layouts: {sweep['n_layouts']} layouts exceed limits.max_layouts "
                              f"= {lim['max_layouts']}")
        jobs = len(sweep["values"]) * len(sweep["schemes"]) * -(-int(sweep["n_layouts"])
                                                                 // int(config["cfmmimo"]["batch_size"]))
        if jobs > lim["max_jobs"]:
            raise ConfigError(f"{where}: {jobs} design jobs (values x schemes x batches) exceed "
                              f"limits.max_jobs = {lim['max_jobs']}")

    # --- scopes, job configs and files ---------------------------------------------------------------------------
    def kinds(self) -> tuple[str, ...]:
        """layouts, channels and designs/<scheme> (a design folder's scope depends on its scheme's options)."""
        return ("layouts", "channels", *(f"designs/{s}" for s in SCHEMES))

    def scope(self, config: Mapping[str, Any], kind: str) -> dict:
        cf = config["cfmmimo"]
        batch = {"seed": config["seed"], "batch_size": cf["batch_size"]}
        if kind == "layouts":
            return {**batch, "system": _system(config, keep=LAYOUT_KEYS)}
        if kind == "channels":
            return {**batch, "system": _system(config, drop=OPTIMISATION_ONLY_KEYS)}
        if kind.startswith("designs/"):  # the design's kappa is in its path
            solver = options_of_scheme(cf["solver"], kind[len("designs/"):])
            return {**batch, "solver": solver, "system": _system(config, drop=("kappa_db",))}
        raise ValueError(f"kind: unknown study-1 intermediate kind {kind!r}; known: {self.kinds()}")

    def layout_config(self, config: Mapping, batch: int) -> str:
        return as_json({**self.scope(config, "layouts"), "batch": int(batch)})

    def channel_config(self, config: Mapping, batch: int) -> str:
        return as_json({**self.scope(config, "channels"), "batch": int(batch)})

    def optimise_config(self, config: Mapping, scheme: str, kappa_db: float, batch: int) -> str:
        # the point's exact kappa; the default kappa_db is dropped so that changing it leaves other points alone
        return as_json({**self.scope(config, f"designs/{scheme}"), "batch": int(batch), "scheme": scheme,
                        "kappa_db": float(kappa_db)})

    def figure_config(self, config: Mapping[str, Any], figure: str) -> str:
        """Config of a figure's aggregate (Fig. 3 sweeps kappa, so it does not depend on the default kappa_db)."""
        cf = config["cfmmimo"]
        drop = ("kappa_db",) if figure == "fig3" else ()
        return as_json({**cf[figure], "batch_size": cf["batch_size"], "seed": config["seed"],
                        "system": _system(config, drop=drop)})

    @staticmethod
    def batches(config: Mapping, n_layouts: int) -> list[int]:
        """Layout batches covering the first n_layouts layouts."""
        return list(range(-(-int(n_layouts) // int(config["cfmmimo"]["batch_size"]))))

    @staticmethod
    def fig2_batch(config: Mapping) -> int:
        return int(config["cfmmimo"]["fig2"]["layout"]) // int(config["cfmmimo"]["batch_size"])

    def design_points(self, run: Run, figure: str) -> list[tuple[str, float, int]]:
        """(scheme, kappa, batch) of every design batch of a figure."""
        cf = run.config["cfmmimo"]
        k0 = cf["system"]["kappa_db"]
        if figure == "fig2":
            return [(s, k0, self.fig2_batch(run.config)) for s in cf["fig2"]["schemes"]]
        kappas = cf["fig3"]["kappa_db"] if figure == "fig3" else [k0]
        return [(s, k, b) for s in cf[figure]["schemes"] for k in kappas
                for b in self.batches(run.config, cf[figure]["n_layouts"])]

    def design_path(self, run: Run, scheme: str, kappa_db: float, batch: int) -> str:
        return paths.fill(self.DESIGNS, variant=variant(run, self.name, f"designs/{scheme}"), scheme=scheme,
                          kappa_db=value_label(kappa_db), batch=batch)

    def batch_path(self, run: Run, kind: str, batch: int) -> str:
        template = {"layouts": self.LAYOUTS, "channels": self.CHANNELS}[kind]
        return paths.fill(template, variant=variant(run, self.name, kind), batch=batch)

    def designs(self, run: Run, figure: str) -> list[str]:
        """Design batch files of a figure (Fig. 2 and Fig. 3's default point reuse Fig. 4's files)."""
        return [self.design_path(run, s, k, b) for s, k, b in self.design_points(run, figure)]

    def scenario_files(self, run: Run, figure: str, kind: str) -> list[str]:
        """Layout or channel batch files of a figure."""
        if figure == "fig2":
            return [self.batch_path(run, kind, self.fig2_batch(run.config))]
        return [self.batch_path(run, kind, b)
                for b in self.batches(run.config, run.config["cfmmimo"][figure]["n_layouts"])]

    def figure_inputs(self, run: Run, figure: str) -> dict[str, list[str]]:
        """The aggregate job's inputs: designs, layouts and channels."""
        return {"designs": self.designs(run, figure), "layouts": self.scenario_files(run, figure, "layouts"),
                "channels": self.scenario_files(run, figure, "channels")}

    def dataset_inputs(self, run: Run, figure: str) -> list[str]:
        return [f for files in self.figure_inputs(run, figure).values() for f in files]

    def chain(self, run: Run, figure: str, add: Add) -> None:
        for s, k, b in self.design_points(run, figure):
            channels, layouts = self.batch_path(run, "channels", b), self.batch_path(run, "layouts", b)
            add(self.design_path(run, s, k, b), [channels])
            add(channels, [layouts])
            add(layouts, [])

    def upstream(self, registry, kind: str, variant_label: str, batch: int) -> str:
        """The input of a job of `kind` ("channels", or "designs/<scheme>") in folder `variant_label`: the layout or
        channel batch of the same configuration, which may live in another folder (a design key changed: the
        default run's channels; a channel key changed: the default run's layouts)."""
        source = "layouts" if kind == "channels" else "channels"
        config = registry.config(self.name, kind, variant_label)
        return self.batch_path(Run(config, registry.base.config), source, batch)

    def coordinates(self, runs, sweeps) -> dict[str, dict]:
        """Every kappa a design job can be asked for (the default points and the Fig. 3 sweeps), by path label."""
        values = []
        for run in [*runs, *(r for d in sweeps.values() for r in d.values())]:
            cf = run.config["cfmmimo"]
            values += [cf["system"]["kappa_db"], *cf["fig3"]["kappa_db"]]
        return {"kappa_db": label_map(values)}

    def claims_intervals_path(self, run: Run) -> str:
        """The study-1 claims of a run with bootstrap intervals over layouts (sensitivity runs)."""
        return paths.fill(self.CLAIMS_INTERVALS, run=run.prefix)

    def outputs(self, run: Run) -> dict[str, list[str]]:
        data = [self.dataset_path(run, f) for f in ("fig3", "fig4")]
        return {self.claims_intervals_path(run): data, self.claims_replicates_path(run): data}

    def sensitivity_claims(self, run: Run) -> str:
        return self.claims_intervals_path(run)

    def claims_replicates_path(self, run: Run) -> str:
        """The bootstrap replicates behind a run's claims intervals (the paired differences of the claims matrix)."""
        return paths.fill(self.CLAIMS_REPLICATES, run=run.prefix)

    def sensitivity_extra(self, run: Run) -> list[str]:
        return [self.claims_replicates_path(run)]

    def layouts_text(self, run: Run) -> str:
        """The layout counts of a run's claims, as the claims-intervals table states them."""
        cf = run.config["cfmmimo"]
        return f"fig4: {cf['fig4']['n_layouts']}, fig3: {cf['fig3']['n_layouts']}"

    def fig3_schemes(self, run: Run) -> list[str]:
        return list(run.config["cfmmimo"]["fig3"]["schemes"])

    # --- cluster requests (profiles/slurm): derived from the problem size, within the limit the profile states -----
    def optimise_runtime(self, config: Mapping, limit: int | None = None) -> int:
        """SLURM runtime (minutes) of one cfmmimo_optimise job of `config`: 2 x 9 s per layout x batch_size at
        M K <= 128 (paper size), scaled by M K / 128 above it, at least 5 minutes. The measured design CPU grows as
        about (M K)^0.6-1.0 (docs/performance.md, study 1 at scale), so a linear scale keeps the request above the
        need; with user-centric clusters (cluster_size < M) the scale is M (K + 2L)^2 / 2e5 instead (docs/
        performance.md, city scale). ValueError naming cfmmimo.batch_size when the request exceeds `limit` (the
        profile's runtime_limit)."""
        system = config["cfmmimo"]["system"]
        M, K, batch = int(system["M"]), int(system["K"]), int(config["cfmmimo"]["batch_size"])
        scale = M * K / 128.0
        if system.get("cluster_size") is not None and int(system["cluster_size"]) < M:
            # user-centric clusters: the subproblems are sparse, and a design's CPU grows as about M (K + 2L)^2 (the
            # solver's factorisation, docs/performance.md, city scale); M K / 128 would ask for 32 h per 50 layouts
            # at M = 512, K = 32. With 2e5 the request is ~4x the CPU measured at M = 512 and ~10x at M = 1024.
            scale = M * (K + 2 * int(system["L"])) ** 2 / 2.0e5
        per_layout = 2.0 * SECONDS_PER_LAYOUT * max(scale, 1.0)
        minutes = max(5, -(-int(per_layout * batch) // 60))
        fits = int(limit * 60 // per_layout) if limit is not None else batch
        remedy = (f"set cfmmimo.batch_size to at most {fits} (the designs do not depend on it)" if fits >= 1 else
                  f"one layout alone asks for {per_layout / 60:.0f} min: use a partition with a longer limit")
        return within(minutes, limit, f"a design job of {batch} layouts at M = {M}, K = {K}", "cfmmimo.batch_size",
                      remedy)

    def optimise_mem_mb(self, config: Mapping, scheme: str) -> int:
        """SLURM memory (MB) of one cfmmimo_optimise job of `scheme`: twice the measured peak (MEM_BASE_MB plus the
        scheme's M^2 K L term), in steps of 100 MB, at least MEM_MIN_MB."""
        system = config["cfmmimo"]["system"]
        M, K, L = (int(system[k]) for k in ("M", "K", "L"))
        need = MEM_BASE_MB + MEM_PER_M2KL_MB.get(scheme, 0.0) * M * M * K * L
        return max(MEM_MIN_MB, 100 * -(-int(2.0 * need) // 100))

    # --- sweeps: each value is Fig. 4 with the sweep's layouts and schemes ---------------------------------------
    def with_sweep_value(self, config: dict, key: str, value: Any, sweep: Mapping[str, Any]) -> None:
        config["cfmmimo"]["system"][key] = value
        config["cfmmimo"]["fig4"] = {"n_layouts": sweep["n_layouts"], "schemes": sweep["schemes"]}

    def sweep_value_of(self, config: Mapping[str, Any], key: str) -> Any:
        return config["cfmmimo"]["system"][key]

    def sweep_value_inputs(self, value_run: Run, key: str) -> dict[str, list[str]]:
        return self.figure_inputs(value_run, "fig4")

    def sweep_value_scope(self, value_run: Run, key: str) -> dict:
        return json.loads(self.figure_config(value_run.config, "fig4"))

    def sweep_summary_scope(self, run: Run, key: str) -> dict:
        return {"seed": run.config["seed"], "system": _system(run.config, drop=(key,))}

    def sweep_chain(self, value_run: Run, key: str, add: Add) -> None:
        self.chain(value_run, "fig4", add)

    # --- outputs (job side) --------------------------------------------------------------------------------------
    def plotters(self) -> dict:
        from ...cfmmimo.figures import PLOTTERS

        return PLOTTERS

    def claims_table(self, *datasets):
        from ...cfmmimo.claims import claims_table

        return claims_table(*datasets)

    def headlines(self, folder, open_dataset, sweeps: bool) -> list[dict]:
        """Fig. 4: median per-UE average secrecy and feasible share per scheme; Fig. 3: mean secrecy at the smallest
        and the largest kappa; sweeps: mean secrecy per value (over the feasible designs, the baseline: all)."""
        from ...cfmmimo.datasets import UNCONSTRAINED

        rows = []

        def add(dataset, scheme, quantity, value):
            rows.append({"dataset": dataset, "scheme": str(scheme), "quantity": quantity, "value": float(value)})

        def usable(ds, scheme):
            return (ds["feasible"].sel(scheme=scheme) == 1) | (scheme in UNCONSTRAINED)

        if (folder / "fig4.nc").exists():
            ds = open_dataset(folder / "fig4.nc")
            for s in ds["scheme"].values:
                sec = ds["secrecy_ue"].sel(scheme=s).mean("ue").where(usable(ds, str(s)))
                add("fig4", s, "median per-UE average secrecy (bit/s/Hz)", sec.median())
                add("fig4", s, "feasible share", (ds["feasible"].sel(scheme=s) == 1).mean())
        if (folder / "fig3.nc").exists():
            ds = open_dataset(folder / "fig3.nc")
            for s in ds["scheme"].values:
                sec = ds["secrecy_ue"].sel(scheme=s).mean("ue").where(usable(ds, str(s))).mean("layout")
                k = ds["kappa_db"].values
                add("fig3", s, f"mean secrecy at kappa {k.min():g} dB", sec.sel(kappa_db=k.min()))
                add("fig3", s, f"mean secrecy at kappa {k.max():g} dB", sec.sel(kappa_db=k.max()))
        for path in sorted((folder / "sweeps").glob("*.nc")) if sweeps and (folder / "sweeps").is_dir() else []:
            ds = open_dataset(path)
            key = ds.attrs.get("sweep_key", path.stem)
            for s in ds["scheme"].values:
                for v in ds[key].values:
                    sec = ds.sel({"scheme": s, key: v})["secrecy_mean"].where(usable(ds, str(s)).sel({key: v}))
                    add(f"sweep {key}={v}", s, "mean per-UE average secrecy (bit/s/Hz)", sec.mean())
        return rows

    def sensitivity_rows(self, csv_path, reference=None, level: float = 0.95):
        """The claims with intervals, and with a reference's claims file their paired bootstrap differences to it
        (delta, delta_ci_low, delta_ci_high; pipeline.sensitivity.paired_deltas, the replicates next to each file)."""
        import pandas as pd

        from ..sensitivity import paired_deltas, read_replicates, replicates_path

        table = pd.read_csv(csv_path)
        if reference is not None:
            deltas = paired_deltas(table, read_replicates(replicates_path(csv_path)), pd.read_csv(reference),
                                   read_replicates(replicates_path(reference)), level)
            table = table.merge(deltas, on="claim", how="left")
        return table


def write_claims_intervals(fig3, fig4, out_csv, *, n_boot: int, level: float, seed: int) -> None:
    """Study-1 claims of one run with `level` bootstrap intervals over its layouts (cfmmimo.claims.
    claims_with_intervals), and the replicate values (sensitivity.replicates_path: replicate x claim) for the paired
    differences of the claims matrix; the resampling stream is seeds.rng(seed, 0, "bootstrap"), the same for every
    run, so runs with equal pairing keys (column `pairing`) resample the same layouts replicate for replicate."""
    from pathlib import Path

    import pandas as pd

    from ... import provenance, seeds
    from ...cfmmimo.claims import claims_with_intervals
    from ..sensitivity import pairing_key, replicates_path

    ds3, ds4 = provenance.open_intermediates([fig3, fig4])
    reps: list = []
    table = claims_with_intervals(ds3, ds4, n_boot, seeds.rng(seed, 0, "bootstrap"), level, replicates=reps)
    table["pairing"] = pairing_key(ds3, ds4, seed, n_boot)
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    # full precision (the point values too, row "point"): a difference must not carry the rounding of either run
    values = pd.to_numeric(table["reproduced"], errors="coerce").to_numpy(dtype=float)
    full = pd.concat([pd.DataFrame([values], columns=reps[0].columns, index=["point"]), reps[0]])
    full.to_csv(replicates_path(out_csv), index_label="replicate", float_format="%.17g")


STUDY = Cfmmimo()
