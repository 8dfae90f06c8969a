"""Eavesdroppers off the zone centre and colluding eavesdroppers (extension, not in the paper;
docs/extensions/eavesdroppers.md): positions and their streams, the eavesdropper's own gains against brute force,
the cell bounds of the robust design, the exact reduction to the paper's model at radius/offset 0, the robust and
colluding designs re-checked by the closed forms, the unseen-position evaluation, and the data files."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import xarray as xr

from secure_isac import seeds
from secure_isac.cfmmimo import datasets
from secure_isac.cfmmimo import eavesdroppers as ev
from secure_isac.cfmmimo.channels import large_scale_fading, path_loss_db
from secure_isac.cfmmimo.closed_forms import design_eve_sinr, evaluate, normalize, sinr_eve
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.penalty import relaxed_sca
from secure_isac.cfmmimo.sca import eve_shape, subproblem
from secure_isac.cfmmimo.start import feasible_start

TOY = SystemParams(M=10, N=4, K=2, L=2, side_m=300.0)
OPTS = SolverOptions(max_iter=12, repair_max_iter=8, max_draws=50)


def _channels(p: SystemParams, i: int = 0, seed: int = 7):
    r = seeds.rng(seed, i, "layout")
    lay = draw_layout(p, r)
    return lay, large_scale_fading(lay, p, r)


def _same_design(a, b) -> None:
    for name in ("ap_mode", "power_c", "power_s"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    np.testing.assert_array_equal(a.metrics.secrecy_ue, b.metrics.secrecy_ue)
    assert a.feasible == b.feasible and a.solver_status == b.solver_status


# --- model and positions -------------------------------------------------------------------------------------------
def test_defaults_are_the_papers_model():
    p = SystemParams()
    assert not p.eve_enabled and not p.eve_multi_row
    lay, ls = _channels(TOY)
    assert ls.eve is None and normalize(ls, TOY).eve is None


@pytest.mark.parametrize("kw", [dict(eve_position="offset", eve_offset_m=25.0, eve_offset_deg=30.0),
                                dict(eve_position="disc", eve_radius_m=40.0, eve_inner_radius_m=10.0,
                                     zeta_model="shadowed")])
def test_positions_draw_nothing_from_the_layout_stream(kw):
    """The eavesdroppers' positions come from their own streams: beta, gamma, zeta, sin theta and the shadowing are
    the draws of the paper's model bit for bit, whatever the eavesdropper model."""
    base = dataclasses.replace(TOY, zeta_model=kw.get("zeta_model", "path_loss"))
    p = dataclasses.replace(TOY, **kw)
    _, ls0 = _channels(base)
    lay, ls = _channels(p)
    for name in ("beta", "gamma", "zeta", "sin_theta", "shadowing_db"):
        np.testing.assert_array_equal(getattr(ls, name), getattr(ls0, name))
    off = ls.eve.eve_xy - lay.zone_xy
    r = np.linalg.norm(off, axis=-1)
    if p.eve_position == "offset":
        np.testing.assert_allclose(off, np.tile([25.0 * np.cos(np.pi / 6), 12.5], (p.L, 1)), atol=1e-12)
        assert ls.eve.sample_xy.shape == (0, p.L, 2)
    else:
        assert np.all((r >= 10.0) & (r <= 40.0))
        rs = np.linalg.norm(ls.eve.sample_xy - lay.zone_xy, axis=-1)
        assert ls.eve.sample_xy.shape == (p.eve_eval_samples, p.L, 2) and np.all((rs >= 10.0) & (rs <= 40.0))
        _, again = _channels(p)
        np.testing.assert_array_equal(again.eve.sample_xy, ls.eve.sample_xy)  # deterministic
        _, other = _channels(p, i=1)
        assert not np.allclose(other.eve.eve_xy - other.eve.zone_xy, off)  # a layout's own draw


def test_uniform_in_annulus_is_uniform_in_area():
    """P(r <= x) = (x^2 - r_in^2) / (r_out^2 - r_in^2) and a uniform angle (Kolmogorov-Smirnov distance of 40k
    draws below 1 %)."""
    off = ev.uniform_in_annulus((40_000,), 10.0, 30.0, np.random.default_rng(0))
    r = np.sort(np.linalg.norm(off, axis=-1))
    cdf = (r**2 - 100.0) / (900.0 - 100.0)
    assert np.max(np.abs(cdf - np.arange(1, r.size + 1) / r.size)) < 0.01
    phi = np.sort(np.mod(np.arctan2(off[:, 1], off[:, 0]), 2 * np.pi)) / (2 * np.pi)
    assert np.max(np.abs(phi - np.arange(1, r.size + 1) / r.size)) < 0.01


