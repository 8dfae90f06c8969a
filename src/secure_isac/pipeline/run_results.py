"""A run's results read back for comparison: its headline numbers and claims rows (each study's), the global
attributes of its contract datasets, the configuration and package versions they record, and its toy label.

A run is a folder holding results/<study>/ (a run's working directory) or <study>/ directly (a scenario's
results/scenarios/<name>/). Used by secure-isac-compare (pipeline.compare) and the scenario summary
(pipeline.scenario_summary).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .. import provenance
from . import scale
from .runs import flat
from .studies import NAMES as STUDIES  # (the studies a run folder may hold)
from .studies import all_studies
from .studies import study as study_of


class CompareError(ValueError):
    """A run folder or one of its files cannot be compared; the message names it (one line)."""


def results_root(path: str | Path) -> Path:
    """The folder that holds <study>/claims.csv of a run or scenario folder."""
    path = Path(path)
    for root in (path / "results", path):
        if any((root / s).is_dir() for s in STUDIES):
            return root
    raise FileNotFoundError(f"{path}: no results/<study>/ or <study>/ folder of a run")


def read_dataset(path: Path):
    """The dataset at `path`, loaded; CompareError naming the file when it cannot be read."""
    import xarray as xr

    try:
        with xr.open_dataset(path) as ds:
            return ds.load()
    except Exception as exc:  # noqa: BLE001  (a damaged or foreign file: named, never a traceback)
        raise CompareError(f"{path}: cannot be read as a NetCDF dataset ({type(exc).__name__}: "
                           f"{' '.join(str(exc).split())[:200]})") from None


CLAIMS_COLUMNS = ("claim", "reproduced", "verdict")


def _read_claims(path: Path) -> pd.DataFrame:
    try:
        table = pd.read_csv(path)
    except Exception as exc:  # noqa: BLE001  (an unparsable table: named, never a traceback)
        raise CompareError(f"{path}: cannot be read as a claims table ({type(exc).__name__}: "
                           f"{' '.join(str(exc).split())[:200]})") from None
    missing = [c for c in CLAIMS_COLUMNS if c not in table.columns]
    if missing:
        raise CompareError(f"{path}: not a claims table (no column {', '.join(missing)})")
    return table


def headlines(root: Path, sweeps: bool = True, studies=STUDIES) -> pd.DataFrame:
    """Headline numbers of a run: (study, dataset, scheme, quantity, value), each study's (Study.headlines); with
    `sweeps`, also of every sweep summary found in the run (the scenario summary leaves them out: it reads only the
    files it declares)."""
    rows = []
    for st in all_studies(studies):
        rows += [{"study": st.name, **row} for row in st.headlines(root / st.name, read_dataset, sweeps)]
    return pd.DataFrame(rows, columns=["study", "dataset", "scheme", "quantity", "value"])


def claims(root: Path, studies=STUDIES) -> pd.DataFrame:
    """Every claims row of a run: (study, claim, value, verdict, feasible_share)."""
    parts = []
    for study in studies:
        path = root / study / "claims.csv"
        if path.exists():
            table = _read_claims(path)
            if "feasible_share" not in table.columns:
                table["feasible_share"] = np.nan
            table.insert(0, "study", study)
            parts.append(table.rename(columns={"reproduced": "value"}))
    cols = ["study", "claim", "value", "verdict", "feasible_share"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def dataset_attrs(root: Path, studies=STUDIES) -> dict[tuple[str, str], Mapping]:
    """{(study, dataset): global attributes} of the contract datasets a run holds."""
    out = {}
    for st in all_studies(studies):
        for name in st.datasets:
            path = root / st.name / f"{name}.nc"
            if path.exists():
                out[(st.name, name)] = dict(read_dataset(path).attrs)
    return out


def recorded_config(attrs: Mapping) -> dict:
    """The flat configuration a dataset records: its job's config (config_json's "config", provenance.write_dataset;
    the whole of config_json where there is none), without the code digest (code is not configuration)."""
    import json

    try:
        recorded = json.loads(attrs.get("config_json", "{}"))
    except ValueError:
        return {}
    if not isinstance(recorded, Mapping):
        return {}
    config = recorded.get("config", recorded)
    return {k: v for k, v in flat(config).items() if k != "code_digest"} if isinstance(config, Mapping) else {}


def toy_label(root: Path, attrs: Mapping) -> str:
    """The toy label of a run (pipeline.scale) from the layout counts its datasets record (config_json n_layouts);
    a sensitivity scenario's folder (results/sensitivity/<name>) against the sensitivity run's counts."""
    counts: dict = {}
    for (study, name), a in attrs.items():
        n = recorded_config(a).get("n_layouts")
        if name in study_of(study).layout_figures and n is not None:
            counts.setdefault(study, {})[name] = int(n)
    return scale.label(counts, sensitivity=root.parent.name == "sensitivity")


def run_versions(root: Path, attrs: Mapping) -> dict[str, str]:
    """The package versions of a run's datasets (provenance.run_versions) and the commit(s) of this code that
    wrote them (`git_commit`)."""
    try:
        versions = provenance.run_versions(attrs.values())
    except ValueError as exc:  # a damaged versions_json attribute: named, never a traceback
        raise CompareError(f"{root}: {exc}") from None
    commits = sorted({str(a.get("git_commit", "not recorded")) for a in attrs.values()})
    return {**versions, **({"secure-isac (git commit)": " | ".join(commits)} if commits else {})}
