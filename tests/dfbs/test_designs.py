"""Designs on the small instance (N=8, N_RF=4): Proposition 1, brute force, shortcut == plain, datasets, figures."""

import itertools

import numpy as np
import pytest

from secure_isac.dfbs import metrics as me
from secure_isac.dfbs.array import beampattern, params_desired_pattern, steering
from secure_isac.dfbs.claims import claims_table
from secure_isac.dfbs.datasets import VARS, design_dataset
from secure_isac.dfbs.figures import plot_fig2, plot_fig3, plot_fig4
from secure_isac.dfbs.fixed import fixed_design, sub_channels
from secure_isac.dfbs.params import DfbsParams
from secure_isac.dfbs.reconstruct import rank_one_reconstruction
from secure_isac.dfbs.schemes import design, reference_design
from secure_isac.plotting import save_figure


def test_proposition1_on_binding_sdp_solution(small):
    """Eq. (24) on an (SDR P5) optimum with an active secrecy constraint: rank one, same objective, constraints."""
    sel = np.array([0, 1, 2, 3])
    s2, rbar = 1.0, 1.5  # P = sigma^2: the secrecy constraint binds
    out = fixed_design(small, sel, s2, rbar)
    sol = out.sol
    assert sol.feasible and not sol.unconstrained
    h, G = sub_channels(small, sel)
    w, Wb, Rb = rank_one_reconstruction(sol.W, sol.Rs, h)
    lam = np.linalg.eigvalsh(Wb)
    assert lam[-2] <= 1e-9 * lam[-1]  # rank(W_bar) = 1
    A = steering(small.grid_deg, small.n_antennas)[:, sel]
    d = params_desired_pattern(small)
    L_sdp = sol.result.objective
    L_bar = me.matching_error(beampattern(Wb + Rb, A), d, sol.result.alpha)
    assert L_bar == pytest.approx(L_sdp, rel=1e-6)
    tol = 1e-6
    assert np.real(np.trace(Wb + Rb)) == pytest.approx(1.0, rel=tol)
    assert np.allclose(np.real(np.diag(Wb + Rb)), 1 / small.n_rf, rtol=tol)
    assert np.linalg.eigvalsh(Rb).min() >= -tol
    gc = me.user_sinr(Wb, Rb, h, s2)
    ge = me.eve_sinr(Wb, Rb, G, s2)
    assert gc >= (2 ** rbar * (1 + sol.gamma_e) - 1) * (1 - tol)
    assert np.all(ge <= sol.gamma_e * (1 + tol) + 1e-9)
    assert me.secrecy_rate_raw(gc, ge) >= rbar - 1e-6


def test_returned_designs_recheck_constraints(small, small_refs):
    for s in ("aa", "no_aa"):
        d = design(s, small, 0.0, 0.5, reference=small_refs[s])
        assert d.feasible, d.solver_status
        P = 1.0
        W = np.outer(d.w, d.w.conj())
        assert np.real(np.trace(W + d.rs)) == pytest.approx(P, rel=1e-6)
        assert int(d.selected.sum()) == small.n_rf
        assert np.allclose(np.real(np.diag(W + d.rs))[d.selected == 0], 0, atol=1e-7)
        assert d.secrecy_rate >= 0.5 - 1e-6


def test_aa_close_to_brute_force_over_all_selections(small, small_refs):
    """All 70 selections of 4 out of 8, each solved exactly (fixed-u SDP); aa within 5 % of the best."""
    s2 = small.noise_mw / 100.0  # P = 20 dBm, R-bar = 2
    best = np.inf
    for sel in itertools.combinations(range(small.n_antennas), small.n_rf):
        out = fixed_design(small, np.array(sel), s2, 2.0)
        if out.sol.feasible:
            best = min(best, out.sol.result.objective)
    aa = design("aa", small, 20.0, 2.0, reference=small_refs["aa"])
    assert aa.feasible
    assert aa.matching_error <= 1.05 * best
    assert aa.matching_error >= best * (1 - 1e-6)  # no selection beats the exhaustive optimum