def test_own_gain_matches_brute_force_geometry():
    """The eavesdropper's gain and cross gain from its own distance and angle, against a loop over the torus images
    (minimum distance among the 9 images) and the ULA response of eq. (1)."""
    p = dataclasses.replace(TOY, eve_position="offset", eve_offset_m=30.0, eve_offset_deg=-70.0, N=6)
    lay, ls = _channels(p)
    g = ev.gains_at(ls.eve, ls.eve.eve_xy[:, None, :], ls.sin_theta, p)
    D = p.side_m
    for m in range(p.M):
        for l in range(p.L):
            images = [ls.eve.eve_xy[l] + D * np.array([i, j]) - lay.ap_xy[m] for i in (-1, 0, 1) for j in (-1, 0, 1)]
            v = min(images, key=np.linalg.norm)
            d = np.linalg.norm(v)
            assert g.z[m, l, 0] == pytest.approx(p.rho_norm * 10 ** (path_loss_db(d, p) / 10), rel=1e-12)
            a_eve = np.exp(1j * np.pi * np.arange(p.N) * v[0] / d)
            for j in range(p.L):
                a_zone = np.exp(1j * np.pi * np.arange(p.N) * ls.sin_theta[m, j])
                assert g.G_hat[m, l, 0, j] == pytest.approx(abs(a_eve.conj() @ a_zone) ** 2 / p.N, rel=1e-9,
                                                             abs=1e-12)


# --- exact reduction to the paper's model --------------------------------------------------------------------------
@pytest.mark.parametrize("kw", [dict(eve_position="offset", eve_offset_m=0.0, eve_design="known"),
                                dict(eve_position="disc", eve_radius_m=0.0, eve_design="known"),
                                dict(eve_position="disc", eve_radius_m=0.0, eve_design="robust_bound")])
def test_zero_radius_or_offset_is_the_papers_model_bit_for_bit(kw):
    """At offset 0 / radius 0 the eavesdropper's own gains are the zone's bit for bit, and CP, SP and the paper's
    SCA give the designs of the paper's model bit for bit."""
    p = dataclasses.replace(TOY, **kw)
    _, ls = _channels(p)
    ch = normalize(ls, p)
    np.testing.assert_array_equal(ch.eve.actual.z[..., 0], ch.z)
    np.testing.assert_array_equal(ch.eve.actual.G_hat[:, :, 0, :], ch.G_hat)
    np.testing.assert_array_equal(ch.eve.actual.C_hat[:, :, 0, :], ch.C_hat)
    assert eve_shape(ch) is None  # the paper's compiled subproblem, only its values come from the extension
    _, ls0 = _channels(TOY)
    for scheme in ("cp", "sp", "cp_paper"):
        _same_design(optimise(scheme, ls, p, np.random.default_rng(4), OPTS),
                     optimise(scheme, ls0, TOY, np.random.default_rng(4), OPTS))


def test_colluding_eavesdropper_of_one_zone_is_the_independent_one():
    """L = 1: the colluding SINR is the eavesdropper's own, and the colluding CP design (its own subproblem block)
    meets the same Eve level as the paper's row."""
    p = dataclasses.replace(TOY, L=1, tau=200)
    pc = dataclasses.replace(p, eve_collusion=True)
    _, ls = _channels(p)
    a = optimise("cp", ls, p, np.random.default_rng(4), OPTS)
    b = optimise("cp", ls, pc, np.random.default_rng(4), OPTS)
    assert a.feasible and b.feasible
    assert b.eve["sinr_eve_colluding"] == pytest.approx(float(b.metrics.sinr_eve[0]), rel=1e-12)
    assert b.metrics.sinr_eve[0] <= p.nu * (1 + OPTS.feas_tol)
    assert np.min(b.metrics.sinr_ue) == pytest.approx(np.min(a.metrics.sinr_ue), rel=2e-3)


