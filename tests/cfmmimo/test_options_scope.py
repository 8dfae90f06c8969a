"""options.FIELDS_READ: every SolverOptions field a scheme's optimiser reads is listed for that scheme.

The pipeline hands each design job only its scheme's fields (pipeline.studies: Study.scope), so a field read but not
listed would be silently left at its default in that scheme's jobs, and changing it would not rerun them. The test
records every field read while each scheme designs small instances, on the paths that read the most: the SP schemes once
with their random start and once with the CP fallback start (max_draws = 1, a single draw rarely meets SP's QoS),
and infeasible instances."""

from __future__ import annotations

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo import channels, geometry
from secure_isac.cfmmimo.design import SCHEMES, optimise
from secure_isac.cfmmimo.options import FIELDS_READ, SolverOptions, options_of_scheme
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.cfmmimo.schemes import COHERENT_DESIGN_SCHEMES, SYSTEM_KEYS_NOT_READ
from secure_isac.pipeline.studies.cfmmimo import OPTIMISATION_ONLY_KEYS

FIELDS = set(SolverOptions.__dataclass_fields__)


@pytest.fixture
def reads(monkeypatch):
    seen: set = set()
    plain = object.__getattribute__

    def recording(self, name):
        if name in FIELDS:
            seen.add(name)
        return plain(self, name)

    monkeypatch.setattr(SolverOptions, "__getattribute__", recording)
    return seen


def _run(scheme, p, seed, options):
    r = seeds.rng(seed, 0, "layout")
    ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
    return optimise(scheme, ls, p, seeds.rng(seed, 0, scheme), options)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_field_a_scheme_reads_is_in_its_scope(scheme, reads):
    p = SystemParams(M=8, K=2, L=2)
    statuses = []
    for options in (SolverOptions(max_iter=30, repair_max_iter=15),
                    SolverOptions(max_iter=30, repair_max_iter=15, max_draws=1, verbose=False)):
        for seed in range(3):
            statuses.append(_run(scheme, p, seed, options).solver_status)
    _run(scheme, SystemParams(M=8, K=2, L=2, kappa_db=70.0), 0, SolverOptions(max_iter=5, max_draws=3))
    missing = reads - set(FIELDS_READ[scheme])
    assert not missing, f"{scheme} reads {sorted(missing)}, not in FIELDS_READ[{scheme!r}]"
    if scheme.startswith("sp"):
        assert any("start=cp_solution" in s for s in statuses), statuses  # the CP-fallback path was exercised
    if scheme == "baseline":
        assert reads == {"max_draws", "feas_tol"}  # "solver" is listed for the dataset's record only


def test_the_scheme_only_fields_are_not_read_by_the_other_schemes():
    # the fields that make scoping worthwhile: an SP-only key must not reach a CP job's config, and vice versa
    for scheme in ("cp", "cp_paper", "baseline"):
        assert not {"sp_stall_window", "lambda_cap_sp", "early_abs_tol"} & set(FIELDS_READ[scheme])
    assert [s for s in SCHEMES if "early_abs_tol" in FIELDS_READ[s]] == ["sp_early"]
    assert set(FIELDS_READ) == set(SCHEMES)
    for scheme, fields in FIELDS_READ.items():
        assert set(fields) <= FIELDS, scheme


def test_options_of_scheme_filters_and_names_a_bad_scheme():
    full = {"max_iter": 50, "sp_stall_window": 5, "early_abs_tol": 1e-2}
    assert options_of_scheme(full, "cp") == {"max_iter": 50}
    assert options_of_scheme(full, "sp") == {"max_iter": 50, "sp_stall_window": 5}
    assert options_of_scheme(full, "sp_early") == full
    with pytest.raises(ValueError, match="scheme"):
        options_of_scheme(full, "cpp")


def test_a_field_outside_the_scope_does_not_change_the_design():
    # closes the loop on one instance: cp with an SP-only field changed gives the identical design
    p = SystemParams(M=8, K=2, L=2)
    a = _run("cp", p, 1, SolverOptions(max_iter=30))
    b = _run("cp", p, 1, SolverOptions(max_iter=30, sp_stall_window=2, lambda_cap_sp=7.0, early_abs_tol=0.5))
    assert np.array_equal(a.ap_mode, b.ap_mode) and np.array_equal(a.power_c, b.power_c)
    assert np.array_equal(a.power_s, b.power_s)


