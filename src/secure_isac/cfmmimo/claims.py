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

from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class ClaimData:
    """The arrays the claims read from one figure dataset, scheme first and layout last: per-UE average secrecy
    rate `sec`, usable-design mask `use` (feasible; every design of the baseline), max-zone Eve rate `eve` (fig4)
    and minimum UE rate `ue_min` (None where the dataset has no rate_ue); fig3 arrays are (scheme, kappa, layout).
    Built once per dataset (`claim_data`), so that the bootstrap resamples numpy arrays, not datasets."""

    schemes: tuple
    sec: np.ndarray
    use: np.ndarray
    eve: np.ndarray | None = None
    ue_min: np.ndarray | None = None
    kappa_db: np.ndarray | None = None
    nu: float | None = None

    @property
    def n_layouts(self) -> int:
        return self.sec.shape[-1]

    def at(self, scheme: str, name: str = "sec") -> np.ndarray:
        if scheme not in self.schemes:
            raise KeyError(f"scheme: {scheme!r} is not in the dataset (schemes {list(self.schemes)})")
        return getattr(self, name)[self.schemes.index(scheme)]

    def layouts(self, idx: np.ndarray) -> ClaimData:
        """The same claims data on the layouts `idx` (with repetition: a bootstrap replicate)."""
        pick = {k: None if getattr(self, k) is None else getattr(self, k)[..., idx] for k in ("sec", "use", "eve",
                                                                                              "ue_min")}
        return replace(self, **pick)


def claim_data(ds: xr.Dataset | ClaimData) -> ClaimData:
    """ClaimData of a fig3.nc or fig4.nc dataset (a ClaimData is returned as it is)."""
    if isinstance(ds, ClaimData):
        return ds
    order = ("scheme", "kappa_db", "layout") if "kappa_db" in ds.dims else ("scheme", "layout")

    def arr(da):
        return np.asarray(da.transpose(*order).values, dtype=float)

    schemes = tuple(str(s) for s in ds["scheme"].values)
    sec = arr(ds["secrecy_avg"] if "secrecy_avg" in ds else ds["secrecy_ue"].mean("ue"))
    feas = arr(ds["feasible"]) == 1
    base = np.array([s in UNCONSTRAINED for s in schemes]).reshape((-1,) + (1,) * (feas.ndim - 1))
    return ClaimData(schemes=schemes, sec=sec, use=feas | base,
                     eve=arr(ds["rate_eve"].max("zone")) if "rate_eve" in ds else None,
                     ue_min=arr(ds["rate_ue"].min("ue")) if "rate_ue" in ds else None,
                     kappa_db=np.asarray(ds["kappa_db"].values, dtype=float) if "kappa_db" in ds.dims else None,
                     nu=float(ds.attrs["nu"]) if "nu" in ds.attrs else None)


def feasible_share(ds, schemes) -> float:
    """Smallest share of feasible designs among the optimised `schemes` (minimum over kappa in fig3)."""
    d = claim_data(ds)
    shares = [float(d.at(s, "use").mean(axis=-1).min()) for s in schemes if s not in UNCONSTRAINED]
    return min(shares) if shares else 1.0


def _finite(x) -> bool:
    return bool(np.all(np.isfinite(x)))


def _values(d: ClaimData, scheme: str, name: str = "sec") -> np.ndarray:
    """Values (per-UE average secrecy rates by default) of the usable designs of `scheme` (1-D over layouts)."""
    return d.at(scheme, name)[d.at(scheme, "use")]


def _quantile(x: np.ndarray, q):
    return np.quantile(x, q) if x.size else np.full(np.shape(q), np.nan)


def _quantiles(d: ClaimData, schemes) -> dict:
    return {s: _quantile(_values(d, s), ORDER_LEVELS) for s in schemes}