# --- robust designs ------------------------------------------------------------------------------------------------
def test_grid_and_cells_cover_the_annulus_and_bound_the_sinr():
    """robust_bound: the cells of grid_cell_radii cover the annulus, and over every cell the bound gains are at least
    the gains (numerator) and at most the jamming gains (denominator) of random points in it, for every zeta
    model; so the bound SINR is an upper bound everywhere."""
    rng = np.random.default_rng(1)
    for zm, r_in, r_out in (("path_loss", 0.0, 20.0), ("shadowed", 10.0, 40.0), ("two_way", 0.0, 8.0)):
        p = dataclasses.replace(TOY, M=12, N=8, zeta_model=zm, eve_position="disc", eve_radius_m=r_out,
                                eve_inner_radius_m=r_in, eve_design="robust_bound", eve_grid_rings=2,
                                eve_grid_points=6, eve_eval_samples=0)
        grid = (r_in, r_out, p.eve_grid_rings, p.eve_grid_points)
        off, rad = ev.grid_offsets(*grid), ev.grid_cell_radii(*grid)
        pts = ev.uniform_in_annulus((3000,), r_in, r_out, rng)
        assert np.all(np.any(np.linalg.norm(pts[:, None] - off[None], axis=-1) <= rad[None] + 1e-9, axis=1))
        for i in range(3):
            lay, ls = _channels(p, i)
            centres = lay.zone_xy[:, None, :] + off[None]
            b = ev.cell_bound_gains(ls.eve, centres, rad, ls.sin_theta, p)
            unit = ev.uniform_in_annulus((40,), 0.0, 1.0, rng)
            for j in range(off.shape[0]):
                g = ev.gains_at(ls.eve, centres[:, j:j + 1] + rad[j] * unit[None], ls.sin_theta, p)
                assert np.all(b.z[:, :, j:j + 1] >= g.z * (1 - 1e-12))
                jam_bound = (b.z[..., None] * b.G_hat)[:, :, j:j + 1, :]
                assert np.all(jam_bound <= g.z[..., None] * g.G_hat * (1 + 1e-12) + 1e-300)


def test_fejer_min_against_a_dense_scan():
    rng = np.random.default_rng(2)
    for N in (1, 2, 4, 8):
        lo = rng.uniform(-2, 2, 300)
        hi = lo + rng.uniform(0, 0.6, 300)
        dense = ev.fejer(lo[:, None] + (hi - lo)[:, None] * np.linspace(0, 1, 4001)[None], N).min(axis=1)
        got = ev.fejer_min(lo, hi, N)
        assert np.all(got <= dense + 1e-9)  # a lower bound ...
        np.testing.assert_allclose(got, dense, atol=2e-3 * N)  # ... and the minimum up to the scan's resolution


@pytest.mark.parametrize("design", ["robust", "robust_bound"])
def test_robust_designs_meet_every_guarded_position(design):
    """CP keeps the Eve SINR <= nu at every grid point (robust) or its cell bound (robust_bound), re-checked by the
    closed forms; robust_bound then holds on every unseen position (violation rate 0), and SP minimises the
    worst guarded SINR (its unseen positions stay below it under robust_bound)."""
    p = dataclasses.replace(TOY, eve_position="disc", eve_radius_m=15.0, eve_design=design, eve_grid_rings=2,
                            eve_grid_points=8, eve_eval_samples=300)
    _, ls = _channels(p, 1)
    ch = normalize(ls, p)
    assert eve_shape(ch) == (17, False)
    for scheme in ("cp", "sp"):
        d = optimise(scheme, ls, p, seeds.rng(7, 1, scheme), OPTS)
        assert d.feasible, d.solver_status
        level = ev.eve_level(ev.eve_sinr(d.power_c, d.power_s, ch.eve.guarded), False)
        assert d.eve["sinr_eve_guarded"] == pytest.approx(level, rel=1e-12)
        if scheme == "cp":
            assert level <= p.nu * (1 + OPTS.feas_tol)
        if design == "robust_bound":
            assert d.eve["eve_violation_rate"] == 0.0
            assert d.eve["sinr_eve_unseen_max"] <= level * (1 + 1e-9)
            assert np.max(d.metrics.sinr_eve) <= level * (1 + 1e-9)  # the actual eavesdroppers too


