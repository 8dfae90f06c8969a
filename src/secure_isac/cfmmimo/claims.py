"""Study-1 claims of the paper checked against the reproduced datasets (fig3.nc, fig4.nc); thresholds are explicit.

Every reproduced value is computed from the datasets; paper values are those stated in the paper's text
(arXiv:2603.18635, Figs. 3-4 discussion), and each row quotes the sentence it tests (`quote`, copied verbatim from
the paper's section IV into QUOTES). Verdicts (secure_isac.verdicts): "reproduced", "partly", "not reproduced",
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

COLUMNS = ["claim", "paper", "reproduced", "verdict", "feasible_share", "criterion", "quote"]

# The paper's sentences (arXiv:2603.18635, section IV), verbatim; each claim row carries the one it tests.
QUOTES = {
    "cp_median": "Specifically, it attains a median secrecy rate of 5.1 bit/s/Hz, substantially exceeding that of the "
                 "SP method.",
    "sp_floor": "Although the SP strategy yields lower secrecy rates than the CP strategy, it still provides "
                "considerable improvement over the baseline, maintaining secrecy rates above 3.5 bit/s/Hz and "
                "demonstrating robust security performance.",
    "cp_above_both": "The CP strategy consistently outperforms the others, achieving higher secrecy at all probability "
                     "levels.",
    "sp_above_baseline": "Although the SP strategy yields lower secrecy rates than the CP strategy, it still provides "
                         "considerable improvement over the baseline",
    "cp_degrades": "However, as κ increases, the CP strategy suffers severe performance degradation since more power "
                   "must be redirected from communication to sensing, reducing user rates and consequently secrecy "
                   "performance.",
    "sp_flat": "Conversely, the SP strategy maintains robust performance under increasing κ . [...] thereby ensuring "
               "stable secrecy rate performance across the parameter range.",
    # derived, not a sentence of section IV: the constraint (19a) at nu = 0.5 (the claim is that it binds)
    "cp_eve_rate": "where (19a) constrains the eavesdropper SINR [...] $\\nu = 0.5$",
}
CP_SCHEMES = ("cp", "cp_paper")  # CP designs whose Fig. 3 claims are tested when the dataset holds them

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


def _quantiles(ds4: xr.Dataset, schemes) -> dict:
    return {s: _quantile(_values(ds4, s), ORDER_LEVELS) for s in schemes}


def _order_verdict(strict: np.ndarray, share: float) -> tuple[float, str]:
    """(fraction of ORDER_LEVELS where `strict` holds, verdict: all levels / >= half and at the median / less)."""
    frac = float(np.mean(strict))
    at_median = bool(strict[np.argmin(np.abs(ORDER_LEVELS - 0.5))])
    return frac, _verdict(frac == 1.0, frac >= ORDER_PARTLY_FRACTION and at_median, share)


def _label(scheme: str) -> str:
    return "CP" if scheme == "cp" else f"CP ({scheme})"


def cp_median(ds4: xr.Dataset) -> dict:
    """Claim: CP median per-UE average secrecy rate is 5.1 bit/s/Hz (Fig. 4)."""
    share = feasible_share(ds4, ["cp"])
    med = float(_quantile(_values(ds4, "cp"), 0.5))
    rel = abs(med / PAPER_CP_MEDIAN - 1.0) if np.isfinite(med) else np.inf
    return {"claim": "CP median per-UE average secrecy rate (Fig. 4), bit/s/Hz", "paper": PAPER_CP_MEDIAN,
            "reproduced": med, "verdict": _verdict(rel <= MEDIAN_REL_TOL, rel <= MEDIAN_REL_TOL_PARTLY, share),
            "feasible_share": share,
            "criterion": f"|reproduced/paper - 1| <= {MEDIAN_REL_TOL:g} (partly <= {MEDIAN_REL_TOL_PARTLY:g})",
            "quote": QUOTES["cp_median"]}


def sp_floor(ds4: xr.Dataset) -> dict:
    """Claim: SP keeps the per-UE average secrecy rate above 3.5 bit/s/Hz (read as its lower tail)."""
    share = feasible_share(ds4, ["sp"])
    sec = _values(ds4, "sp")
    q, med = (float(v) for v in _quantile(sec, [SP_TAIL_QUANTILE, 0.5]))
    return {"claim": f"SP secrecy above 3.5 bit/s/Hz ({100 * SP_TAIL_QUANTILE:g}th percentile over layouts, Fig. 4)",
            "paper": PAPER_SP_FLOOR, "reproduced": q,
            "verdict": _verdict(_finite(q) and q >= PAPER_SP_FLOOR, _finite(med) and med >= PAPER_SP_FLOOR, share),
            "feasible_share": share,
            "criterion": f"percentile >= {PAPER_SP_FLOOR:g} (partly: median >= {PAPER_SP_FLOOR:g})",
            "quote": QUOTES["sp_floor"]}


def cp_above_both(ds4: xr.Dataset) -> dict:
    """Claim: CP above SP and above the baseline at all probability levels of the CDF (Fig. 4)."""
    share = feasible_share(ds4, ["cp", "sp"])
    q = _quantiles(ds4, ("cp", "sp", "baseline"))
    frac, verdict = _order_verdict((q["cp"] > q["sp"]) & (q["cp"] > q["baseline"]), share)
    return {"claim": "CP above SP and the baseline at all probability levels of the CDF (fraction of levels "
                     "0.05..0.95, Fig. 4)",
            "paper": 1.0, "reproduced": frac, "verdict": verdict, "feasible_share": share,
            "criterion": f"fraction == 1 (partly: >= {ORDER_PARTLY_FRACTION:g} and CP above both at the median)",
            "quote": QUOTES["cp_above_both"]}


def sp_above_baseline(ds4: xr.Dataset) -> dict:
    """Claim: SP improves on the baseline (Fig. 4). The paper says "considerable improvement over the baseline",
    not "at all probability levels" (which it says of CP only): read as SP's quantile above the baseline's on at least
    half of the levels, the median among them."""
    share = feasible_share(ds4, ["sp"])
    q = _quantiles(ds4, ("sp", "baseline"))
    strict = q["sp"] > q["baseline"]
    frac = float(np.mean(strict))
    at_median = bool(strict[np.argmin(np.abs(ORDER_LEVELS - 0.5))])
    return {"claim": "SP above the baseline (fraction of probability levels 0.05..0.95 of the CDF, Fig. 4)",
            "paper": "considerable improvement", "reproduced": frac,
            "verdict": _verdict(frac >= ORDER_PARTLY_FRACTION and at_median, frac > 0, share),
            "feasible_share": share,
            "criterion": f"fraction >= {ORDER_PARTLY_FRACTION:g} and SP above the baseline at the median "
                         "(partly: at some levels)",
            "quote": QUOTES["sp_above_baseline"]}


def _min_rate_ue(ds: xr.Dataset) -> xr.DataArray:
    if "rate_ue" not in ds:
        raise ValueError("ds3: the minimum-UE-rate claim needs the variable rate_ue (bit/s/Hz) of the data contract")
    return ds["rate_ue"].min("ue")


def kappa_change(ds3: xr.Dataset, scheme: str, quantity: str = "secrecy") -> tuple[float, float]:
    """(relative change of the mean `quantity` from the smallest to the largest kappa, OLS slope per dB); means over
    the usable designs at each kappa. quantity: "secrecy" (per-UE average secrecy rate) or "rate_ue_min" (minimum
    UE rate min_k R_k)."""
    value = _secrecy_avg(ds3) if quantity == "secrecy" else _min_rate_ue(ds3)
    mean = value.sel(scheme=scheme).where(usable(ds3, scheme)).mean("layout")
    k = ds3["kappa_db"].values.astype(float)
    y = mean.sel(kappa_db=k).values
    if k.size < 2 or not _finite(y):
        return np.nan, np.nan
    lo, hi = y[np.argmin(k)], y[np.argmax(k)]
    rel = (hi - lo) / lo if lo > 0 else np.nan
    slope = float(np.polyfit(k, y, 1)[0])
    return float(rel), slope


def _degrades(ds3: xr.Dataset, scheme: str, quantity: str, what: str) -> dict:
    share = feasible_share(ds3, [scheme])
    rel, slope = kappa_change(ds3, scheme, quantity)
    drop = -rel if np.isfinite(rel) else np.nan
    return {"claim": f"{_label(scheme)} {what} degrades as kappa grows (relative drop of the mean from min to max "
                     "kappa, Fig. 3)",
            "paper": "strong decrease", "reproduced": drop,
            "verdict": _verdict(_finite(drop) and drop >= CP_DROP_MIN and slope < 0,
                                _finite(drop) and drop >= CP_DROP_PARTLY and slope < 0, share),
            "feasible_share": share,
            "criterion": f"drop >= {CP_DROP_MIN:g} and OLS slope < 0 (partly: drop >= {CP_DROP_PARTLY:g}); "
                         f"slope = {slope:.4g} bit/s/Hz per dB",
            "quote": QUOTES["cp_degrades"]}


def cp_degrades(ds3: xr.Dataset, scheme: str = "cp") -> dict:
    """Claim: CP's secrecy rate degrades as kappa grows (Fig. 3)."""
    return _degrades(ds3, scheme, "secrecy", "secrecy")


