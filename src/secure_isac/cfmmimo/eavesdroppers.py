"""Eavesdroppers off the zone centre and colluding eavesdroppers: an extension of study 1, not in the paper
(docs/extensions/eavesdroppers.md, docs/model.md 1.22, docs/deviations.md S1-P22 to S1-P27).

The paper puts eavesdropper l at the centre of sensing zone l, where it shares the gain zeta_ml and the angle
theta_ml of the zone's sensing echo. Here eavesdropper l may sit at its own position p (a fixed offset from the
centre, or uniform in a disc/annulus around it) with its own gain zeta_m(p) and angle theta_m(p), while the sensing
beams stay aimed at the zone centres, so that AP m's beam towards zone l' reaches it with
|a_N^H(theta_m(p)) a_N(theta_ml')|^2. In the normalised variables of docs/model.md, at P positions p of
eavesdropper l:

    A_lp = sum_m z_mlp S_m,    E_lp = sum_m z_mlp sum_l' G_mlpl' q_ml' + 1,    SINR_lp = A_lp / E_lp

with z_mlp = rho zeta_m(p) and G_mlpl' = |a_N^H(theta_m(p)) a_N(theta_ml')|^2 / N; at p = the zone centre this is
exactly eq. (17). Colluding eavesdroppers combine their observations by maximum-ratio combining; their SINR is
sum_l SINR_l (docs/model.md S1-82).

Arrays: positions (..., 2) in m; gains z (M, L, P), C_hat and G_hat (M, L, P, L'); powers s (..., M, K),
q (..., M, L) (effective-power variables of docs/model.md), any leading batch dimensions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import seeds
from .geometry import Layout, distance, pair_displacement, sin_aod
from .params import SystemParams
from .pathloss import sensing_gain_db

COMBINING = ("noncoherent", "coherent")


@dataclass(frozen=True)
class EveGeometry:
    """Absolute geometry of the eavesdroppers of one layout (LargeScale.eve), in m: AP positions ap_xy (M,2) and
    zone centres zone_xy (L,2) (the layout's own), the eavesdroppers' positions eve_xy (L,2), the unseen evaluation
    positions sample_xy (S,L,2) (S = 0: none) and the AP-zone links' shadowing realisation zone_shadowing_db (M,L) in
    dB (applied beyond d1 under zeta_model "shadowed"; zero otherwise)."""

    ap_xy: np.ndarray
    zone_xy: np.ndarray
    eve_xy: np.ndarray
    sample_xy: np.ndarray
    zone_shadowing_db: np.ndarray


@dataclass(frozen=True)
class EveGains:
    """Noise-normalised gains of eavesdropper l at P positions: z (M,L,P) = rho zeta_m(p); C_hat (M,L,P,L') =
    a_N^H(theta_m(p)) a_N(theta_ml') / sqrt(N) (complex: the amplitude of AP m's beam towards zone l' there) and
    G_hat = |C_hat|^2 (= G/N, docs/model.md normalised variables)."""

    z: np.ndarray
    C_hat: np.ndarray | None
    G_hat: np.ndarray

    @property
    def n_positions(self) -> int:
        return int(self.z.shape[-1])


@dataclass(frozen=True)
class EveChannel:
    """The eavesdroppers of a NormalizedChannel (closed_forms.normalize): gains at their actual positions (P = 1; the
    reported Eve SINR), at the positions the designs guard (the zone centres, the actual positions, or the robust
    grid: SystemParams.eve_design) and at the unseen evaluation positions (P = S, or None); collusion: the
    eavesdroppers combine their observations (SystemParams.eve_collusion)."""

    actual: EveGains
    guarded: EveGains
    samples: EveGains | None
    collusion: bool
    guarded_points: EveGains | None = None  # robust_bound: the cells' centres (its coherent re-check, S1-P25)

    def guarded_for(self, combining: str) -> EveGains:
        """The guarded gains for `combining`: the cell bounds of robust_bound hold for non-coherent combining; a
        coherent re-evaluation (S1-P21) checks its grid points (the cells' centres) instead."""
        if combining == "coherent" and self.guarded.C_hat is None and self.guarded_points is not None:
            return self.guarded_points
        return self.guarded


# --- positions ----------------------------------------------------------------------------------------------------
def offset_vector(distance_m: float, direction_deg: float) -> np.ndarray:
    """(2,) displacement of length distance_m in direction direction_deg (counter-clockwise from x), in m."""
    phi = np.deg2rad(float(direction_deg))
    return float(distance_m) * np.array([np.cos(phi), np.sin(phi)])


def uniform_in_annulus(shape, r_in: float, r_out: float, rng: np.random.Generator) -> np.ndarray:
    """Offsets (*shape, 2) uniform in area in the annulus r_in <= r <= r_out (a disc for r_in = 0):
    r = sqrt(r_in^2 + u (r_out^2 - r_in^2)), phi = 2 pi v with u, v ~ U(0, 1) (one (u, v) pair per point)."""
    if not 0.0 <= r_in <= r_out:
        raise ValueError(f"r_in: need 0 <= r_in <= r_out, got r_in = {r_in}, r_out = {r_out}")
    uv = rng.random((*tuple(shape), 2))
    r = np.sqrt(r_in**2 + uv[..., 0] * (r_out**2 - r_in**2))
    phi = 2.0 * np.pi * uv[..., 1]
    return np.stack([r * np.cos(phi), r * np.sin(phi)], axis=-1)


def grid_offsets(r_in: float, r_out: float, rings: int, points: int) -> np.ndarray:
    """(P, 2) offsets of the robust grid over the annulus r_in <= r <= r_out (docs/deviations.md S1-P25): `rings` rings
    of `points` equally spaced points at radii r_out - (r_out - r_in) j / rings, j = 0 .. rings - 1 (the outer
    boundary first, consecutive rings rotated by half a step), then the centre (r_in = 0) or the inner boundary ring
    (r_in > 0). r_out = 0 gives the centre alone (P = 1)."""
    if not 0.0 <= r_in <= r_out:
        raise ValueError(f"r_in: need 0 <= r_in <= r_out, got r_in = {r_in}, r_out = {r_out}")
    if int(rings) < 1 or int(points) < 3:
        raise ValueError(f"rings, points: need rings >= 1 and points >= 3, got {rings}, {points}")
    if r_out == 0.0:
        return np.zeros((1, 2))
    out = []
    radii = [r_out - (r_out - r_in) * j / rings for j in range(int(rings))] + ([r_in] if r_in > 0.0 else [])
    for j, rho in enumerate(radii):
        phi = 2.0 * np.pi * (np.arange(int(points)) + 0.5 * (j % 2)) / int(points)
        out.append(np.stack([rho * np.cos(phi), rho * np.sin(phi)], axis=-1))
    if r_in == 0.0:
        out.append(np.zeros((1, 2)))
    return np.concatenate(out)


def grid_cell_radii(r_in: float, r_out: float, rings: int, points: int) -> np.ndarray:
    """(P,) radius of the disc around each point of `grid_offsets` that the cells of eve_design "robust_bound"
    use: every point x of the annulus is within dr/2 radially of a ring j (dr = (r_out - r_in) / rings) and then
    within the chord 2 rho_j sin(pi / (2 points)) of that ring's nearest point, so the discs of radius
    dr/2 + 2 rho_j sin(pi / (2 points)) (dr/2 for the centre) cover the annulus (docs/deviations.md S1-P25)."""
    if r_out == 0.0:
        return np.zeros(1)
    dr = (r_out - r_in) / int(rings)
    radii = [r_out - dr * j for j in range(int(rings))] + ([r_in] if r_in > 0.0 else [])
    chord = 2.0 * np.sin(np.pi / (2 * int(points)))
    out = [np.full(int(points), dr / 2.0 + rho * chord) for rho in radii]
    if r_in == 0.0:
        out.append(np.array([dr / 2.0]))
    return np.concatenate(out)


def fejer(u, N: int) -> np.ndarray:
    """|sum_{n<N} e^{j pi u n}|^2 / N: the normalised cross gain G_hat at u = sin(theta') - sin(theta) (period 2,
    N at u = 0 mod 2, zero at u = 2k/N for k not a multiple of N)."""
    u = np.asarray(u, dtype=float)
    return np.abs(np.exp(1j * np.pi * u[..., None] * np.arange(int(N))).sum(axis=-1)) ** 2 / int(N)


def fejer_min(lo, hi, N: int) -> np.ndarray:
    """min over u in [lo, hi] of `fejer`: 0 if the interval holds a null u = 2k/N (k not a multiple of N), else the
    smaller end value (between consecutive nulls the kernel has a single lobe)."""
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    N = int(N)
    k_lo, k_hi = np.ceil(lo * N / 2.0), np.floor(hi * N / 2.0)
    count = k_hi - k_lo + 1
    null = (count >= 2) | ((count == 1) & (np.mod(k_lo, N) != 0))
    if N == 1:
        null = np.zeros_like(null)
    return np.where(null, 0.0, np.minimum(fejer(lo, N), fejer(hi, N)))


def _cos_range(psi, alpha) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) of cos over [psi - alpha, psi + alpha] (alpha in [0, pi/2])."""
    lo_ang, hi_ang = psi - alpha, psi + alpha
    ends = np.stack([np.cos(lo_ang), np.cos(hi_ang)])
    has_zero = np.floor(hi_ang / (2 * np.pi)) >= np.ceil(lo_ang / (2 * np.pi))
    has_pi = np.floor((hi_ang - np.pi) / (2 * np.pi)) >= np.ceil((lo_ang - np.pi) / (2 * np.pi))
    return np.where(has_pi, -1.0, ends.min(axis=0)), np.where(has_zero, 1.0, ends.max(axis=0))


def cell_bound_gains(geom: EveGeometry, centres, radii, sin_zone, params: SystemParams) -> EveGains:
    """Gains whose SINR bounds the Eve SINR everywhere in the disc cell of radius radii[p] around centres[l, p]
    (eve_design "robust_bound", docs/model.md S1-80): z_mlp = the largest rho zeta_m over the cell (its nearest
    distance to AP m, and d1 where the shadowed gain jumps) and z G_hat = the smallest rho zeta_m over the cell
    times the smallest cross gain over the cell's angular span seen from AP m (`fejer_min`; the whole range of
    sin theta if AP m lies in the cell or, on the torus, the cell reaches the seam opposite AP m). Then
    A_lp(S) / E_lp(q) >= SINR_l(x) for every x in the cell (numerator term by term at least, denominator at most).
    G_hat = (z G_hat) / z; C_hat is None (no coherent form)."""
    disp, d = _displacements(geom, centres, params)
    rho = np.broadcast_to(np.asarray(radii, dtype=float), (d.shape[2],))[None, None, :]
    d_min, d_max = np.maximum(d - rho, 0.0), d + rho
    shadow = None if params.zeta_model != "shadowed" else geom.zone_shadowing_db[:, :, None, None]
    d1 = params.d1_m
    cand = np.stack([d_min, d_max, np.clip(np.full_like(d, d1), d_min, d_max),
                     np.clip(np.full_like(d, d1 * (1.0 + 1e-12)), d_min, d_max)], axis=-1)  # (M, L, P, 4)
    zeta_db = sensing_gain_db(cand, params, shadow)
    z_hi = params.rho_norm * 10.0 ** (zeta_db.max(axis=-1) / 10.0)
    z_lo = params.rho_norm * 10.0 ** (zeta_db.min(axis=-1) / 10.0)
    inside = d <= rho
    if params.wrap_around:  # a cell across the torus seam seen from AP m takes its angles from two images of the AP
        inside = inside | np.any(np.abs(disp) + rho[..., None] >= params.side_m / 2.0, axis=-1)
    alpha = np.arcsin(np.clip(rho / np.where(inside, 1.0, d), 0.0, 1.0))
    psi = np.arctan2(disp[..., 1], disp[..., 0])
    s_lo, s_hi = _cos_range(psi, alpha)  # sin theta = dx / d = cos(psi) for a ULA along x
    s_lo, s_hi = np.where(inside, -1.0, s_lo), np.where(inside, 1.0, s_hi)
    s_zone = np.asarray(sin_zone, dtype=float)[:, None, None, :]  # (M, 1, 1, L')
    g_min = fejer_min(s_zone - s_hi[..., None], s_zone - s_lo[..., None], params.N)  # (M, L, P, L')
    return EveGains(z=z_hi, C_hat=None, G_hat=(z_lo / z_hi)[..., None] * g_min)


def eve_geometry(layout: Layout, params: SystemParams, rng: np.random.Generator,
                 zone_shadowing_db=None) -> EveGeometry:
    """The eavesdroppers of one layout (docs/deviations.md S1-P22): at zone centre + offset_vector (eve_position
    "offset"), or uniform in the annulus around it (eve_position "disc"), drawn from seeds.substream(rng,
    "eve_position"); the unseen evaluation positions (eve_eval_samples per layout, "disc" only) from
    seeds.substream(rng, "eve_samples"). Nothing is drawn from rng itself (the layout and shadowing draws of every
    earlier result stay as they were)."""
    zone = np.asarray(layout.zone_xy, dtype=float)
    L = zone.shape[0]
    if params.eve_position == "offset":
        eve = zone + offset_vector(params.eve_offset_m, params.eve_offset_deg)
    elif params.eve_position == "disc":
        r_in, r_out = params.eve_inner_radius_m, params.eve_radius_m
        eve = zone + uniform_in_annulus((L,), r_in, r_out, seeds.substream(rng, "eve_position"))
    else:
        eve = zone.copy()
    if params.eve_position == "disc" and params.eve_eval_samples > 0:
        samples = zone + uniform_in_annulus((params.eve_eval_samples, L), params.eve_inner_radius_m,
                                            params.eve_radius_m, seeds.substream(rng, "eve_samples"))
    else:
        samples = np.zeros((0, L, 2))
    M = np.shape(layout.ap_xy)[0]
    shadow = np.zeros((M, L)) if zone_shadowing_db is None else np.asarray(zone_shadowing_db, dtype=float)
    return EveGeometry(ap_xy=np.asarray(layout.ap_xy, dtype=float), zone_xy=zone, eve_xy=eve, sample_xy=samples,
                       zone_shadowing_db=shadow)


# --- gains ----------------------------------------------------------------------------------------------------------
def large_scale_at_positions(geom: EveGeometry, positions, params: SystemParams) -> tuple[np.ndarray, np.ndarray]:
    """Sensing-channel gain zeta (absolute, W/W) and sin theta, both (M, L, P), from every AP to eavesdropper l at
    positions (L, P, 2) in m (docs/model.md S1-78): distance and angle on the torus (or the plain square), zeta by
    params.zeta_model with the AP-zone link's shadowing (channels.sensing_gain_db, docs/deviations.md S1-P23). At a
    zone centre this is bit for bit the zone's zeta_ml and sin theta_ml of channels.large_scale_fading."""
    disp, d = _displacements(geom, positions, params)
    shadow = None if params.zeta_model != "shadowed" else geom.zone_shadowing_db[:, :, None]
    return 10.0 ** (sensing_gain_db(d, params, shadow) / 10.0), sin_aod(disp)


def _displacements(geom: EveGeometry, positions, params: SystemParams) -> tuple[np.ndarray, np.ndarray]:
    """Displacement (M, L, P, 2) and distance (M, L, P) from every AP to positions (L, P, 2) of eavesdropper l, on the
    torus (or the plain square), in m."""
    pos = np.asarray(positions, dtype=float)
    L, P = pos.shape[0], pos.shape[1]
    disp = pair_displacement(geom.ap_xy, pos.reshape(L * P, 2), params.side_m, params.wrap_around)
    disp = disp.reshape(geom.ap_xy.shape[0], L, P, 2)
    return disp, distance(disp)


def gains_at(geom: EveGeometry, positions, sin_zone, params: SystemParams) -> EveGains:
    """Normalised gains of eavesdropper l at positions (L, P, 2) (docs/model.md S1-78): rho zeta and sin theta of
    `large_scale_at_positions` and the cross amplitude to the beams aimed at the zone centres (sin_zone (M, L'), the
    layout's sin theta_ml'). At a zone centre this is bit for bit the zone's own z = rho zeta_ml and G_hat_mll' of
    closed_forms.normalize."""
    zeta, s = large_scale_at_positions(geom, positions, params)
    s_zone = np.asarray(sin_zone, dtype=float)
    delta = s_zone[:, None, None, :] - s[..., None]  # s' - s, the same operations as channels.cross_amplitude
    c = np.exp(1j * np.pi * delta[..., None] * np.arange(int(params.N))).sum(axis=-1)
    return EveGains(z=params.rho_norm * zeta, C_hat=c / np.sqrt(params.N), G_hat=np.abs(c) ** 2 / params.N)


def zone_gains(z, C_hat, G_hat) -> EveGains:
    """The zone centres as the one position of each eavesdropper (the paper's model): z (M,L) -> (M,L,1)."""
    z = np.asarray(z, dtype=float)
    C = None if C_hat is None else np.asarray(C_hat)[:, :, None, :]
    return EveGains(z=z[:, :, None], C_hat=C, G_hat=np.asarray(G_hat, dtype=float)[:, :, None, :])


def eve_channel(ls, params: SystemParams, z, C_hat, G_hat) -> EveChannel | None:
    """EveChannel of a layout (closed_forms.normalize): None for the paper's model (params.eve_enabled False); the
    zone centres (z, C_hat, G_hat of the zone, normalised) stand for the positions of eve_position "centre"."""
    if not params.eve_enabled:
        return None
    centre = zone_gains(z, C_hat, G_hat)
    geom = getattr(ls, "eve", None)
    if params.eve_position == "centre":
        actual, samples = centre, None
    else:
        if geom is None:
            raise ValueError(f"ls.eve: eve_position = {params.eve_position!r} needs the eavesdroppers' geometry "
                             "(build the channels with channels.large_scale_fading under the same params)")
        actual = gains_at(geom, geom.eve_xy[:, None, :], ls.sin_theta, params)
        samples = None
        if geom.sample_xy.shape[0] > 0:
            samples = gains_at(geom, np.swapaxes(geom.sample_xy, 0, 1), ls.sin_theta, params)
    if params.eve_design == "known":
        guarded = actual
    elif params.eve_design in ("robust", "robust_bound") and params.eve_radius_m > 0.0:
        grid = (params.eve_inner_radius_m, params.eve_radius_m, params.eve_grid_rings, params.eve_grid_points)
        centres = geom.zone_xy[:, None, :] + grid_offsets(*grid)[None, :, :]
        points = gains_at(geom, centres, ls.sin_theta, params)
        if params.eve_design == "robust_bound":
            bound = cell_bound_gains(geom, centres, grid_cell_radii(*grid), ls.sin_theta, params)
            return EveChannel(actual=actual, guarded=bound, samples=samples, collusion=bool(params.eve_collusion),
                              guarded_points=points)
        guarded = points
    else:  # "centre", or a robust grid of radius 0 (the centre alone)
        guarded = centre
    return EveChannel(actual=actual, guarded=guarded, samples=samples, collusion=bool(params.eve_collusion))


# --- closed forms ---------------------------------------------------------------------------------------------------
def eve_sinr(s, q, gains: EveGains, combining: str = "noncoherent") -> np.ndarray:
    """SINR (..., L, P) of eavesdropper l at each of its P positions (docs/model.md S1-79): A_lp / E_lp with
    A_lp = sum_m z_mlp S_m and, non-coherent (eq. (17) at the eavesdropper's own position),
    E_lp = sum_m z_mlp sum_l' G_hat_mlpl' q_ml' + 1; coherent (docs/deviations.md S1-P21),
    E_lp = sum_l' |sum_m sqrt(z_mlp q_ml') C_hat_mlpl'|^2 + 1."""
    if combining not in COMBINING:
        raise ValueError(f"combining: must be one of {COMBINING}, got {combining!r}")
    s = np.asarray(s, dtype=float)
    q = np.asarray(q, dtype=float)
    S = s.sum(axis=-1)
    A = np.sum(gains.z * S[..., :, None, None], axis=-3)
    if combining == "noncoherent":
        leak = np.sum(gains.G_hat * q[..., :, None, None, :], axis=-1)
        E = np.sum(gains.z * leak, axis=-3) + 1.0
    else:
        if gains.C_hat is None:
            raise ValueError("gains: the coherent combining needs C_hat (closed_forms.normalize builds it)")
        amp = np.sqrt(gains.z)[..., None] * np.sqrt(q)[..., :, None, None, :] * gains.C_hat
        E = np.sum(np.abs(amp.sum(axis=-4)) ** 2, axis=-1) + 1.0
    return A / E


def eve_level(sinr_lp, collusion: bool) -> np.ndarray:
    """The Eve SINR a design bounds (CP: <= nu) or minimises (SP) over its guarded positions (docs/model.md S1-80):
    max over the eavesdroppers l of their worst position max_p SINR_lp, or, colluding, the sum over l of the worst
    positions (each eavesdropper's position is free, so the worst joint placement is separable).
    (..., L, P) -> (...)."""
    worst = np.max(np.asarray(sinr_lp, dtype=float), axis=-1)
    return np.sum(worst, axis=-1) if collusion else np.max(worst, axis=-1)


def colluding_sinr(sinr_l) -> np.ndarray:
    """SINR of colluding eavesdroppers that maximum-ratio combine their observations (docs/model.md S1-82):
    sum_l SINR_l, (..., L) -> (...)."""
    return np.sum(np.asarray(sinr_l, dtype=float), axis=-1)


def row_gains(gains: EveGains) -> tuple[np.ndarray, np.ndarray]:
    """The guarded positions as constraint rows r = l P + p: z (M, L P) and G_hat (M, L P, L')."""
    M, L, P = gains.z.shape
    return gains.z.reshape(M, L * P), gains.G_hat.reshape(M, L * P, gains.G_hat.shape[-1])


def guarded_row_gains(ch) -> tuple[np.ndarray, np.ndarray]:
    """Gains z (M, R) and G_hat (M, R, L) of the Eve rows of the SCA subproblems for the NormalizedChannel ch: the
    zone centres (R = L, the paper's model) or every guarded position of every eavesdropper (R = L P, `row_gains`;
    docs/deviations.md S1-P25)."""
    if ch.eve is None:
        return ch.z, ch.G_hat
    return row_gains(ch.eve.guarded)


def colluding_rows(z_rows, G_rows, P: int, s0, q0, t_floor: float = 1e-300):
    """Row data of the colluding Eve block of the corrected SCA at the current point (s0, q0) (docs/model.md S1-81):
    E0_r = E_r(q0), t0_l = max over the rows of zone l of A_r(s0) / E0_r, and the scaled rows
    eA_r = z_r / (t0_l(r) E0_r) (so that eA_r @ S = A_r / (t0 E0)), eQ_r = z_r G_r / E0_r, eC_r = 1 / E0_r.
    Returns (eA (R, M), eQ list of R (M, L), eC (R,), t0 (L,))."""
    z_rows = np.asarray(z_rows, dtype=float)
    E0 = np.sum(z_rows * np.sum(G_rows * np.asarray(q0)[:, None, :], axis=-1), axis=0) + 1.0
    A0 = z_rows.T @ np.asarray(s0).sum(axis=1)
    t0 = np.maximum(np.max((A0 / E0).reshape(-1, P), axis=1), t_floor)
    tr = np.repeat(t0, P)
    eA = (z_rows / (tr * E0)).T
    eQ = [z_rows[:, r, None] * G_rows[:, r, :] / E0[r] for r in range(z_rows.shape[1])]
    return eA, eQ, 1.0 / E0, t0


def unseen_evaluation(kind: str, metrics, s, q, ch, params: SystemParams, feasible: bool, feas_tol: float) -> dict:
    """A design evaluated on the unseen eavesdropper positions ch.eve.samples (docs/model.md S1-83): the Eve SINR of
    each sample (the max over the eavesdroppers, or their sum when colluding) and

    eve_violation_rate   share of the samples above the design's guarantee, by more than feas_tol relative: nu for
                         cp and the baseline, the design's own guarded level (metrics.eve_level) for sp;
    sinr_eve_unseen_max  the largest sample SINR;
    secrecy_unseen_mean  the per-UE average secrecy rate (1/K) sum_k [R_k - R_E]^+, mean over the samples;
    secrecy_unseen_min   its minimum over the samples.

    NaN for an infeasible optimised design (it carries no power) and where no guarantee exists (cp, nu = inf)."""
    out = {"eve_violation_rate": np.nan, "sinr_eve_unseen_max": np.nan, "secrecy_unseen_mean": np.nan,
           "secrecy_unseen_min": np.nan}
    if ch.eve is None or ch.eve.samples is None or (not feasible and kind != "baseline"):
        return out
    sinr = eve_sinr(s, q, ch.eve.samples, params.sensing_combining)  # (L, S)
    level = colluding_sinr(sinr.T) if ch.eve.collusion else np.max(sinr, axis=0)  # (S,)
    f = params.prelog_factor
    sec = np.maximum(0.0, np.asarray(metrics.rate_ue)[None, :] - f * np.log2(1.0 + level)[:, None]).mean(axis=1)
    if kind == "sp":
        limit = float(metrics.eve_level)
    else:
        limit = params.nu_lin if params.eve_constraint else np.nan
    out["eve_violation_rate"] = float(np.mean(level > limit * (1.0 + feas_tol))) if np.isfinite(limit) else np.nan
    out["sinr_eve_unseen_max"] = float(np.max(level))
    out["secrecy_unseen_mean"] = float(np.mean(sec))
    out["secrecy_unseen_min"] = float(np.min(sec))
    return out


def design_eve_sinr(metrics) -> float:
    """The Eve SINR a design bounds by nu (CP) or minimises (SP): max_l SINR_l (eq. (17)), or over the guarded
    positions of the eavesdroppers with the extension of docs/extensions/eavesdroppers.md (Metrics.eve_level)."""
    if metrics.eve_level is None:
        return float(np.max(metrics.sinr_eve))
    return float(metrics.eve_level)


def design_summary(kind: str, metrics, s, q, ch, params: SystemParams, feasible: bool, feas_tol: float) -> dict:
    """Scalar results of a design under the extension (stored as the dataset variables of datasets.EVE_DESIGN_VARS):
    sinr_eve_guarded (the Eve SINR over the guarded positions that the design bounds or minimises), with colluding
    eavesdroppers sinr_eve_colluding and rate_eve_colluding at their actual positions, and with unseen positions the
    four results of `unseen_evaluation`."""
    out = {"sinr_eve_guarded": design_eve_sinr(metrics)}
    if ch.eve.collusion:
        col = float(metrics.sinr_eve_colluding)
        out["sinr_eve_colluding"] = col
        out["rate_eve_colluding"] = float(params.prelog_factor * np.log2(1.0 + col))
    if ch.eve.samples is not None:
        out.update(unseen_evaluation(kind, metrics, s, q, ch, params, feasible, feas_tol))
    return out


def check_geometry(geom, params: SystemParams) -> None:
    """ValueError naming the field if an EveGeometry does not fit params (shapes, finite positions, sample count)."""
    M, L = params.M, params.L
    if not isinstance(geom, EveGeometry):
        raise ValueError(f"ls.eve: eve_position = {params.eve_position!r} needs the eavesdroppers' geometry "
                         "(channels.large_scale_fading under the same params), got "
                         f"{type(geom).__name__}")
    S = params.eve_eval_samples if params.eve_position == "disc" else 0
    for name, shape in (("ap_xy", (M, 2)), ("zone_xy", (L, 2)), ("eve_xy", (L, 2)), ("sample_xy", (S, L, 2)),
                        ("zone_shadowing_db", (M, L))):
        arr = np.asarray(getattr(geom, name), dtype=float)
        if arr.shape != shape:
            raise ValueError(f"ls.eve.{name}: shape {arr.shape} does not match params (expected {shape})")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"ls.eve.{name}: must be finite")
