"""Paper-size comparison of the paper-faithful SCA (cp_paper, sp_paper) with the recommended one (cp, sp).

Prints, per layout and scheme: feasibility, per-UE average secrecy rate, min UE rate, max Eve rate, penalty-SCA
iterations, repair iterations, AP modes flipped from the start (C->S / S->C; "-" when SP starts from the CP solution),
wall, solver and process CPU time (CPU time is the fair number on a shared machine), then per-scheme medians.
Layout i is drawn from
seeds.rng(seed, i, "layout") exactly as in the pipeline, and each scheme uses its own seeds.rng(seed, i, scheme).

    .venv/bin/python scripts/benchmark_paper_sca.py --layouts 5 --schemes cp,cp_paper,sp,sp_paper
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from secure_isac import seeds
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import normalize
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.start import feasible_start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layouts", type=int, default=5)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--schemes", default="cp,cp_paper,sp,sp_paper")
    ap.add_argument("--K", type=int, default=4)
    ap.add_argument("--kappa-db", type=float, default=2.0)
    ap.add_argument("--spec-schedule", action="store_true", help="SolverOptions.spec_schedule() (literal section 9)")
    args = ap.parse_args()
    params = SystemParams(K=args.K, kappa_db=args.kappa_db)
    schemes = args.schemes.split(",")
    options = SolverOptions.spec_schedule() if args.spec_schedule else SolverOptions()
    rows = {s: [] for s in schemes}
    print(f"M={params.M} N={params.N} K={params.K} L={params.L} kappa={params.kappa_db} dB seed={args.seed} "
          f"schedule={'spec' if args.spec_schedule else 'default'}")
    print(f"{'layout':>6} {'scheme':>9} {'feas':>4} {'sec_avg':>7} {'ue_min':>6} {'eve':>6} {'n_pen':>5} {'n_rep':>5} "
          f"{'C>S/S>C':>7} {'wall_s':>6} {'solv_s':>6} {'cpu_s':>6}  status")
    for i in range(args.first, args.first + args.layouts):
        r = seeds.rng(args.seed, i, "layout")
        ls = large_scale_fading(draw_layout(params, r), params, r)
        for s in schemes:
            t0, c0 = time.perf_counter(), time.process_time()
            d = optimise(s, ls, params, seeds.rng(args.seed, i, s), options)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            n_pen = int(np.sum(d.trace.phase == "penalty")) - 1
            n_rep = int(np.sum(d.trace.phase == "repair"))
            kind = "cp" if s.startswith("cp") else "sp"
            st = feasible_start(kind, normalize(ls, params), params, seeds.rng(args.seed, i, s), options)
            a_st = None if not st.ok else np.round(st.a)
            flips = "-"
            if a_st is not None:
                c_to_s, s_to_c = np.sum((a_st == 1) & (d.ap_mode == 0)), np.sum((a_st == 0) & (d.ap_mode == 1))
                flips = f"{int(c_to_s)}/{int(s_to_c)}"
            m = d.metrics
            row = (d.feasible, float(np.mean(m.secrecy_ue)), float(np.min(m.rate_ue)), float(np.max(m.rate_eve)),
                   n_pen, n_rep, wall, d.solver_time_s, cpu)
            rows[s].append(row)
            print(f"{i:>6} {s:>9} {int(d.feasible):>4} {row[1]:7.3f} {row[2]:6.3f} {row[3]:6.3f} {n_pen:>5} {n_rep:>5} "
                  f"{flips:>7} {wall:6.2f} {d.solver_time_s:6.2f} {cpu:6.2f}  {d.solver_status[:110]}")
    print("\nmedians over layouts (secrecy, UE min rate, Eve rate over all layouts; time per design)")
    for s in schemes:
        a = np.array([r[1:] for r in rows[s]], dtype=float)
        feas = sum(r[0] for r in rows[s])
        print(f"{s:>9}: feasible {feas}/{len(rows[s])}  secrecy {np.median(a[:, 0]):.3f}  "
              f"ue_min {np.median(a[:, 1]):.3f}  "
              f"eve {np.median(a[:, 2]):.3f}  n_pen {np.median(a[:, 3]):.0f}  wall {np.median(a[:, 5]):.2f}s "
              f"(max {np.max(a[:, 5]):.2f}s)  solver {np.median(a[:, 6]):.2f}s  cpu {np.median(a[:, 7]):.2f}s "
              f"(max {np.max(a[:, 7]):.2f}s)")


if __name__ == "__main__":
    main()
