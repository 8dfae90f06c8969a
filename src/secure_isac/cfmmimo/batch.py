"""Study-1 optimisation step: one scheme at one kappa on every layout of a batch (file in, file out)."""

from __future__ import annotations

import logging
import time
from typing import Any, Mapping

import numpy as np

from .. import provenance, seeds
from . import datasets
from .design import optimise
from .design_types import SolverOptions
from .tasks import system_params, write_dataset

log = logging.getLogger(__name__)


def solver_options(solver: Mapping[str, Any]):
    """SolverOptions from a config mapping; unknown keys raise ValueError naming them."""
    known = set(SolverOptions.__dataclass_fields__)
    unknown = sorted(set(solver) - known)
    if unknown:
        raise ValueError(f"solver: unknown option(s) {unknown}; known: {sorted(known)}")
    return SolverOptions(**dict(solver))


def optimise_batch(config: Mapping[str, Any], digest: str, channel_file, out, repo=None) -> None:
    """Run `design.optimise` for one scheme at one kappa on every layout of a batch; write the design batch file."""
    system = dict(config["system"])
    system["kappa_db"] = float(config["kappa_db"])
    params = system_params(system)
    options = solver_options(config["solver"])
    scheme = str(config["scheme"])
    seed = int(config["seed"])
    (ch,) = provenance.open_intermediates([channel_file])
    idx = ch["layout"].values
    designs = []
    for i in idx:
        t0 = time.perf_counter()
        d = optimise(scheme, datasets.large_scale_at(ch, int(i)), params, seeds.rng(seed, int(i), scheme), options)
        # timings go to the log only: files must not depend on the wall clock
        log.info("layout %d scheme %s kappa %s dB: feasible=%s status=%s iterations=%d secrecy_avg=%.4f "
                 "wall=%.2fs solver=%.2fs", i, scheme, params.kappa_db, d.feasible, d.solver_status, len(d.trace),
                 float(np.mean(d.metrics.secrecy_ue)), time.perf_counter() - t0, d.solver_time_s)
        designs.append(d)
    ds = datasets.design_dataset(designs, idx, scheme, params.kappa_db, options.solver)
    write_dataset(ds, out, config, digest, repo, **datasets.system_attrs(params))
