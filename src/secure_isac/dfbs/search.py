"""1D search over Gamma_e, (P3.1) eq. (22): log grid, golden-section refinement, S2-A11 tie-break.

unimodal=True (docs/deviations.md S2-D20, speed only): the searches skip evaluations that cannot change their result
when F(Gamma_e) is unimodal (non-increasing, then non-decreasing; +inf outside the feasible interval), the
assumption behind the golden section itself: the grid is scanned upwards and stops at the first value above the
running minimum plus the tie tolerance (every later grid value is larger still, so the minimum, the tie set and the
bracket are unchanged), and track_gamma evaluates Gamma*r before Gamma/r and skips Gamma/r when F(Gamma r) < F(Gamma)
(then F(Gamma/r) >= F(Gamma) is never the best point, and the moves are the same).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

_PHI = (math.sqrt(5.0) - 1.0) / 2.0


@dataclass
class SearchResult:
    """Best Gamma_e, the SDP result there, and every evaluated (Gamma_e, F) pair."""

    gamma_e: float
    result: object
    n_evals: int
    points: list = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.result is not None and np.isfinite(self.result.objective)


def gamma_e_max(n_eff: int, cap: float, s2: float, rbar: float) -> float:
    """Gamma_e,max of eq. (22) in P-normalised units: (1 + min(n, n^2 cap)/s2)/2^Rbar - 1."""
    gc_max = min(float(n_eff), n_eff ** 2 * cap) / s2
    return (1.0 + gc_max) / 2.0 ** rbar - 1.0


def gamma_grid(gmax: float, n_grid: int, min_rel: float) -> np.ndarray:
    """{0} plus n_grid log-spaced points in [min_rel*gmax, gmax) (docs/deviations.md S2-D5)."""
    top = gmax * (1.0 - 1e-9)
    return np.concatenate([[0.0], np.logspace(np.log10(min_rel * gmax), np.log10(top), n_grid)])


def search_gamma(evaluate, gmax: float, *, n_grid: int, golden_steps: int, tie_break: str = "largest",
                 tie_tol: float = 1e-4, min_rel: float = 1e-6, grid: np.ndarray | None = None,
                 unimodal: bool = False) -> SearchResult:
    """Minimise F(Gamma_e) = evaluate(Gamma_e).objective over [0, gmax] with the S2-A11 tie-break.

    unimodal: stop scanning the (increasing) grid at the first value above the running minimum plus the tie
    tolerance; unevaluated grid points count as +inf (same result when F is unimodal, module docstring)."""
    cache: dict = {}

    def F(g):
        g = float(g)
        if g not in cache:
            cache[g] = evaluate(g)
        return cache[g].objective

    def within(v, fmin):
        return v <= fmin + tie_tol * abs(fmin) + 1e-12

    def scan(pts):
        vals = np.full(len(pts), np.inf)
        fmin = np.inf
        stop = unimodal and bool(np.all(np.diff(pts) > 0))  # the argument needs an increasing grid
        for k, g in enumerate(pts):
            vals[k] = F(g)
            if vals[k] < fmin:
                fmin = vals[k]
            elif stop and np.isfinite(fmin) and not within(vals[k], fmin):
                break  # past the minimum: every later value is larger than this one
        return vals

    pts = gamma_grid(gmax, n_grid, min_rel) if grid is None else np.asarray(grid, float)
    vals = scan(pts)
    if not np.isfinite(vals).any() and grid is None:
        # the feasible Gamma_e interval can be narrow near the feasibility edge: densify once before giving up
        pts = np.unique(np.concatenate([pts, gamma_grid(gmax, 4 * n_grid, min_rel)]))
        vals = scan(pts)
    if not np.isfinite(vals).any():
        best = float(pts[-1])
        return SearchResult(best, cache[best], len(cache), sorted((g, r.objective) for g, r in cache.items()))

    fmin = float(vals.min())
    ok = np.flatnonzero([within(v, fmin) for v in vals])
    if len(ok) > 1:
        # flat F (secrecy constraint inactive): S2-A11, locate the edge of the flat region by bisection
        if tie_break == "largest":
            i = int(ok.max())
            lo, hi = pts[i], (pts[i + 1] if i + 1 < len(pts) else None)
        else:
            i = int(ok.min())
            lo, hi = pts[i], (pts[i - 1] if i > 0 else None)
        if hi is not None:
            for _ in range(golden_steps):
                mid = _mid(lo, hi)
                if within(F(mid), fmin):
                    lo = mid
                else:
                    hi = mid
        best = float(lo)
    else:
        # strict minimum: golden-section between the neighbours of the best grid point
        i = int(np.argmin(vals))
        a = pts[max(i - 1, 0)]
        b = pts[min(i + 1, len(pts) - 1)]
        use_log = a > 0
        ta, tb = (np.log(a), np.log(b)) if use_log else (a, b)
        to_g = np.exp if use_log else (lambda t: t)
        c = tb - _PHI * (tb - ta)
        d = ta + _PHI * (tb - ta)
        fc, fd = F(to_g(c)), F(to_g(d))
        for _ in range(golden_steps):
            if fc <= fd:
                tb, d, fd = d, c, fc
                c = tb - _PHI * (tb - ta)
                fc = F(to_g(c))
            else:
                ta, c, fc = c, d, fd
                d = ta + _PHI * (tb - ta)
                fd = F(to_g(d))
        fmin = min(r.objective for r in cache.values())
        cands = [g for g, r in cache.items() if within(r.objective, fmin)]
        best = max(cands) if tie_break == "largest" else min(cands)
    return SearchResult(best, cache[best], len(cache), sorted((g, r.objective) for g, r in cache.items()))


def _mid(a: float, b: float) -> float:
    """Midpoint, geometric when both ends are positive (F varies on a log scale of Gamma_e)."""
    return math.sqrt(a * b) if a > 0 and b > 0 else 0.5 * (a + b)


def track_gamma(evaluate, g0: float, gmax: float, *, ratio: float = 1.5, max_moves: int = 6,
                tie_break: str = "largest", unimodal: bool = False) -> SearchResult:
    """Local search around the previous P-SCP iterate's Gamma_e: {g0/r, g0, g0 r}, then step while improving.

    unimodal: g0 and g0 r first; g0/r only if F(g0 r) >= F(g0) (module docstring)."""
    cache: dict = {}
    top = gmax * (1.0 - 1e-9)

    def F(g):
        g = float(min(g, top))
        if g not in cache:
            cache[g] = evaluate(g)
        return cache[g].objective

    def best() -> float:
        fmin = min(r.objective for r in cache.values())
        ties = [x for x, r in cache.items() if r.objective == fmin]
        return max(ties) if tie_break == "largest" else min(ties)

    g = min(max(g0, 1e-12), top)
    if unimodal:
        if not F(g * ratio) < F(g):
            F(g / ratio)
    else:
        F(g / ratio), F(g), F(g * ratio)
    for _ in range(max_moves):
        b = best()
        keys = sorted(cache)
        if b == keys[-1] and b < top:
            F(b * ratio)
        elif b == keys[0]:
            F(b / ratio)
        else:
            break
    b = best()
    return SearchResult(b, cache[b], len(cache), sorted((x, r.objective) for x, r in cache.items()))
