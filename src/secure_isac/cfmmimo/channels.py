"""Large-scale fading, channel-estimate quality and ULA cross gains (paper section II-A, docs/model.md 1.2-1.3)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .geometry import Layout, distance, pair_displacement, sin_aod
from .params import SystemParams


def hata_constant_db(params: SystemParams) -> float:
    """Hata-COST231 constant L_H in dB (docs/deviations.md P7; 140.7151 dB at 1900 MHz, 15 m, 1.65 m)."""
    f = params.carrier_mhz
    a_hue = (1.1 * math.log10(f) - 0.7) * params.h_ue_m - (1.56 * math.log10(f) - 0.8)
    return 46.3 + 33.9 * math.log10(f) - 13.82 * math.log10(params.h_ap_m) - a_hue


def path_loss_db(d_m, params: SystemParams) -> np.ndarray:
    """Three-slope path loss in dB (negative), distances converted to km as in Ngo's code (docs/deviations.md P7)."""
    d_km = np.asarray(d_m, dtype=float) / 1000.0
    if np.any(d_km < 0) or not np.all(np.isfinite(d_km)):
        raise ValueError("d_m: distances must be finite and >= 0")
    d0 = params.d0_m / 1000.0
    d1 = params.d1_m / 1000.0
    lh = hata_constant_db(params)
    far = -lh - 35.0 * np.log10(np.maximum(d_km, d1))
    mid = -lh - 15.0 * math.log10(d1) - 20.0 * np.log10(np.clip(d_km, d0, d1))
    return np.where(d_km > d1, far, mid)  # clip(d, d0, d1) gives the flat d <= d0 slope automatically


def noise_power_w(params: SystemParams) -> float:
    """Noise power k_B T0 B NF in W (docs/deviations.md P7)."""
    return params.noise_power_w


def channel_estimate_gain(beta, tau_t: int, rho_t_norm: float) -> np.ndarray:
    """gamma = tau_t rho_t beta^2 / (tau_t rho_t beta + 1), LMMSE with orthogonal pilots (paper section II-A)."""
    beta = np.asarray(beta, dtype=float)
    p = tau_t * rho_t_norm * beta
    return p * beta / (p + 1.0)


@dataclass(frozen=True)
class LargeScale:
    """Large-scale quantities in absolute (W/W) units: beta, gamma (M,K), zeta, sin_theta (M,L), shadowing_db (M,K);
    eve: the eavesdroppers' geometry when one is off its zone centre (eavesdroppers.EveGeometry, extension), else
    None."""

    beta: np.ndarray
    gamma: np.ndarray
    zeta: np.ndarray
    sin_theta: np.ndarray
    shadowing_db: np.ndarray
    eve: object = None


def shadowing_correlation(xy, side_m: float, decorrelation_m: float, wrap: bool = True) -> np.ndarray:
    """Correlation 2^(-d_ij / d_decorr) between the shadowing components of the points xy (n,2) (Ngo et al. 2017,
    eq. (54)); d on the torus when wrap (docs/deviations.md P19)."""
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
    "correlated" (Ngo et al. 2017, docs/deviations.md P19): z_mj = (a_m + b_j)/sqrt(2) with a ~ N(0, C_AP) over the
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


def large_scale_fading(layout: Layout, params: SystemParams, rng: np.random.Generator) -> LargeScale:
    """beta with shadowing beyond d1, gamma, sensing gain zeta and AoDs (docs/deviations.md P8-P10, P18-P20).

    zeta_model "path_loss": zeta = PL(d) to the zone centre, no shadowing; "shadowed": the UE links' shadowing
    model beyond d1; "two_way": PL(d)^2 (round trip). shadowing_model and wrap_around as in SystemParams."""
    M, K, L = params.M, params.K, params.L
    for name, arr, rows in (("ap_xy", layout.ap_xy, M), ("ue_xy", layout.ue_xy, K), ("zone_xy", layout.zone_xy, L)):
        if np.shape(arr) != (rows, 2):
            raise ValueError(f"layout.{name}: shape {np.shape(arr)} does not match params ({rows}, 2)")
    wrap = params.wrap_around
    d_ue = distance(pair_displacement(layout.ap_xy, layout.ue_xy, params.side_m, wrap))
    disp_zone = pair_displacement(layout.ap_xy, layout.zone_xy, params.side_m, wrap)
    d_zone = distance(disp_zone)
    # Draw the full arrays before masking so the number of draws does not depend on the geometry.
    z, z_zone = shadowing_normals(layout, params, rng, zones=params.zeta_model == "shadowed")
    shadowing_db = np.where(d_ue > params.d1_m, params.shadowing_std_db * z, 0.0)
    beta = 10.0 ** ((path_loss_db(d_ue, params) + shadowing_db) / 10.0)
    gamma = channel_estimate_gain(beta, params.tau_t, params.rho_t_norm)
    zone_shadowing_db = params.shadowing_std_db * z_zone if params.zeta_model == "shadowed" else None
    zeta = 10.0 ** (sensing_gain_db(d_zone, params, zone_shadowing_db) / 10.0)
    eve = None
    if params.eve_position != "centre":  # extension (not in the paper): eavesdroppers off the zone centres
        from .eavesdroppers import eve_geometry

        eve = eve_geometry(layout, params, rng, zone_shadowing_db)
    return LargeScale(beta=beta, gamma=gamma, zeta=zeta, sin_theta=sin_aod(disp_zone), shadowing_db=shadowing_db,
                      eve=eve)


def sensing_gain_db(d_m, params: SystemParams, zone_shadowing_db=None) -> np.ndarray:
    """Sensing gain zeta in dB at distance d_m from an AP, by params.zeta_model (docs/deviations.md P8, P18):
    "path_loss" PL(d); "shadowed" PL(d) + the AP-zone link's shadowing realisation zone_shadowing_db where d > d1;
    "two_way" 2 PL(d). The same law gives an eavesdropper off its zone centre its own gain (docs/deviations.md P23)."""
    zeta_db = path_loss_db(d_m, params)
    if params.zeta_model == "shadowed":
        zeta_db = zeta_db + np.where(np.asarray(d_m) > params.d1_m, zone_shadowing_db, 0.0)
    elif params.zeta_model == "two_way":
        zeta_db = 2.0 * zeta_db
    return zeta_db


def steering_vector(sin_theta, N: int) -> np.ndarray:
    """ULA response [a_N]_n = exp(j pi (n-1) sin theta), half-wavelength spacing, shape (..., N) (eq. (1))."""
    n = np.arange(N)
    return np.exp(1j * np.pi * np.asarray(sin_theta, dtype=float)[..., None] * n)


def cross_amplitude(sin_theta, N: int) -> np.ndarray:
    """c_mll' = a_N^H(theta_ml) a_N(theta_ml'), complex, shape (..., M, L, L), N on the diagonal; |c|^2 = G (the
    amplitude with which AP m's beam towards zone l' reaches zone l over the deterministic LoS channel, used by the
    coherent combining of docs/deviations.md P21)."""
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
