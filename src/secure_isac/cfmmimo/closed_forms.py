"""Closed-form UE SINR (9), Eve SINR (17) and MASR (12), in effective-power variables (docs/model.md, 1.4-1.8).

All functions broadcast over any leading batch dimensions (e.g. layouts): s (...,M,K), q (...,M,L).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import checks
from .channels import LargeScale, check_large_scale, cross_amplitude, shared_pilots
from .clusters import serving_clusters
from .eavesdroppers import (
    colluding_sinr,
    design_eve_sinr,  # noqa: F401 (closed_forms.design_eve_sinr, read by the optimisers)
    eve_channel,
    eve_level,
    eve_sinr,
)
from .params import UE_SINR_FORMS, SystemParams

COMBINING = ("noncoherent", "coherent")


@dataclass(frozen=True)
class NormalizedChannel:
    """Noise-normalised channel of one layout (or a batch of layouts, leading dimensions `...`), the variables
    of the closed forms (docs/model.md S1-10, S1-11).

    Attributes
    ----------
    b : numpy.ndarray, shape (..., M, K)
        rho beta / sigma^2: large-scale fading times the noise-normalised AP power, linear.
    g : numpy.ndarray, shape (..., M, K)
        rho gamma / sigma^2, linear.
    z : numpy.ndarray, shape (..., M, L)
        rho zeta / sigma^2, linear.
    G_hat : numpy.ndarray, shape (..., M, L, L)
        Cross gain |a_N^H(theta_ml) a_N(theta_ml')|^2 / N (N on the diagonal).
    N : int
        Antennas per AP.
    C_hat : numpy.ndarray of complex, shape (..., M, L, L), or None
        a_N^H(theta_ml) a_N(theta_ml') / sqrt(N) (|C_hat|^2 = G_hat), read only by the coherent combining
        (docs/deviations.md S1-P21).
    pilot : numpy.ndarray of int, shape (..., K), or None
        Pilot of each UE when UEs share pilots; None: every UE its own pilot
        (docs/extensions/pilot-contamination.md).
    serving : numpy.ndarray of int, shape (K, C), or None
        User-centric clusters: the APs serving each UE, strongest first (clusters.serving_clusters); None: every AP
        serves every UE (the paper's model; docs/model.md 1.23).
    eve : eavesdroppers.EveChannel or None
        The eavesdroppers' channels when the eavesdropper model is not the paper's (docs/extensions/eavesdroppers.md).
    """

    b: np.ndarray
    g: np.ndarray
    z: np.ndarray
    G_hat: np.ndarray
    N: int
    C_hat: np.ndarray | None = None
    pilot: np.ndarray | None = None
    eve: object = None  # eavesdroppers.EveChannel when the eavesdropper model is not the paper's (extension)
    # user-centric clusters (K, C): the APs serving each UE, strongest first (clusters.serving_clusters); None = every
    # AP serves every UE (the paper's model). The closed forms need no change: s_mk = 0 outside the clusters.
    serving: np.ndarray | None = None


def normalize(ls: LargeScale, params: SystemParams) -> NormalizedChannel:
    """Noise-normalised channel: the large-scale gains times rho / sigma^2, the cross gain divided by N
    (docs/model.md S1-11).

    Parameters
    ----------
    ls : LargeScale
        Gains of one layout in W/W: beta, gamma (M, K), zeta, sin_theta (M, L).
    params : SystemParams
        The scenario `ls` was made with (M, K, L, N; rho / sigma^2 = `params.rho_norm`).

    Returns
    -------
    NormalizedChannel
        b, g (M, K), z (M, L), G_hat and C_hat (M, L, L), linear.

    Raises
    ------
    ValueError
        If `ls` does not match `params` (shapes) or holds a non-finite or negative gain; the message names the
        field (`channels.check_large_scale`).

    Notes
    -----
    With params.cluster_size < M also the serving clusters of every UE (clusters.serving_clusters of beta).
    """
    check_large_scale(ls, params)
    rho = params.rho_norm
    c = cross_amplitude(ls.sin_theta, params.N)  # one phasor sum for both: G = |c|^2
    z, G_hat, C_hat = rho * np.asarray(ls.zeta, dtype=float), np.abs(c) ** 2 / params.N, c / np.sqrt(params.N)
    eve = None
    # extension: eavesdroppers off the zone centre / colluding (docs/deviations.md S1-P22 to S1-P27)
    if params.eve_enabled:
        eve = eve_channel(ls, params, z, C_hat, G_hat)
    return NormalizedChannel(
        b=rho * np.asarray(ls.beta, dtype=float),
        g=rho * np.asarray(ls.gamma, dtype=float),
        z=z,
        G_hat=G_hat,
        N=int(params.N),
        C_hat=C_hat,
        pilot=None if getattr(ls, "pilot", None) is None else np.asarray(ls.pilot),
        eve=eve,
        serving=serving_clusters(ls.beta, params.cluster_size) if params.clustered else None,
    )


def effective_powers(a, eta_c, eta_s, gamma, N: int) -> tuple[np.ndarray, np.ndarray]:
    """s_mk = N gamma_mk a_m eta^c_mk and q_ml = N (1 - a_m) eta^s_ml (docs/model.md, normalised variables)."""
    a = np.asarray(a, dtype=float)[..., None]
    s = N * np.asarray(gamma, dtype=float) * a * np.asarray(eta_c, dtype=float)
    q = N * (1.0 - a) * np.asarray(eta_s, dtype=float)
    return s, q


def _sensing_leak(q, G_hat) -> np.ndarray:
    """(...,M,L): sum_l' G_hat_mll' q_ml' (the sensing power AP m radiates towards zone l)."""
    return np.sum(np.asarray(G_hat) * np.asarray(q)[..., None, :], axis=-1)


def sinr_ue(s, q, ch: NormalizedChannel, form: str = "corrected") -> np.ndarray:
    """UE SINR, corrected eq. (9) (beta_mk in the interference term); form="printed" gives (9) as printed (beta_mk')."""
    if form not in UE_SINR_FORMS:
        raise ValueError(f"form: must be one of {UE_SINR_FORMS}, got {form!r}")
    s = np.asarray(s, dtype=float)
    q = np.asarray(q, dtype=float)
    x = np.sqrt(ch.N) * np.sum(np.sqrt(ch.g * s), axis=-2)
    q_tot = q.sum(axis=-1)
    if form == "corrected":
        load = s.sum(axis=-1) + q_tot
        denom = np.sum(ch.b * load[..., None], axis=-2) + 1.0
    else:
        comm = np.sum(ch.b * s, axis=(-2, -1))[..., None]
        denom = comm + np.sum(ch.b * q_tot[..., None], axis=-2) + 1.0
    if ch.pilot is not None:  # coherent pilot-contamination interference (extension; None: the paper's model)
        denom = denom + pilot_interference(s, ch)
    return x**2 / denom


def copilot_amplitudes(s, ch: NormalizedChannel) -> np.ndarray:
    """(...,K,K'): x_kk' = sqrt(N) sum_m sqrt(g_mk s_mk'), the mean amplitude of stream k' at UE k
    (E{g_mk^T conj(g_hat_mk')} = N gamma_mk' beta_mk/beta_mk' = N gamma_mk for UEs k, k' on one pilot, since
    gamma_mk'/beta_mk' = gamma_mk/beta_mk there; docs/extensions/pilot-contamination.md). x_kk = x_k."""
    return np.sqrt(ch.N) * np.einsum("...mk,...mj->...kj", np.sqrt(ch.g), np.sqrt(np.asarray(s, dtype=float)))


def pilot_interference(s, ch: NormalizedChannel) -> np.ndarray:
    """(...,K): I_k = sum_{k' != k on UE k's pilot} x_kk'^2, the coherent interference of pilot contamination in the
    UE SINR (Ngo et al. 2017, eq. (27): rho N^2 sum_k' (sum_m sqrt(eta_mk') gamma_mk' beta_mk/beta_mk')^2 in the
    paper's variables); zeros when every UE has its own pilot."""
    if ch.pilot is None:
        return np.zeros(np.shape(ch.g)[:-2] + np.shape(ch.g)[-1:])
    return np.sum(shared_pilots(ch.pilot) * copilot_amplitudes(s, ch) ** 2, axis=-1)


def sinr_eve(s, q, ch: NormalizedChannel) -> np.ndarray:
    """Eve SINR at each zone centre, eq. (17) (non-coherent AP combining)."""
    S = np.asarray(s, dtype=float).sum(axis=-1)
    A = np.sum(ch.z * S[..., None], axis=-2)
    E = np.sum(ch.z * _sensing_leak(q, ch.G_hat), axis=-2) + 1.0
    return A / E


def masr(s, q, ch: NormalizedChannel) -> np.ndarray:
    """Mainlobe-to-average-sidelobe ratio, eq. (12) (l' != l; rho cancels; 0 without sensing power)."""
    q = np.asarray(q, dtype=float)
    S = np.asarray(s, dtype=float).sum(axis=-1)
    Q = ch.N * np.sum(ch.z * q, axis=-2)
    diag = np.diagonal(np.asarray(ch.G_hat), axis1=-2, axis2=-1)
    off = _sensing_leak(q, ch.G_hat) - diag * q
    C = np.sum(ch.z * S[..., None], axis=-2) + np.sum(ch.z * off, axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = Q / C
    return np.where(Q > 0, out, 0.0)


def _coherent_sensing(q, ch: NormalizedChannel) -> np.ndarray:
    """(...,L,L'): |sum_m sqrt(z_ml q_ml') C_hat_mll'|^2, the power of zone l''s sensing beam at zone l when the APs'
    beams add with their deterministic LoS phases (docs/deviations.md S1-P21); its AP-wise non-coherent sum is
    sum_m z_ml q_ml' G_hat_mll'."""
    if ch.C_hat is None:
        raise ValueError("ch: the coherent combining needs C_hat (build the channel with closed_forms.normalize)")
    amp = np.sqrt(ch.z)[..., :, :, None] * np.sqrt(np.asarray(q, dtype=float))[..., :, None, :] * ch.C_hat
    return np.abs(amp.sum(axis=-3)) ** 2


def sinr_eve_coherent(s, q, ch: NormalizedChannel) -> np.ndarray:
    """Eve SINR (17) with coherent AP combining of the sensing beams: denominator sum_l' |sum_m sqrt(z_ml q_ml')
    C_hat_mll'|^2 + 1; the numerator (all K streams, precoded on random channel estimates) stays non-coherent."""
    S = np.asarray(s, dtype=float).sum(axis=-1)
    A = np.sum(ch.z * S[..., None], axis=-2)
    return A / (_coherent_sensing(q, ch).sum(axis=-1) + 1.0)


def masr_coherent(s, q, ch: NormalizedChannel) -> np.ndarray:
    """MASR (12) with coherent AP combining: own beam N (sum_m sqrt(z_ml q_ml))^2 over the communication leak plus
    sum_{l' != l} |sum_m sqrt(z_ml q_ml') C_hat_mll'|^2 (0 without sensing power)."""
    P = _coherent_sensing(q, ch)
    own = np.diagonal(P, axis1=-2, axis2=-1)
    S = np.asarray(s, dtype=float).sum(axis=-1)
    C = np.sum(ch.z * S[..., None], axis=-2) + P.sum(axis=-1) - own
    with np.errstate(divide="ignore", invalid="ignore"):
        out = own / C
    return np.where(own > 0, out, 0.0)


@dataclass(frozen=True)
class Metrics:
    """Closed-form metrics of a design (docs/model.md S1-13 to S1-18); leading dimensions `...` are those of the
    powers and the channel, broadcast.

    Attributes
    ----------
    sinr_ue : numpy.ndarray, shape (..., K)
        UE SINR, eq. (9) (corrected, or as printed with `ue_sinr_form`), linear.
    sinr_eve : numpy.ndarray, shape (..., L)
        SINR of the eavesdropper at each zone centre, eq. (17), linear.
    masr : numpy.ndarray, shape (..., L)
        Mainlobe-to-average-sidelobe ratio of each zone, eq. (12), linear.
    rate_ue : numpy.ndarray, shape (..., K)
        prelog log2(1 + sinr_ue), bit/s/Hz.
    rate_eve : numpy.ndarray, shape (..., L)
        prelog log2(1 + sinr_eve), bit/s/Hz.
    secrecy_ue : numpy.ndarray, shape (..., K)
        Secrecy rate max(0, rate_ue - max_l rate_eve), bit/s/Hz.
    """

    sinr_ue: np.ndarray
    sinr_eve: np.ndarray
    masr: np.ndarray
    rate_ue: np.ndarray
    rate_eve: np.ndarray
    secrecy_ue: np.ndarray
    # extension (eavesdroppers off the zone centre / colluding): the Eve SINR the design bounds or minimises over its
    # guarded positions (None: max_l sinr_eve, the paper's model) and the colluding eavesdroppers' SINR
    eve_level: np.ndarray | float | None = None
    sinr_eve_colluding: np.ndarray | float | None = None


def check_channel(ch: NormalizedChannel, params: SystemParams) -> None:
    """ValueError naming the argument unless `ch` is a NormalizedChannel of the system `params` describes."""
    checks.instance("ch", ch, NormalizedChannel, "NormalizedChannel (closed_forms.normalize)")
    checks.instance("params", params, SystemParams)
    b, z = np.shape(ch.b), np.shape(ch.z)
    got = (b[-2:], z[-1:], int(ch.N)) if len(b) >= 2 and len(z) >= 2 else None
    if got != ((params.M, params.K), (params.L,), params.N):
        raise ValueError(f"params: M={params.M}, K={params.K}, L={params.L}, N={params.N} do not describe the channel "
                         f"ch (gains of shape {b} and {z}, N={ch.N}); pass the params the channel was made with")


def evaluate(s, q, ch: NormalizedChannel, params: SystemParams, combining: str = "noncoherent") -> Metrics:
    """Every closed-form metric of a design: SINRs (9), (17), MASR (12), R = prelog log2(1 + SINR) and
    R_sec,k = [R_k - max_l R_l]^+ (docs/model.md S1-13 to S1-18).

    Parameters
    ----------
    s : array_like, shape (..., M, K)
        Effective communication powers s_mk = N gamma_mk a_m eta^c_mk: the share of AP m's power budget spent on
        UE k (a Design's `power_c`); real, finite, >= 0. Leading (batch) dimensions broadcast with the channel's.
    q : array_like, shape (..., M, L)
        Effective sensing powers q_ml = N (1 - a_m) eta^s_ml: the share spent on zone l (a Design's `power_s`).
    ch : NormalizedChannel
        The noise-normalised channel (`normalize`).
    params : SystemParams
        The scenario `ch` was made with (SINR form, pre-log).
    combining : {"noncoherent", "coherent"}, default "noncoherent"
        How the APs' sensing beams add at a zone: "noncoherent" gives (12)/(17) as printed; "coherent" adds them
        with their LoS phases (docs/deviations.md S1-P21).

    Returns
    -------
    Metrics
        sinr_ue, rate_ue, secrecy_ue (..., K); sinr_eve, masr, rate_eve (..., L); SINRs linear, rates in bit/s/Hz.

    Raises
    ------
    ValueError
        If `s` or `q` has the wrong shape, a negative or non-finite entry, batch dimensions that do not broadcast,
        `params` does not describe `ch`, or `combining` is unknown (the message names the argument).
    """
    if combining not in COMBINING:
        raise ValueError(f"combining: must be one of {COMBINING}, got {combining!r}")
    check_channel(ch, params)
    s_arr = checks.real_array("s", s, trailing=(params.M, params.K), nonnegative=True)
    q_arr = checks.real_array("q", q, trailing=(params.M, params.L), nonnegative=True)
    try:
        np.broadcast_shapes(s_arr.shape[:-2], q_arr.shape[:-2], np.shape(ch.b)[:-2])
    except ValueError:
        raise ValueError(f"s, q: leading (batch) dimensions {s_arr.shape[:-2]} and {q_arr.shape[:-2]} do not broadcast "
                         f"with the channel's {np.shape(ch.b)[:-2]}") from None
    return evaluate_iterate(s_arr, q_arr, ch, params, combining)


def evaluate_iterate(s, q, ch: NormalizedChannel, params: SystemParams, combining: str = "noncoherent") -> Metrics:
    """`evaluate` without its argument checks, for the optimisers' own iterates: a solver that returns a NaN
    iterate is recorded by its caller (a degenerate iterate, an infeasible design), never raised."""
    if combining not in COMBINING:
        raise ValueError(f"combining: must be one of {COMBINING}, got {combining!r}")
    su = sinr_ue(s, q, ch, form=params.ue_sinr_form)
    if combining == "coherent":
        se, ms = sinr_eve_coherent(s, q, ch), masr_coherent(s, q, ch)
    else:
        se, ms = sinr_eve(s, q, ch), masr(s, q, ch)
    if ch.eve is not None:
        return _evaluate_eve(s, q, ch, params, combining, su, ms)
    f = params.prelog_factor
    ru = f * np.log2(1.0 + su)
    re = f * np.log2(1.0 + se)
    sec = np.maximum(0.0, ru - np.max(re, axis=-1, keepdims=True))
    return Metrics(sinr_ue=su, sinr_eve=se, masr=ms, rate_ue=ru, rate_eve=re, secrecy_ue=sec)


def _evaluate_eve(s, q, ch: NormalizedChannel, params: SystemParams, combining: str, su, ms) -> Metrics:
    """evaluate() with the eavesdropper extension (docs/model.md S1-79 - S1-82): the Eve SINR at each
    eavesdropper's actual position, the design's guarded level, and, colluding, the secrecy rate against the
    combined SINR sum_l SINR_l: R_sec,k = [R_k - f log2(1 + sum_l SINR_l)]^+."""
    eve = ch.eve
    se = eve_sinr(s, q, eve.actual, combining)[..., 0]
    level = eve_level(eve_sinr(s, q, eve.guarded_for(combining), combining), eve.collusion)
    f = params.prelog_factor
    ru = f * np.log2(1.0 + su)
    re = f * np.log2(1.0 + se)
    col = colluding_sinr(se) if eve.collusion else None
    worst = f * np.log2(1.0 + col)[..., None] if eve.collusion else np.max(re, axis=-1, keepdims=True)
    sec = np.maximum(0.0, ru - worst)
    return Metrics(sinr_ue=su, sinr_eve=se, masr=ms, rate_ue=ru, rate_eve=re, secrecy_ue=sec, eve_level=level,
                   sinr_eve_colluding=col)


# --- The closed forms in the paper's own variables (independent route for the equivalence tests) --------------


def sinr_ue_paper_vars(a, eta_c, eta_s, beta, gamma, rho, N: int, form: str = "corrected",
                       pilot=None) -> np.ndarray:
    """UE SINR eq. (9) in the paper's variables; "corrected" uses beta_mk (docs/deviations.md S1-P1), "printed"
    beta_mk'. pilot (..., K): UEs sharing pilots add Ngo et al. 2017's coherent term (27),
    rho N^2 sum_{k' != k on k's pilot} (sum_m sqrt(a_m eta_mk') gamma_mk' beta_mk / beta_mk')^2."""
    if form not in UE_SINR_FORMS:
        raise ValueError(f"form: must be one of {UE_SINR_FORMS}, got {form!r}")
    a = np.asarray(a, dtype=float)[..., None]
    eta_c = np.asarray(eta_c, dtype=float)
    eta_s = np.asarray(eta_s, dtype=float)
    beta = np.asarray(beta, dtype=float)
    gamma = np.asarray(gamma, dtype=float)
    num = rho * N**2 * np.sum(np.sqrt(a * eta_c) * gamma, axis=-2) ** 2
    sens = rho * N * np.sum((1.0 - a) * beta * np.sum(eta_s, axis=-1, keepdims=True), axis=-2)
    if form == "corrected":
        comm = rho * N * np.sum(a * beta * np.sum(eta_c * gamma, axis=-1, keepdims=True), axis=-2)
    else:
        comm = rho * N * np.sum(a * eta_c * beta * gamma, axis=(-2, -1))[..., None]
    if pilot is None:
        return num / (comm + sens + 1.0)
    # sum_m sqrt(a_m eta_mj) gamma_mj beta_mk / beta_mj, (..., K, K')
    amp = np.einsum("...mk,...mj->...kj", beta, np.sqrt(a * eta_c) * gamma / beta)
    coh = rho * N**2 * np.sum(shared_pilots(pilot) * amp**2, axis=-1)
    return num / (comm + sens + coh + 1.0)


def sinr_eve_paper_vars(a, eta_c, eta_s, gamma, zeta, G, rho, N: int) -> np.ndarray:
    """Eve SINR eq. (17) in the paper's variables (G = |a^H a|^2, not divided by N)."""
    a = np.asarray(a, dtype=float)[..., None]
    zeta = np.asarray(zeta, dtype=float)
    num = rho * N * np.sum(a * zeta * np.sum(np.asarray(eta_c) * np.asarray(gamma), axis=-1, keepdims=True), axis=-2)
    leak = np.einsum("...mlj,...mj->...ml", np.asarray(G, dtype=float), np.asarray(eta_s, dtype=float))
    den = rho * np.sum((1.0 - a) * zeta * leak, axis=-2) + 1.0
    return num / den


def masr_paper_vars(a, eta_c, eta_s, gamma, zeta, G, N: int) -> np.ndarray:
    """MASR eq. (12) in the paper's variables (sum over l' != l, no rho)."""
    a = np.asarray(a, dtype=float)[..., None]
    zeta = np.asarray(zeta, dtype=float)
    eta_s = np.asarray(eta_s, dtype=float)
    G = np.asarray(G, dtype=float)
    L = eta_s.shape[-1]
    num = N**2 * np.sum((1.0 - a) * eta_s * zeta, axis=-2)
    comm = N * np.sum(a * zeta * np.sum(np.asarray(eta_c) * np.asarray(gamma), axis=-1, keepdims=True), axis=-2)
    off = G * (1.0 - np.eye(L))
    dist = np.sum((1.0 - a) * zeta * np.einsum("...mlj,...mj->...ml", off, eta_s), axis=-2)
    return num / (comm + dist)
