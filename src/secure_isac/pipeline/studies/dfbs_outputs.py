"""Study 2's outputs on the job side, from its datasets: the headline numbers of a run (scenario summaries) and its
rows of the sensitivity matrix. The Dfbs facade imports this module inside the methods that use it, so that the
generic plot and claims jobs, which hash the facade shallow (pipeline.digest), do not hash it."""

from __future__ import annotations


def headlines(folder, open_dataset, sweeps: bool) -> list[dict]:
    """Fig. 2 and Fig. 4: feasible share and matching error per scheme (Fig. 4 also the joint illumination);
    sweeps: the matching error per value (feasible designs)."""
    rows = []

    def add(dataset, scheme, quantity, value):
        rows.append({"dataset": dataset, "scheme": str(scheme), "quantity": quantity, "value": float(value)})

    for fig in ("fig2", "fig4"):
        if (folder / f"{fig}.nc").exists():
            ds = open_dataset(folder / f"{fig}.nc")
            for s in ds["scheme"].values:
                one = ds.sel(scheme=s)
                ok = one["feasible"] == 1
                add(fig, s, "feasible share", ok.mean())
                add(fig, s, "matching error (mean over feasible)", one["matching_error"].where(ok).mean())
                if fig == "fig4":
                    add(fig, s, "joint illumination min (dBm, mean)", one["illum_joint_min_dbm"].where(ok).mean())
    for path in sorted((folder / "sweeps").glob("*.nc")) if sweeps and (folder / "sweeps").is_dir() else []:
        ds = open_dataset(path)
        key = ds.attrs.get("sweep_key", path.stem)
        for s in ds["scheme"].values:
            for v in ds[key].values:
                one = ds.sel({"scheme": s, key: v})
                add(f"sweep {key}={v}", s, "matching error", one["matching_error"].where(one["feasible"] == 1))
    return rows


def sensitivity_rows(csv_path, reference=None, level: float = 0.95):
    """Study 2 has no random layouts (one deterministic design per point): no sampling interval, the verdicts
    are those of its claims table."""
    import numpy as np
    import pandas as pd

    df = pd.read_csv(csv_path)
    df["ci_low"] = df["ci_high"] = np.nan
    df["verdict_point"], df["agreement"], df["n_layouts"] = df["verdict"], np.nan, "deterministic"
    return df
