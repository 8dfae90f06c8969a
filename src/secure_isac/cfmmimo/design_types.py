"""Result and option types shared by the study-1 optimisers (spec sections 7-11)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

SOLVERS = ("CLARABEL", "SCS")


@dataclass(frozen=True)
class SolverOptions:
    """Options of the penalty-SCA optimisers, section 9; validated on construction."""

    solver: str = "CLARABEL"
    max_iter: int = 100  # penalty-SCA iterations, section 9
    rel_tol: float = 1e-4  # |obj_n - obj_{n-1}| <= rel_tol |obj_{n-1}|
    bin_tol: float = 1e-3  # max_m min(a_m, 1 - a_m) < bin_tol counts as binary
    repair_max_iter: int = 40  # fixed-mode power re-optimisation, section 9 step 3
    early_abs_tol: float = 1e-3  # SP early stop, |obj_n - obj_{n-1}| <= early_abs_tol
    lambda0_factor: float = 1.0  # lambda_0 = lambda0_factor * t0 (spec section 9: 0.1; see docs/deviations.md)
    lambda_growth: float = 1.5  # lambda_{n+1} = lambda_growth * lambda_n
    lambda_cap_cp: float = 1e5  # CP cap, relative to t0
    lambda_cap_sp: float = 1e3  # SP cap, absolute
    feas_tol: float = 1e-4  # relative tolerance of the final closed-form constraint check
    frac_tol: float = 1e-6  # APs with min(a, 1-a) above this count as fractional in rounding
    max_draws: int = 500  # random mode draws before the phase-1 start, section 10
    solver_eps: float | None = None  # solver accuracy; None = the measured default of each solver
    lambda_cap_running: bool = True  # CP cap relative to the best t so far (spec: to the start's t0)
    stop_when_binary: bool = True  # end the penalty phase once a is binary (spec: also wait for rel_tol)
    verbose: bool = False

    @classmethod
    def spec_schedule(cls, **kw) -> "SolverOptions":
        """The literal section-9 schedule: lambda_0 = 0.1 t0 and the penalty phase ends only when converged."""
        return cls(**{"lambda0_factor": 0.1, "stop_when_binary": False, "lambda_cap_running": False, **kw})

    def __post_init__(self) -> None:
        if self.solver not in SOLVERS:
            raise ValueError(f"solver: must be one of {SOLVERS}, got {self.solver!r}")
        for name in ("max_iter", "repair_max_iter", "max_draws"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name}: must be a positive integer, got {v!r}")
        for name in ("rel_tol", "bin_tol", "early_abs_tol", "lambda0_factor", "lambda_cap_cp",
                     "lambda_cap_sp", "feas_tol", "frac_tol", "solver_eps"):
            v = getattr(self, name)
            if name == "solver_eps" and v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or not np.isfinite(v) or v <= 0:
                raise ValueError(f"{name}: must be a finite positive number, got {v!r}")
        if not (self.bin_tol < 0.5):
            raise ValueError(f"bin_tol: must be < 0.5, got {self.bin_tol!r}")
        if not (self.frac_tol < 0.5):
            raise ValueError(f"frac_tol: must be < 0.5, got {self.frac_tol!r}")
        g = self.lambda_growth
        if isinstance(g, bool) or not isinstance(g, (int, float, np.floating)) or not np.isfinite(g) or g < 1:
            raise ValueError(f"lambda_growth: must be a finite number >= 1, got {g!r}")
        if not isinstance(self.lambda_cap_running, bool):
            raise ValueError(f"lambda_cap_running: must be a bool, got {self.lambda_cap_running!r}")
        if not isinstance(self.stop_when_binary, bool):
            raise ValueError(f"stop_when_binary: must be a bool, got {self.stop_when_binary!r}")
        if not isinstance(self.verbose, bool):
            raise ValueError(f"verbose: must be a bool, got {self.verbose!r}")


TRACE_FIELDS = ("rate_ue_min", "rate_eve_max", "secrecy", "objective", "binary_distance", "solve_time")


@dataclass
class Trace:
    """Per-iterate record of one optimiser run (index 0 = initial point), for Fig. 2."""

    rate_ue_min: np.ndarray = field(default_factory=lambda: np.zeros(0))
    rate_eve_max: np.ndarray = field(default_factory=lambda: np.zeros(0))
    secrecy: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per-UE average secrecy rate
    objective: np.ndarray = field(default_factory=lambda: np.zeros(0))  # t -/+ lambda sum(a - a^2)
    binary_distance: np.ndarray = field(default_factory=lambda: np.zeros(0))  # max_m min(a_m, 1 - a_m)
    solve_time: np.ndarray = field(default_factory=lambda: np.zeros(0))  # solver time of the step, s
    phase: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U8"))  # "penalty" / "repair"

    def __len__(self) -> int:
        return int(np.asarray(self.objective).shape[0])

    @staticmethod
    def from_rows(rows: list[dict]) -> "Trace":
        """Build a trace from a list of per-iterate dicts with the TRACE_FIELDS keys and "phase"."""
        kw = {f: np.array([float(r[f]) for r in rows], dtype=float) for f in TRACE_FIELDS}
        kw["phase"] = np.array([str(r["phase"]) for r in rows], dtype="<U8")
        return Trace(**kw)

    def concat(self, other: "Trace") -> "Trace":
        """This trace followed by `other` (e.g. penalty phase then repair phase)."""
        kw = {f.name: np.concatenate([np.asarray(getattr(self, f.name)), np.asarray(getattr(other, f.name))])
              for f in fields(self)}
        kw["phase"] = kw["phase"].astype("<U8")
        return Trace(**kw)


@dataclass
class RelaxedResult:
    """Output of one relaxed penalty-SCA run (sections 7-9): possibly fractional a, effective powers s, q."""

    a: np.ndarray  # (M,)
    s: np.ndarray  # (M, K) power_c
    q: np.ndarray  # (M, L) power_s
    trace: Trace
    status: str
    solver_time_s: float
    converged: bool
    last_binary: tuple | None = None  # (a, s, q) of the last iterate with binary a (section 9 fallback), if any


@dataclass
class Design:
    """One finished design: binary AP modes, powers, closed-form metrics, feasibility re-checked (sections 9-11)."""

    scheme: str
    ap_mode: np.ndarray  # int8 (M,), 1 = C-AP
    power_c: np.ndarray  # (M, K)
    power_s: np.ndarray  # (M, L)
    metrics: object  # closed_forms.Metrics
    feasible: bool
    solver_status: str
    trace: Trace
    wall_time_s: float
    solver_time_s: float