@pytest.fixture(scope="module")
def tiny():
    return DfbsParams(n_antennas=6, n_rf=3, grid_step_deg=3.0, target_angles_deg=(-40.0, -20.0, 20.0, 40.0))


@pytest.mark.parametrize("case", ["small-inactive", "tiny-binding"])
def test_shortcuts_equal_plain_method(small, small_refs, tiny, case):
    """Reference reuse, the inactive-constraint check and Gamma tracking give the plain method's design."""
    params, power, rbar = (small, 20.0, 2.0) if case == "small-inactive" else (tiny, 0.0, 0.5)
    refs = small_refs if case == "small-inactive" else {s: reference_design(s, tiny) for s in ("aa", "no_aa")}
    for s in ("aa", "no_aa"):
        fast = design(s, params, power, rbar, reference=refs[s])
        plain = design(s, params, power, rbar, plain=True)
        assert fast.feasible and plain.feasible
        # equal objective (contiguous sub-arrays of equal length tie exactly, so the selection may differ by a shift)
        assert fast.matching_error == pytest.approx(plain.matching_error, rel=1e-3)
        assert fast.secrecy_rate >= rbar - 1e-6 and plain.secrecy_rate >= rbar - 1e-6
        assert plain.n_sdp >= fast.n_sdp


def test_reference_is_power_independent_when_inactive(small, small_refs):
    a = design("no_aa", small, 20.0, 1.0, reference=small_refs["no_aa"])
    b = design("no_aa", small, 30.0, 1.0, reference=small_refs["no_aa"])
    assert a.used_reference and b.used_reference
    assert a.matching_error == pytest.approx(b.matching_error, rel=1e-9)


def test_full_digital_and_random_bounds(small, small_refs):
    fd = design("full_digital", small, 20.0, 2.0, reference=small_refs["full_digital"])
    rb = design("random_aa", small, 20.0, 2.0, reference=small_refs["random_aa"])
    med = rb.companions["random_aa_median"]
    aa = design("aa", small, 20.0, 2.0, reference=small_refs["aa"])
    assert rb.scheme == "random_aa_best" and med.scheme == "random_aa_median"
    assert fd.matching_error <= aa.matching_error + 1e-7
    assert rb.matching_error <= med.matching_error
    assert aa.matching_error <= rb.matching_error + 1e-7


@pytest.fixture(scope="module")
def small_datasets(small, small_refs):
    d2 = [design(s, small, 20.0, 2.0, reference=small_refs[s]) for s in ("aa", "no_aa", "random_aa", "full_digital")]
    d3 = [design(s, small, P, R, reference=small_refs[s]) for s in ("aa", "no_aa") for P in (0.0, 10.0)
          for R in (0.5, 1.0, 12.0)]
    d4 = [design(s, small, P, 2.0, reference=small_refs[s]) for s in ("aa", "no_aa") for P in (10.0, 20.0)]
    return design_dataset(d2, small), design_dataset(d3, small), design_dataset(d4, small)


