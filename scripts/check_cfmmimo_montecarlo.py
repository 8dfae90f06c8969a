"""Print Monte Carlo vs closed-form numbers for eqs. (9), (12), (17) (the table in docs/deviations.md, Study 1).

Same small instance as tests/cfmmimo/test_montecarlo.py (M=5, N=8, K=3, L=2, random beta/zeta/theta/eta,
noise-normalised rho = 1, rho_t = 0.5). Usage: python scripts/check_cfmmimo_montecarlo.py [n_draws]
"""

import sys
import time

import numpy as np

from secure_isac.cfmmimo.channels import channel_estimate_gain, cross_gain, steering_vector
from secure_isac.cfmmimo.closed_forms import masr_paper_vars, sinr_eve_paper_vars, sinr_ue_paper_vars
from secure_isac.cfmmimo.montecarlo import simulate

M, N, K, L = 5, 8, 3, 2
TAU_T = K + L
RHO, RHO_T = 1.0, 0.5


def main(n_draws: int = 200_000) -> None:
    r = np.random.default_rng(20260323)
    beta = 10 ** r.uniform(-1, 1, (M, K))
    zeta = 10 ** r.uniform(-1, 1, (M, L))
    sin_theta = r.uniform(-1, 1, (M, L))
    a = np.array([1.0, 1.0, 0.0, 1.0, 0.0])
    gamma = channel_estimate_gain(beta, TAU_T, RHO_T)
    eta_c = r.uniform(0.2, 1.0, (M, K))
    eta_c /= N * np.sum(eta_c * gamma, axis=1, keepdims=True)
    eta_s = r.uniform(0.2, 1.0, (M, L))
    eta_s /= N * np.sum(eta_s, axis=1, keepdims=True)
    G = cross_gain(sin_theta, N)
    kw = dict(N=N, rho_norm=RHO, rho_t_norm=RHO_T, tau_t=TAU_T, n_draws=n_draws)
    t0 = time.perf_counter()
    rnd = simulate(beta, zeta, sin_theta, a, eta_c, eta_s, **kw, rng=np.random.default_rng(1), phase="random")
    coh = simulate(beta, zeta, sin_theta, a, eta_c, eta_s, **kw, rng=np.random.default_rng(2), phase="coherent")
    elapsed = time.perf_counter() - t0

    corrected = sinr_ue_paper_vars(a, eta_c, eta_s, beta, gamma, RHO, N)
    printed = sinr_ue_paper_vars(a, eta_c, eta_s, beta, gamma, RHO, N, form="printed")
    eve = sinr_eve_paper_vars(a, eta_c, eta_s, gamma, zeta, G, RHO, N)
    ms = masr_paper_vars(a, eta_c, eta_s, gamma, zeta, G, N)
    # Exact values of the literal (coherent) model, for reference.
    vec = steering_vector(sin_theta, N)
    amp = np.sqrt((1 - a)[:, None, None] * eta_s[:, None, :] * zeta[:, :, None]) * np.einsum(
        "mld,mjd->mlj", vec.conj(), vec)
    beam = np.abs(amp.sum(axis=0)) ** 2
    comm = N * np.sum(a[:, None] * zeta * np.sum(eta_c * gamma, axis=1, keepdims=True), axis=0)
    eve_coh = RHO * comm / (RHO * beam.sum(axis=1) + 1)
    masr_coh = np.diagonal(beam) / (comm + beam.sum(axis=1) - np.diagonal(beam))

    print(f"{n_draws} draws per phase model, {elapsed:.1f} s")
    print("UE | MC (UatF) | corrected (9) | rel.err | printed (9) | rel.err")
    for k in range(K):
        print(f"{k + 1} | {rnd.sinr_ue[k]:.4f} | {corrected[k]:.4f} | {corrected[k] / rnd.sinr_ue[k] - 1:+.2%} | "
              f"{printed[k]:.4f} | {printed[k] / rnd.sinr_ue[k] - 1:+.2%}")
    print("zone | Eve MC random | (17) | rel.err | Eve MC coherent | coherent exact | MASR MC random | (12) | rel.err"
          " | MASR MC coherent | coherent exact")
    for l in range(L):
        print(f"{l + 1} | {rnd.sinr_eve[l]:.4f} | {eve[l]:.4f} | {eve[l] / rnd.sinr_eve[l] - 1:+.2%} | "
              f"{coh.sinr_eve[l]:.4f} | {eve_coh[l]:.4f} | {rnd.masr[l]:.4f} | {ms[l]:.4f} | "
              f"{ms[l] / rnd.masr[l] - 1:+.2%} | {coh.masr[l]:.4f} | {masr_coh[l]:.4f}")
    print(f"max |E||g_hat||^2/N / gamma - 1| = {np.max(np.abs(rnd.gamma_hat / gamma - 1)):.2%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