def cp_ue_rate_degrades(ds3: xr.Dataset, scheme: str = "cp") -> dict:
    """Claim: CP's minimum UE rate degrades as kappa grows (Fig. 3; the paper's mechanism: "more power must be
    redirected from communication to sensing, reducing user rates"). Same thresholds as the secrecy claim: the
    paper derives the secrecy degradation from this one."""
    return _degrades(ds3, scheme, "rate_ue_min", "minimum UE rate")


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
                         f"slope = {slope:.4g} bit/s/Hz per dB",
            "quote": QUOTES["sp_flat"]}


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
            "criterion": f"|reproduced - paper| <= {EVE_ABS_TOL:g} bit/s/Hz (partly <= {EVE_ABS_TOL_PARTLY:g})",
            "quote": QUOTES["cp_eve_rate"]}


def claims_table(ds3: xr.Dataset, ds4: xr.Dataset) -> pd.DataFrame:
    """The study-1 claims table: claim, paper value, reproduced value, verdict, criterion, the paper's sentence.
    The Fig. 3 claims on CP are tested for every CP scheme of CP_SCHEMES in fig3 (cp always; cp_paper when the
    configuration runs it there)."""
    cps = [s for s in CP_SCHEMES if s in ds3["scheme"].values]
    fig3_cp = [row for s in cps for row in (cp_degrades(ds3, s), cp_ue_rate_degrades(ds3, s))]
    rows = [cp_median(ds4), sp_floor(ds4), cp_above_both(ds4), sp_above_baseline(ds4), *fig3_cp, sp_flat(ds3),
            cp_eve_rate(ds4)]
    return pd.DataFrame(rows, columns=COLUMNS)


# variables the claims read (the bootstrap resamples only these)
_CLAIM_VARS = ("secrecy_avg", "secrecy_ue", "feasible", "rate_eve", "rate_ue")


def _claim_data(ds: xr.Dataset) -> xr.Dataset:
    return ds[[v for v in _CLAIM_VARS if v in ds]]


def claims_with_intervals(ds3: xr.Dataset, ds4: xr.Dataset, n_boot: int, rng: np.random.Generator,
                          level: float = 0.95) -> pd.DataFrame:
    """The claims table with a `level` bootstrap interval over layouts for every reproduced value and the interval
    verdict (secure_isac.verdicts.interval_verdict): columns COLUMNS + ci_low, ci_high, verdict_point (the verdict of
    the point estimate), agreement (share of replicates with the point verdict), n_layouts (fig4, fig3).

    Each replicate draws the layouts of fig3.nc and of fig4.nc with replacement (independently: the two figures have
    their own layouts) and recomputes every claim; percentile intervals. Values that are not numbers (the paper's
    "strong decrease") keep NaN intervals."""
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
    out["verdict"] = [interval_verdict(v, col, level) for v, col in zip(point["verdict"], reps)]
    out["n_layouts"] = f"fig4: {n4}, fig3: {n3}"
    return out
