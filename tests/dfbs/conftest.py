"""Session-scoped study-2 designs shared by the dfbs tests (small instance N=8, N_RF=4 unless stated)."""

import warnings

import pytest

from secure_isac.dfbs.params import DfbsParams
from secure_isac.dfbs.schemes import design, reference_design

warnings.filterwarnings("ignore", module="cvxpy")


@pytest.fixture(scope="session")
def small():
    return DfbsParams(n_antennas=8, n_rf=4, grid_step_deg=2.0, n_random=5)


@pytest.fixture(scope="session")
def small_refs(small):
    return {s: reference_design(s, small) for s in ("aa", "no_aa", "random_aa", "full_digital")}


@pytest.fixture(scope="session")
def default_params():
    return DfbsParams()


@pytest.fixture(scope="session")
def default_designs(default_params):
    """Fig.-2 operating point (P = 20 dBm, R-bar = 2) of aa, no_aa and full_digital on the default geometry."""
    out = {}
    for s in ("aa", "no_aa", "full_digital"):
        ref = reference_design(s, default_params)
        out[s] = design(s, default_params, 20.0, 2.0, reference=ref)
    return out
