"""Deployment and wrap-around geometry (docs/model.md, geometry)."""

import itertools

import numpy as np
import pytest

from secure_isac import seeds
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.geometry import (
    distance,
    draw_layout,
    pair_displacement,
    sin_aod,
    wrapped_displacement,
)
from secure_isac.cfmmimo.params import SystemParams


def test_wraparound_distance_by_hand():
    disp = wrapped_displacement([10.0, 10.0], [490.0, 490.0], 500.0)
    np.testing.assert_allclose(disp, [-20.0, -20.0], atol=1e-12)
    assert distance(disp) == pytest.approx(28.2843, abs=1e-4)
    # Inside the square without wrapping the plain difference is kept.
    np.testing.assert_allclose(wrapped_displacement([100.0, 50.0], [220.0, 10.0], 500.0), [120.0, -40.0])


def test_wrapped_distance_equals_min_over_nine_images():
    rng = np.random.default_rng(7)
    side = 500.0
    p = rng.uniform(0, side, (200, 2))
    q = rng.uniform(0, side, (200, 2))
    shifts = np.array(list(itertools.product((-side, 0.0, side), repeat=2)))  # 9 torus images
    brute = np.min(np.linalg.norm(q[:, None, :] + shifts[None] - p[:, None, :], axis=-1), axis=1)
    np.testing.assert_allclose(distance(wrapped_displacement(p, q, side)), brute, rtol=1e-12)
    assert np.all(np.abs(wrapped_displacement(p, q, side)) <= side / 2 + 1e-9)


def test_pair_displacement_broadcasts():
    ap = np.array([[0.0, 0.0], [250.0, 250.0], [499.0, 1.0]])
    ue = np.array([[1.0, 499.0], [250.0, 0.0]])
    disp = pair_displacement(ap, ue, 500.0)
    assert disp.shape == (3, 2, 2)
    for m, k in itertools.product(range(3), range(2)):
        np.testing.assert_allclose(disp[m, k], wrapped_displacement(ap[m], ue[k], 500.0))
    np.testing.assert_allclose(disp[0, 0], [1.0, -1.0])
    np.testing.assert_allclose(disp[2, 0], [2.0, -2.0])


def test_sin_aod_convention_and_zero_guard():
    disp = np.array([[30.0, 40.0], [-30.0, 40.0], [0.0, 10.0], [0.0, 0.0]])
    np.testing.assert_allclose(sin_aod(disp), [0.6, -0.6, 0.0, 0.0])
    # The angle uses the same wrapped image as the distance: AP at x=490, zone at x=10 is 20 m to the +x side.
    assert sin_aod(wrapped_displacement([490.0, 0.0], [10.0, 0.0], 500.0)) == pytest.approx(1.0)


def test_wrapped_displacement_rejects_bad_side():
    with pytest.raises(ValueError, match="side_m"):
        wrapped_displacement([0, 0], [1, 1], 0.0)


def test_draw_layout_shapes_range_and_draw_order():
    p = SystemParams(M=7, K=3, L=2, side_m=300.0)
    lay = draw_layout(p, np.random.default_rng(3))
    assert lay.ap_xy.shape == (7, 2) and lay.ue_xy.shape == (3, 2) and lay.zone_xy.shape == (2, 2)
    for arr in (lay.ap_xy, lay.ue_xy, lay.zone_xy):
        assert np.all((arr >= 0) & (arr <= 300.0))
    r = np.random.default_rng(3)
    np.testing.assert_array_equal(lay.ap_xy, r.uniform(0, 300.0, (7, 2)))
    np.testing.assert_array_equal(lay.ue_xy, r.uniform(0, 300.0, (3, 2)))
    np.testing.assert_array_equal(lay.zone_xy, r.uniform(0, 300.0, (2, 2)))


def _instance(p, index):
    r = seeds.rng(11, index)
    lay = draw_layout(p, r)
    return lay, large_scale_fading(lay, p, r)


def test_layouts_deterministic_regardless_of_order():
    p = SystemParams(M=8, K=4, L=2)
    forward = [_instance(p, i) for i in range(4)]
    backward = [_instance(p, i) for i in reversed(range(4))][::-1]
    for (la, fa), (lb, fb) in zip(forward, backward):
        np.testing.assert_array_equal(la.ap_xy, lb.ap_xy)
        np.testing.assert_array_equal(la.zone_xy, lb.zone_xy)
        np.testing.assert_array_equal(fa.beta, fb.beta)
        np.testing.assert_array_equal(fa.shadowing_db, fb.shadowing_db)
    assert not np.array_equal(forward[0][0].ap_xy, forward[1][0].ap_xy)
