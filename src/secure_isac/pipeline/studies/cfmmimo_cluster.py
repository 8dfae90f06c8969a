"""Study 1's cluster requests (profiles/slurm): the runtime and memory of one optimisation job, derived from the
problem size, within the limit the profile states (the Cfmmimo facade delegates here; workflow/rules/cfmmimo.smk)."""

from __future__ import annotations

from collections.abc import Mapping

from ..cluster import MEM_BASE_MB, MEM_MIN_MB, within

# Runtime of one optimisation job: the measured worst case at paper size, <= 9 s per layout (paper SCA, M = 32, K = 4;
# profiles/slurm/README.md), scaled with M K (the design CPU grows as about (M K)^0.6-1.0, docs/performance.md and
# sp_paper at M = 64, K = 8: 8.5 s per layout) and doubled for safety.
SECONDS_PER_LAYOUT = 9.0
# Peak memory of one design job: ~150 MB of interpreter, numpy, cvxpy and the batch's data, plus what the scheme's
# solver holds. Measured (peak RSS of two designs, L = 2): the paper SCA (cvxpy) keeps dense arrays of M x M x K
# entries, sp_paper 155 / 403 / 769 / 1270 / 2710 MB at (M, K) = (16, 2), (32, 4), (32, 8), (64, 4), (64, 8), i.e.
# about 0.08 MB x M^2 K L / 2 over the base, cp_paper 1051 MB at (64, 8) (0.03 MB x M^2 K L / 2); the corrected SCA's
# fast path (cp, sp, sp_early) and the baseline stay within 110-160 MB up to M = 256, K = 32. Requests are twice that.
MEM_PER_M2KL_MB = {"sp_paper": 0.04, "cp_paper": 0.015}  # x M^2 K L


def optimise_runtime(config: Mapping, limit: int | None = None) -> int:
    """SLURM runtime (minutes) of one cfmmimo_optimise job of `config`: 2 x 9 s per layout x batch_size at
    M K <= 128 (paper size), scaled by M K / 128 above it, at least 5 minutes. The measured design CPU grows as
    about (M K)^0.6-1.0 (docs/performance.md, study 1 at scale), so a linear scale keeps the request above the
    need; with user-centric clusters (cluster_size < M) the scale is M (K + 2L)^2 / 2e5 instead (docs/
    performance.md, city scale). ValueError naming cfmmimo.batch_size when the request exceeds `limit` (the
    profile's runtime_limit)."""
    system = config["cfmmimo"]["system"]
    M, K, batch = int(system["M"]), int(system["K"]), int(config["cfmmimo"]["batch_size"])
    scale = M * K / 128.0
    if system.get("cluster_size") is not None and int(system["cluster_size"]) < M:
        # user-centric clusters: the subproblems are sparse, and a design's CPU grows as about M (K + 2L)^2 (the
        # solver's factorisation, docs/performance.md, city scale); M K / 128 would ask for 32 h per 50 layouts
        # at M = 512, K = 32. With 2e5 the request is ~4x the CPU measured at M = 512 and ~10x at M = 1024.
        scale = M * (K + 2 * int(system["L"])) ** 2 / 2.0e5
    per_layout = 2.0 * SECONDS_PER_LAYOUT * max(scale, 1.0)
    minutes = max(5, -(-int(per_layout * batch) // 60))
    fits = int(limit * 60 // per_layout) if limit is not None else batch
    remedy = (f"set cfmmimo.batch_size to at most {fits} (the designs do not depend on it)" if fits >= 1 else
              f"one layout alone asks for {per_layout / 60:.0f} min: use a partition with a longer limit")
    return within(minutes, limit, f"a design job of {batch} layouts at M = {M}, K = {K}", "cfmmimo.batch_size",
                  remedy)


def optimise_mem_mb(config: Mapping, scheme: str) -> int:
    """SLURM memory (MB) of one cfmmimo_optimise job of `scheme`: twice the measured peak (MEM_BASE_MB plus the
    scheme's M^2 K L term), in steps of 100 MB, at least MEM_MIN_MB."""
    system = config["cfmmimo"]["system"]
    M, K, L = (int(system[k]) for k in ("M", "K", "L"))
    need = MEM_BASE_MB + MEM_PER_M2KL_MB.get(scheme, 0.0) * M * M * K * L
    return max(MEM_MIN_MB, 100 * -(-int(2.0 * need) // 100))
