"""Default geometry (N=16, N_RF=8, targets +-20/40/60, user 0, eves +-20, Delta=10, grid -90:1:90)."""

import numpy as np

from secure_isac.dfbs.array import beampattern, eve_channels


def test_full_digital_le_aa_le_no_aa(default_designs):
    fd, aa, no = (default_designs[s] for s in ("full_digital", "aa", "no_aa"))
    assert fd.feasible and aa.feasible and no.feasible
    assert fd.matching_error <= aa.matching_error + 1e-7
    assert aa.matching_error <= no.matching_error + 1e-7
    assert int(aa.selected.sum()) == 8 and int(no.selected.sum()) == 8


def test_symmetric_geometry(default_params, default_designs):
    aa = default_designs["aa"]
    W = np.outer(aa.w, aa.w.conj())
    G = eve_channels(default_params)
    p_eve = beampattern(W, G)
    assert abs(10 * np.log10(p_eve[0] / p_eve[1])) < 1e-3
    assert np.array_equal(aa.selected, aa.selected[::-1])  # mirror-symmetric selection
