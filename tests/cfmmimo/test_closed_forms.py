"""Closed forms (9), (12), (17) in effective-power variables vs the paper's own variables (spec sections 5-6)."""

import numpy as np

from secure_isac import seeds
from secure_isac.cfmmimo.channels import large_scale_fading
from secure_isac.cfmmimo.closed_forms import evaluate, normalize
from secure_isac.cfmmimo.geometry import draw_layout
from secure_isac.cfmmimo.params import SystemParams


def test_smoke_default_layout_metrics_shapes_and_signs():
    p = SystemParams()
    rng = seeds.rng(0, 0)
    ls = large_scale_fading(draw_layout(p, rng), p, rng)
    ch = normalize(ls, p)
    a = (np.arange(p.M) % 2).astype(float)
    s = a[:, None] * ls.gamma / ls.gamma.sum(axis=1, keepdims=True)
    q = (1 - a)[:, None] * np.full((p.M, p.L), 1.0 / p.L)
    m = evaluate(s, q, ch, p)
    assert m.sinr_ue.shape == (p.K,) and m.sinr_eve.shape == (p.L,) and m.masr.shape == (p.L,)
    assert np.all(m.sinr_ue > 0) and np.all(m.sinr_eve > 0) and np.all(m.masr > 0)
    assert np.all(m.secrecy_ue >= 0)
