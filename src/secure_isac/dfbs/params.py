"""Study-2 parameters (spec section 6.2), validated at construction."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

TIE_BREAKS = ("largest", "smallest")
P_MAX_RULES = ("uniform", "kappa")
TOTAL_POWER_MODES = ("eq", "le")
SOLVERS = ("CLARABEL", "SCS")
MAX_GRID_POINTS = 100_000  # sample angles of the matching error (each is a row of every SDP)


def _angles_ok(name: str, values) -> tuple[float, ...]:
    vals = tuple(float(v) for v in np.atleast_1d(values))
    for v in vals:
        if not math.isfinite(v) or v < -90.0 or v > 90.0:
            raise ValueError(f"{name}: angles must lie in [-90, 90] degrees, got {v}")
    return vals


@dataclass(frozen=True)
class DfbsParams:
    """Every value of spec section 6.2 plus the solver knobs; powers in mW / dBm."""

    n_antennas: int = 16
    n_rf: int = 8
    user_angle_deg: float = 0.0
    target_angles_deg: tuple = (-60.0, -40.0, -20.0, 20.0, 40.0, 60.0)
    eve_angles_deg: tuple = (-20.0, 20.0)
    beam_width_deg: float = 10.0
    grid_start_deg: float = -90.0
    grid_stop_deg: float = 90.0
    grid_step_deg: float = 1.0
    noise_dbm: float = 0.0
    # A2: P_max = kappa * P / N_RF; "uniform" means kappa = 1 (exactly N_RF antennas at P/N_RF each)
    p_max_rule: str = "uniform"
    kappa: float = 1.0
    # A1: "eq" = tr(W+Rs) = P (default); "le" only demonstrates the degeneracy
    total_power: str = "eq"
    # A11 tie-break of the 1D search and its relative tolerance
    tie_break: str = "largest"
    tie_rel_tol: float = 1e-4
    # 1D search over Gamma_e (spec section 4)
    n_gamma_grid: int = 16          # log-spaced points (plus 0) for fixed-selection searches
    n_gamma_grid_pscp: int = 8      # coarser grid inside the P-SCP loop
    golden_steps: int = 10
    gamma_min_rel: float = 1e-6     # lowest nonzero grid point, relative to Gamma_e,max
    # P-SCP (spec section 4, A12)
    u0: float = 0.5
    eta0: float = 1e-3
    rho: float = 2.0
    eta_max: float = 10.0
    eps_bin: float = 1e-3
    eps_obj: float = 1e-4
    max_iter: int = 50
    # stationary stop at eta = eta_max: max|u^(i+1) - u^(i)| <= this (and the eps_obj test); 0 = spec rule only
    pscp_stall_tol: float = 1e-4
    pscp_starts: tuple = ("half", "no_aa")
    pscp_gamma_tracking: bool = True  # local Gamma_e search after the first binding P-SCP iteration
    # random_aa baseline: number of random selections (best and median reported)
    n_random: int = 25
    solver: str = "CLARABEL"          # fixed-selection (reduced) problems and the final re-solve
    fallback_solver: str = "SCS"
    solver_relaxed: str = "CLARABEL"  # relaxed N-antenna problems inside P-SCP (SCS measured slower end to end)
    fallback_solver_relaxed: str = "SCS"
    # shortcut switches (each verified against the plain method in tests/dfbs)
    use_reference_shortcut: bool = True
    use_unconstrained_check: bool = True
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        def setf(name, value):
            object.__setattr__(self, name, value)

        for name in ("n_antennas", "n_rf", "n_gamma_grid", "n_gamma_grid_pscp", "golden_steps", "max_iter",
                     "n_random"):
            v = getattr(self, name)
            if isinstance(v, bool) or int(v) != v:
                raise ValueError(f"{name}: must be an integer, got {v!r}")
            setf(name, int(v))
        if self.n_antennas < 2:
            raise ValueError(f"n_antennas: must be >= 2, got {self.n_antennas}")
        if self.n_rf < 1:
            raise ValueError(f"n_rf: must be >= 1, got {self.n_rf}")
        if self.n_rf > self.n_antennas:
            raise ValueError(f"n_rf: must be <= n_antennas ({self.n_antennas}), got {self.n_rf}")
        setf("user_angle_deg", _angles_ok("user_angle_deg", self.user_angle_deg)[0])
        setf("target_angles_deg", _angles_ok("target_angles_deg", self.target_angles_deg))
        setf("eve_angles_deg", _angles_ok("eve_angles_deg", self.eve_angles_deg))
        if len(self.target_angles_deg) < 1:
            raise ValueError("target_angles_deg: at least one target is needed")
        if len(self.eve_angles_deg) < 1:
            raise ValueError("eve_angles_deg: at least one untrusted target is needed")
        for e in self.eve_angles_deg:
            if not any(abs(e - t) < 1e-9 for t in self.target_angles_deg):
                raise ValueError(f"eve_angles_deg: {e} is not one of target_angles_deg (E must be a subset of K)")
        for name in ("beam_width_deg", "grid_step_deg", "rho", "eta0", "eta_max", "eps_bin", "eps_obj",
                     "tie_rel_tol", "gamma_min_rel", "kappa"):
            v = float(getattr(self, name))
            if not math.isfinite(v) or v <= 0:
                raise ValueError(f"{name}: must be a positive finite number, got {getattr(self, name)!r}")
            setf(name, v)
        if self.beam_width_deg >= 180:
            raise ValueError(f"beam_width_deg: must be < 180, got {self.beam_width_deg}")
        _angles_ok("grid_start_deg", self.grid_start_deg)
        _angles_ok("grid_stop_deg", self.grid_stop_deg)
        if self.grid_stop_deg <= self.grid_start_deg:
            raise ValueError("grid_stop_deg: must exceed grid_start_deg")
        for name in ("target_angles_deg", "eve_angles_deg"):
            vals = np.sort(np.asarray(getattr(self, name)))
            if np.any(np.diff(vals) < 1e-9):
                raise ValueError(f"{name}: duplicate angles {getattr(self, name)} (each direction once)")
        n_grid = (self.grid_stop_deg - self.grid_start_deg) / self.grid_step_deg
        if n_grid > MAX_GRID_POINTS:
            raise ValueError(f"grid_step_deg: {self.grid_step_deg} gives {n_grid:.3g} grid points "
                             f"(at most {MAX_GRID_POINTS})")
        if self.grid_step_deg > self.beam_width_deg:
            raise ValueError(f"grid_step_deg: {self.grid_step_deg} exceeds beam_width_deg = {self.beam_width_deg}, so "
                             "a box of the desired pattern can miss every grid point")
        for name in ("user_angle_deg", "target_angles_deg"):
            for v in np.atleast_1d(getattr(self, name)):
                if not self.grid_start_deg <= v <= self.grid_stop_deg:
                    raise ValueError(f"{name}: {v} lies outside the design grid [{self.grid_start_deg}, "
                                     f"{self.grid_stop_deg}] (grid_start_deg, grid_stop_deg)")
        stall = float(self.pscp_stall_tol)
        if not math.isfinite(stall) or stall < 0:
            raise ValueError(f"pscp_stall_tol: must be a finite number >= 0, got {self.pscp_stall_tol!r}")
        setf("pscp_stall_tol", stall)
        if self.rho <= 1:
            raise ValueError(f"rho: must be > 1, got {self.rho}")
        if not 0.0 <= float(self.u0) <= 1.0:
            raise ValueError(f"u0: must lie in [0, 1], got {self.u0}")
        if not math.isfinite(float(self.noise_dbm)):
            raise ValueError(f"noise_dbm: must be finite, got {self.noise_dbm}")
        if self.tie_break not in TIE_BREAKS:
            raise ValueError(f"tie_break: one of {TIE_BREAKS}, got {self.tie_break!r}")
        if self.p_max_rule not in P_MAX_RULES:
            raise ValueError(f"p_max_rule: one of {P_MAX_RULES}, got {self.p_max_rule!r}")
        if self.p_max_rule == "uniform" and self.kappa != 1.0:
            raise ValueError("kappa: must be 1 with p_max_rule='uniform' (use p_max_rule='kappa')")
        if self.kappa < 1.0 or self.kappa > self.n_rf:
            raise ValueError(f"kappa: must lie in [1, n_rf], got {self.kappa}")
        if self.total_power not in TOTAL_POWER_MODES:
            raise ValueError(f"total_power: one of {TOTAL_POWER_MODES}, got {self.total_power!r}")
        for name in ("solver", "fallback_solver", "solver_relaxed", "fallback_solver_relaxed"):
            if getattr(self, name) not in SOLVERS:
                raise ValueError(f"{name}: one of {SOLVERS}, got {getattr(self, name)!r}")
        for s in self.pscp_starts:
            if s not in ("half", "no_aa"):
                raise ValueError(f"pscp_starts: entries must be 'half' or 'no_aa', got {s!r}")
        if len(self.pscp_starts) == 0:
            raise ValueError("pscp_starts: at least one start is needed")
        if self.n_gamma_grid < 2 or self.n_gamma_grid_pscp < 2:
            raise ValueError("n_gamma_grid: must be >= 2")

    # derived quantities -------------------------------------------------------------------------
    @property
    def grid_deg(self) -> np.ndarray:
        """Sample-angle grid {theta_m} (inclusive end points)."""
        n = int(round((self.grid_stop_deg - self.grid_start_deg) / self.grid_step_deg))
        return self.grid_start_deg + self.grid_step_deg * np.arange(n + 1)

    @property
    def noise_mw(self) -> float:
        """sigma^2 in mW."""
        return 10.0 ** (self.noise_dbm / 10.0)

    @property
    def p_max_factor(self) -> float:
        """P_max / P (A2)."""
        return self.kappa / self.n_rf

    @property
    def p_max_label(self) -> str:
        """Text of the P_max rule for the dataset attribute p_max_rule."""
        return "P_max = P/N_RF" if self.p_max_rule == "uniform" else f"P_max = {self.kappa:g}*P/N_RF"

    @property
    def eve_index(self) -> np.ndarray:
        """Index of each eavesdropper in target_angles_deg."""
        t = np.asarray(self.target_angles_deg)
        return np.array([int(np.argmin(np.abs(t - e))) for e in self.eve_angles_deg])

    def to_dict(self) -> dict:
        """JSON-friendly dict of every parameter."""
        d = asdict(self)
        d.pop("extra")
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()}


def power_mw(power_dbm: float) -> float:
    """Total power P in mW from dBm; ValueError if P is not a positive finite power."""
    p = float(power_dbm)
    if math.isnan(p) or p == math.inf:
        raise ValueError(f"power_dbm: must be finite, got {power_dbm}")
    mw = 10.0 ** (p / 10.0)
    if not mw > 0 or not math.isfinite(mw):
        raise ValueError(f"power_dbm: linear power must be > 0 mW, got {power_dbm} dBm")
    return mw


# P / sigma^2 range in which the SDPs are solved reliably: measured instant up to 100 dB (binding points
# included); at 200 dB and above a design runs for minutes and its rates lose all precision
SNR_DB_RANGE = (-100.0, 100.0)


def validate_snr(params: "DfbsParams", power_dbm: float) -> float:
    """P / sigma^2 in dB; ValueError naming power_dbm if it lies outside SNR_DB_RANGE."""
    snr_db = float(power_dbm) - float(params.noise_dbm)
    lo, hi = SNR_DB_RANGE
    if not lo <= snr_db <= hi:
        raise ValueError(f"power_dbm: P = {power_dbm} dBm over noise_dbm = {params.noise_dbm} dBm is "
                         f"{snr_db:g} dB, outside [{lo:g}, {hi:g}] dB")
    return snr_db


def validate_secrecy_target(secrecy_target: float) -> float:
    """R-bar in bit/s/Hz, must be finite and >= 0."""
    r = float(secrecy_target)
    if not math.isfinite(r) or r < 0:
        raise ValueError(f"secrecy_target: must be a finite number >= 0, got {secrecy_target}")
    return r


def secrecy_target_grid(params: DfbsParams, power_dbm: float, step: float = 0.5, *, start: float | None = None,
                        maximum: float = math.inf) -> np.ndarray:
    """Fig. 3 R-bar grid: start (default step), start + step, ... strictly below log2(1 + N_RF P / sigma^2) and not
    above `maximum` (spec section 6.2); values rounded to 1e-10 so that equal grids give equal labels."""
    if not step > 0:
        raise ValueError(f"step: must be > 0, got {step}")
    start = step if start is None else float(start)
    edge = math.log2(1.0 + params.n_rf * power_mw(power_dbm) / params.noise_mw)
    out, i = [], 0
    while True:
        r = round(start + i * step, 10)
        if r >= edge or r > maximum + 1e-12:
            return np.asarray(out, dtype=float)
        out.append(r)
        i += 1
