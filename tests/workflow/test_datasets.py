"""Unit tests of the study-1 dataset builders (contract names, dims, units) from synthetic designs."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from secure_isac import provenance, seeds
from secure_isac.cfmmimo import datasets
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.results import Design, Trace
from secure_isac.pipeline import cfmmimo_scenario
from secure_isac.pipeline.studies import study
from secure_isac.pipeline.studies.cfmmimo import OPTIMISATION_ONLY_KEYS

P = SystemParams(M=6, N=4, K=3, L=2)


def _scenario(indices):
    lay, ch = [], []
    for i in indices:
        r = seeds.rng(5, int(i), "layout")
        layout = draw_layout(P, r)
        lay.append(layout)
        ch.append(large_scale_fading(layout, P, r))
    return lay, ch


def _design(scheme, ls, rng, n_iter):
    a = (rng.random(P.M) < 0.5).astype(np.int8)
    s = rng.dirichlet(np.ones(P.K), P.M) * a[:, None] * 0.9
    q = rng.dirichlet(np.ones(P.L), P.M) * (1 - a)[:, None] * 0.9
    m = evaluate(s, q, normalize(ls, P), P)
    rows = [dict(rate_ue_min=0.1 * i, rate_eve_max=0.5, secrecy=0.05 * i, objective=float(i), binary_distance=0.1,
                 solve_time=0.01, phase="penalty" if i < n_iter - 2 else "repair") for i in range(n_iter)]
    return Design(scheme=scheme, ap_mode=a, power_c=s, power_s=q, metrics=m, feasible=True, solver_status="optimal",
                  trace=Trace.from_rows(rows), wall_time_s=1.0, solver_time_s=0.5)


def _batch(scheme, kappa, batch, bs=2):
    idx = datasets.batch_indices(batch, bs)
    _, ch = _scenario(idx)
    rng = np.random.default_rng(batch)
    ds = datasets.design_dataset([_design(scheme, c, rng, 3 + j) for j, c in enumerate(ch)], idx, scheme, kappa,
                                 "CLARABEL")
    return ds


def _roundtrip(ds, tmp_path, name):
    provenance.write_netcdf(ds, tmp_path / name)
    (out,) = provenance.open_intermediates([tmp_path / name])
    return out


def test_design_batch_file(tmp_path):
    ds = _roundtrip(_batch("cp", 2.0, 1), tmp_path, "d.nc")
    assert ds["ap_mode"].dims == ("scheme", "kappa_db", "layout", "ap") and ds["ap_mode"].dtype == np.int8
    assert ds["layout"].values.tolist() == [2, 3]
    assert ds.sizes["iteration"] == 4  # padded to the longest trace of the batch
    tr = ds["secrecy"].isel(scheme=0, kappa_db=0)
    assert np.isnan(tr.sel(layout=2).values[3]) and np.isfinite(tr.sel(layout=3).values).all()
    assert ds["repair_start"].isel(scheme=0, kappa_db=0).values.tolist() == [1, 2]
    for name in ds.variables:
        assert {"units", "long_name"} <= set(ds[name].attrs), name
    assert "wall_time" not in str(ds) and "solve_time" not in ds  # no wall-clock quantity in files


def test_fig4_fig3_fig2_datasets(tmp_path):
    schemes = ["cp", "sp", "baseline"]
    designs = [_roundtrip(_batch(s, k, b), tmp_path, f"{s}{k}{b}.nc") for s in schemes for k in (2.0, 6.0)
               for b in (0, 1)]
    lay, ch = zip(*[_scenario(datasets.batch_indices(b, 2)) for b in (0, 1)])
    lay_ds = [_roundtrip(datasets.layout_dataset(l, datasets.batch_indices(b, 2)), tmp_path, f"l{b}.nc")
              for b, l in enumerate(lay)]
    ch_ds = [_roundtrip(datasets.channel_dataset(c, datasets.batch_indices(b, 2)), tmp_path, f"c{b}.nc")
             for b, c in enumerate(ch)]
    d4 = [d for d in designs if float(d["kappa_db"][0]) == 2.0]
    ds4 = datasets.fig4_dataset(d4, lay_ds, ch_ds, P, schemes, n_layouts=3)
    assert dict(ds4.sizes) == {"scheme": 3, "layout": 3, "ap": 6, "ue": 3, "zone": 2, "xy": 2}
    assert ds4["beta"].dims == ("layout", "ap", "ue") and ds4["power_s"].dims == ("scheme", "layout", "ap", "zone")
    assert ds4["ap_xy"].attrs["units"] == "m" and ds4["rate_ue"].attrs["units"] == "bit/s/Hz"
    assert ds4.attrs["kappa_db"] == 2.0 and ds4.attrs["n_antennas"] == 4
    assert ds4.attrs["rho_norm"] == pytest.approx(P.rho_norm)
    ds3 = datasets.fig3_dataset(designs, lay_ds[:1], ch_ds[:1], P, schemes, [6.0, 2.0], n_layouts=2)
    assert ds3["sinr_ue"].dims == ("scheme", "kappa_db", "layout", "ue")
    assert ds3["kappa_db"].values.tolist() == [2.0, 6.0] and "kappa_db" not in ds3.attrs
    with pytest.raises(ValueError, match="kappa_db"):
        datasets.fig3_dataset(designs, lay_ds, ch_ds, P, schemes, [2.0, 4.0], n_layouts=2)
    with pytest.raises(ValueError, match="sp_early"):
        datasets.fig4_dataset(d4, lay_ds, ch_ds, P, ["cp", "sp_early"], n_layouts=3)
    d2 = [d for d in d4 if d["layout"].values.tolist() == [2, 3]][:2]
    ds2 = datasets.fig2_dataset(d2, lay_ds[1], ch_ds[1], P, ["cp", "sp"], layout=3)
    assert ds2["rate_ue_min"].dims == ("scheme", "iteration") and ds2.sizes["iteration"] == 4
    assert ds2["ap_xy"].dims == ("ap", "xy") and int(ds2["layout"]) == 3
    assert ds2["phase"].values[0].tolist() == ["penalty", "penalty", "repair", "repair"]
    # stored channels are exactly the library's for that layout
    np.testing.assert_array_equal(ds4["beta"].sel(layout=1).values, ch[0][1].beta)


def test_layout_stream_does_not_depend_on_optimisation_keys():
    """The layout and channel steps drop OPTIMISATION_ONLY_KEYS: they must not influence the draws."""
    base = SystemParams()
    other = SystemParams(**{"N": 16, "tau": 50, "rho_w": 3.0, "nu": 2.0, "varsigma_db": 9.0, "kappa_db": 11.0,
                                 "ue_sinr_form": "printed", "prelog": True, "nu_unit": "db",
                                 "sensing_combining": "coherent", "cluster_size": 2})
    assert set(OPT := OPTIMISATION_ONLY_KEYS) == {"N", "tau", "rho_w", "nu", "nu_unit", "varsigma_db",
                                                        "kappa_db", "ue_sinr_form", "prelog",
                                                        "sensing_combining", "cluster_size"}, OPT
    la, ca = cfmmimo_scenario._draw(3, 4, base)
    lb, cb = cfmmimo_scenario._draw(3, 4, other)
    np.testing.assert_array_equal(la.ap_xy, lb.ap_xy)
    for name in datasets.CHANNEL_VARS:
        np.testing.assert_array_equal(getattr(ca, name), getattr(cb, name))
    # the layout step keeps only LAYOUT_KEYS: a change of a channel-only key leaves the geometry alone
    lc, _ = cfmmimo_scenario._draw(3, 4, SystemParams(d1_m=80.0, shadowing_std_db=2.0))
    np.testing.assert_array_equal(la.ue_xy, lc.ue_xy)


def test_unknown_system_key_is_named():
    with pytest.raises(ValueError, match="bogus"):
        SystemParams(**{"bogus": 1})


def test_unreadable_and_missing_inputs_are_named_not_deleted(tmp_path):
    """A reader names each bad input, says whether it is missing or unreadable, and deletes nothing (several jobs
    may read one file; deleting it made the others fail with a missing input)."""
    good = tmp_path / "good.nc"
    provenance.write_netcdf(xr.Dataset({"x": ("a", np.arange(3.0))}), good)
    bad = tmp_path / "bad.nc"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    gone = tmp_path / "gone.nc"
    with pytest.raises(provenance.CorruptIntermediateError) as err:
        provenance.open_intermediates([good, bad, gone])
    text = str(err.value)
    assert "bad.nc (unreadable" in text and "gone.nc (missing)" in text
    assert good.exists() and bad.exists()
    assert provenance.unreadable(good) is None and provenance.unreadable(gone) is None
    assert provenance.unreadable(bad)


def test_repair_moves_only_damaged_files_aside_when_jobs_run(tmp_path, monkeypatch):
    from secure_isac.pipeline.files import repair_intermediates

    monkeypatch.chdir(tmp_path)
    good, bad = tmp_path / "good.nc", tmp_path / "bad.nc"
    provenance.write_netcdf(xr.Dataset({"x": ("a", np.arange(3.0))}), good)
    bad.write_bytes(good.read_bytes()[:200])
    paths = ["good.nc", "bad.nc", "missing.nc"]
    (msg,) = repair_intermediates(paths, delete=False)
    assert "bad.nc is a damaged NetCDF file" in msg and bad.exists()
    (msg,) = repair_intermediates(paths, delete=True, stamp="t")
    assert "moved to .snakemake/damaged/t/bad.nc" in msg and not bad.exists() and good.exists()
    assert (tmp_path / ".snakemake/damaged/t/bad.nc").stat().st_size == 200


def test_netcdf_and_figures_are_byte_reproducible(tmp_path):
    import matplotlib.pyplot as plt

    from secure_isac.plotting import save_figure, style

    ds = provenance.stamp(_batch("sp", 4.0, 0), {"a": 1}, "arXiv:x", "abc")
    provenance.write_netcdf(ds, tmp_path / "a.nc")
    provenance.write_netcdf(ds, tmp_path / "b.nc")
    assert (tmp_path / "a.nc").read_bytes() == (tmp_path / "b.nc").read_bytes()
    for stem in ("f1", "f2"):
        with style():
            fig, ax = plt.subplots()
            ax.plot([0, 1], [1, 0])
            save_figure(fig, tmp_path / stem)
    for ext in ("pdf", "png"):
        assert (tmp_path / f"f1.{ext}").read_bytes() == (tmp_path / f"f2.{ext}").read_bytes()


def test_dfbs_fig3_secrecy_grid_respects_the_bound():
    from secure_isac.pipeline.settings.workflow import defaults

    cfg = defaults()
    cfg["dfbs"]["params"].update(n_antennas=16, n_rf=8, noise_dbm=0.0)
    # bound log2(1 + 8 * 1) = 3.17 at 0 dBm
    cfg["dfbs"]["fig3"].update(power_dbm=[0.0, 10.0], secrecy_start=0.5, secrecy_step=0.5, secrecy_max=2.0)
    points = study("dfbs").points(cfg, "fig3")
    assert [r for p, r in points if p == 0.0] == [0.5, 1.0, 1.5, 2.0]
    cfg["dfbs"]["fig3"]["secrecy_max"] = 10.0
    assert [r for p, r in study("dfbs").points(cfg, "fig3") if p == 0.0] == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    cfg["dfbs"]["fig3"]["secrecy_start"] = 3.5
    with pytest.raises(ValueError, match="secrecy_start"):
        study("dfbs").points(cfg, "fig3")
    from secure_isac.dfbs.params import DfbsParams

    with pytest.raises(ValueError, match="bogus"):
        DfbsParams(**{"bogus": 1})


@pytest.mark.parametrize("scheme", ["aa", "random_aa"])
def test_dfbs_reference_file_gives_the_same_designs(tmp_path, scheme):
    """A reference written to NetCDF and read back gives bit-identical designs, binding or not (the pipeline's
    design jobs read the reference job's file)."""
    import warnings

    from secure_isac.dfbs.params import DfbsParams
    from secure_isac.dfbs.schemes import design, reference_design
    from secure_isac.pipeline.dfbs_designs import reference_dataset, reference_from_dataset

    warnings.filterwarnings("ignore", module="cvxpy")
    p = DfbsParams(n_antennas=6, n_rf=3, target_angles_deg=(-40.0, 20.0), eve_angles_deg=(20.0,), grid_step_deg=3.0,
                   n_random=3, max_iter=8)
    ref = reference_design(scheme, p, seed=3)
    back = reference_from_dataset(_roundtrip(reference_dataset(ref, seed=3), tmp_path, "ref.nc"), p)
    used = set()
    for power, rbar in ((0.0, 0.5), (0.0, 1.5), (20.0, 1.0)):
        a = design(scheme, p, power, rbar, reference=ref, seed=3)
        b = design(scheme, p, power, rbar, reference=back, seed=3)
        used.add(a.used_reference)
        for d, e in ((a, b), *zip(a.companions.values(), b.companions.values())):
            assert d.feasible == e.feasible and d.n_sdp == e.n_sdp and d.solver_status == e.solver_status
            np.testing.assert_array_equal(d.selected, e.selected)
            np.testing.assert_array_equal(d.w, e.w)
            np.testing.assert_array_equal(d.rs, e.rs)
    assert used == {True, False}, "the points must cover both the reused and the binding case"
    with pytest.raises(ValueError, match="reference"):
        reference_from_dataset(reference_dataset(ref), DfbsParams(n_antennas=6, n_rf=3, grid_step_deg=3.0))


def test_end_job_keeps_outputs_log_and_streams(tmp_path):
    # end_job skips the interpreter's shutdown: a NetCDF output, the log (with its job-CPU line) and buffered
    # stdout/stderr written just before must all be complete, and the exit status must be 0
    import subprocess
    import sys

    code = f"""
import sys
import numpy as np, xarray as xr
from secure_isac import provenance
with provenance.log_to({str(tmp_path / 'job.log')!r}) as log:
    provenance.write_netcdf(xr.Dataset({{"x": ("a", np.arange(1000.0))}}), {str(tmp_path / 'out.nc')!r})
    log.info("done writing")
print("to stdout", end="")
sys.stderr.write("to stderr")
provenance.end_job()
raise SystemExit(3)  # never reached
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "to stdout" and run.stderr == "to stderr"
    assert "done writing" in (tmp_path / "job.log").read_text() and "job CPU" in (tmp_path / "job.log").read_text()
    with xr.open_dataset(tmp_path / "out.nc") as ds:
        np.testing.assert_array_equal(ds["x"].values, np.arange(1000.0))
