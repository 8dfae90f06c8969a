"""Path labels of configured values are one-to-one with the float64 value (issue: 1.7609126 lost digits)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from secure_isac.pipeline.labels import label_map, value_label


@pytest.mark.parametrize(("value", "label"), [(2.0, "2"), (-3.0, "-3"), (0.5, "0.5"), (1.7609126, "1.7609126"),
                                              (1e-05, "1e-05"), (1e16, "1e+16"), (-0.0, "0"),
                                              (-math.inf, "-inf"), (20.0000001, "20.0000001")])
def test_labels_read_like_the_value(value, label):
    assert value_label(value) == label
    assert float(label) == value


def test_labels_are_one_to_one_and_round_trip():
    rng = np.random.default_rng(0)
    values = np.r_[rng.normal(0, 10, 2000), np.round(rng.normal(0, 10, 500), 3), np.arange(-50, 50),
                   [1.0, 1.0000001, 1.0 + 2**-52, 2.0**53, 2.0**53 + 2, 9.999999999999998e15]]
    labels = [value_label(v) for v in values]
    assert len(set(labels)) == len(set(values.tolist()))
    for v, lab in zip(values, labels):
        assert float(lab) == v  # the exact value comes back
        assert "/" not in lab and " " not in lab


def test_label_map_and_nan():
    assert label_map([2.0, 0.0, -0.0, 1.0000001]) == {"2": 2.0, "0": 0.0, "1.0000001": 1.0000001}
    with pytest.raises(ValueError, match="NaN"):
        value_label(float("nan"))
