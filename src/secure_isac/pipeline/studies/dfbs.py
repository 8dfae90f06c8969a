"""Study 2 (dfbs) in the workflow: a reference per scheme -> one design per scheme x (P, R-bar) -> one dataset per
figure; a sweep value is every scheme's design at the sweep's (P, R-bar) for one value of a dfbs.params key (or of
P or R-bar).

Its jobs (workflow/rules/dfbs.smk) read one scope per scheme: the parameters (and the seed, which only random_aa
reads); the point (P, R-bar) is in the design's path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from ...dfbs.params import SCHEMES, DfbsParams, secrecy_target_grid, validate_snr
from .. import paths
from ..cluster import MEM_BASE_MB, MEM_MIN_MB, within
from ..errors import ConfigError, check_count
from ..labels import label_map, value_label
from ..runs import Run, as_json, variant
from .base import Add, Study

POINT_KEYS = ("power_dbm", "secrecy_target")  # sweep keys that are not dfbs.params keys: the sweep's point

# --- cluster requests (profiles/slurm) ----------------------------------------------------------------------------
# The slowest default design (a binding aa design near the feasibility edge, N = 16, 181 grid angles) takes about
# 100 s, a reference about 10 s (scripts/benchmark_dfbs.py); their SDPs are N x N with a row per grid angle, and
# no_aa designs grew as N^1.6 from N = 16 to 64 (114 / 133 / 368 MB peak RSS at N = 16, 32, 64): the requests scale
# with (N / 16)^3 and the grid size, at least the default-size requests.
RUNTIME_MIN = {"design": 10, "reference": 20}
MEM_PER_N4_MB = 2.0e-5


def secrecy_grid_size(df: Mapping[str, Any], power_dbm: float) -> int:
    """Upper bound on the length of the Fig. 3 R-bar grid at P (dfbs.params.secrecy_target_grid), by arithmetic."""
    p, f3 = df["params"], df["fig3"]
    snr = 10.0 ** ((float(power_dbm) - float(p["noise_dbm"])) / 10.0)
    edge = min(math.log2(1.0 + int(p["n_rf"]) * snr), float(f3["secrecy_max"]))
    start, step = float(f3["secrecy_start"]), float(f3["secrecy_step"])
    return max(0, math.floor((edge - start) / step) + 2)


class Dfbs(Study):
    name = "dfbs"
    job_code = {"plot": ("secure_isac.dfbs.figures",), "claims": ("secure_isac.dfbs.claims",)}
    title = "Study 2: DFBS with antenna allocation"
    claims_title = "Study 2 (dfbs, arXiv:2410.01603)"
    schemes = SCHEMES
    sweep_keys_text = "a scalar key of dfbs.params, power_dbm or secrecy_target"

    # path templates of its own rules (workflow/rules/dfbs.smk)
    REFERENCES = "results/dfbs/{variant}references/{scheme}.nc"
    REFERENCE_LOG = "logs/dfbs/{variant}reference/{scheme}.log"
    REFERENCE_BENCHMARK = "benchmarks/dfbs/{variant}reference/{scheme}.tsv"
    DESIGNS = "results/dfbs/{variant}designs/{scheme}/p{power_dbm}_r{secrecy_target}.nc"
    DESIGN_LOG = "logs/dfbs/{variant}design/{scheme}/p{power_dbm}_r{secrecy_target}.log"
    DESIGN_BENCHMARK = "benchmarks/dfbs/{variant}design/{scheme}/p{power_dbm}_r{secrecy_target}.tsv"

    # --- configuration -------------------------------------------------------------------------------------------
    def section(self) -> type:
        from ..settings.dfbs import Dfbs

        return Dfbs

    def sensitivity_overlay(self) -> dict:
        return {"fig3": {"schemes": ["aa"]}}  # its Fig. 3 claims read aa

    def check_limits(self, config: Mapping[str, Any]) -> None:
        lim, df = config["limits"], config["dfbs"]
        max_points, max_jobs = int(lim["max_points"]), int(lim["max_jobs"])
        n4 = len(df["fig4"]["power_dbm"])
        check_count(n4, max_points, "dfbs.fig4.power_dbm", "design points", "max_points")
        check_count(n4 * len(df["fig4"]["schemes"]), max_jobs, "dfbs.fig4", "design jobs (schemes x P)", "max_jobs")
        n3 = sum(secrecy_grid_size(df, p) for p in df["fig3"]["power_dbm"])
        check_count(n3, max_points, "dfbs.fig3.secrecy_step", "(P, R-bar) design points", "max_points")
        check_count(n3 * len(df["fig3"]["schemes"]), max_jobs, "dfbs.fig3", "design jobs (schemes x P x R-bar)",
                    "max_jobs")

    def check_points(self, config: Mapping[str, Any]) -> None:
        """The design points of every figure exist and are solvable (P / noise in range, Fig. 3 grid)."""
        for fig in self.datasets:
            try:
                self.points(config, fig)
            except ValueError as exc:
                raise ConfigError(f"dfbs.{fig}.{exc}") from None

    def sweep_keys(self) -> tuple[str, ...]:
        """Every scalar field of dfbs.params, power_dbm and secrecy_target."""
        scalar = [name for name, info in DfbsParams.__pydantic_fields__.items()
                  if not str(info.annotation).startswith(("tuple", "typing.Annotated[tuple"))]
        return (*scalar, *POINT_KEYS)

    def canonical_sweep_value(self, config: Mapping[str, Any], key: str, value: Any) -> Any:
        from pydantic import ValidationError

        from ...fields import error_lines
        from ..settings.dfbs import DfSweep
        from ..settings.sections import plain

        df = config["dfbs"]
        if key in POINT_KEYS:
            try:  # the sweep section's own field type (DfSweep: power_dbm, secrecy_target and their bounds)
                value = getattr(DfSweep.model_validate({"values": [value], key: value}), key)
            except ValidationError as exc:
                raise ValueError(error_lines(exc)[0]) from None
            params = DfbsParams(**df["params"])
        else:
            params = DfbsParams(**{**df["params"], key: value})
            value = plain(getattr(params, key))
        sweep = df["sweeps"][key]
        validate_snr(params, value if key == "power_dbm" else sweep["power_dbm"])
        return value

    # --- scopes, job configs and files ---------------------------------------------------------------------------
    def kinds(self) -> tuple[str, ...]:
        """designs/<scheme>: the references and design points of one scheme."""
        return tuple(f"designs/{s}" for s in SCHEMES)

    def scope(self, config: Mapping[str, Any], kind: str) -> dict:
        if not kind.startswith("designs/"):
            raise ValueError(f"kind: unknown study-2 intermediate kind {kind!r}; known: {self.kinds()}")
        out = {"params": config["dfbs"]["params"]}
        if kind == "designs/random_aa":  # the seed only matters for random_aa
            out["seed"] = config["seed"]
        return out

    def scheme_config(self, config: Mapping, scheme: str) -> str:
        """params.config of a scheme's reference job."""
        return as_json({"scheme": scheme, **self.scope(config, f"designs/{scheme}")})

    def design_config(self, config: Mapping, scheme: str, power_dbm: float, secrecy_target: float) -> str:
        return as_json({**json.loads(self.scheme_config(config, scheme)), "power_dbm": float(power_dbm),
                        "secrecy_target": float(secrecy_target)})

    def figure_config(self, config: Mapping[str, Any], figure: str) -> str:
        df = config["dfbs"]
        return as_json({**df[figure], "seed": config["seed"], "params": df["params"]})

    def points(self, config: Mapping, figure: str) -> list[tuple[float, float]]:
        """The (P dBm, R-bar) design points of one figure: Fig. 2 one point, Fig. 3 the P x R-bar grid (R-bar below
        log2(1 + N_RF P/noise), at most secrecy_max), Fig. 4 the P values. ValueError naming the key of an empty
        grid or a P out of range."""
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
                raise ValueError(f"secrecy_start: no secrecy target below the bound log2(1 + N_RF P/noise) at "
                                 f"P = {p} dBm")
            out += [(float(p), r) for r in rs]
        return out

    @staticmethod
    def sweep_point(config: Mapping, key: str) -> tuple[float, float]:
        """The (P, R-bar) of every design of a sweep value (config: the value's run)."""
        sweep = config["dfbs"]["sweeps"][key]
        return float(sweep["power_dbm"]), float(sweep["secrecy_target"])

    def design_path(self, run: Run, scheme: str, power_dbm: float, secrecy_target: float) -> str:
        return paths.fill(self.DESIGNS, variant=variant(run, self.name, f"designs/{scheme}"), scheme=scheme,
                          power_dbm=value_label(power_dbm), secrecy_target=value_label(secrecy_target))

    def reference_path(self, run: Run, scheme: str) -> str:
        return paths.fill(self.REFERENCES, variant=variant(run, self.name, f"designs/{scheme}"), scheme=scheme)

    def designs(self, run: Run, figure: str) -> list[str]:
        """The design point files of a figure (its aggregate job's inputs)."""
        return [self.design_path(run, s, p, r) for s in run.config["dfbs"][figure]["schemes"]
                for p, r in self.points(run.config, figure)]

    def dataset_inputs(self, run: Run, figure: str) -> list[str]:
        refs = [self.reference_path(run, s) for s in run.config["dfbs"][figure]["schemes"]]
        return [*refs, *self.designs(run, figure)]

    def _chain(self, run: Run, schemes, points, add: Add) -> None:
        for s in schemes:
            add(self.reference_path(run, s), [])
            for p, r in points:
                add(self.design_path(run, s, p, r), [self.reference_path(run, s)])

    def chain(self, run: Run, figure: str, add: Add) -> None:
        self._chain(run, run.config["dfbs"][figure]["schemes"], self.points(run.config, figure), add)

    def coordinates(self, runs, sweeps) -> dict[str, dict]:
        """Every (P, R-bar) of the runs' figures and of the study's sweep values, by path label."""
        points = [pt for run in runs for f in self.datasets for pt in self.points(run.config, f)]
        points += [self.sweep_point(r.config, key) for (_, study, key), d in sweeps.items() if study == self.name
                   for r in d.values()]
        return {"power_dbm": label_map(p for p, _ in points), "secrecy_target": label_map(r for _, r in points)}

    # --- cluster requests (profiles/slurm) -----------------------------------------------------------------------
    def runtime(self, config: Mapping, kind: str, limit: int | None = None) -> int:
        """SLURM runtime (minutes) of one study-2 job (`kind`: "design" or "reference"): the default-size request
        (RUNTIME_MIN) scaled by (N / 16)^3 and by the number of grid angles over 181. ValueError naming
        dfbs.params.n_antennas when it exceeds `limit`."""
        params = DfbsParams(**config["dfbs"]["params"])
        scale = max(1.0, (params.n_antennas / 16.0) ** 3 * len(params.grid_deg) / 181.0)
        minutes = -(-int(RUNTIME_MIN[kind] * scale * 60) // 60)
        return within(minutes, limit, f"a study-2 {kind} job at N = {params.n_antennas}, {len(params.grid_deg)} "
                                      "grid angles", "dfbs.params.n_antennas", "use fewer antennas, a coarser grid "
                                      "(dfbs.params.grid_step_deg) or a partition with a longer limit")

    def mem_mb(self, config: Mapping) -> int:
        """SLURM memory (MB) of one study-2 job: twice MEM_BASE_MB plus MEM_PER_N4_MB x N^4 x grid angles / 181, in
        steps of 100 MB, at least MEM_MIN_MB."""
        params = DfbsParams(**config["dfbs"]["params"])
        need = MEM_BASE_MB + MEM_PER_N4_MB * params.n_antennas ** 4 * len(params.grid_deg) / 181.0
        return max(MEM_MIN_MB, 100 * -(-int(2.0 * need) // 100))

    # --- sweeps: each value is every scheme's design at the sweep's point ----------------------------------------
    def with_sweep_value(self, config: dict, key: str, value: Any, sweep: Mapping[str, Any]) -> None:
        if key in POINT_KEYS:
            config["dfbs"]["sweeps"][key][key] = value
        else:
            config["dfbs"]["params"][key] = value

    def sweep_value_of(self, config: Mapping[str, Any], key: str) -> Any:
        return config["dfbs"]["sweeps"][key][key] if key in POINT_KEYS else config["dfbs"]["params"][key]

    def sweep_value_inputs(self, value_run: Run, key: str) -> dict[str, list[str]]:
        p, r = self.sweep_point(value_run.config, key)
        return {"designs": [self.design_path(value_run, s, p, r)
                            for s in value_run.config["dfbs"]["sweeps"][key]["schemes"]]}

    def sweep_value_targets(self, value_run: Run, key: str) -> list[str]:
        refs = [self.reference_path(value_run, s) for s in value_run.config["dfbs"]["sweeps"][key]["schemes"]]
        return [*self.sweep_value_inputs(value_run, key)["designs"], *refs]

    def sweep_value_scope(self, value_run: Run, key: str) -> dict:
        p, r = self.sweep_point(value_run.config, key)
        return {"schemes": value_run.config["dfbs"]["sweeps"][key]["schemes"], "power_dbm": p, "secrecy_target": r,
                "seed": value_run.config["seed"], "params": value_run.config["dfbs"]["params"]}

    def sweep_summary_scope(self, run: Run, key: str) -> dict:
        return {"params": {k: v for k, v in run.config["dfbs"]["params"].items() if k != key}}

    def sweep_chain(self, value_run: Run, key: str, add: Add) -> None:
        self._chain(value_run, value_run.config["dfbs"]["sweeps"][key]["schemes"],
                    [self.sweep_point(value_run.config, key)], add)

    # --- outputs (job side) --------------------------------------------------------------------------------------
    def plotters(self) -> dict:
        from ...dfbs.figures import PLOTTERS

        return PLOTTERS

    def claims_table(self, *datasets):
        from ...dfbs.claims import claims_table

        return claims_table(*datasets)

    def headlines(self, folder, open_dataset, sweeps: bool) -> list[dict]:
        """Fig. 2 and Fig. 4: feasible share and matching error per scheme (Fig. 4 also the joint illumination);
        sweeps: the matching error per value (feasible designs)."""
        rows = []

        def add(dataset, scheme, quantity, value):
            rows.append({"dataset": dataset, "scheme": str(scheme), "quantity": quantity, "value": float(value)})

        for fig in ("fig2", "fig4"):
            if (folder / f"{fig}.nc").exists():
                ds = open_dataset(folder / f"{fig}.nc")
                for s in ds["scheme"].values:
                    one = ds.sel(scheme=s)
                    ok = one["feasible"] == 1
                    add(fig, s, "feasible share", ok.mean())
                    add(fig, s, "matching error (mean over feasible)", one["matching_error"].where(ok).mean())
                    if fig == "fig4":
                        add(fig, s, "joint illumination min (dBm, mean)", one["illum_joint_min_dbm"].where(ok).mean())
        for path in sorted((folder / "sweeps").glob("*.nc")) if sweeps and (folder / "sweeps").is_dir() else []:
            ds = open_dataset(path)
            key = ds.attrs.get("sweep_key", path.stem)
            for s in ds["scheme"].values:
                for v in ds[key].values:
                    one = ds.sel({"scheme": s, key: v})
                    add(f"sweep {key}={v}", s, "matching error", one["matching_error"].where(one["feasible"] == 1))
        return rows

    def sensitivity_rows(self, csv_path, reference=None, level: float = 0.95):
        """Study 2 has no random layouts (one deterministic design per point): no sampling interval, the verdicts
        are those of its claims table."""
        import numpy as np
        import pandas as pd

        df = pd.read_csv(csv_path)
        df["ci_low"] = df["ci_high"] = np.nan
        df["verdict_point"], df["agreement"], df["n_layouts"] = df["verdict"], np.nan, "deterministic"
        return df


STUDY = Dfbs()
