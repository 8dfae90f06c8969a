"""Study-2 parameters (docs/deviations.md S2-A1 to S2-A18, S2-D1 to S2-D18), validated at construction."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Literal

import numpy as np
from pydantic.dataclasses import dataclass

from ..fields import PARAMS_CONFIG, Annotated, Bool, Field, Float, Int, validated

MAX_GRID_POINTS = 100_000  # sample angles of the matching error (each is a row of every SDP)
# the schemes of study 2 (designed in schemes.py: the workflow's configuration schema and paths derive from these)
SCHEMES = ("aa", "no_aa", "random_aa", "full_digital")
"""The schemes `schemes.design` knows: antenna allocation by P-SCP (aa), the first N_RF contiguous antennas (no_aa),
n_random random selections reported as their best and median (random_aa) and every antenna with its own RF chain
(full_digital)."""
# random_aa is reported as two labels in the scheme dimension: the best and the median random selection
LABELS = ("aa", "no_aa", "random_aa_best", "random_aa_median", "full_digital")
# range of a total power P in dBm the workflow accepts (P / noise must also lie in SNR_DB_RANGE, validate_snr)
POWER_DBM_RANGE = (-100, 100)


Angle = Annotated[Float, Field(ge=-90.0, le=90.0)]
Angles = Annotated[tuple[Angle, ...], Field(strict=False, min_length=1, max_length=64)]  # YAML lists welcome
Solver = Literal["CLARABEL", "SCS"]


@validated
@dataclass(frozen=True, config=PARAMS_CONFIG)
class DfbsParams:
    """Scenario and algorithm parameters of study 2 (docs/deviations.md S2-A1 to S2-A18, S2-D1 to S2-D18); powers in
    mW / dBm, angles in degrees.

    Every field is validated on construction (pydantic: type, bounds, finiteness); cross-field rules (e.g. the
    eavesdroppers are targets, the design grid covers every target) in `__post_init__`.

    Raises
    ------
    secure_isac.fields.ParamError
        A ValueError with one "field: message" line per invalid field.
    """

    n_antennas: Annotated[Int, Field(ge=2, le=256, description=(
        "Number of antennas N of the half-wavelength ULA."))] = 16
    n_rf: Annotated[Int, Field(ge=1, le=256, description="Number of RF chains N_RF (selected antennas).")] = 8
    user_angle_deg: Annotated[Angle, Field(description="Direction of the legitimate user in degrees.")] = 0.0
    target_angles_deg: Annotated[Angles, Field(description="Directions of the sensing targets in degrees.")] = (
        -60.0, -40.0, -20.0, 20.0, 40.0, 60.0)
    eve_angles_deg: Annotated[Angles, Field(description=(
        "Directions of the untrusted targets (eavesdroppers), a subset of target_angles_deg."))] = (-20.0, 20.0)
    beam_width_deg: Annotated[Float, Field(gt=0, lt=180, description=(
        "Width of each box of the desired beampattern in degrees."))] = 10.0
    grid_start_deg: Annotated[Angle, Field(description="First angle of the design grid in degrees.")] = -90.0
    grid_stop_deg: Annotated[Angle, Field(description="Last angle of the design grid in degrees (inclusive).")] = 90.0
    grid_step_deg: Annotated[Float, Field(gt=0, le=90, description=(
        "Step of the design grid in degrees (at most beam_width_deg, so that every box holds a grid point)."))] = 1.0
    noise_dbm: Annotated[Float, Field(ge=-200, le=100, description=(
        "Noise power of the user and the eavesdroppers in dBm."))] = 0.0
    # S2-A2: P_max = kappa * P / N_RF; "uniform" means kappa = 1 (exactly N_RF antennas at P/N_RF each)
    p_max_rule: Annotated[Literal["uniform", "kappa"], Field(description=(
        "Per-antenna power cap rule: uniform (P_max = P/N_RF) or kappa (P_max = kappa P/N_RF)."))] = "uniform"
    kappa: Annotated[Float, Field(ge=1, le=256, description=(
        "Factor of the kappa rule, in [1, N_RF] (must be 1 with the uniform rule)."))] = 1.0
    # S2-A1: "eq" = tr(W+Rs) = P (default); "le" only demonstrates the degeneracy
    total_power: Annotated[Literal["eq", "le"], Field(description=(
        "Total-power constraint: eq (tr(W + R_s) = P) or le (<= P, shows the degeneracy)."))] = "eq"
    # S2-A11 tie-break of the 1D search and its relative tolerance
    tie_break: Annotated[Literal["largest", "smallest"], Field(description=(
        "Tie-break of the 1D search over Gamma_e."))] = "largest"
    tie_rel_tol: Annotated[Float, Field(gt=0, le=1, description="Relative tolerance of the tie-break.")] = 1e-4
    # 1D search over Gamma_e (S2-D5)
    n_gamma_grid: Annotated[Int, Field(ge=2, le=1000, description=(
        "Log-spaced Gamma_e grid points (plus 0) of fixed-selection searches."))] = 16
    n_gamma_grid_pscp: Annotated[Int, Field(ge=2, le=1000, description=(
        "Coarser Gamma_e grid inside the P-SCP loop."))] = 8
    golden_steps: Annotated[Int, Field(ge=1, le=100, description=(
        "Golden-section refinement steps of the 1D search."))] = 10
    gamma_min_rel: Annotated[Float, Field(gt=0, lt=1, description=(
        "Lowest nonzero grid point relative to Gamma_e max."))] = 1e-6
    # P-SCP (S2-A12)
    u0: Annotated[Float, Field(ge=0, le=1, description="P-SCP start value of every selection variable.")] = 0.5
    eta0: Annotated[Float, Field(gt=0, le=1e6, description="Initial P-SCP penalty weight.")] = 1e-3
    rho: Annotated[Float, Field(gt=1, le=100, description=(
        "Growth factor of the P-SCP penalty weight (> 1)."))] = 2.0
    eta_max: Annotated[Float, Field(gt=0, le=1e9, description="Maximum P-SCP penalty weight.")] = 10.0
    eps_bin: Annotated[Float, Field(gt=0, le=0.5, description="Binarity tolerance of P-SCP.")] = 1e-3
    eps_obj: Annotated[Float, Field(gt=0, le=1, description="Objective tolerance of P-SCP.")] = 1e-4
    max_iter: Annotated[Int, Field(ge=1, le=10000, description="Maximum P-SCP iterations.")] = 50
    # stationary stop at eta = eta_max (S2-D16): max|u^(i+1) - u^(i)| <= this (and the eps_obj test); 0 = plain rule
    # only
    pscp_stall_tol: Annotated[Float, Field(ge=0, le=1, description=(
        "P-SCP stationary stop at eta = eta_max: stop when max|u(i+1) - u(i)| is at most this and the objective "
        "test holds although u is not binary (0 = the plain stopping rule only)."))] = 1e-4
    # decided-selection stop (S2-D21): the rounding margin of u (S2-A12) in two consecutive iterations; 0 = off
    pscp_decided_margin: Annotated[Float, Field(ge=0, le=1, description=(
        "P-SCP decided-selection stop: stop once the N_RF largest u exceed all others by at least this in two "
        "consecutive iterations with the same rounded selection; the design is the re-solve of that selection "
        "(0 = off, the plain rule and the stationary stop only; docs/deviations.md S2-D21)."))] = 0.9
    pscp_starts: Annotated[tuple[Literal["half", "no_aa"], ...], Field(strict=False, min_length=1, description=(
        "P-SCP starting points (half = u0 everywhere, no_aa = the contiguous sub-array); the best result is "
        "kept."))] = ("half", "no_aa")
    pscp_gamma_tracking: Annotated[Bool, Field(description=(
        "Local Gamma_e search after the first binding P-SCP iteration."))] = True
    n_random: Annotated[Int, Field(ge=1, le=10000, description=(
        "Number of random selections of the random_aa baseline."))] = 25
    solver: Annotated[Solver, Field(description="Conic solver of the SDPs.")] = "CLARABEL"
    fallback_solver: Annotated[Solver, Field(description="Solver tried when the first one fails.")] = "SCS"
    solver_relaxed: Annotated[Solver, Field(description=(
        "Solver of the relaxed N-antenna problems inside P-SCP."))] = "CLARABEL"
    fallback_solver_relaxed: Annotated[Solver, Field(description=(
        "Fallback solver of the relaxed P-SCP problems."))] = "SCS"
    # shortcut switches (each verified against the plain method in tests/dfbs)
    use_reference_shortcut: Annotated[Bool, Field(description=(
        "Reuse the secrecy-free reference design where its constraints hold (verified shortcut)."))] = True
    use_unconstrained_check: Annotated[Bool, Field(description=(
        "Skip the secrecy-constrained solve when the unconstrained optimum already meets it (verified "
        "shortcut)."))] = True

    def __post_init__(self) -> None:
        if self.n_rf > self.n_antennas:
            raise ValueError(f"n_rf: must be <= n_antennas ({self.n_antennas}), got {self.n_rf}")
        for e in self.eve_angles_deg:
            if not any(abs(e - t) < 1e-9 for t in self.target_angles_deg):
                raise ValueError(f"eve_angles_deg: {e} is not one of target_angles_deg (E must be a subset of K)")
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
        # a user in an eavesdropper's direction has the eavesdropper's channel (equal ULA phases: equal sines, or
        # sines of -1 and +1 at the end fire), so no secrecy rate above 0 exists and every design is infeasible
        for e in self.eve_angles_deg:
            du = abs(math.sin(math.radians(self.user_angle_deg)) - math.sin(math.radians(e)))
            if du < 1e-9 or abs(du - 2.0) < 1e-9:
                raise ValueError(f"user_angle_deg: the user at {self.user_angle_deg:g} deg has the channel of the "
                                 f"eavesdropper at {e:g} deg (eve_angles_deg): no secrecy rate above 0 exists")
        if self.p_max_rule == "uniform" and self.kappa != 1.0:
            raise ValueError("kappa: must be 1 with p_max_rule='uniform' (use p_max_rule='kappa')")
        if self.kappa > self.n_rf:
            raise ValueError(f"kappa: must lie in [1, n_rf], got {self.kappa}")

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
        """P_max / P (S2-A2)."""
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


def validate_snr(params: DfbsParams, power_dbm: float) -> float:
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
    above `maximum` (docs/deviations.md S2-D15); values rounded to 1e-10 so that equal grids give equal labels."""
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
