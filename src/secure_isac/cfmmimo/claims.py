"""Study-1 claims of the paper checked against the reproduced datasets (fig3.nc, fig4.nc); thresholds are explicit.

Every reproduced value is computed from the datasets; paper values are those stated in the paper's text
(arXiv:2603.18635, Figs. 3-4 discussion). Verdicts (secure_isac.verdicts): "reproduced", "partly", "not reproduced",
and "not testable" when fewer than FEASIBLE_SHARE_MIN of the designs a claim rests on are feasible.

Values of the optimised schemes (cp, sp, ...) are computed over their feasible designs only: an infeasible design
has no meaningful rate (it is stored with zero power, which would read as zero secrecy). The baseline enforces no
constraint, so all its designs count (its `feasible` flag only says whether it happens to meet Eve <= nu and
MASR >= kappa).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..verdicts import interval_verdict
from ..verdicts import verdict as _verdict
from .datasets import UNCONSTRAINED

COLUMNS = ["claim", "paper", "reproduced", "verdict", "feasible_share", "criterion"]

# Paper values (stated in the text).
PAPER_CP_MEDIAN = 5.1  # bit/s/Hz, Fig. 4
PAPER_SP_FLOOR = 3.5  # bit/s/Hz, "maintaining secrecy rates above 3.5 bit/s/Hz"

# Thresholds of the verdicts.
MEDIAN_REL_TOL = 0.10  # |reproduced / paper - 1| <= 10 %: reproduced
MEDIAN_REL_TOL_PARTLY = 0.25  # <= 25 %: partly
SP_TAIL_QUANTILE = 0.10  # "above 3.5" read as the 10th percentile over layouts
ORDER_LEVELS = np.round(np.arange(0.05, 0.951, 0.05), 2)  # probability levels compared in the CDF ordering
ORDER_PARTLY_FRACTION = 0.5  # strict order at >= 50 % of the levels (and at the median): partly
CP_DROP_MIN = 0.20  # CP "degrades": mean secrecy at the largest kappa <= 80 % of that at the smallest kappa
CP_DROP_PARTLY = 0.05  # a drop of 5-20 %: partly
SP_FLAT_TOL = 0.10  # SP "flat": relative change over the sweep within +-10 %
SP_FLAT_PARTLY = 0.25  # within +-25 %: partly
EVE_ABS_TOL = 0.02  # bit/s/Hz: median CP Eve rate within 0.02 of log2(1 + nu): reproduced
EVE_ABS_TOL_PARTLY = 0.10


def _secrecy_avg(ds: xr.Dataset) -> xr.DataArray:
    return ds["secrecy_avg"] if "secrecy_avg" in ds else ds["secrecy_ue"].mean("ue")


def usable(ds: xr.Dataset, scheme: str) -> xr.DataArray:
    """Mask of the designs of `scheme` a claim may use: feasible ones (every design for the baseline)."""
    feas = ds["feasible"].sel(scheme=scheme) == 1
    return xr.ones_like(feas) if scheme in UNCONSTRAINED else feas


def feasible_share(ds: xr.Dataset, schemes, over=("layout",)) -> float:
    """Smallest share of feasible designs among the optimised `schemes` (minimum over any other dimension)."""
    shares = [float(usable(ds, s).mean(list(over)).min()) for s in schemes if s not in UNCONSTRAINED]
    return min(shares) if shares else 1.0


def _finite(x) -> bool:
    return bool(np.all(np.isfinite(x)))


def _values(ds: xr.Dataset, scheme: str) -> np.ndarray:
    """Per-UE average secrecy rates of the usable designs of `scheme` (1-D over layouts)."""
    sec = _secrecy_avg(ds).sel(scheme=scheme)
    return sec.values[usable(ds, scheme).values]


def _quantile(x: np.ndarray, q):
    return np.quantile(x, q) if x.size else np.full(np.shape(q), np.nan)


def cp_median(ds4: xr.Dataset) -> dict:
    """Claim: CP median per-UE average secrecy rate is 5.1 bit/s/Hz (Fig. 4)."""
    share = feasible_share(ds4, ["cp"])
    med = float(_quantile(_values(ds4, "cp"), 0.5))
    rel = abs(med / PAPER_CP_MEDIAN - 1.0) if np.isfinite(med) else np.inf
    return {"claim": "CP median per-UE average secrecy rate (Fig. 4), bit/s/Hz", "paper": PAPER_CP_MEDIAN,
            "reproduced": med, "verdict": _verdict(rel <= MEDIAN_REL_TOL, rel <= MEDIAN_REL_TOL_PARTLY, share),
            "feasible_share": share,
            "criterion": f"|reproduced/paper - 1| <= {MEDIAN_REL_TOL:g} (partly <= {MEDIAN_REL_TOL_PARTLY:g})"}


def sp_floor(ds4: xr.Dataset) -> dict:
    """Claim: SP keeps the per-UE average secrecy rate above 3.5 bit/s/Hz (read as its lower tail)."""
    share = feasible_share(ds4, ["sp"])
    sec = _values(ds4, "sp")
    q, med = (float(v) for v in _quantile(sec, [SP_TAIL_QUANTILE, 0.5]))
    return {"claim": f"SP secrecy above 3.5 bit/s/Hz ({100 * SP_TAIL_QUANTILE:g}th percentile over layouts, Fig. 4)",
            "paper": PAPER_SP_FLOOR, "reproduced": q,
            "verdict": _verdict(_finite(q) and q >= PAPER_SP_FLOOR, _finite(med) and med >= PAPER_SP_FLOOR, share),
            "feasible_share": share,
            "criterion": f"percentile >= {PAPER_SP_FLOOR:g} (partly: median >= {PAPER_SP_FLOOR:g})"}


def ordering(ds4: xr.Dataset) -> dict:
    """Claim: CP > SP > baseline at all probability levels of the CDF (Fig. 4)."""
    share = feasible_share(ds4, ["cp", "sp"])
    q = {s: _quantile(_values(ds4, s), ORDER_LEVELS) for s in ("cp", "sp", "baseline")}
    strict = (q["cp"] > q["sp"]) & (q["sp"] > q["baseline"])
    frac = float(np.mean(strict))
    at_median = bool(strict[np.argmin(np.abs(ORDER_LEVELS - 0.5))])
    return {"claim": "CP > SP > baseline at all probability levels of the CDF (fraction of levels 0.05..0.95, Fig. 4)",
            "paper": 1.0, "reproduced": frac,
            "verdict": _verdict(frac == 1.0, frac >= ORDER_PARTLY_FRACTION and at_median, share),
            "feasible_share": share,
            "criterion": f"fraction == 1 (partly: >= {ORDER_PARTLY_FRACTION:g} and order holds at the median)"}


def kappa_change(ds3: xr.Dataset, scheme: str) -> tuple[float, float]:
    """(relative change of the mean secrecy rate from the smallest to the largest kappa, OLS slope per dB);
    means over the usable designs at each kappa."""
    mean = _secrecy_avg(ds3).sel(scheme=scheme).where(usable(ds3, scheme)).mean("layout")
    k = ds3["kappa_db"].values.astype(float)
    y = mean.sel(kappa_db=k).values
    if k.size < 2 or not _finite(y):
        return np.nan, np.nan
    lo, hi = y[np.argmin(k)], y[np.argmax(k)]
    rel = (hi - lo) / lo if lo > 0 else np.nan
    slope = float(np.polyfit(k, y, 1)[0])
    return float(rel), slope


def cp_degrades(ds3: xr.Dataset) -> dict:
    """Claim: CP's secrecy rate degrades as kappa grows (Fig. 3)."""
    share = feasible_share(ds3, ["cp"])
    rel, slope = kappa_change(ds3, "cp")
    drop = -rel if np.isfinite(rel) else np.nan
    return {"claim": "CP secrecy degrades as kappa grows (relative drop from min to max kappa, Fig. 3)",
            "paper": "strong decrease", "reproduced": drop,
            "verdict": _verdict(_finite(drop) and drop >= CP_DROP_MIN and slope < 0,
                                _finite(drop) and drop >= CP_DROP_PARTLY and slope < 0, share),
            "feasible_share": share,
            "criterion": f"drop >= {CP_DROP_MIN:g} and OLS slope < 0 (partly: drop >= {CP_DROP_PARTLY:g}); "
                         f"slope = {slope:.4g} bit/s/Hz per dB"}


