"""Every dataset records the versions of Python, the numerical stack, the workflow engine and numpy's BLAS
(`versions_json`), byte-reproducibly; two runs' versions can be told apart (secure-isac-compare)."""

from __future__ import annotations

import json
import platform

import numpy as np
import pytest
import xarray as xr

from secure_isac import provenance

KEYS = {"python", "numpy", "scipy", "cvxpy", "clarabel", "scs", "xarray", "netCDF4", "snakemake", "blas"}


def test_package_versions_are_the_imported_modules_versions():
    """Read from distribution metadata; checked here against the modules' own __version__ (another route)."""
    import clarabel
    import cvxpy
    import netCDF4
    import scipy
    import scs
    import snakemake

    versions = provenance.package_versions()
    assert set(versions) == KEYS
    assert versions["python"] == platform.python_version()
    for module in (np, scipy, cvxpy, xr, snakemake, clarabel, scs):
        assert versions[module.__name__] == module.__version__, module.__name__
    # netCDF4's __version__ drops the distribution's post-release suffix (1.7.5.1 of 1.7.5.1.post1)
    assert versions["netCDF4"].startswith(netCDF4.__version__)
    assert "not installed" not in versions.values()


def test_blas_is_numpys_build_blas():
    info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    assert provenance.blas().startswith(f"{info['name']} {info['version']}")


def test_blas_and_missing_packages_degrade_to_words(monkeypatch):
    def no_dicts(mode="stdout"):
        raise TypeError("mode")  # numpy < 1.25 has no mode="dicts"

    monkeypatch.setattr(np, "show_config", no_dicts)
    assert provenance.blas() == "unknown"
    monkeypatch.setattr(provenance, "VERSIONED_PACKAGES", ("numpy", "no-such-package-secure-isac"))
    provenance.package_versions.cache_clear()
    try:
        versions = provenance.package_versions()
        assert versions["no-such-package-secure-isac"] == "not installed" and versions["blas"] == "unknown"
    finally:
        provenance.package_versions.cache_clear()


def test_stamp_records_versions_and_stays_byte_reproducible(tmp_path):
    ds = xr.Dataset({"x": ("i", np.arange(3.0))})
    stamped = provenance.stamp(ds, {"a": 1}, "arXiv:x", "abc")
    assert json.loads(stamped.attrs["versions_json"]) == provenance.package_versions()
    assert stamped.attrs["versions_json"] == provenance.versions_json()  # canonical: sorted keys, no spaces
    assert list(json.loads(stamped.attrs["versions_json"])) == sorted(KEYS)
    for name in ("a.nc", "b.nc"):
        provenance.write_netcdf(provenance.stamp(ds, {"a": 1}, "arXiv:x", "abc"), tmp_path / name)
    assert (tmp_path / "a.nc").read_bytes() == (tmp_path / "b.nc").read_bytes()
    with xr.open_dataset(tmp_path / "a.nc") as back:
        assert provenance.dataset_versions(back.attrs) == provenance.package_versions()


def test_dataset_versions_of_old_and_broken_datasets():
    assert provenance.dataset_versions({"source": "secure-isac 0.1.0"}) == {}  # written before versions_json
    with pytest.raises(ValueError, match="versions_json"):
        provenance.dataset_versions({"versions_json": "{numpy"})
    with pytest.raises(ValueError, match="versions_json"):
        provenance.dataset_versions({"versions_json": "[1, 2]"})


def test_version_differences_between_two_runs():
    a = {"python": "3.11.7", "numpy": "2.4.6", "cvxpy": "1.9.3", "blas": "scipy-openblas 0.3.31"}
    b = {**a, "numpy": "2.5.0", "snakemake": "9.27.1"}
    del b["blas"]
    assert provenance.version_differences(a, a) == {}
    assert provenance.version_differences(a, b) == {"blas": ("scipy-openblas 0.3.31", None),
                                                    "numpy": ("2.4.6", "2.5.0"), "snakemake": (None, "9.27.1")}


def test_run_versions_flags_datasets_of_one_run_that_disagree():
    v1 = provenance.versions_json({"numpy": "2.4.6", "cvxpy": "1.9.3"})
    v2 = provenance.versions_json({"numpy": "2.5.0", "cvxpy": "1.9.3"})
    same = provenance.run_versions([{"versions_json": v1}, {"versions_json": v1}, {"source": "old file"}])
    assert same == {"cvxpy": "1.9.3", "numpy": "2.4.6"}
    mixed = provenance.run_versions([{"versions_json": v2}, {"versions_json": v1}])
    assert mixed == {"cvxpy": "1.9.3", "numpy": "2.4.6 | 2.5.0"}
    assert provenance.run_versions([{"source": "old file"}]) == {}
    assert provenance.run_versions([{"versions_json": v1}, {"versions_json": '{"numpy": "2.4.6"}'}]) == {
        "cvxpy": "1.9.3 | not recorded", "numpy": "2.4.6"}
    assert provenance.version_differences(same, mixed) == {"numpy": ("2.4.6", "2.4.6 | 2.5.0")}