def test_coherent_reevaluation_of_a_robust_bound_design():
    """sensing_combining = "coherent" (S1-P21) keeps the design (made with the non-coherent cell bounds) and re-checks
    it with the coherent forms: at the eavesdroppers' positions, on the unseen positions and at the grid points
    (the cells' centres; a cell bound has no coherent form)."""
    p = dataclasses.replace(TOY, eve_position="disc", eve_radius_m=15.0, eve_design="robust_bound", eve_grid_rings=1,
                            eve_grid_points=6, eve_eval_samples=50)
    pc = dataclasses.replace(p, sensing_combining="coherent")
    _, ls = _channels(p, 1)
    d = optimise("cp", ls, p, seeds.rng(7, 1, "cp"), OPTS)
    c = optimise("cp", ls, pc, seeds.rng(7, 1, "cp"), OPTS)
    np.testing.assert_array_equal(c.power_s, d.power_s)
    ch = normalize(ls, pc)
    points = ev.eve_level(ev.eve_sinr(d.power_c, d.power_s, ch.eve.guarded_points, "coherent"), False)
    assert c.eve["sinr_eve_guarded"] == pytest.approx(points, rel=1e-12)
    np.testing.assert_allclose(c.metrics.sinr_eve, ev.eve_sinr(d.power_c, d.power_s, ch.eve.actual, "coherent")[:, 0],
                               rtol=1e-12)
    assert c.feasible == (d.feasible and points <= p.nu * (1 + OPTS.feas_tol) and np.min(c.metrics.masr) >= p.kappa
                          * (1 - OPTS.feas_tol))


def test_centre_designs_violate_off_centre_and_robust_ones_pay_for_it():
    """The motivating effect on one toy layout: a design for the zone centre leaks above nu to eavesdroppers
    around it, the robust_bound design does not, at a lower minimum UE rate."""
    p = dataclasses.replace(TOY, eve_position="disc", eve_radius_m=20.0, eve_eval_samples=300)
    _, ls = _channels(p, 1)
    centre = optimise("cp", ls, p, seeds.rng(7, 1, "cp"), OPTS)
    robust = optimise("cp", ls, dataclasses.replace(p, eve_design="robust_bound"), seeds.rng(7, 1, "cp"), OPTS)
    assert centre.feasible and robust.feasible
    assert centre.eve["eve_violation_rate"] > 0.1 and centre.eve["sinr_eve_unseen_max"] > p.nu
    assert robust.eve["eve_violation_rate"] == 0.0
    assert np.min(robust.metrics.sinr_ue) < np.min(centre.metrics.sinr_ue)


# --- colluding eavesdroppers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw", [{}, dict(eve_position="disc", eve_radius_m=15.0, eve_design="robust_bound",
                                         eve_grid_rings=1, eve_grid_points=6, eve_eval_samples=200)])
def test_colluding_designs_bound_the_sum_of_sinrs(kw):
    """CP with colluding eavesdroppers keeps sum_l max_p SINR_lp <= nu; the independent design only max_l; SP
    minimises the sum; the secrecy rate is taken against log2(1 + sum_l SINR_l)."""
    p = dataclasses.replace(TOY, eve_collusion=True, **kw)
    _, ls = _channels(p, 1)
    ch = normalize(ls, p)
    assert eve_shape(ch)[1] is True
    d = optimise("cp", ls, p, seeds.rng(7, 1, "cp"), OPTS)
    assert d.feasible, d.solver_status
    per = ev.eve_sinr(d.power_c, d.power_s, ch.eve.guarded)
    assert np.sum(per.max(axis=-1)) <= p.nu * (1 + OPTS.feas_tol)
    col = float(np.sum(d.metrics.sinr_eve))
    assert d.eve["sinr_eve_colluding"] == pytest.approx(col, rel=1e-12)
    np.testing.assert_allclose(d.metrics.secrecy_ue, np.maximum(0, d.metrics.rate_ue - np.log2(1 + col)), rtol=1e-12)
    if not kw:
        ind = optimise("cp", ls, TOY, seeds.rng(7, 1, "cp"), OPTS)
        assert np.sum(ind.metrics.sinr_eve) > p.nu * (1 + OPTS.feas_tol)  # collusion breaks the independent design
        assert np.min(d.metrics.sinr_ue) < np.min(ind.metrics.sinr_ue)
    s = optimise("sp", ls, p, seeds.rng(7, 1, "sp"), OPTS)
    assert s.feasible
    assert s.eve["sinr_eve_guarded"] == pytest.approx(np.sum(ev.eve_sinr(s.power_c, s.power_s,
                                                                         ch.eve.guarded).max(axis=-1)), rel=1e-12)