def test_dataset_contract(small, small_datasets, tmp_path):
    ds2, ds3, ds4 = small_datasets
    assert ds2.sizes["scheme"] == 5 and "random_aa_median" in ds2.scheme.values
    assert ds3["matching_error"].dims == ("scheme", "power_dbm", "secrecy_target")
    assert ds4["matching_error"].dims == ("scheme", "power_dbm")
    required = {
        "selected": ("antenna",), "w_re": ("antenna",), "w_im": ("antenna",), "rs_re": ("antenna", "antenna_col"),
        "rs_im": ("antenna", "antenna_col"), "alpha": (), "matching_error": (), "pattern_total": ("angle_deg",),
        "pattern_sensing": ("angle_deg",), "pattern_comm": ("angle_deg",), "user_sinr": (), "secrecy_rate": (),
        "eve_sinr": ("eve",), "eve_info_power_dbm": ("eve",), "illum_joint_min_dbm": (),
        "illum_sensing_min_dbm": (), "user_power_dbm": (), "feasible": (), "solver_status": (),
    }
    for ds, lead in ((ds2, ("scheme",)), (ds3, ("scheme", "power_dbm", "secrecy_target")),
                     (ds4, ("scheme", "power_dbm"))):
        for name, extra in required.items():
            assert ds[name].dims == lead + extra, name
            assert "units" in ds[name].attrs and "long_name" in ds[name].attrs, name
        assert ds["selected"].dtype == np.int8
        for a in ("n_antennas", "n_rf", "user_angle_deg", "target_angles_deg", "eve_angles_deg", "noise_dbm",
                  "beam_width_deg", "p_max_rule"):
            assert a in ds.attrs
    assert ds2.attrs["power_dbm"] == 20.0 and ds2.attrs["secrecy_target"] == 2.0
    # the infeasible target is recorded, not raised
    assert int(ds3.feasible.sel(scheme="aa", power_dbm=0.0, secrecy_target=12.0)) == 0
    # patterns in mW are consistent with the stored beamformers
    d = ds2.sel(scheme="aa")
    w = d.w_re.values + 1j * d.w_im.values
    A = steering(small.grid_deg, small.n_antennas)
    assert np.allclose(d.pattern_comm.values, np.abs(A.conj() @ w) ** 2)
    assert np.allclose(d.pattern_total.values, d.pattern_comm.values + d.pattern_sensing.values)
    assert set(VARS) <= set(ds2.data_vars)
    ds3.to_netcdf(tmp_path / "fig3.nc")


def test_figures_and_claims(small_datasets, tmp_path):
    ds2, ds3, ds4 = small_datasets
    for k, (f, ds) in enumerate(((plot_fig2, ds2), (plot_fig3, ds3), (plot_fig4, ds4)), start=2):
        save_figure(f(ds), tmp_path / f"fig{k}")
        assert (tmp_path / f"fig{k}.pdf").stat().st_size > 0 and (tmp_path / f"fig{k}.png").stat().st_size > 0
    tab = claims_table(ds2, ds3, ds4)
    assert list(tab.columns) == ["claim", "paper", "reproduced", "verdict", "feasible_share"]
    assert len(tab) == 8
    assert set(tab.verdict) <= {"reproduced", "partly", "not reproduced"}


def test_claims_count_target_angles_of_the_dataset(small_datasets):
    """The Fig.-2 claim counts the target angles where AA's sensing gain is higher, for any number of targets."""
    ds2, ds3, ds4 = small_datasets
    for n in (len(ds2.attrs["target_angles_deg"]), 4, 1):
        d2 = ds2.copy()
        d2.attrs["target_angles_deg"] = np.asarray(ds2.attrs["target_angles_deg"], float)[:n]
        idx = [int(np.argmin(np.abs(d2.angle_deg.values - t))) for t in d2.attrs["target_angles_deg"]]
        ps = d2.pattern_sensing
        higher = int(np.sum(ps.sel(scheme="aa").values[idx] > ps.sel(scheme="no_aa").values[idx]))
        text = claims_table(d2, ds3, ds4).iloc[0]["reproduced"]
        assert f"higher at {higher}/{n} target angles" in text, text



def test_claims_on_infeasible_designs_are_not_testable(small_datasets):
    """An infeasible design (NaN beams) is never compared: its claims say "not testable" with the share."""
    ds2, ds3, ds4 = (d.copy(deep=True) for d in small_datasets)
    ds2["feasible"].loc[{"scheme": "aa"}] = 0
    ds4["feasible"].loc[{"scheme": "no_aa"}] = 0
    tab = claims_table(ds2, ds3, ds4).set_index("claim")
    fig2 = tab.filter(like="(Fig. 2)", axis=0)
    fig4 = tab.filter(like="(Fig. 4)", axis=0)
    assert len(fig2) == 2 and (fig2["verdict"] == "not testable").all() and (fig2["feasible_share"] == 0).all()
    assert len(fig4) == 3 and (fig4["verdict"] == "not testable").all()
    assert (tab.filter(like="(Fig. 3)", axis=0)["verdict"] != "not testable").all()