def _order_verdict(strict: np.ndarray, share: float) -> tuple[float, str]:
    """(fraction of ORDER_LEVELS where `strict` holds, verdict: all levels / >= half and at the median / less)."""
    frac = float(np.mean(strict))
    at_median = bool(strict[np.argmin(np.abs(ORDER_LEVELS - 0.5))])
    return frac, _verdict(frac == 1.0, frac >= ORDER_PARTLY_FRACTION and at_median, share)


def _label(scheme: str) -> str:
    return "CP" if scheme == "cp" else f"CP ({scheme})"


def cp_median(ds4: xr.Dataset) -> dict:
    """Claim: CP median per-UE average secrecy rate is 5.1 bit/s/Hz (Fig. 4)."""
    d = claim_data(ds4)
    share = feasible_share(d, ["cp"])
    med = float(_quantile(_values(d, "cp"), 0.5))
    rel = abs(med / PAPER_CP_MEDIAN - 1.0) if np.isfinite(med) else np.inf
    return {"claim": "CP median per-UE average secrecy rate (Fig. 4), bit/s/Hz", "paper": PAPER_CP_MEDIAN,
            "reproduced": med, "verdict": _verdict(rel <= MEDIAN_REL_TOL, rel <= MEDIAN_REL_TOL_PARTLY, share),
            "feasible_share": share,
            "criterion": f"|reproduced/paper - 1| <= {MEDIAN_REL_TOL:g} (partly <= {MEDIAN_REL_TOL_PARTLY:g})",
            "quote": QUOTES["cp_median"]}


def sp_floor(ds4: xr.Dataset) -> dict:
    """Claim: SP keeps the per-UE average secrecy rate above 3.5 bit/s/Hz (read as its lower tail)."""
    d = claim_data(ds4)
    share = feasible_share(d, ["sp"])
    sec = _values(d, "sp")
    q, med = (float(v) for v in _quantile(sec, [SP_TAIL_QUANTILE, 0.5]))
    return {"claim": f"SP secrecy above 3.5 bit/s/Hz ({100 * SP_TAIL_QUANTILE:g}th percentile over layouts, Fig. 4)",
            "paper": PAPER_SP_FLOOR, "reproduced": q,
            "verdict": _verdict(_finite(q) and q >= PAPER_SP_FLOOR, _finite(med) and med >= PAPER_SP_FLOOR, share),
            "feasible_share": share,
            "criterion": f"percentile >= {PAPER_SP_FLOOR:g} (partly: median >= {PAPER_SP_FLOOR:g})",
            "quote": QUOTES["sp_floor"]}


def cp_above_both(ds4: xr.Dataset) -> dict:
    """Claim: CP above SP and above the baseline at all probability levels of the CDF (Fig. 4)."""
    d = claim_data(ds4)
    share = feasible_share(d, ["cp", "sp"])
    q = _quantiles(d, ("cp", "sp", "baseline"))
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
    d = claim_data(ds4)
    share = feasible_share(d, ["sp"])
    q = _quantiles(d, ("sp", "baseline"))
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


def kappa_change(ds3, scheme: str, quantity: str = "secrecy") -> tuple[float, float]:
    """(relative change of the mean `quantity` from the smallest to the largest kappa, OLS slope per dB); means over
    the usable designs at each kappa. quantity: "secrecy" (per-UE average secrecy rate) or "rate_ue_min" (minimum
    UE rate min_k R_k)."""
    d = claim_data(ds3)
    if quantity == "secrecy":
        value = d.at(scheme)
    elif d.ue_min is None:
        raise ValueError("ds3: the minimum-UE-rate claim needs the variable rate_ue (bit/s/Hz) of the data contract")
    else:
        value = d.at(scheme, "ue_min")
    use = d.at(scheme, "use")
    n = use.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(use, value, 0.0).sum(axis=-1) / n  # NaN at a kappa without any usable design
    k = d.kappa_db
    if k.size < 2 or not _finite(y):
        return np.nan, np.nan
    lo, hi = y[np.argmin(k)], y[np.argmax(k)]
    rel = (hi - lo) / lo if lo > 0 else np.nan
    slope = float(np.polyfit(k, y, 1)[0])
    return float(rel), slope


