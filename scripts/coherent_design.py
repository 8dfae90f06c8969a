"""Designs that hold under coherent sensing combining (issue 25, section 3; not in the paper): prints the numbers of
docs/extensions/coherent-sensing.md. Never part of the test suite.

On the default Fig. 3 layouts (seed, layout streams and kappa grid of config/config.yaml) every scheme is designed
twice, both designs evaluated with the coherent closed forms (system.sensing_combining: coherent):
  reported: today's design, optimised on (12)/(17) (solver.sensing_design: noncoherent), re-checked coherently;
  coherent: the design optimised under coherent combining (solver.sensing_design: coherent).
Prints per kappa and scheme: designs meeting their constraints, MASR / Eve / QoS violations, mean per-UE average
secrecy over the feasible designs, the paired change, which candidate the coherent design took (S1-O22) and CPU
seconds per design; then an independent Monte Carlo of the literal signal model (phase="coherent") of the coherent
designs at the largest kappa. Writes both Fig. 3 datasets (fig3_reported.nc, fig3_coherent.nc; one file per kappa
while running, so an interrupted run resumes) and the figure (figures.plot_coherent_design) to --out.

    python scripts/coherent_design.py [--layouts 50] [--kappa 20 18 ...] [--schemes cp sp] [--mc-layouts 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import xarray as xr

from secure_isac import seeds
from secure_isac.cfmmimo import datasets, figures
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.feasibility import is_feasible
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.montecarlo import simulate_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.pipeline.settings.cfmmimo import CfFig3
from secure_isac.pipeline.settings.workflow import WorkflowConfig

DESIGNS = ("reported", "coherent")


def paper_powers(ap_mode, power_c, power_s, gamma, N):
    """(a, eta_c, eta_s) of a binary design from its effective powers (inverse of closed_forms.effective_powers)."""
    a = np.asarray(ap_mode, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta_c = np.where(a[:, None] > 0, power_c / (N * gamma), 0.0)
        eta_s = np.where(a[:, None] < 1, power_s / N, 0.0)
    return a, eta_c, eta_s


def one_kappa(kappa_db, layouts, schemes, seed, out: Path):
    """Design files {design: {scheme: dataset}} at one kappa (cached in out/, so a stopped run resumes) and the CPU
    seconds per design {design: {scheme: list}} (None when read from the cache)."""
    p = SystemParams(kappa_db=kappa_db, sensing_combining="coherent")
    res, cpu = {k: {} for k in DESIGNS}, {k: {} for k in DESIGNS}
    for scheme in schemes:
        files = {k: out / f"designs_{k}_{scheme}_kappa{kappa_db:g}.nc" for k in DESIGNS}
        if all(f.exists() for f in files.values()):
            for k in DESIGNS:
                res[k][scheme], cpu[k][scheme] = xr.load_dataset(files[k]), None
            continue
        per = {k: [] for k in DESIGNS}
        for k in DESIGNS:
            cpu[k][scheme] = []
        for i, ls in layouts:
            for k, design in zip(DESIGNS, ("noncoherent", "coherent"), strict=True):
                t0 = time.process_time()
                per[k].append(optimise(scheme, ls, p, seeds.rng(seed, i, scheme), SolverOptions(sensing_design=design)))
                cpu[k][scheme].append(time.process_time() - t0)
        for k in DESIGNS:
            res[k][scheme] = datasets.design_dataset(per[k], [i for i, _ in layouts], scheme, kappa_db, "CLARABEL")
            tmp = files[k].with_suffix(".tmp")
            res[k][scheme].to_netcdf(tmp)
            os.replace(tmp, files[k])
    return res, cpu


def _stats(d, kappa_db, nu, tol):
    """feasible, MASR-violating, Eve-violating (of the designs with power), per-UE average secrecy, powered."""
    d = d.isel(scheme=0, kappa_db=0)
    powered = (d["power_c"].sum(("ap", "ue")) + d["power_s"].sum(("ap", "zone"))).values > 0
    masr_v = powered & (d["masr"].min("zone").values < 10.0 ** (kappa_db / 10.0) * (1 - tol))
    eve_v = powered & (d["sinr_eve"].max("zone").values > nu * (1 + tol))
    return d["feasible"].values == 1, masr_v, eve_v, d["secrecy_ue"].mean("ue").values, powered


def as_reported_today(d, layouts, kappa_db):
    """(feasible, per-UE average secrecy) of the (12)/(17) designs under (12)/(17), i.e. as the default run reports
    them (the designs are the same; only the evaluation differs)."""
    p = SystemParams(kappa_db=kappa_db)
    scheme = str(d["scheme"].values[0])
    kind = "baseline" if scheme == "baseline" else ("cp" if scheme.startswith("cp") else "sp")
    feas, sec = [], []
    for i, ls in layouts:
        one = d.sel(layout=i).isel(scheme=0, kappa_db=0)
        s, q = one["power_c"].values, one["power_s"].values
        met = evaluate(s, q, normalize(ls, p), p)
        ok = int(one["feasible"]) == 1 or "violated under coherent" in str(one["solver_status"].values)
        feas.append(ok and is_feasible(kind, one["ap_mode"].values, s, q, met, p, SolverOptions().feas_tol))
        sec.append(float(np.mean(met.secrecy_ue)))
    return np.array(feas), np.array(sec)


def report_kappa(kappa_db, res, cpu, schemes, layouts):
    tol, nu = SolverOptions().feas_tol, SystemParams().nu_lin
    for scheme in schemes:
        f0, s0 = as_reported_today(res["reported"][scheme], layouts, kappa_db)
        print(f"kappa {kappa_db:4g} dB {scheme:8s} | (12)/(17) designs as reported today, under (12)/(17): feasible "
              f"{f0.sum()} of {f0.size}, secrecy mean {np.mean(s0[f0]) if f0.any() else np.nan:.4f}")
        (fr, mr, er, sr, pr), (fc, mc, ec, sc, pc) = (_stats(res[k][scheme], kappa_db, nu, tol) for k in DESIGNS)
        both = fr & fc
        change = sc[both] - sr[both]
        status = res["coherent"][scheme]["solver_status"].values.ravel().astype(str)
        warm = int(sum(s.startswith("coherent candidate warm") for s in status))
        t = ("" if cpu["reported"][scheme] is None else
             f" | CPU/design {np.mean(cpu['reported'][scheme]):.2f} -> {np.mean(cpu['coherent'][scheme]):.2f} s")
        eve = f"Eve viol. {er.sum()} -> {ec.sum()}, " if scheme != "sp" else ""
        # the scheme's own objective on the paired layouts (S1-O22: the coherent design is never worse on it)
        var, red = ("sinr_ue", "min") if scheme != "sp" else ("sinr_eve", "max")
        obj = {k: getattr(res[k][scheme][var], red)(var.replace("sinr_", "").replace("eve", "zone")).values.ravel()
               for k in DESIGNS}
        ratio = obj["coherent"][both] / obj["reported"][both]
        worst = (np.min(ratio) if scheme != "sp" else np.max(ratio)) if both.any() else np.nan
        objective = f"worst paired {red} {var} ratio {worst:.6f}"
        mean_r = np.mean(sr[fr]) if fr.any() else np.nan
        mean_c = np.mean(sc[fc]) if fc.any() else np.nan
        print(f"kappa {kappa_db:4g} dB {scheme:8s} | feasible {fr.sum():2d} -> {fc.sum():2d} of {fr.size} | "
              f"MASR viol. {mr.sum()} -> {mc.sum()}, {eve}no design {np.sum(~pr)} -> {np.sum(~pc)} | "
              f"secrecy mean {mean_r:.4f} -> {mean_c:.4f} | paired change mean "
              f"{np.mean(change) if both.any() else np.nan:+.4f}, min {np.min(change) if both.any() else np.nan:+.4f}"
              f" ({both.sum()} layouts), {objective} | warm candidate {warm}/{status.size}{t}", flush=True)


def monte_carlo(ds, layouts, kappa_db, n_layouts, n_draws, schemes):
    """Independent check of the coherent designs at one kappa: the literal model (phase="coherent") by Monte Carlo."""
    p = SystemParams(kappa_db=kappa_db, sensing_combining="coherent")
    worst_masr, worst_eve, err, n = np.inf, 0.0, 0.0, 0
    t0 = time.perf_counter()
    for scheme in schemes:
        for i, ls in layouts[:n_layouts]:
            d = ds.sel(scheme=scheme, kappa_db=kappa_db, layout=i)
            if int(d["feasible"]) != 1:
                continue
            a, eta_c, eta_s = paper_powers(d["ap_mode"].values, d["power_c"].values, d["power_s"].values, ls.gamma,
                                           p.N)
            mc = simulate_layout(ls, p, a, eta_c, eta_s, n_draws=n_draws, rng=np.random.default_rng([1, i]),
                                 phase="coherent")
            worst_masr = min(worst_masr, float(np.min(mc.masr)) / p.kappa)
            if scheme != "sp":
                worst_eve = max(worst_eve, float(np.max(mc.sinr_eve)) / p.nu_lin)
            err = max(err, float(np.max(np.abs(mc.masr / d["masr"].values - 1))),
                      float(np.max(np.abs(mc.sinr_eve / d["sinr_eve"].values - 1))))
            n += 1
    print(f"Monte Carlo (phase=coherent, {n_draws} draws) of {n} feasible coherent designs at kappa = {kappa_db:g} dB "
          f"({time.perf_counter() - t0:.0f} s): min MASR/kappa {worst_masr:.4f}, max Eve SINR/nu (CP) "
          f"{worst_eve:.4f}, largest |MC/closed form - 1| {err:.4f}")


def own_candidate(res, layouts, kappa_db, seed, scheme):
    """The coherent SCA alone (S1-O22's own candidate, design._optimised with model "coherent") against the reported
    coherent design (the better of own and warm) and the (12)/(17) design, on the scheme's objective and secrecy."""
    from secure_isac.cfmmimo.design import _optimised
    from secure_isac.cfmmimo.schemes import KIND

    p = SystemParams(kappa_db=kappa_db, sensing_combining="coherent")
    feas, obj, sec = [], [], []
    for i, ls in layouts:
        d = _optimised(scheme, normalize(ls, p), p, seeds.rng(seed, i, scheme),
                       SolverOptions(sensing_design="coherent"), "coherent")
        feas.append(d.feasible)
        obj.append(np.min(d.metrics.sinr_ue) if KIND[scheme] == "cp" else np.max(d.metrics.sinr_eve))
        sec.append(np.mean(d.metrics.secrecy_ue))
    feas, obj, sec = np.array(feas), np.array(obj), np.array(sec)
    var, red = ("sinr_ue", "min") if KIND[scheme] == "cp" else ("sinr_eve", "max")
    chosen = res["coherent"][scheme]
    ref = getattr(chosen[var], red)(var.replace("sinr_", "").replace("eve", "zone")).values.ravel()
    sec_c = chosen["secrecy_ue"].mean("ue").values.ravel()
    rep = res["reported"][scheme]
    ok_r = rep["feasible"].values.ravel() == 1
    sec_r = rep["secrecy_ue"].mean("ue").values.ravel()
    worse = np.sum(sec[ok_r & feas] < sec_r[ok_r & feas] - 1e-9)
    below = np.sum(obj < ref * (1 - 1e-6)) if red == "min" else np.sum(obj > ref * (1 + 1e-6))
    print(f"kappa {kappa_db:4g} dB {scheme:8s} | own candidate alone: feasible {feas.sum()} of {feas.size}, "
          f"secrecy mean {np.mean(sec[feas]):.4f} (reported coherent design {np.mean(sec_c):.4f}); "
          f"worse {red} {var} than the chosen design on {below} layouts; "
          f"secrecy below a coherently feasible (12)/(17) design on {worse} of {np.sum(ok_r & feas)}", flush=True)


def main():
    cfg = WorkflowConfig()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layouts", type=int, default=CfFig3().n_layouts)
    ap.add_argument("--kappa", type=float, nargs="+", default=sorted(CfFig3().kappa_db, reverse=True))
    ap.add_argument("--schemes", nargs="+", default=["cp", "sp"])
    ap.add_argument("--seed", type=int, default=cfg.seed)
    ap.add_argument("--mc-layouts", type=int, default=10)
    ap.add_argument("--mc-draws", type=int, default=4000)
    ap.add_argument("--out", type=Path, default=Path("results/coherent_design"))
    ap.add_argument("--own-kappa", type=float, nargs="*", default=[], help=(
        "kappa values (dB) at which the coherent SCA alone (S1-O22's own candidate) is also run and compared"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{platform.node()}, {os.cpu_count()} cores (shared machine: CPU times are noisy), "
          f"{args.layouts} layouts, kappa {args.kappa} dB, schemes {args.schemes}, seed {args.seed}")
    base = SystemParams()
    layouts, lays = [], []
    for i in range(args.layouts):
        r = seeds.rng(args.seed, i, "layout")  # the pipeline's layout stream (pipeline.cfmmimo_scenario._draw)
        lay = draw_layout(base, r)
        lays.append(lay)
        layouts.append((i, large_scale_fading(lay, base, r)))
    t_all = time.perf_counter()
    parts = {k: [] for k in DESIGNS}
    for kappa_db in args.kappa:
        res, cpu = one_kappa(kappa_db, layouts, args.schemes, args.seed, args.out)
        report_kappa(kappa_db, res, cpu, args.schemes, layouts)
        for k in DESIGNS:
            parts[k].extend(res[k].values())
    print(f"designs: {time.perf_counter() - t_all:.0f} s wall")
    idx = [i for i, _ in layouts]
    lay_ds = datasets.layout_dataset(lays, idx)
    ch_ds = datasets.channel_dataset([ls for _, ls in layouts], idx)
    p = SystemParams(sensing_combining="coherent")
    figs = {}
    for k, design in zip(DESIGNS, ("noncoherent", "coherent"), strict=True):
        ds = datasets.fig3_dataset(parts[k], [lay_ds], [ch_ds], p, args.schemes, args.kappa, args.layouts)
        ds.attrs["sensing_design"] = design
        ds.to_netcdf(args.out / f"fig3_{k}.nc")
        figs[k] = ds
    summ = figures.coherent_design_summary(figs["reported"], figs["coherent"])
    print(summ.to_dataframe().round(4).to_string())
    fig = figures.plot_coherent_design(figs["reported"], figs["coherent"])
    fig.savefig(args.out / "coherent_design.png", dpi=150)
    print(f"figure: {args.out / 'coherent_design.png'}")
    for kappa_db in args.own_kappa:
        res, _ = one_kappa(kappa_db, layouts, args.schemes, args.seed, args.out)
        for scheme in args.schemes:
            own_candidate(res, layouts, kappa_db, args.seed, scheme)
    if args.mc_layouts > 0:
        monte_carlo(figs["coherent"], layouts, max(args.kappa), args.mc_layouts, args.mc_draws, args.schemes)


if __name__ == "__main__":
    main()