SYSTEM_FIELDS = set(SystemParams.__pydantic_fields__)
# instances on the paths that read the most system keys: the default, the pre-log and printed SINR, an infeasible
# MASR, coherent sensing combining, an eavesdropper off the centre, user-centric clusters and shared pilots
SYSTEM_CASES = (dict(), dict(prelog=True, ue_sinr_form="printed", varsigma_db=8.0), dict(kappa_db=70.0),
                dict(sensing_combining="coherent"), dict(eve_position="offset", eve_offset_m=20.0, eve_design="known"),
                dict(cluster_size=4), dict(K=3, tau_p=2, pilot_assignment="greedy"))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_system_keys_a_scheme_reads_are_exactly_its_scope(scheme, monkeypatch):
    """Every cfmmimo.system field read while a scheme designs (fields are recorded once the params exist), against
    its design jobs' scope: no key of SYSTEM_KEYS_NOT_READ[scheme] is read, and every other optimisation key (but
    kappa_db, which is in the design's path) is, so the scope is exact. A scheme refusing an instance (cp_paper with
    clusters or shared pilots) reads the keys of its refusal only."""
    seen: set = set()
    plain = object.__getattribute__

    def recording(self, name):
        if name in SYSTEM_FIELDS:
            seen.add(name)
        return plain(self, name)

    for case in SYSTEM_CASES:
        p = SystemParams(**{"M": 8, "K": 2, "L": 2, **case})
        for seed, options in enumerate((SolverOptions(max_iter=30, repair_max_iter=15),
                                        SolverOptions(max_iter=30, repair_max_iter=15, max_draws=1))):
            r = seeds.rng(seed, 0, "layout")
            ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
            monkeypatch.setattr(SystemParams, "__getattribute__", recording, raising=False)
            try:
                optimise(scheme, ls, p, seeds.rng(seed, 0, scheme), options)
            except ValueError:
                pass  # a refused model (e.g. cp_paper with clusters) is refused before any solve
            finally:
                monkeypatch.undo()
    if scheme in COHERENT_DESIGN_SCHEMES:  # the coherent surrogate (coherent_sca.CoherentSurrogate) too
        p = SystemParams(M=8, K=2, L=2, sensing_combining="coherent")
        r = seeds.rng(0, 0, "layout")
        ls = channels.large_scale_fading(geometry.draw_layout(p, r), p, r)
        monkeypatch.setattr(SystemParams, "__getattribute__", recording, raising=False)
        try:
            optimise(scheme, ls, p, seeds.rng(0, 0, scheme), SolverOptions(max_iter=30, sensing_design="coherent"))
        finally:
            monkeypatch.undo()
    assert not seen & set(SYSTEM_KEYS_NOT_READ[scheme]), sorted(seen & set(SYSTEM_KEYS_NOT_READ[scheme]))
    assert set(OPTIMISATION_ONLY_KEYS) - {"kappa_db"} - set(SYSTEM_KEYS_NOT_READ[scheme]) <= seen


@pytest.mark.parametrize("scheme", ["cp", "cp_paper", "baseline", "sp"])
def test_the_sp_qos_floor_does_not_change_cp_or_baseline_designs(scheme):
    """cp, cp_paper and the baseline at varsigma = 4 and 12 dB on toy layouts: identical arrays (modes, powers,
    every metric, feasibility, status, trace), which is what lets their jobs' scope omit varsigma_db; SP's designs
    move (the test can fail). The trace is compared but for its solver times (wall clock)."""
    opts = SolverOptions(max_iter=30, repair_max_iter=15)
    for seed in range(3):
        a = _run(scheme, SystemParams(M=8, K=2, L=2, varsigma_db=4.0), seed, opts)
        b = _run(scheme, SystemParams(M=8, K=2, L=2, varsigma_db=12.0), seed, opts)
        same = [np.array_equal(a.ap_mode, b.ap_mode), np.array_equal(a.power_c, b.power_c),
                np.array_equal(a.power_s, b.power_s), a.feasible == b.feasible, a.solver_status == b.solver_status,
                all(np.array_equal(getattr(a.metrics, f), getattr(b.metrics, f)) for f in vars(a.metrics)),
                all(np.array_equal(getattr(a.trace, f), getattr(b.trace, f))
                    for f in vars(a.trace) if f != "solve_time")]  # (solver wall time)
        if scheme == "sp":
            assert not all(same[:3])
            return
        assert all(same), (seed, same)
