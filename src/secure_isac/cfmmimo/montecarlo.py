"""Monte Carlo simulator of the paper's signal model (eqs. (2)-(8), (10)-(16)): pilots, LMMSE, MRT, sensing beams.

Independent route for the closed forms (9), (12), (17) (docs/model.md, Monte Carlo check). Works in
noise-normalised units (noise variance 1, powers rho_norm = rho/sigma^2), vectorised over channel draws in
memory-bounded chunks. Data and sensing symbols are independent and unit-power, so their expectation is taken
exactly: the power of a received sum sum_j c_j x_j is sum_j E|c_j|^2, and only channels, estimation noise and
sensing phases are sampled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .channels import steering_vector

PHASE_MODELS = ("random", "coherent")


@dataclass(frozen=True)
class MonteCarloResult:
    """Sample-moment SINRs: UatF UE SINR (K,), Eve SINR (L,), MASR (L,), and the sampled estimate power (M,K)."""

    sinr_ue: np.ndarray
    sinr_eve: np.ndarray
    masr: np.ndarray
    gamma_hat: np.ndarray  # E||g_hat_mk||^2 / N, should equal gamma_mk (LMMSE check)
    n_draws: int
    phase: str
    # colluding eavesdroppers (extension, docs/model.md S1-82): per-stream maximum-ratio combining of their
    # observations, and the sampled covariance (L, L) of their interference plus noise
    sinr_eve_colluding: float | None = None
    cov_eve: np.ndarray | None = None


def pilot_matrix(tau_t: int) -> np.ndarray:
    """Orthonormal pilot book: columns of the unitary tau_t-point DFT, phi_k^H phi_k' = delta_kk' (paper II-A)."""
    n = np.arange(tau_t)
    return np.exp(-2j * np.pi * np.outer(n, n) / tau_t) / np.sqrt(tau_t)


def _cn(rng: np.random.Generator, shape) -> np.ndarray:
    """Circularly-symmetric CN(0, 1) samples."""
    x = rng.standard_normal((*shape, 2))
    x *= np.sqrt(0.5)
    return x.view(np.complex128)[..., 0]


def _check(beta, zeta, sin_theta, a, eta_c, eta_s, N, rho_norm, rho_t_norm, tau_t, n_draws, phase, pilot=None,
           zeta_eve=None, sin_theta_eve=None):
    M, K = beta.shape
    if (zeta_eve is None) != (sin_theta_eve is None):
        raise ValueError("zeta_eve: give zeta_eve and sin_theta_eve together (an eavesdropper off the zone centre)")
    if zeta_eve is not None:
        for name, arr in (("zeta_eve", zeta_eve), ("sin_theta_eve", sin_theta_eve)):
            if np.shape(arr) != np.shape(zeta):
                raise ValueError(f"{name}: shape {np.shape(arr)}, expected {np.shape(zeta)}")
        if np.any(zeta_eve < 0) or not np.all(np.isfinite(zeta_eve)):
            raise ValueError("zeta_eve: must be finite and >= 0")
        if np.any(np.abs(sin_theta_eve) > 1):
            raise ValueError("sin_theta_eve: must lie in [-1, 1]")
    L = zeta.shape[1] if zeta.ndim == 2 else -1
    shapes = {"zeta": (zeta, (M, L)), "sin_theta": (sin_theta, (M, L)), "a": (a, (M,)),
              "eta_c": (eta_c, (M, K)), "eta_s": (eta_s, (M, L))}
    if zeta.ndim != 2:
        raise ValueError(f"zeta: must be (M, L), got shape {zeta.shape}")
    for name, (arr, shape) in shapes.items():
        if arr.shape != shape:
            raise ValueError(f"{name}: shape {arr.shape}, expected {shape}")
    for name, arr in (("beta", beta), ("zeta", zeta), ("eta_c", eta_c), ("eta_s", eta_s)):
        if np.any(arr < 0) or not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: must be finite and >= 0")
    if np.any(np.abs(sin_theta) > 1):
        raise ValueError("sin_theta: must lie in [-1, 1]")
    if np.any((a < 0) | (a > 1)):
        raise ValueError("a: AP modes must lie in [0, 1]")
    if int(N) < 1:
        raise ValueError(f"N: must be >= 1, got {N}")
    if not rho_norm > 0:
        raise ValueError(f"rho_norm: must be > 0, got {rho_norm}")
    if not rho_t_norm > 0:
        raise ValueError(f"rho_t_norm: must be > 0, got {rho_t_norm}")
    if pilot is None and int(tau_t) < K:
        raise ValueError(f"tau_t: {tau_t} orthogonal pilots cannot serve K = {K} UEs")
    if pilot is not None:
        pilot = np.asarray(pilot)
        if (pilot.shape != (K,) or not np.issubdtype(pilot.dtype, np.integer) or np.any(pilot < 0)
                or np.any(pilot >= int(tau_t))):
            raise ValueError(f"pilot: must be ({K},) integers in [0, tau_t = {tau_t}), got {pilot!r}")
    if int(n_draws) < 2:
        raise ValueError(f"n_draws: need >= 2 draws, got {n_draws}")
    if phase not in PHASE_MODELS:
        raise ValueError(f"phase: must be one of {PHASE_MODELS}, got {phase!r}")


def simulate(beta, zeta, sin_theta, a, eta_c, eta_s, *, N: int, rho_norm: float, rho_t_norm: float, tau_t: int,
             n_draws: int, rng: np.random.Generator, phase: str = "random",
             max_chunk_bytes: float = 48e6, pilot=None, zeta_eve=None, sin_theta_eve=None,
             colluding: bool = False) -> MonteCarloResult:
    """Monte Carlo of (7) (UatF, sample moments), (14)-(16) and (10)-(11) (ratios of average powers, l' != l).

    phase="random": sensing LoS channel g_ml = sqrt(zeta_ml) e^{j phi_ml} a_N(theta_ml), phi_ml i.i.d. uniform per
    draw (the non-coherent assumption under which (12)/(17) hold, docs/deviations.md S1-P5); phase="coherent": phi = 0
    (literal model).
    pilot (K,) int: UE k sends column pilot[k] of the tau_t-point pilot book (UEs on one column share it: pilot
    contamination, docs/extensions/pilot-contamination.md) and is estimated by LMMSE from the de-spread observation,
    g_hat_mk = sqrt(tau_t rho_t) beta_mk / (tau_t rho_t sum_{k' on k's pilot} beta_mk' + 1) Y_m conj(phi_k);
    None: UE k sends column k (orthogonal pilots, needs tau_t >= K).

    Extension (docs/model.md S1-84): with zeta_eve, sin_theta_eve (M, L) eavesdropper l receives over its own LoS
    channel sqrt(zeta_eve_ml) e^{j phi'_ml} a_N(theta_eve_ml) (phi' drawn independently of the zone's phi), while
    the sensing beams stay a_N(theta_ml') and MASR stays at the zone centres. colluding: the eavesdroppers
    maximum-ratio combine their observations per stream k with c_k = D^-1 h_k (h_lk the amplitude of stream k at
    eavesdropper l in the draw, D the diagonal of the sampled covariance R of their interference plus noise); the
    SINR sum_k mean over the draws of |c_k^H h_k|^2 / (c_k^H R c_k) (R with its off-diagonal terms) is returned as
    sinr_eve_colluding, and R as cov_eve.
    """
    beta = np.asarray(beta, dtype=float)
    zeta = np.asarray(zeta, dtype=float)
    sin_theta = np.asarray(sin_theta, dtype=float)
    a = np.asarray(a, dtype=float)
    eta_c = np.asarray(eta_c, dtype=float)
    eta_s = np.asarray(eta_s, dtype=float)
    if beta.ndim != 2:
        raise ValueError(f"beta: must be (M, K), got shape {beta.shape}")
    eve_off = zeta_eve is not None
    if eve_off or sin_theta_eve is not None:
        zeta_eve = np.asarray(zeta_eve, dtype=float) if zeta_eve is not None else None
        sin_theta_eve = np.asarray(sin_theta_eve, dtype=float) if sin_theta_eve is not None else None
    _check(beta, zeta, sin_theta, a, eta_c, eta_s, N, rho_norm, rho_t_norm, tau_t, n_draws, phase, pilot, zeta_eve,
           sin_theta_eve)
    M, K = beta.shape
    L = zeta.shape[1]
    N = int(N)
    tau_t = int(tau_t)
    n_draws = int(n_draws)

    p_pilot = tau_t * rho_t_norm
    if pilot is None:
        phi = pilot_matrix(tau_t)[:, :K]  # (tau_t, K)
        lmmse = np.sqrt(p_pilot) * beta / (p_pilot * beta + 1.0)  # g_hat = lmmse * (projected pilot observation)
    else:  # shared pilots: the de-spread observation holds every UE on the pilot
        pilot = np.asarray(pilot)
        phi = pilot_matrix(tau_t)[:, pilot]
        on_pilot = beta @ (pilot[:, None] == pilot[None, :]).astype(float)
        lmmse = np.sqrt(p_pilot) * beta / (p_pilot * on_pilot + 1.0)
    w_c = np.sqrt(rho_norm * a[:, None] * eta_c)  # (M,K) amplitude of stream k at AP m
    w_s = np.sqrt(rho_norm * (1.0 - a)[:, None] * eta_s)  # (M,L) amplitude of sensing beam l at AP m
    steer = steering_vector(sin_theta, N)  # (M,L,N)
    # a^H(theta_ml) a(theta_ml'), (M,L,L'), and the sensing amplitude reaching zone l from beam l' of AP m.
    cross = np.einsum("mld,mjd->mlj", steer.conj(), steer)
    sens_at_zone = np.sqrt(zeta)[:, :, None] * cross * w_s[:, None, :]  # (M,L,L')

    acc_c = np.zeros((K, K), dtype=complex)  # sum of c_kk' (UE k receives stream k')
    acc_c2 = np.zeros((K, K))
    acc_d2 = np.zeros((K, L))  # sensing beam l at UE k
    acc_e2 = np.zeros((L, K))  # stream k at Eve l
    acc_f2 = np.zeros((L, L))  # sensing beam l' at zone l
    acc_gh = np.zeros((M, K))
    if eve_off:  # the eavesdroppers' own channels (extension)
        steer_eve = steering_vector(sin_theta_eve, N)
        cross_eve = np.einsum("mld,mjd->mlj", steer_eve.conj(), steer)  # a^H(theta_eve_ml) a(theta_ml')
        sens_at_eve = np.sqrt(zeta_eve)[:, :, None] * cross_eve * w_s[:, None, :]
        acc_e2_eve, acc_f2_eve = np.zeros((L, K)), np.zeros((L, L))
    if colluding:
        h_all = np.empty((n_draws, L, K), dtype=complex)  # stream k at eavesdropper l, every draw
        acc_cov = np.zeros((L, L), dtype=complex)

    per_draw = 16 * M * N * (4 * K + 2 * tau_t + 2 * L) + 16 * M * (K * K + 2 * K * L + L * L)
    chunk = max(1, int(max_chunk_bytes // per_draw))
    done = 0
    while done < n_draws:
        n = min(chunk, n_draws - done)
        g = np.sqrt(beta)[None, :, :, None] * _cn(rng, (n, M, K, N))  # (n,M,K,N) true channels
        noise = _cn(rng, (n, M, N, tau_t))
        Y = np.sqrt(p_pilot) * np.matmul(np.swapaxes(g, -1, -2), phi.T) + noise  # received pilots (n,M,N,tau_t)
        y = np.swapaxes(np.matmul(Y, phi.conj()), -1, -2)  # de-spread with each UE's pilot -> (n,M,K,N)
        g_hat = lmmse[None, :, :, None] * y
        acc_gh += np.sum(np.abs(g_hat) ** 2, axis=(0, 3)) / N

        gh = np.matmul(g.conj(), np.swapaxes(g_hat, -1, -2))  # (n,M,K,K'): g_mk^H g_hat_mk'
        c = np.einsum("nmkj,mj->nkj", gh, w_c)
        acc_c += c.sum(axis=0)
        acc_c2 += np.sum(np.abs(c) ** 2, axis=0)
        ga = np.einsum("nmkd,mld->nmkl", g.conj(), steer)  # g_mk^H a(theta_ml)
        d = np.einsum("nmkl,ml->nkl", ga, w_s)
        acc_d2 += np.sum(np.abs(d) ** 2, axis=0)

        if phase == "random":
            rot = np.exp(-1j * rng.uniform(0.0, 2.0 * np.pi, size=(n, M, L)))  # e^{-j phi_ml} from g_ml^H
        else:
            rot = np.ones((n, M, L))
        ag = np.einsum("mld,nmkd->nmlk", steer.conj(), g_hat)  # a^H(theta_ml) g_hat_mk
        e = np.einsum("nml,nmlk->nlk", rot, ag * (np.sqrt(zeta)[:, :, None] * w_c[:, None, :]))
        acc_e2 += np.sum(np.abs(e) ** 2, axis=0)
        f = np.einsum("nml,mlj->nlj", rot, sens_at_zone)
        acc_f2 += np.sum(np.abs(f) ** 2, axis=0)
        e_eve, f_eve = e, f
        if eve_off:  # drawn after every draw of the paper's model, so its results stay as they were
            if phase == "random":
                rot_e = np.exp(-1j * rng.uniform(0.0, 2.0 * np.pi, size=(n, M, L)))
            else:
                rot_e = np.ones((n, M, L))
            ag_e = np.einsum("mld,nmkd->nmlk", steer_eve.conj(), g_hat)
            e_eve = np.einsum("nml,nmlk->nlk", rot_e, ag_e * (np.sqrt(zeta_eve)[:, :, None] * w_c[:, None, :]))
            f_eve = np.einsum("nml,mlj->nlj", rot_e, sens_at_eve)
            acc_e2_eve += np.sum(np.abs(e_eve) ** 2, axis=0)
            acc_f2_eve += np.sum(np.abs(f_eve) ** 2, axis=0)
        if colluding:
            h_all[done:done + n] = e_eve
            acc_cov += np.einsum("nlj,nij->li", f_eve, f_eve.conj())
        done += n

    mean_c = acc_c / n_draws
    pow_c = acc_c2 / n_draws
    ds = np.diagonal(mean_c)
    var_ds = np.diagonal(pow_c) - np.abs(ds) ** 2
    iui = pow_c.sum(axis=1) - np.diagonal(pow_c)
    sinr_ue = np.abs(ds) ** 2 / (var_ds + iui + acc_d2.sum(axis=1) / n_draws + 1.0)

    p_comm = acc_e2.sum(axis=1) / n_draws  # E|DS_l|^2 (15): all K streams
    p_sens = acc_f2 / n_draws  # (L,L'): E|sensing beam l' at zone l|^2
    sinr_eve = p_comm / (p_sens.sum(axis=1) + 1.0)
    own = np.diagonal(p_sens)
    masr = own / (p_comm + p_sens.sum(axis=1) - own)
    if eve_off:
        sinr_eve = (acc_e2_eve.sum(axis=1) / n_draws) / (acc_f2_eve.sum(axis=1) / n_draws + 1.0)
    col, cov = None, None
    if colluding:
        cov = acc_cov / n_draws + np.eye(L)  # interference plus noise across the eavesdroppers
        c = h_all / np.real(np.diagonal(cov))[None, :, None]  # per-stream MRC weights D^-1 h_k
        num = np.abs(np.sum(c.conj() * h_all, axis=1)) ** 2  # (n, K)
        den = np.real(np.einsum("nlk,li,nik->nk", c.conj(), cov, c))
        col = float(np.sum(np.mean(num / den, axis=0)))
    return MonteCarloResult(sinr_ue=sinr_ue, sinr_eve=sinr_eve, masr=masr, gamma_hat=acc_gh / n_draws,
                            n_draws=n_draws, phase=phase, sinr_eve_colluding=col, cov_eve=cov)


def simulate_layout(ls, params, a, eta_c, eta_s, *, n_draws: int, rng: np.random.Generator, phase: str = "random",
                    max_chunk_bytes: float = 48e6) -> MonteCarloResult:
    """Monte Carlo of (7), (14), (10) for one layout's LargeScale and SystemParams (absolute units;
    docs/model.md, Monte Carlo check); the eavesdroppers at their own positions (ls.eve) and colluding as
    params.eve_position and params.eve_collusion say (extension, docs/model.md S1-84)."""
    eve = {}
    if params.eve_position != "centre":
        from .eavesdroppers import large_scale_at_positions

        zeta_e, sin_e = large_scale_at_positions(ls.eve, ls.eve.eve_xy[:, None, :], params)
        eve = {"zeta_eve": zeta_e[..., 0], "sin_theta_eve": sin_e[..., 0]}
    return simulate(ls.beta, ls.zeta, ls.sin_theta, a, eta_c, eta_s, N=params.N, rho_norm=params.rho_norm,
                    rho_t_norm=params.rho_t_norm, tau_t=params.tau_t, n_draws=n_draws, rng=rng, phase=phase,
                    max_chunk_bytes=max_chunk_bytes, pilot=getattr(ls, "pilot", None),
                    colluding=bool(params.eve_collusion), **eve)