@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_sca_iterates_stay_feasible_with_the_new_rows(kind):
    """Every iterate of the penalty SCA (robust grid and colluding rows) meets the exact guarded constraint (CP) and
    the solver's bound t (SP: guarded level <= t) within tolerance."""
    p = dataclasses.replace(TOY, eve_position="disc", eve_radius_m=15.0, eve_design="robust", eve_grid_rings=1,
                            eve_grid_points=6, eve_collusion=True, eve_eval_samples=0)
    _, ls = _channels(p, 2)
    ch = normalize(ls, p)
    st = feasible_start(kind, ch, p, np.random.default_rng(3), OPTS,
                        cp_fallback=lambda: optimise("cp", ls, p, np.random.default_rng(3), OPTS))
    assert st.ok, st.method
    its: list = []
    relaxed_sca(kind, ch, p, st.a, st.s, st.q, OPTS, iterates=its)
    assert len(its) > 2
    for it in its:
        lev = design_eve_sinr(evaluate(it["s"], it["q"], ch, p))
        if kind == "cp":
            assert lev <= p.nu * (1 + 1e-6)
        else:
            assert lev <= it["t_solver"] * (1 + 1e-5)


@pytest.mark.parametrize("eve", [(7, False), (1, True), (7, True)])
@pytest.mark.parametrize("kind", ["cp", "sp"])
def test_extended_subproblems_are_dpp_and_fast_path_matches_cvxpy(kind, eve):
    sub = subproblem(kind, 6, 2, 2, "corrected", eve)
    assert sub.problem.is_dcp(dpp=True)
    p = dataclasses.replace(TOY, M=6, eve_position="disc", eve_radius_m=10.0, eve_design="robust",
                            eve_grid_rings=1, eve_grid_points=6, eve_collusion=eve[1], eve_eval_samples=0)
    if eve[0] == 1:
        p = dataclasses.replace(p, eve_position="centre", eve_radius_m=0.0, eve_design="centre")
    _, ls = _channels(p, 0)
    ch = normalize(ls, p)
    assert eve_shape(ch) == eve
    st = feasible_start("cp", ch, p, np.random.default_rng(3), OPTS)
    assert st.ok
    met = evaluate(st.s, st.q, ch, p)
    t0 = float(np.min(met.sinr_ue)) if kind == "cp" else design_eve_sinr(met)
    sub.set_channel(ch, p.nu_lin, p.kappa)
    sub.set_point(st.a, st.s, st.q, t0, 0.1 * t0, np.zeros(p.M), np.ones(p.M), p.varsigma)
    st1, fast, _ = sub.solve("CLARABEL", None, fast=True)
    sub.set_channel(ch, p.nu_lin, p.kappa)
    sub.set_point(st.a, st.s, st.q, t0, 0.1 * t0, np.zeros(p.M), np.ones(p.M), p.varsigma)
    st2, slow, _ = sub._solve_cvxpy("CLARABEL", None)
    assert fast is not None and slow is not None, (st1, st2)
    assert fast.t == pytest.approx(slow.t, rel=1e-5)
    np.testing.assert_allclose(fast.s, slow.s, atol=1e-5)


# --- the paper's SCA, validation -----------------------------------------------------------------------------------
def test_paper_sca_takes_one_position_and_refuses_grids_and_collusion():
    known = dataclasses.replace(TOY, eve_position="offset", eve_offset_m=20.0, eve_design="known")
    _, ls = _channels(known)
    d = optimise("cp_paper", ls, known, np.random.default_rng(4), OPTS)
    if d.feasible:
        assert np.max(d.metrics.sinr_eve) <= known.nu * (1 + OPTS.feas_tol)  # at the eavesdroppers' positions
    robust = dataclasses.replace(TOY, eve_position="disc", eve_radius_m=20.0, eve_design="robust")
    _, ls_r = _channels(robust)
    with pytest.raises(ValueError, match="eve_design"):
        optimise("cp_paper", ls_r, robust, np.random.default_rng(4), OPTS)
    with pytest.raises(ValueError, match="eve_collusion"):
        optimise("sp_paper", ls, dataclasses.replace(TOY, eve_collusion=True), np.random.default_rng(4), OPTS)


