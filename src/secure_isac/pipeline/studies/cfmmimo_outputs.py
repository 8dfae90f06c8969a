"""Study 1's outputs on the job side, from its datasets: the headline numbers of a run (scenario summaries), its
rows of the sensitivity matrix, and the claims with bootstrap intervals over layouts (the claims_intervals job).
The Cfmmimo facade imports this module inside the methods that use it, so that the generic plot and claims jobs,
which hash the facade shallow (pipeline.digest), do not hash it."""

from __future__ import annotations


def headlines(folder, open_dataset, sweeps: bool) -> list[dict]:
    """Fig. 4: median per-UE average secrecy and feasible share per scheme; Fig. 3: mean secrecy at the smallest
    and the largest kappa; sweeps: mean secrecy per value (over the feasible designs, the baseline: all)."""
    from ...cfmmimo.datasets import UNCONSTRAINED

    rows = []

    def add(dataset, scheme, quantity, value):
        rows.append({"dataset": dataset, "scheme": str(scheme), "quantity": quantity, "value": float(value)})

    def usable(ds, scheme):
        return (ds["feasible"].sel(scheme=scheme) == 1) | (scheme in UNCONSTRAINED)

    if (folder / "fig4.nc").exists():
        ds = open_dataset(folder / "fig4.nc")
        for s in ds["scheme"].values:
            sec = ds["secrecy_ue"].sel(scheme=s).mean("ue").where(usable(ds, str(s)))
            add("fig4", s, "median per-UE average secrecy (bit/s/Hz)", sec.median())
            add("fig4", s, "feasible share", (ds["feasible"].sel(scheme=s) == 1).mean())
    if (folder / "fig3.nc").exists():
        ds = open_dataset(folder / "fig3.nc")
        for s in ds["scheme"].values:
            sec = ds["secrecy_ue"].sel(scheme=s).mean("ue").where(usable(ds, str(s))).mean("layout")
            k = ds["kappa_db"].values
            add("fig3", s, f"mean secrecy at kappa {k.min():g} dB", sec.sel(kappa_db=k.min()))
            add("fig3", s, f"mean secrecy at kappa {k.max():g} dB", sec.sel(kappa_db=k.max()))
    for path in sorted((folder / "sweeps").glob("*.nc")) if sweeps and (folder / "sweeps").is_dir() else []:
        ds = open_dataset(path)
        key = ds.attrs.get("sweep_key", path.stem)
        for s in ds["scheme"].values:
            for v in ds[key].values:
                sec = ds.sel({"scheme": s, key: v})["secrecy_mean"].where(usable(ds, str(s)).sel({key: v}))
                add(f"sweep {key}={v}", s, "mean per-UE average secrecy (bit/s/Hz)", sec.mean())
    return rows


def sensitivity_rows(csv_path, reference=None, level: float = 0.95):
    """The claims with intervals, and with a reference's claims file their paired bootstrap differences to it
    (delta, delta_ci_low, delta_ci_high; pipeline.sensitivity.paired_deltas, the replicates next to each file)."""
    import pandas as pd

    from ..sensitivity import paired_deltas, read_replicates, replicates_path

    table = pd.read_csv(csv_path)
    if reference is not None:
        deltas = paired_deltas(table, read_replicates(replicates_path(csv_path)), pd.read_csv(reference),
                               read_replicates(replicates_path(reference)), level)
        table = table.merge(deltas, on="claim", how="left")
    return table


def write_claims_intervals(fig3, fig4, out_csv, *, n_boot: int, level: float, seed: int) -> None:
    """Study-1 claims of one run with `level` bootstrap intervals over its layouts (cfmmimo.claims.
    claims_with_intervals), and the replicate values (sensitivity.replicates_path: replicate x claim) for the paired
    differences of the claims matrix; the resampling stream is seeds.rng(seed, 0, "bootstrap"), the same for every
    run, so runs with equal pairing keys (column `pairing`) resample the same layouts replicate for replicate."""
    from pathlib import Path

    import pandas as pd

    from ... import provenance, seeds
    from ...cfmmimo.claims import claims_with_intervals
    from ..sensitivity import pairing_key, replicates_path

    ds3, ds4 = provenance.open_intermediates([fig3, fig4])
    reps: list = []
    table = claims_with_intervals(ds3, ds4, n_boot, seeds.rng(seed, 0, "bootstrap"), level, replicates=reps)
    table["pairing"] = pairing_key(ds3, ds4, seed, n_boot)
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.6g")
    # full precision (the point values too, row "point"): a difference must not carry the rounding of either run
    values = pd.to_numeric(table["reproduced"], errors="coerce").to_numpy(dtype=float)
    full = pd.concat([pd.DataFrame([values], columns=reps[0].columns, index=["point"]), reps[0]])
    full.to_csv(replicates_path(out_csv), index_label="replicate", float_format="%.17g")
