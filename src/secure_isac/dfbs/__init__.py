"""Study 2: secure DFBS beamforming with antenna allocation (arXiv:2410.01603).

Public API::

    from secure_isac.dfbs import DfbsParams, reference_design, design
    params = DfbsParams()                           # N = 16, N_RF = 8, the symmetric geometry (docs/deviations.md)
    ref = reference_design("aa", params)            # designs without the secrecy constraint (valid at every P)
    d = design("aa", params, 20.0, 2.0, reference=ref)  # P = 20 dBm, R-bar = 2 bit/s/Hz: selection, w, R_s, ...

Modules: params (DfbsParams, power and R-bar validation), array (ULA steering, LoS channels, desired pattern,
beampatterns), metrics (matching error, SINRs, secrecy rate), sdr ((SDR P5) built once per shape), search (1D
search over Gamma_e with the S2-A11 tie-break), p5 ((P3.1) for one geometry), fixed (fixed-selection design), pscp
(P-SCP outer loop), reconstruct (Proposition 1, EVD sensing beams), schemes (aa, no_aa, random_aa, full_digital;
reference_design, design), datasets (contract xarray), figures (Figs. 2-4), claims (claims table). Names are
exported lazily.
"""

from importlib import import_module

_EXPORTS = {"DfbsParams": "params", "DfbsDesign": "schemes", "SCHEMES": "schemes", "reference_design": "schemes",
            "design": "schemes"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
