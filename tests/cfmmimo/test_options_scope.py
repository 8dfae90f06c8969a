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