def sp_flat(ds3: xr.Dataset) -> dict:
    """Claim: SP's secrecy rate stays flat over kappa (Fig. 3)."""
    share = feasible_share(ds3, ["sp"])
    rel, slope = kappa_change(ds3, "sp")
    return {"claim": "SP secrecy flat in kappa (relative change from min to max kappa, Fig. 3)",
            "paper": "flat", "reproduced": rel,
            "verdict": _verdict(_finite(rel) and abs(rel) <= SP_FLAT_TOL, _finite(rel) and abs(rel) <= SP_FLAT_PARTLY,
                                share),
            "feasible_share": share,
            "criterion": f"|change| <= {SP_FLAT_TOL:g} (partly <= {SP_FLAT_PARTLY:g}); "
                         f"slope = {slope:.4g} bit/s/Hz per dB"}


def cp_eve_rate(ds4: xr.Dataset) -> dict:
    """Claim (derived): at the CP optimum the Eve constraint is active, max_l R_E,l = log2(1 + nu)."""
    nu = float(ds4.attrs["nu"])
    # nu = inf switches the eavesdropper constraint off: there is no level to be active at
    share = feasible_share(ds4, ["cp"]) if np.isfinite(nu) else 0.0
    target = float(np.log2(1.0 + nu))
    eve = ds4["rate_eve"].sel(scheme="cp").max("zone").values[usable(ds4, "cp").values]
    med = float(np.median(eve)) if eve.size else np.nan
    err = abs(med - target) if np.isfinite(med) and np.isfinite(target) else np.inf
    return {"claim": "CP Eve rate at log2(1 + nu) (median over layouts of max over zones, Fig. 4)",
            "paper": round(target, 4), "reproduced": med,
            "verdict": _verdict(err <= EVE_ABS_TOL, err <= EVE_ABS_TOL_PARTLY, share),
            "feasible_share": share,
            "criterion": f"|reproduced - paper| <= {EVE_ABS_TOL:g} bit/s/Hz (partly <= {EVE_ABS_TOL_PARTLY:g})"}


