"""Study 2's cluster requests (profiles/slurm): the runtime and memory of one reference or design job, derived from
the problem size, within the limit the profile states (the Dfbs facade delegates here; workflow/rules/dfbs.smk)."""

from __future__ import annotations

from collections.abc import Mapping

from ...dfbs.params import DfbsParams
from ..cluster import MEM_BASE_MB, MEM_MIN_MB, within

# The slowest default design (a binding aa design near the feasibility edge, N = 16, 181 grid angles) takes about
# 100 s, a reference about 10 s (scripts/benchmark_dfbs.py); their SDPs are N x N with a row per grid angle, and
# no_aa designs grew as N^1.6 from N = 16 to 64 (114 / 133 / 368 MB peak RSS at N = 16, 32, 64): the requests scale
# with (N / 16)^3 and the grid size, at least the default-size requests.
RUNTIME_MIN = {"design": 10, "reference": 20}
MEM_PER_N4_MB = 2.0e-5


def runtime(config: Mapping, kind: str, limit: int | None = None) -> int:
    """SLURM runtime (minutes) of one study-2 job (`kind`: "design" or "reference"): the default-size request
    (RUNTIME_MIN) scaled by (N / 16)^3 and by the number of grid angles over 181. ValueError naming
    dfbs.params.n_antennas when it exceeds `limit`."""
    params = DfbsParams(**config["dfbs"]["params"])
    scale = max(1.0, (params.n_antennas / 16.0) ** 3 * len(params.grid_deg) / 181.0)
    minutes = -(-int(RUNTIME_MIN[kind] * scale * 60) // 60)
    return within(minutes, limit, f"a study-2 {kind} job at N = {params.n_antennas}, {len(params.grid_deg)} "
                                  "grid angles", "dfbs.params.n_antennas", "use fewer antennas, a coarser grid "
                                  "(dfbs.params.grid_step_deg) or a partition with a longer limit")


def mem_mb(config: Mapping) -> int:
    """SLURM memory (MB) of one study-2 job: twice MEM_BASE_MB plus MEM_PER_N4_MB x N^4 x grid angles / 181, in
    steps of 100 MB, at least MEM_MIN_MB."""
    params = DfbsParams(**config["dfbs"]["params"])
    need = MEM_BASE_MB + MEM_PER_N4_MB * params.n_antennas ** 4 * len(params.grid_deg) / 181.0
    return max(MEM_MIN_MB, 100 * -(-int(2.0 * need) // 100))
