"""What the penalty SCA loop (penalty.relaxed_sca) asks of a convex surrogate: one `Step` per solved subproblem.

The loop and its surrogates depend on this module only, never on each other: corrected.CorrectedSurrogate,
paper_sca.PaperSurrogate and coherent_sca.CoherentSurrogate implement `Surrogate`, and the optimiser that chooses
one (design.py, repair.py, coherent_sca.py) hands its class to relaxed_sca (docs/model.md, penalty method).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass
class Step:
    """One solved surrogate around the current point: the new point (in the surrogate's own variables) and its
    effective powers, or `failed` (the status that ends the run)."""

    status: str
    time: float
    point: object = None
    a: np.ndarray | None = None
    s: np.ndarray | None = None
    q: np.ndarray | None = None
    t_solver: float = np.nan
    failed: str | None = None


class Surrogate(Protocol):
    """A convex surrogate of the relaxed CP/SP problem around the current point, re-solved by `relaxed_sca`:
    corrected.CorrectedSurrogate (effective powers, linear budgets; docs/model.md), paper_sca.PaperSurrogate (the
    paper's DC/Taylor steps with the corrections of docs/deviations.md S1-A1 - S1-A8) or coherent_sca.
    CoherentSurrogate (coherent sensing combining, docs/deviations.md S1-O21). Built as
    `surrogate(kind, ch, params, options)`."""

    name: str  # "corrected", "paper" or "coherent": in messages and statuses
    combining: str  # closed forms the loop evaluates its iterates with ("noncoherent" | "coherent")
    # False: options.stop_when_binary does not apply (the paper's iterates stay binary) and there is no fixed-mode
    # step (rounding and repair use a surrogate that has one)
    uses_stop_when_binary: bool

    def start(self, a, s, q) -> tuple[object, np.ndarray, np.ndarray, np.ndarray]:
        """(point, a, s, q) of the start (a, s, q) in effective powers."""

    def step(self, point, a, s, q, t0: float, lam: float, fixed_a, it: int) -> Step:
        """Solve the surrogate linearised at `point` with objective value t0 and penalty lam."""

    def describe(self, point) -> dict:
        """The point's own variables, for the `iterates` record of relaxed_sca."""