def claims_table(ds3: xr.Dataset, ds4: xr.Dataset) -> pd.DataFrame:
    """The study-1 claims table: claim, paper value, reproduced value, verdict, criterion."""
    rows = [cp_median(ds4), sp_floor(ds4), ordering(ds4), cp_degrades(ds3), sp_flat(ds3), cp_eve_rate(ds4)]
    return pd.DataFrame(rows, columns=COLUMNS)


# variables the claims read (the bootstrap resamples only these)
_CLAIM_VARS = ("secrecy_avg", "secrecy_ue", "feasible", "rate_eve")


def _claim_data(ds: xr.Dataset) -> xr.Dataset:
    return ds[[v for v in _CLAIM_VARS if v in ds]]


def claims_with_intervals(ds3: xr.Dataset, ds4: xr.Dataset, n_boot: int, rng: np.random.Generator,
                          level: float = 0.95) -> pd.DataFrame:
    """The claims table with a `level` bootstrap interval over layouts for every reproduced value and the interval
    verdict (secure_isac.verdicts.interval_verdict): columns COLUMNS + ci_low, ci_high, verdict_point (the verdict of
    the point estimate), agreement (share of replicates with the point verdict), n_layouts (fig4, fig3).

    Each replicate draws the layouts of fig3.nc and of fig4.nc with replacement (independently: the two figures have
    their own layouts) and recomputes every claim; percentile intervals. Values that are not numbers (the paper's
    "strong decrease") keep NaN intervals. With fewer than verdicts.MIN_INTERVAL_SAMPLE layouts in fig3.nc or
    fig4.nc the interval decides nothing: every verdict but "not testable" is "inconclusive" (verdict_point keeps
    the point verdict)."""
    if n_boot < 1:
        raise ValueError(f"n_boot: must be >= 1, got {n_boot}")
    d3, d4 = _claim_data(ds3), _claim_data(ds4)
    point = claims_table(d3, d4)
    n3, n4 = d3.sizes["layout"], d4.sizes["layout"]
    values = np.full((n_boot, len(point)), np.nan)
    verdicts = []
    for b in range(n_boot):
        t = claims_table(d3.isel(layout=rng.integers(0, n3, n3)), d4.isel(layout=rng.integers(0, n4, n4)))
        values[b] = pd.to_numeric(t["reproduced"], errors="coerce").to_numpy(dtype=float)
        verdicts.append(list(t["verdict"]))
    tail = 100.0 * (1.0 - level) / 2.0
    out = point.copy()
    lo, hi = np.full(len(point), np.nan), np.full(len(point), np.nan)
    for j in range(len(point)):
        col = values[:, j][np.isfinite(values[:, j])]
        if col.size:
            lo[j], hi[j] = np.percentile(col, [tail, 100.0 - tail])
    out["ci_low"], out["ci_high"] = lo, hi
    out["verdict_point"] = point["verdict"]
    reps = list(zip(*verdicts))
    out["agreement"] = [float(np.mean([r == v for r in col])) for v, col in zip(point["verdict"], reps)]
    # each claim reads one of the two figures; the smaller layout count bounds every verdict (MIN_INTERVAL_SAMPLE)
    out["verdict"] = [interval_verdict(v, col, level, n_samples=min(n3, n4)) for v, col in zip(point["verdict"], reps)]
    out["n_layouts"] = f"fig4: {n4}, fig3: {n3}"
    return out
