"""Random deployment on a wrapped square (paper section IV; wrap-around as in Ngo et al. 2017, docs/deviations.md
S1-P9)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import checks
from .params import SystemParams


@dataclass(frozen=True)
class Layout:
    """Positions of one deployment on the square [0, side_m]^2 (docs/model.md S1-01).

    Attributes
    ----------
    ap_xy : numpy.ndarray, shape (M, 2)
        AP positions (x, y) in m.
    ue_xy : numpy.ndarray, shape (K, 2)
        UE positions (x, y) in m.
    zone_xy : numpy.ndarray, shape (L, 2)
        Sensing-zone centres (x, y) in m; one potential eavesdropper sits at each centre.
    """

    ap_xy: np.ndarray
    ue_xy: np.ndarray
    zone_xy: np.ndarray


def draw_layout(params: SystemParams, rng: np.random.Generator) -> Layout:
    """Draw a deployment: APs, UEs and zone centres i.i.d. uniform on [0, D]^2 (docs/model.md S1-01).

    The positions are drawn in this fixed order (APs, then UEs, then zones), so a layout depends only on the
    generator's state.

    Parameters
    ----------
    params : SystemParams
        The scenario: M, K, L and the side D = `side_m` in m.
    rng : numpy.random.Generator
        Source of the positions (advanced by 2 (M + K + L) uniform draws).

    Returns
    -------
    Layout
        `ap_xy` (M, 2), `ue_xy` (K, 2) and `zone_xy` (L, 2), in m.

    Raises
    ------
    ValueError
        If `params` is not a SystemParams or `rng` not a numpy Generator (the message names the argument).
    """
    checks.instance("params", params, SystemParams)
    checks.generator("rng", rng)
    side = params.side_m
    ap = rng.uniform(0.0, side, size=(params.M, 2))
    ue = rng.uniform(0.0, side, size=(params.K, 2))
    zone = rng.uniform(0.0, side, size=(params.L, 2))
    return Layout(ap_xy=ap, ue_xy=ue, zone_xy=zone)


def wrapped_displacement(p, q, side_m: float) -> np.ndarray:
    """Shortest displacement q - p on the torus of side D: ((q - p + D/2) mod D) - D/2 per coordinate
    (docs/model.md, geometry)."""
    if not side_m > 0:
        raise ValueError(f"side_m: must be > 0, got {side_m}")
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    return np.mod(q - p + side_m / 2.0, side_m) - side_m / 2.0


def pair_displacement(src_xy, dst_xy, side_m: float, wrap: bool = True) -> np.ndarray:
    """Displacement from every source (M,2) to every destination (J,2), shape (M,J,2): wrapped on the torus
    (docs/model.md, geometry) or, with wrap=False, on the plain square (docs/deviations.md S1-P20)."""
    p, q = np.asarray(src_xy, dtype=float)[:, None, :], np.asarray(dst_xy, dtype=float)[None, :, :]
    return wrapped_displacement(p, q, side_m) if wrap else q - p


def distance(disp) -> np.ndarray:
    """Euclidean length of a displacement over its last (xy) axis."""
    return np.linalg.norm(np.asarray(disp, dtype=float), axis=-1)


def sin_aod(disp) -> np.ndarray:
    """sin(theta) = dx / d for a ULA along x with broadside reference; 0 at d = 0 (docs/deviations.md S1-P14)."""
    disp = np.asarray(disp, dtype=float)
    d = distance(disp)
    safe = np.where(d > 0.0, d, 1.0)
    return np.where(d > 0.0, disp[..., 0] / safe, 0.0)
