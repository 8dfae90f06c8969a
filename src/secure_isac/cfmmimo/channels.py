"""Large-scale fading, channel-estimate quality and ULA cross gains (paper section II-A, docs/model.md 1.2-1.3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import checks
from .eavesdroppers import check_geometry, eve_geometry
from .geometry import Layout, distance, pair_displacement, sin_aod
from .params import SystemParams
from .pathloss import hata_constant_db, path_loss_db, sensing_gain_db  # noqa: F401 (channels.hata_constant_db)


def noise_power_w(params: SystemParams) -> float:
    """Noise power k_B T0 B NF in W (docs/deviations.md S1-P7)."""
    return params.noise_power_w


def channel_estimate_gain(beta, tau_t: int, rho_t_norm: float, pilot=None) -> np.ndarray:
    """gamma = tau_t rho_t beta^2 / (tau_t rho_t beta + 1), LMMSE with orthogonal pilots (paper section II-A).

    pilot: the pilot index of each UE (..., K) when UEs share pilots (extension, docs/extensions/
    pilot-contamination.md): gamma_mk = tau_p rho_t beta_mk^2 / (tau_p rho_t sum_{k' in P_k} beta_mk' + 1), P_k the
    UEs on UE k's pilot (the LMMSE estimate of Ngo et al. 2017); None = every UE its own pilot (the formula above)."""
    beta = np.asarray(beta, dtype=float)
    p = tau_t * rho_t_norm * beta
    if pilot is None:
        return p * beta / (p + 1.0)
    same = pilot_groups(pilot)  # (..., K, K), 1 on the diagonal
    return p * beta / (tau_t * rho_t_norm * (beta @ same) + 1.0)


PILOT_ASSIGNMENTS = ("orthogonal", "random", "greedy")


def pilot_groups(pilot) -> np.ndarray:
    """(..., K, K) float: 1 where UEs k and k' use the same pilot (the diagonal included), from pilot (..., K)."""
    pilot = np.asarray(pilot)
    return (pilot[..., :, None] == pilot[..., None, :]).astype(float)


def shared_pilots(pilot) -> np.ndarray:
    """(..., K, K) float: 1 where UE k' != k uses UE k's pilot (the pilot-contamination pairs)."""
    same = pilot_groups(pilot)
    return same * (1.0 - np.eye(same.shape[-1]))


def random_pilots(K: int, tau_p: int, rng: np.random.Generator) -> np.ndarray:
    """Uniformly random balanced assignment (docs/deviations.md S1-P31): a random permutation pi of the K UEs, UE pi(j)
    gets pilot j mod tau_p, so every pilot serves floor(K/tau_p) or ceil(K/tau_p) UEs and the pilots are orthogonal
    whenever tau_p >= K. One rng.permutation(K) draw. Returns (K,) int."""
    _check_pilot_args(K, tau_p)
    perm = rng.permutation(int(K))
    pilot = np.empty(int(K), dtype=np.int64)
    pilot[perm] = np.arange(int(K)) % int(tau_p)
    return pilot


def greedy_pilots(beta, tau_p: int) -> np.ndarray:
    """Algorithm 4.1 of O. T. Demir, E. Bjornson and L. Sanguinetti, "Foundations of User-Centric Cell-Free Massive
    MIMO", Found. Trends Signal Process. 14(3-4), 2021 (code: emilbjornson/cell-free-book, generateSetup.m): UEs
    k = 0..tau_p-1 get pilots 0..tau_p-1; each further UE k (in index order) gets the pilot t minimising
    sum_{i < k, pilot_i = t} beta_{m_k i} at its master AP m_k = argmax_m beta_mk (first index on ties).
    beta (M, K) absolute or normalised (only ratios matter). Returns (K,) int (docs/deviations.md S1-P32)."""
    beta = np.asarray(beta, dtype=float)
    if beta.ndim != 2:
        raise ValueError(f"beta: must be (M, K), got shape {beta.shape}")
    K = beta.shape[1]
    _check_pilot_args(K, tau_p)
    pilot = np.empty(K, dtype=np.int64)
    for k in range(K):
        if k < tau_p:
            pilot[k] = k
            continue
        master = int(np.argmax(beta[:, k]))
        load = np.bincount(pilot[:k], weights=beta[master, :k], minlength=int(tau_p))
        pilot[k] = int(np.argmin(load))
    return pilot


def _check_pilot_args(K: int, tau_p: int) -> None:
    if int(K) < 1:
        raise ValueError(f"K: must be >= 1, got {K}")
    if int(tau_p) < 1:
        raise ValueError(f"tau_p: must be >= 1, got {tau_p}")


def assign_pilots(beta, params: SystemParams, pilot_rng: np.random.Generator | None = None) -> np.ndarray | None:
    """The pilot index of each UE (K,) by params.pilot_assignment at pilot length params.tau_t, or None when every
    UE has its own pilot (no contamination: always for "orthogonal" and whenever tau_p >= K).

    "random" draws from `pilot_rng` (the layout's own stream seeds.rng(seed, layout, "pilots"), never one of the
    existing streams); it is drawn even when tau_p >= K, so that the stream's use does not depend on tau_p."""
    how = params.pilot_assignment
    if how not in PILOT_ASSIGNMENTS:
        raise ValueError(f"pilot_assignment: must be one of {PILOT_ASSIGNMENTS}, got {how!r}")
    K, tau_p = params.K, params.tau_t
    if how == "orthogonal":
        return None
    if how == "random":
        if not isinstance(pilot_rng, np.random.Generator):
            raise ValueError("pilot_rng: pilot_assignment 'random' needs its own numpy Generator (the layout's "
                             "seeds.rng(seed, layout, 'pilots')), got " + type(pilot_rng).__name__)
        pilot = random_pilots(K, tau_p, pilot_rng)
    else:
        pilot = greedy_pilots(beta, tau_p)
    return pilot if np.unique(pilot).size < K else None


@dataclass(frozen=True)
class LargeScale:
    """Large-scale quantities of one layout, gains in absolute (W/W) units, not divided by the noise power
    (docs/model.md S1-07, S1-08).

    Attributes
    ----------
    beta : numpy.ndarray, shape (M, K)
        Large-scale fading AP m - UE k (path loss and shadowing), linear.
    gamma : numpy.ndarray, shape (M, K)
        Variance of the LMMSE channel estimate, linear, same units as `beta`.
    zeta : numpy.ndarray, shape (M, L)
        Sensing-channel gain AP m - zone l, linear.
    sin_theta : numpy.ndarray, shape (M, L)
        Sine of the angle of departure from AP m to zone l (ULA along x, broadside reference).
    shadowing_db : numpy.ndarray, shape (M, K)
        Shadowing realisation added to the path loss, dB (0 where not applied, d <= d1).
    pilot : numpy.ndarray of int, shape (K,), or None
        Pilot index of each UE when UEs share pilots; None when every UE has its own pilot (the paper's model;
        docs/extensions/pilot-contamination.md).
    eve : eavesdroppers.EveGeometry or None
        The eavesdroppers' geometry when one is off its zone centre (extension, docs/extensions/eavesdroppers.md);
        None when each sits at its zone's centre (the paper's model).
    """

    beta: np.ndarray
    gamma: np.ndarray
    zeta: np.ndarray
    sin_theta: np.ndarray
    shadowing_db: np.ndarray
    pilot: np.ndarray | None = None
    eve: object = None


def check_large_scale(ls: LargeScale, params: SystemParams) -> None:
    """ValueError naming the field unless `ls` is a LargeScale of params' shapes holding real, finite gains with
    beta >= 0, gamma > 0, zeta > 0, gamma <= beta (the estimate cannot be stronger than the channel: gamma =
    tau_t rho_t beta^2 / (tau_t rho_t beta + 1) < beta) and |sin_theta| <= 1."""
    checks.instance("ls", ls, LargeScale, "LargeScale (channels.large_scale_fading)")
    checks.instance("params", params, SystemParams)
    M, K, L = params.M, params.K, params.L
    beta = checks.real_array("ls.beta", ls.beta, shape=(M, K), nonnegative=True)
    gamma = checks.real_array("ls.gamma", ls.gamma, shape=(M, K), positive=True)
    checks.real_array("ls.zeta", ls.zeta, shape=(M, L), positive=True)
    sin_theta = checks.real_array("ls.sin_theta", ls.sin_theta, shape=(M, L))
    if np.any(gamma > beta * (1.0 + 1e-9)):
        m, k = np.argwhere(gamma > beta * (1.0 + 1e-9))[0]
        raise ValueError(f"ls.gamma: the channel estimate's gain exceeds the channel's, gamma = {gamma[m, k]:g} > "
                         f"beta = {beta[m, k]:g} at AP {m}, UE {k} (gamma <= beta always)")
    if np.any(np.abs(sin_theta) > 1):
        raise ValueError("ls.sin_theta: must lie in [-1, 1]")
    pilot = getattr(ls, "pilot", None)
    if pilot is not None:
        pilot = np.asarray(pilot)
        if pilot.shape != (K,) or not np.issubdtype(pilot.dtype, np.integer) or np.any(pilot < 0) \
                or np.any(pilot >= params.tau_t):
            raise ValueError(f"ls.pilot: must be ({K},) integers in [0, tau_p = {params.tau_t}), got {pilot!r}")
    eve = getattr(ls, "eve", None)  # extension: eavesdroppers off the zone centre (docs/deviations.md S1-P22)
    if params.eve_position != "centre":

        check_geometry(eve, params)
    elif eve is not None:
        raise ValueError("ls.eve: eavesdropper geometry given, but params.eve_position is 'centre'")


def shadowing_correlation(xy, side_m: float, decorrelation_m: float, wrap: bool = True) -> np.ndarray:
    """Correlation 2^(-d_ij / d_decorr) between the shadowing components of the points xy (n,2) (Ngo et al. 2017,
    eq. (54)); d on the torus when wrap (docs/deviations.md S1-P19)."""
    d = distance(pair_displacement(xy, xy, side_m, wrap))
    return 2.0 ** (-d / decorrelation_m)


def _correlated_normals(C: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One draw of N(0, C) (C a correlation matrix; eigen-decomposition, valid when C is only semi-definite)."""
    w, V = np.linalg.eigh(C)
    return V @ (np.sqrt(np.clip(w, 0.0, None)) * rng.standard_normal(C.shape[0]))


def shadowing_normals(layout: Layout, params: SystemParams, rng: np.random.Generator,
                      zones: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """Unit-variance shadowing normals of the AP-UE links (M,K) and, if `zones`, of the AP-zone links (M,L).

    "iid": (M,K) standard normals first (the stream of every earlier result), then (M,L) when zones.
    "correlated" (Ngo et al. 2017, docs/deviations.md S1-P19): z_mj = (a_m + b_j)/sqrt(2) with a ~ N(0, C_AP) over the
    APs and b ~ N(0, C_U) jointly over the UEs and zone centres, C_ij = 2^(-d_ij/decorrelation_m)."""
    M, K, L = params.M, params.K, params.L
    if params.shadowing_model == "iid":
        z = rng.standard_normal((M, K))
        return z, (rng.standard_normal((M, L)) if zones else None)
    wrap, side, dd = params.wrap_around, params.side_m, params.decorrelation_m
    a = _correlated_normals(shadowing_correlation(layout.ap_xy, side, dd, wrap), rng)
    users = np.vstack([layout.ue_xy, layout.zone_xy])
    b = _correlated_normals(shadowing_correlation(users, side, dd, wrap), rng)
    z = (a[:, None] + b[None, :]) / np.sqrt(2.0)
    return z[:, :K], (z[:, K:] if zones else None)


def large_scale_fading(layout: Layout, params: SystemParams, rng: np.random.Generator,
                       pilot_rng: np.random.Generator | None = None) -> LargeScale:
    """Large-scale fading of one layout: beta with shadowing beyond d1, gamma, sensing gain zeta and the angles of
    departure (docs/model.md S1-07, S1-08; docs/deviations.md S1-P8 to S1-P10, S1-P18 to S1-P20).

    `params.zeta_model` "path_loss": zeta = PL(d) to the zone centre, no shadowing; "shadowed": the UE links'
    shadowing model beyond d1; "two_way": PL(d)^2 (round trip). `shadowing_model` and `wrap_around` as in
    SystemParams.

    Parameters
    ----------
    layout : Layout
        Positions in m: `ap_xy` (M, 2), `ue_xy` (K, 2), `zone_xy` (L, 2), e.g. from `draw_layout`.
    params : SystemParams
        The scenario (M, K, L, N, the path-loss, shadowing and pilot keys).
    rng : numpy.random.Generator
        Source of the shadowing; its draws never depend on `pilot_rng` or on the geometry.
    pilot_rng : numpy.random.Generator, optional
        Source of the pilot assignment, read only by `pilot_assignment` "random" (`assign_pilots`).

    Returns
    -------
    LargeScale
        beta, gamma, shadowing_db (M, K); zeta, sin_theta (M, L); gains linear in W/W; the pilot of each UE.

    Raises
    ------
    ValueError
        If an argument has the wrong type, a position array the wrong shape or a non-finite entry (the message
        names it, e.g. `layout.ue_xy`), or `pilot_assignment` "random" is given no `pilot_rng`.
    """
    checks.instance("layout", layout, Layout, "Layout (geometry.draw_layout)")
    checks.instance("params", params, SystemParams)
    checks.generator("rng", rng)
    M, K, L = params.M, params.K, params.L
    for name, arr, rows in (("ap_xy", layout.ap_xy, M), ("ue_xy", layout.ue_xy, K), ("zone_xy", layout.zone_xy, L)):
        if np.shape(arr) != (rows, 2):
            raise ValueError(f"layout.{name}: shape {np.shape(arr)} does not match params ({rows}, 2)")
        checks.real_array(f"layout.{name}", arr)
    wrap = params.wrap_around
    d_ue = distance(pair_displacement(layout.ap_xy, layout.ue_xy, params.side_m, wrap))
    disp_zone = pair_displacement(layout.ap_xy, layout.zone_xy, params.side_m, wrap)
    d_zone = distance(disp_zone)
    # Draw the full arrays before masking so the number of draws does not depend on the geometry.
    z, z_zone = shadowing_normals(layout, params, rng, zones=params.zeta_model == "shadowed")
    shadowing_db = np.where(d_ue > params.d1_m, params.shadowing_std_db * z, 0.0)
    beta = 10.0 ** ((path_loss_db(d_ue, params) + shadowing_db) / 10.0)
    pilot = assign_pilots(beta, params, pilot_rng)
    gamma = channel_estimate_gain(beta, params.tau_t, params.rho_t_norm, pilot)
    zone_shadowing_db = params.shadowing_std_db * z_zone if params.zeta_model == "shadowed" else None
    zeta = 10.0 ** (sensing_gain_db(d_zone, params, zone_shadowing_db) / 10.0)
    eve = None
    if params.eve_position != "centre":  # extension (not in the paper): eavesdroppers off the zone centres

        eve = eve_geometry(layout, params, rng, zone_shadowing_db)
    return LargeScale(beta=beta, gamma=gamma, zeta=zeta, sin_theta=sin_aod(disp_zone), shadowing_db=shadowing_db,
                      pilot=pilot, eve=eve)


def steering_vector(sin_theta, N: int) -> np.ndarray:
    """ULA response [a_N]_n = exp(j pi (n-1) sin theta), half-wavelength spacing, shape (..., N) (eq. (1))."""
    n = np.arange(N)
    return np.exp(1j * np.pi * np.asarray(sin_theta, dtype=float)[..., None] * n)


def cross_amplitude(sin_theta, N: int) -> np.ndarray:
    """c_mll' = a_N^H(theta_ml) a_N(theta_ml'), complex, shape (..., M, L, L), N on the diagonal; |c|^2 = G (the
    amplitude with which AP m's beam towards zone l' reaches zone l over the deterministic LoS channel, used by the
    coherent combining of docs/deviations.md S1-P21)."""
    if int(N) < 1:
        raise ValueError(f"N: must be >= 1, got {N}")
    s = np.asarray(sin_theta, dtype=float)
    delta = s[..., None, :] - s[..., :, None]  # s' - s
    return np.exp(1j * np.pi * delta[..., None] * np.arange(int(N))).sum(axis=-1)


def cross_gain(sin_theta, N: int) -> np.ndarray:
    """G_mll' = |a_N^H(theta_ml) a_N(theta_ml')|^2 = |c_mll'|^2, shape (..., M, L, L), N^2 on the diagonal
    (docs/model.md, cross gain); the direct sum of the N phasors of cross_amplitude: exact, no 0/0 at coinciding
    angles."""
    return np.abs(cross_amplitude(sin_theta, N)) ** 2