@pytest.mark.parametrize("key,kw", [
    ("eve_position", dict(eve_position="ring")),
    ("eve_offset_m", dict(eve_offset_m=5.0)),
    ("eve_offset_m", dict(eve_position="offset", eve_offset_m=-1.0)),
    ("eve_radius_m", dict(eve_radius_m=5.0)),
    ("eve_radius_m", dict(eve_position="disc", eve_radius_m=300.0)),
    ("eve_inner_radius_m", dict(eve_position="disc", eve_radius_m=5.0, eve_inner_radius_m=6.0)),
    ("eve_design", dict(eve_design="robust")),
    ("eve_collusion", dict(eve_collusion=True, sensing_combining="coherent")),
    ("eve_collusion", dict(eve_collusion=1)),
    ("eve_grid_points", dict(eve_grid_points=2)),
    ("eve_grid_rings", dict(eve_grid_rings=0)),
    ("eve_eval_samples", dict(eve_eval_samples=-1)),
])
def test_bad_eavesdropper_keys_name_the_key(key, kw):
    with pytest.raises(ValueError, match=rf"^{key}\b") as exc:
        SystemParams(**kw)
    assert "\n" not in str(exc.value)  # one line


def test_geometry_must_match_the_params():
    p = dataclasses.replace(TOY, eve_position="offset", eve_offset_m=10.0)
    _, ls = _channels(p)
    with pytest.raises(ValueError, match="ls.eve"):
        optimise("cp", dataclasses.replace(ls, eve=None), p, np.random.default_rng(0), OPTS)
    with pytest.raises(ValueError, match="ls.eve"):
        optimise("cp", ls, TOY, np.random.default_rng(0), OPTS)


# --- data files ----------------------------------------------------------------------------------------------------
def test_channel_and_design_files_carry_the_eavesdroppers(tmp_path):
    """Channel files hold the eavesdroppers' geometry (a netCDF round trip gives the same designs) and design files
    the per-design results with units; the paper's model writes neither."""
    p = dataclasses.replace(TOY, eve_position="disc", eve_radius_m=20.0, eve_design="robust_bound",
                            eve_eval_samples=20)
    chs = [_channels(p, i)[1] for i in (0, 1)]
    datasets.channel_dataset(chs, [0, 1]).to_netcdf(tmp_path / "c.nc")
    with xr.open_dataset(tmp_path / "c.nc") as cd:
        back = datasets.large_scale_at(cd, 1)
    for name in ("eve_xy", "sample_xy", "ap_xy", "zone_xy", "zone_shadowing_db"):
        np.testing.assert_array_equal(getattr(back.eve, name), getattr(chs[1].eve, name))
    designs = [optimise("cp", c, p, seeds.rng(7, i, "cp"), OPTS) for i, c in enumerate(chs)]
    _same_design(designs[1], optimise("cp", back, p, seeds.rng(7, 1, "cp"), OPTS))
    dd = datasets.design_dataset(designs, [0, 1], "cp", p.kappa_db, "CLARABEL")
    for name in ("sinr_eve_guarded", "eve_violation_rate", "secrecy_unseen_mean", "secrecy_unseen_min",
                 "sinr_eve_unseen_max"):
        assert dd[name].dims == ("scheme", "kappa_db", "layout") and dd[name].attrs["units"]
    assert "sinr_eve_colluding" not in dd
    plain = datasets.design_dataset([optimise("cp", _channels(TOY)[1], TOY, np.random.default_rng(0), OPTS)], [0],
                                    "cp", TOY.kappa_db, "CLARABEL")
    assert not set(datasets.EVE_DESIGN_VARS) & set(plain.data_vars)
    assert "eve_xy" not in datasets.channel_dataset([_channels(TOY)[1]], [0])


def test_offset_changes_only_the_reported_eve_sinr_of_a_centre_design():
    """eve_design "centre" designs as the paper (the same design); the reported Eve SINR is the eavesdropper's at its
    own position (evaluate with the extension), its guarded level the centre's."""
    p = dataclasses.replace(TOY, eve_position="offset", eve_offset_m=20.0, eve_offset_deg=45.0)
    _, ls = _channels(p)
    _, ls0 = _channels(TOY)
    d = optimise("cp", ls, p, np.random.default_rng(4), OPTS)
    d0 = optimise("cp", ls0, TOY, np.random.default_rng(4), OPTS)
    np.testing.assert_array_equal(d.power_c, d0.power_c)
    ch = normalize(ls, p)
    np.testing.assert_allclose(d.metrics.sinr_eve, ev.eve_sinr(d.power_c, d.power_s, ch.eve.actual)[:, 0],
                               rtol=1e-12)
    assert d.eve["sinr_eve_guarded"] == pytest.approx(np.max(sinr_eve(d0.power_c, d0.power_s, normalize(ls0, TOY))),
                                                      rel=1e-12)
