"""The eavesdropper extension combined with main's other extensions (docs/deviations.md S1-P28, S1-P29): pilot
contamination works with eavesdroppers off the zone centre and colluding (designs re-checked by the contaminated
closed forms; the Monte Carlo of the shared-pilot signal model with each eavesdropper at its own position is
tests/cfmmimo/test_eavesdroppers_montecarlo.py::test_layout_in_physical_units); the
coherent design (solver.sensing_design = coherent) refuses any eavesdropper model but the paper's, at once and at
config validation, in one line naming the keys."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from secure_isac import seeds
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import design_eve_sinr, evaluate, normalize, sinr_ue
from secure_isac.cfmmimo.design import optimise
from secure_isac.cfmmimo.feasibility import is_feasible
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.options import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.pipeline import config as wconfig
from secure_isac.pipeline.settings import workflow as settings

REPO = Path(__file__).resolve().parents[2]
OPTS = SolverOptions(max_iter=12, repair_max_iter=8, max_draws=50)
# two UEs on one pilot (tau_p = 1), eavesdroppers anywhere within 20 m of their zone centres
SHARED = SystemParams(M=10, N=4, K=2, L=2, side_m=300.0, tau_p=1, pilot_assignment="greedy", eve_position="disc",
                      eve_radius_m=20.0, eve_design="robust_bound", eve_grid_rings=1, eve_grid_points=6,
                      eve_eval_samples=100)


def _channels(p: SystemParams, i: int = 0, seed: int = 7):
    r = seeds.rng(seed, i, "layout")
    return large_scale_fading(draw_layout(p, r), p, r, pilot_rng=seeds.rng(seed, i, "pilots"))


@pytest.mark.parametrize("kw", [{}, {"eve_collusion": True}], ids=["independent", "colluding"])
@pytest.mark.parametrize("scheme", ["cp", "sp"])
def test_shared_pilots_with_eavesdroppers_off_centre(scheme, kw):
    """With shared pilots and robust_bound eavesdroppers, CP and SP designs are re-checked by the contaminated UE
    SINR (the co-pilot term present) and by the guarded Eve level; the unseen placements never exceed the
    guarantee (robust_bound holds everywhere in the disc whatever the pilots)."""
    p = dataclasses.replace(SHARED, **kw)
    ls = _channels(p)
    assert ls.pilot is not None and ls.eve is not None
    d = optimise(scheme, ls, p, np.random.default_rng(3), OPTS)
    assert d.feasible, d.solver_status
    ch = normalize(ls, p)
    met = evaluate(d.power_c, d.power_s, ch, p)
    np.testing.assert_allclose(met.sinr_ue, sinr_ue(d.power_c, d.power_s, ch, form=p.ue_sinr_form), rtol=1e-12)
    # the contamination term is really there: without it the UE SINR is larger
    assert np.all(met.sinr_ue < sinr_ue(d.power_c, d.power_s, dataclasses.replace(ch, pilot=None)))
    assert is_feasible(scheme, d.ap_mode, d.power_c, d.power_s, met, p, OPTS.feas_tol)
    if scheme == "cp":
        assert design_eve_sinr(met) <= p.nu * (1 + OPTS.feas_tol)
    assert d.eve["eve_violation_rate"] == 0.0


@pytest.mark.parametrize("kw", [dict(eve_position="offset", eve_offset_m=20.0),
                                dict(eve_position="disc", eve_radius_m=20.0, eve_design="robust"),
                                dict(eve_collusion=True)], ids=["offset", "robust", "colluding"])
@pytest.mark.parametrize("scheme", ["cp", "sp", "sp_early"])
def test_coherent_design_refuses_eavesdroppers_naming_the_keys(scheme, kw):
    p = dataclasses.replace(SystemParams(M=10, N=4, K=2, L=2, side_m=300.0), **kw)
    ls = _channels(p)
    coherent = dataclasses.replace(OPTS, sensing_design="coherent")
    with pytest.raises(ValueError, match="sensing_design") as err:
        optimise(scheme, ls, p, np.random.default_rng(0), coherent)
    msg = str(err.value)
    assert "\n" not in msg and "eve_position" in msg and "eve_collusion" in msg
    # the schemes that do not read sensing_design (the baseline; the paper SCA where it takes the model) design
    if "eve_collusion" not in kw and kw.get("eve_design") != "robust":
        assert optimise("cp_paper", ls, p, np.random.default_rng(0), coherent).scheme == "cp_paper"
    assert optimise("baseline", ls, p, np.random.default_rng(0), coherent).scheme == "baseline"


def test_coherent_design_with_eavesdroppers_stops_at_config_validation():
    cfg = wconfig.deep_merge(settings.defaults(), yaml.safe_load(
        (REPO / "config" / "eve_uncertainty.yaml").read_text()))
    wconfig.validate_config(cfg)
    cfg["cfmmimo"]["solver"]["sensing_design"] = "coherent"
    with pytest.raises(wconfig.ConfigError, match="sensing_design") as err:
        wconfig.validate_config(cfg)
    assert "eve_position" in str(err.value) and "\n" not in str(err.value).split(": ", 1)[1]
    # the paper's eavesdroppers with the coherent design stay valid
    plain = wconfig.deep_merge(settings.defaults(), {"cfmmimo": {"solver": {"sensing_design": "coherent"}}})
    wconfig.validate_config(plain)

