"""Study 1: secure cell-free massive MIMO ISAC, joint AP selection and power allocation (arXiv:2603.18635).

Public API (arrays in, arrays and dataclasses out; docs/model.md lists every equation and its function)::

    from secure_isac.cfmmimo import SystemParams, draw_layout, large_scale_fading, optimise, evaluate, normalize
    params = SystemParams()                      # the paper's scenario (K = 4, docs/deviations.md)
    layout = draw_layout(params, rng)            # APs, UEs, sensing zones on the wrapped square
    ls = large_scale_fading(layout, params, rng) # beta, gamma, zeta, sin(theta)
    d = optimise("cp", ls, params, rng)          # Design: ap_mode, power_c, power_s, metrics, feasible, trace

Modules: params, options (SolverOptions), geometry, channels, closed_forms (eqs. (9), (12), (17)), montecarlo,
start (feasible starts), sca (the corrected surrogate), paper_sca (the paper's surrogate), penalty (the penalty SCA
loop), repair (rounding), design (optimise), baseline, feasibility, solvers, clarabel_fast, results, datasets,
claims, figures, pilot_contamination (extension: designs against the pilot length). Names are exported lazily, so
importing one module does not import the optimisers.
"""

from importlib import import_module

_EXPORTS = {
    "SystemParams": "params",
    "SolverOptions": "options",
    "Design": "results",
    "SCHEMES": "design",
    "draw_layout": "geometry",
    "large_scale_fading": "channels",
    "normalize": "closed_forms",
    "evaluate": "closed_forms",
    "optimise": "design",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
