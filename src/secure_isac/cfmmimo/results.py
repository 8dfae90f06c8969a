"""Results of the study-1 optimisers: per-iterate trace, relaxed penalty-SCA output, finished design."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

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
    def from_rows(rows: list[dict]) -> Trace:
        """Build a trace from a list of per-iterate dicts with the TRACE_FIELDS keys and "phase"."""
        kw = {f: np.array([float(r[f]) for r in rows], dtype=float) for f in TRACE_FIELDS}
        kw["phase"] = np.array([str(r["phase"]) for r in rows], dtype="<U8")
        return Trace(**kw)

    def concat(self, other: Trace) -> Trace:
        """This trace followed by `other` (e.g. penalty phase then repair phase)."""
        kw = {f.name: np.concatenate([np.asarray(getattr(self, f.name)), np.asarray(getattr(other, f.name))])
              for f in fields(self)}
        kw["phase"] = kw["phase"].astype("<U8")
        return Trace(**kw)


@dataclass
class RelaxedResult:
    """Output of one relaxed penalty-SCA run (docs/model.md, penalty method): possibly fractional a, effective
    powers s, q."""

    a: np.ndarray  # (M,)
    s: np.ndarray  # (M, K) power_c
    q: np.ndarray  # (M, L) power_s
    trace: Trace
    status: str
    solver_time_s: float
    converged: bool
    last_binary: tuple | None = None  # (a, s, q) of the last iterate with binary a (repair fallback), if any


@dataclass
class Design:
    """One finished design of one layout: binary AP modes, powers, closed-form metrics, feasibility re-checked
    (docs/model.md, study 1).

    Attributes
    ----------
    scheme : str
        The scheme that made it (`SCHEMES`).
    ap_mode : numpy.ndarray of int8, shape (M,)
        1 = communication AP (C-AP), 0 = sensing AP (S-AP).
    power_c : numpy.ndarray, shape (M, K)
        Effective communication powers s_mk = N gamma_mk a_m eta^c_mk: the share of AP m's power budget spent on
        UE k (sum over k <= ap_mode).
    power_s : numpy.ndarray, shape (M, L)
        Effective sensing powers q_ml = N (1 - a_m) eta^s_ml: the share spent on zone l (sum over l <= 1 - ap_mode).
    metrics : Metrics
        Closed-form SINRs, MASR and rates of the design (`evaluate`): (K,) and (L,) arrays.
    feasible : bool
        True if the design meets every constraint of its problem within `SolverOptions.feas_tol`.
    solver_status : str
        How the solve ended (the solver's status, or the reason of an infeasible design).
    trace : Trace
        Per-iterate rates, objective and binary distance (Fig. 2).
    wall_time_s : float
        Wall-clock time of the design, s.
    solver_time_s : float
        Time spent inside the convex solver, s.
    """

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
    # extension (eavesdroppers off the zone centre / colluding): scalar results by datasets.EVE_DESIGN_VARS name
    eve: dict | None = None
