"""Path loss and the sensing gain of a distance (docs/deviations.md S1-P7, S1-P8, S1-P18): below channels.py and
eavesdroppers.py, which both read them (an eavesdropper off its zone centre has its own gain by the same law)."""

from __future__ import annotations

import math

import numpy as np

from .params import SystemParams


def hata_constant_db(params: SystemParams) -> float:
    """Hata-COST231 constant L_H in dB (docs/deviations.md S1-P7; 140.7151 dB at 1900 MHz, 15 m, 1.65 m)."""
    f = params.carrier_mhz
    a_hue = (1.1 * math.log10(f) - 0.7) * params.h_ue_m - (1.56 * math.log10(f) - 0.8)
    return 46.3 + 33.9 * math.log10(f) - 13.82 * math.log10(params.h_ap_m) - a_hue


def path_loss_db(d_m, params: SystemParams) -> np.ndarray:
    """Three-slope path loss in dB (negative), distances converted to km as in Ngo's code (docs/deviations.md S1-P7)."""
    d_km = np.asarray(d_m, dtype=float) / 1000.0
    if np.any(d_km < 0) or not np.all(np.isfinite(d_km)):
        raise ValueError("d_m: distances must be finite and >= 0")
    d0 = params.d0_m / 1000.0
    d1 = params.d1_m / 1000.0
    lh = hata_constant_db(params)
    far = -lh - 35.0 * np.log10(np.maximum(d_km, d1))
    mid = -lh - 15.0 * math.log10(d1) - 20.0 * np.log10(np.clip(d_km, d0, d1))
    return np.where(d_km > d1, far, mid)  # clip(d, d0, d1) gives the flat d <= d0 slope automatically


def sensing_gain_db(d_m, params: SystemParams, zone_shadowing_db=None) -> np.ndarray:
    """Sensing gain zeta in dB at distance d_m from an AP, by params.zeta_model (docs/deviations.md S1-P8, S1-P18):
    "path_loss" PL(d); "shadowed" PL(d) + the AP-zone link's shadowing realisation zone_shadowing_db where d > d1;
    "two_way" 2 PL(d). The same law gives an eavesdropper off its zone centre its own gain
    (docs/deviations.md S1-P23)."""
    zeta_db = path_loss_db(d_m, params)
    if params.zeta_model == "shadowed":
        zeta_db = zeta_db + np.where(np.asarray(d_m) > params.d1_m, zone_shadowing_db, 0.0)
    elif params.zeta_model == "two_way":
        zeta_db = 2.0 * zeta_db
    return zeta_db
