"""Eavesdroppers off the zone centre and colluding eavesdroppers (extension, not in the paper): the numbers of
docs/extensions/eavesdroppers.md, printed from designs made here (default system, the default run's layout streams
seeds.rng(20260318, layout, ...), layouts 0 .. n-1).

    python scripts/eavesdroppers_study.py motivation [--layouts 200] [--offset 20] [--mc 3]
    python scripts/eavesdroppers_study.py robust [--layouts 20] [--radii 10 20 50]
    python scripts/eavesdroppers_study.py kappa [--layouts 30] [--kappas 0 4 8 12 16 20]
    python scripts/eavesdroppers_study.py grid [--layouts 10] [--radius 20]

motivation  designs for the zone centres (the paper's model), each eavesdropper moved --offset m off its centre in
            8 directions (beams still aimed at the centres): the max-zone Eve SINR per direction (mean, median, max
            over layouts), the worst direction per layout, and --mc designs re-checked by the Monte Carlo of the
            signal model (montecarlo.simulate_layout, 60k draws).
robust      eavesdroppers uniform in a disc of each radius: designs for the centre, robust (grid) and robust_bound
            (cell bounds), independent and colluding; feasible share, violation rate on 200 unseen placements per
            layout, secrecy (mean over the placements) and min UE rate, with the paired cost against the centre
            design.
kappa       issue 24: CP (and SP at the ends) against kappa with the eavesdroppers at the centre, 20 m off (known
            position) and uniform in a 50 m disc (known position): mean secrecy, min UE rate, max-zone Eve rate, the
            largest SINR_Eve * MASR (the co-location lemma's product, < 1 at the centre) and the paired change of
            CP's secrecy from the smallest to the largest kappa with a bootstrap interval.
grid        robust and robust_bound at several grid densities: violation, secrecy, CPU time per design.

Designs are single-threaded; CPU times are process times on a shared machine (noisy).
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np

from secure_isac import seeds
from secure_isac.cfmmimo import eavesdroppers as ev
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.montecarlo import simulate_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams

SEED = 20260318
OPTS = SolverOptions()


def channels(p: SystemParams, i: int):
    r = seeds.rng(SEED, i, "layout")
    lay = draw_layout(p, r)
    return lay, large_scale_fading(lay, p, r)


def design(scheme: str, p: SystemParams, i: int, ls=None):
    ls = channels(p, i)[1] if ls is None else ls
    t = time.process_time()
    d = optimise(scheme, ls, p, seeds.rng(SEED, i, scheme), OPTS)
    return d, time.process_time() - t


def q(x, qs=(0.0, 0.5, 1.0)) -> str:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return "-" if x.size == 0 else "/".join(f"{v:.3g}" for v in np.quantile(x, qs))


def boot_ci(x, n=2000, level=0.95, seed=0) -> tuple[float, float]:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 2:
        return np.nan, np.nan
    r = np.random.default_rng(seed)
    m = x[r.integers(0, x.size, (n, x.size))].mean(axis=1)
    return tuple(np.quantile(m, [(1 - level) / 2, (1 + level) / 2]))


# --- motivation -------------------------------------------------------------------------------------------------------
def motivation(args) -> None:
    p = SystemParams()
    dirs = np.arange(0, 360, 45)
    print(f"== motivation: designs for the zone centres (defaults, {args.layouts} layouts), each eavesdropper "
          f"{args.offset:g} m off its centre; max-zone Eve SINR")
    for scheme in ("cp", "sp"):
        per = np.full((args.layouts, dirs.size), np.nan)
        centre = np.full(args.layouts, np.nan)
        kept = []
        for i in range(args.layouts):
            lay, ls = channels(p, i)
            d, _ = design(scheme, p, i, ls)
            if not d.feasible:
                continue
            centre[i] = np.max(d.metrics.sinr_eve)
            for j, deg in enumerate(dirs):
                po = dataclasses.replace(p, eve_position="offset", eve_offset_m=args.offset, eve_offset_deg=float(deg))
                geom = ev.eve_geometry(lay, po, seeds.rng(SEED, i, "layout"))
                g = ev.gains_at(geom, geom.eve_xy[:, None, :], ls.sin_theta, po)
                per[i, j] = np.max(ev.eve_sinr(d.power_c, d.power_s, g))
            kept.append((i, d, lay, ls))
        ok = np.isfinite(centre)
        print(f"{scheme}: {ok.sum()} feasible designs; at the centre: mean {np.nanmean(centre):.3g} "
              f"(min/median/max {q(centre)})")
        print("  per direction (deg): " + "  ".join(f"{deg}:{np.nanmean(per[:, j]):.3g}" for j, deg in
                                                     enumerate(dirs)) + "  (mean over layouts)")
        means = np.nanmean(per, axis=0)
        print(f"  mean over layouts, range over the 8 directions: {means.min():.3g}-{means.max():.3g} "
              f"(x{means.max() / (p.nu if scheme == 'cp' else np.nanmean(centre)):.3g} of "
              f"{'nu' if scheme == 'cp' else 'the centre mean'}); median over layouts per direction: "
              f"{q(np.nanmedian(per, axis=0))} (min/median/max over directions)")
        worst = np.nanmax(per, axis=1)
        print(f"  worst direction per layout: min/median/max over layouts {q(worst)}; above nu = {p.nu}: "
              f"{np.mean(worst[ok] > p.nu):.0%} of layouts; all (layout, direction) above nu: "
              f"{np.mean(per[ok] > p.nu):.0%}")
        for i, d, _lay, ls in kept[: args.mc]:  # independent route: Monte Carlo of the signal model
            j = int(np.nanargmax(per[i]))
            po = dataclasses.replace(p, eve_position="offset", eve_offset_m=args.offset,
                                     eve_offset_deg=float(dirs[j]))
            r = seeds.rng(SEED, i, "layout")  # the layout's stream as channels() draws it
            ls_o = large_scale_fading(draw_layout(po, r), po, r)
            a = d.ap_mode.astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                eta_c = np.where(a[:, None] > 0, d.power_c / (p.N * ls.gamma), 0.0)
            eta_s = d.power_s / p.N
            mc = simulate_layout(ls_o, po, a, eta_c, eta_s, n_draws=60_000, rng=np.random.default_rng(i))
            print(f"  MC check layout {i}, {dirs[j]} deg: closed form {per[i, j]:.4g}, Monte Carlo "
                  f"{np.max(mc.sinr_eve):.4g} ({np.max(mc.sinr_eve) / per[i, j] - 1:+.2%})")


# --- robust designs ---------------------------------------------------------------------------------------------------
def robust(args) -> None:
    print(f"== robust: eavesdroppers uniform in a disc (defaults otherwise, {args.layouts} layouts, 200 unseen "
          f"placements per layout); feasible | violation rate mean/max | secrecy over placements mean [paired cost "
          f"vs centre design, 95% CI] | min UE rate mean | CPU s/design")
    for collusion in (False, True):
        for r in args.radii:
            base = SystemParams(eve_position="disc", eve_radius_m=float(r), eve_collusion=collusion)
            for scheme in ("cp", "sp"):
                res = {}
                for design_mode in ("centre", "robust", "robust_bound"):
                    p = dataclasses.replace(base, eve_design=design_mode)
                    rows = []
                    for i in range(args.layouts):
                        d, cpu = design(scheme, p, i)
                        e = d.eve
                        rows.append((d.feasible, e["eve_violation_rate"], e["secrecy_unseen_mean"],
                                     np.min(d.metrics.rate_ue) if d.feasible else np.nan, cpu))
                    res[design_mode] = np.array(rows, dtype=float)
                for design_mode, a in res.items():
                    feas = a[:, 0] > 0
                    cost = a[:, 2] - res["centre"][:, 2]
                    lo, hi = boot_ci(cost)
                    print(f"{'col' if collusion else 'ind'} r={r:>4g} {scheme} {design_mode:<12} feasible "
                          f"{feas.sum():>3}/{feas.size} | viol {np.nanmean(a[:, 1]):.3f}/{np.nanmax(a[:, 1]):.3f} | "
                          f"secrecy {np.nanmean(a[:, 2]):.3f} [{np.nanmean(cost):+.3f}, {lo:+.3f}..{hi:+.3f}] | "
                          f"minUE {np.nanmean(a[:, 3]):.3f} | cpu {np.mean(a[:, 4]):.1f}", flush=True)


# --- issue 24: kappa ----------------------------------------------------------------------------------------------
def kappa(args) -> None:
    models = {"centre": {}, "offset20_known": dict(eve_position="offset", eve_offset_m=20.0, eve_design="known"),
              "disc50_known": dict(eve_position="disc", eve_radius_m=50.0, eve_design="known",
                                   eve_eval_samples=0)}
    print(f"== kappa (issue 24): {args.layouts} layouts; per kappa: CP mean secrecy | CP mean min UE rate | CP mean "
          "max-zone Eve rate | largest SINR_Eve*MASR over CP designs | CP feasible; SP mean secrecy at the ends")
    for name, kw in models.items():
        sec = {}
        for k in args.kappas:
            p = SystemParams(kappa_db=float(k), **kw)
            rows = []
            for i in range(args.layouts):
                d, _ = design("cp", p, i)
                m = d.metrics
                prod = float(np.max(m.sinr_eve * m.masr)) if d.feasible else np.nan
                rows.append((d.feasible, np.mean(m.secrecy_ue) if d.feasible else np.nan,
                             np.min(m.rate_ue) if d.feasible else np.nan,
                             np.max(m.rate_eve) if d.feasible else np.nan, prod))
            a = np.array(rows, dtype=float)
            sec[k] = a[:, 1]
            line = (f"{name:<15} kappa {k:>4g} dB: CP secrecy {np.nanmean(a[:, 1]):.3f} | min UE "
                    f"{np.nanmean(a[:, 2]):.3f} | Eve rate {np.nanmean(a[:, 3]):.3f} (bound log2(1+1/kappa) "
                    f"{np.log2(1 + 10 ** (-k / 10)):.3f}) | max SINR*MASR {np.nanmax(a[:, 4]):.3f} | feasible "
                    f"{int(np.sum(a[:, 0]))}/{len(a)}")
            if k in (args.kappas[0], args.kappas[-1]):
                sp = [design("sp", p, i)[0] for i in range(args.layouts)]
                sp_sec = [np.mean(d.metrics.secrecy_ue) if d.feasible else np.nan for d in sp]
                line += f" | SP secrecy {np.nanmean(sp_sec):.3f} (feasible {int(np.sum(np.isfinite(sp_sec)))})"
            print(line, flush=True)
        k0, k1 = args.kappas[0], args.kappas[-1]
        delta = sec[k1] - sec[k0]
        lo, hi = boot_ci(delta)
        print(f"{name:<15} CP secrecy change {k0:g} -> {k1:g} dB: {np.nanmean(delta):+.3f} bit/s/Hz "
              f"(paired, 95% bootstrap CI {lo:+.3f}..{hi:+.3f}; {np.sum(np.isfinite(delta))} layouts)", flush=True)


# --- grid density -----------------------------------------------------------------------------------------------------
def grid(args) -> None:
    print(f"== grid density at r = {args.radius:g} m ({args.layouts} layouts): design rings x points (P per zone) | "
          "feasible | violation mean/max | secrecy mean | CPU s/design")
    for design_mode in ("robust", "robust_bound"):
        for rings, pts in ((1, 6), (2, 8), (3, 12), (4, 24)):
            p = SystemParams(eve_position="disc", eve_radius_m=args.radius, eve_design=design_mode,
                             eve_grid_rings=rings, eve_grid_points=pts)
            for scheme in ("cp", "sp"):
                rows = []
                for i in range(args.layouts):
                    d, cpu = design(scheme, p, i)
                    rows.append((d.feasible, d.eve["eve_violation_rate"], d.eve["secrecy_unseen_mean"], cpu))
                a = np.array(rows, dtype=float)
                print(f"{design_mode:<12} {rings}x{pts:<3} (P={rings * pts + 1:>3}) {scheme}: feasible "
                      f"{int(a[:, 0].sum())}/{len(a)} | viol {np.nanmean(a[:, 1]):.4f}/{np.nanmax(a[:, 1]):.3f} | "
                      f"secrecy {np.nanmean(a[:, 2]):.3f} | cpu {np.mean(a[:, 3]):.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    m = sub.add_parser("motivation")
    m.add_argument("--layouts", type=int, default=200)
    m.add_argument("--offset", type=float, default=20.0)
    m.add_argument("--mc", type=int, default=3)
    r = sub.add_parser("robust")
    r.add_argument("--layouts", type=int, default=20)
    r.add_argument("--radii", type=float, nargs="+", default=[10.0, 20.0, 50.0])
    k = sub.add_parser("kappa")
    k.add_argument("--layouts", type=int, default=30)
    k.add_argument("--kappas", type=float, nargs="+", default=[0.0, 4.0, 8.0, 12.0, 16.0, 20.0])
    g = sub.add_parser("grid")
    g.add_argument("--layouts", type=int, default=10)
    g.add_argument("--radius", type=float, default=20.0)
    args = ap.parse_args()
    t = time.time()
    {"motivation": motivation, "robust": robust, "kappa": kappa, "grid": grid}[args.what](args)
    print(f"(wall {time.time() - t:.0f} s on a shared 2-core machine)")


if __name__ == "__main__":
    main()
