import numpy as np
import pytest

from secure_isac.seeds import rng


def test_layout_stream_independent_of_order():
    a = [rng(7, i).random(3) for i in range(5)]
    b = [rng(7, i).random(3) for i in reversed(range(5))][::-1]
    np.testing.assert_array_equal(np.array(a), np.array(b))
    assert not np.allclose(a[0], a[1])


def test_baseline_shares_cp_stream_and_purposes_differ():
    np.testing.assert_array_equal(rng(1, 3, "cp").random(4), rng(1, 3, "baseline").random(4))
    assert not np.allclose(rng(1, 3, "cp").random(4), rng(1, 3, "sp").random(4))


@pytest.mark.parametrize("kw", [dict(base_seed=-1, layout_index=0), dict(base_seed=0, layout_index=-2)])
def test_bad_seed_arguments(kw):
    with pytest.raises(ValueError, match=next(iter(k for k, v in kw.items() if v < 0))):
        rng(**kw)


def test_unknown_purpose():
    with pytest.raises(ValueError, match="purpose"):
        rng(0, 0, "nope")