def _degrades(ds3, scheme: str, quantity: str, what: str) -> dict:
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
    d = claim_data(ds4)
    if d.nu is None:
        raise ValueError("ds4: the Eve-rate claim needs the global attribute nu (linear) of the data contract")
    nu = d.nu
    # nu = inf switches the eavesdropper constraint off: there is no level to be active at
    share = feasible_share(d, ["cp"]) if np.isfinite(nu) else 0.0
    target = float(np.log2(1.0 + nu))
    eve = _values(d, "cp", "eve")
    med = float(np.median(eve)) if eve.size else np.nan
    err = abs(med - target) if np.isfinite(med) and np.isfinite(target) else np.inf
    return {"claim": "CP Eve rate at log2(1 + nu) (median over layouts of max over zones, Fig. 4)",
            "paper": round(target, 4), "reproduced": med,
            "verdict": _verdict(err <= EVE_ABS_TOL, err <= EVE_ABS_TOL_PARTLY, share),
            "feasible_share": share,
            "criterion": f"|reproduced - paper| <= {EVE_ABS_TOL:g} bit/s/Hz (partly <= {EVE_ABS_TOL_PARTLY:g})",
            "quote": QUOTES["cp_eve_rate"]}


def claims_table(ds3, ds4) -> pd.DataFrame:
    """The study-1 claims table: claim, paper value, reproduced value, verdict, criterion, the paper's sentence
    (datasets fig3, fig4 or their ClaimData). The Fig. 3 claims on CP are tested for every CP scheme of CP_SCHEMES
    in fig3 (cp always; cp_paper when the configuration runs it there)."""
    ds3, ds4 = claim_data(ds3), claim_data(ds4)
    cps = [s for s in CP_SCHEMES if s in ds3.schemes]
    fig3_cp = [row for s in cps for row in (cp_degrades(ds3, s), cp_ue_rate_degrades(ds3, s))]
    rows = [cp_median(ds4), sp_floor(ds4), cp_above_both(ds4), sp_above_baseline(ds4), *fig3_cp, sp_flat(ds3),
            cp_eve_rate(ds4)]
    return pd.DataFrame(rows, columns=COLUMNS)


def bootstrap_replicates(ds3, ds4, n_boot: int, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, list]:
    """(point claims table, values (n_boot, claims) of the reproduced values, verdicts [replicate][claim]) of
    `n_boot` bootstrap replicates over layouts. Replicate b draws the fig3 layouts, then the fig4 layouts, with
    replacement (rng.integers(0, n, n) each; independently: the two figures have their own layouts) and recomputes
    every claim. Two runs with the same layouts, layout counts and generator state get the same resamples, replicate
    for replicate: their replicates are paired (paired_difference)."""
    if n_boot < 1:
        raise ValueError(f"n_boot: must be >= 1, got {n_boot}")
    d3, d4 = claim_data(ds3), claim_data(ds4)
    point = claims_table(d3, d4)
    n3, n4 = d3.n_layouts, d4.n_layouts
    values = np.full((n_boot, len(point)), np.nan)
    verdicts = []
    for b in range(n_boot):
        t = claims_table(d3.layouts(rng.integers(0, n3, n3)), d4.layouts(rng.integers(0, n4, n4)))
        values[b] = pd.to_numeric(t["reproduced"], errors="coerce").to_numpy(dtype=float)
        verdicts.append(list(t["verdict"]))
    return point, values, verdicts


def percentile_interval(samples: np.ndarray, level: float) -> tuple[float, float]:
    """Two-sided `level` percentile interval of the finite `samples` ((NaN, NaN) when there are none): the interval
    of every bootstrap quantity of the claims (values and paired differences)."""
    col = np.asarray(samples, dtype=float)
    col = col[np.isfinite(col)]
    if not col.size:
        return np.nan, np.nan
    tail = 100.0 * (1.0 - level) / 2.0
    lo, hi = np.percentile(col, [tail, 100.0 - tail])
    return float(lo), float(hi)


def paired_difference(point: pd.Series, replicates: pd.DataFrame, ref_point: pd.Series, ref_replicates: pd.DataFrame,
                      level: float = 0.95) -> pd.DataFrame:
    """Paired bootstrap difference scenario - reference of every claim value: columns claim, delta (point
    difference), delta_ci_low, delta_ci_high (`level` percentile interval of the replicate differences).

    `point`, `ref_point`: reproduced value by claim; `replicates`, `ref_replicates`: (replicate x claim) values of
    bootstrap_replicates computed on the SAME resamples of the SAME layouts (pairing is the caller's duty: equal
    layouts, counts, seed and replicate count). Resampling the layouts jointly keeps what the two runs share (the
    layout, its fading) out of the difference, so its interval is that of the choice alone. A claim either run does
    not test, or whose value is not a number, gets NaN."""
    if len(replicates) != len(ref_replicates):
        raise ValueError(f"replicates: {len(replicates)} replicates against {len(ref_replicates)} of the reference; "
                         "a paired difference needs the same resamples")
    rows = []
    for claim, x in point.items():
        x, y = pd.to_numeric(pd.Series([x, ref_point.get(claim, np.nan)]), errors="coerce")
        lo = hi = delta = np.nan
        if claim in replicates and claim in ref_replicates and np.isfinite(x) and np.isfinite(y):
            delta = float(x - y)
            lo, hi = percentile_interval(replicates[claim].to_numpy(float) - ref_replicates[claim].to_numpy(float),
                                         level)
        rows.append({"claim": claim, "delta": delta, "delta_ci_low": lo, "delta_ci_high": hi})
    return pd.DataFrame(rows, columns=["claim", "delta", "delta_ci_low", "delta_ci_high"])


def claims_with_intervals(ds3: xr.Dataset, ds4: xr.Dataset, n_boot: int, rng: np.random.Generator,
                          level: float = 0.95, replicates: list | None = None) -> pd.DataFrame:
    """The claims table with a `level` bootstrap interval over layouts for every reproduced value and the interval
    verdict (secure_isac.verdicts.interval_verdict): columns COLUMNS + ci_low, ci_high, verdict_point (the verdict of
    the point estimate), agreement (share of replicates with the point verdict), n_layouts (fig4, fig3).

    Replicates as bootstrap_replicates (fig3 and fig4 layouts drawn with replacement, every claim recomputed);
    percentile intervals. Values that are not numbers (the paper's "strong decrease") keep NaN intervals. With fewer
    than verdicts.MIN_INTERVAL_SAMPLE layouts in fig3.nc or fig4.nc the interval decides nothing: every verdict but
    "not testable" is "inconclusive" (verdict_point keeps the point verdict). `replicates`: a list that receives the
    (replicate x claim) values as a DataFrame (for paired differences)."""
    d3, d4 = claim_data(ds3), claim_data(ds4)
    point, values, verdicts = bootstrap_replicates(d3, d4, n_boot, rng)
    n3, n4 = d3.n_layouts, d4.n_layouts
    out = point.copy()
    bounds = [percentile_interval(values[:, j], level) for j in range(len(point))]
    out["ci_low"], out["ci_high"] = [b[0] for b in bounds], [b[1] for b in bounds]
    out["verdict_point"] = point["verdict"]
    reps = list(zip(*verdicts))
    out["agreement"] = [float(np.mean([r == v for r in col])) for v, col in zip(point["verdict"], reps)]
    # each claim reads one of the two figures; the smaller layout count bounds every verdict (MIN_INTERVAL_SAMPLE)
    out["verdict"] = [interval_verdict(v, col, level, n_samples=min(n3, n4)) for v, col in zip(point["verdict"], reps)]
    out["n_layouts"] = f"fig4: {n4}, fig3: {n3}"
    if replicates is not None:
        replicates.append(pd.DataFrame(values, columns=list(point["claim"])))
    return out
