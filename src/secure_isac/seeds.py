"""Deterministic random streams: every draw depends on (base seed, layout index, purpose), never on job split."""

import numpy as np

# Fixed stream identifiers; never renumber (that would change every published result).
STREAMS = {
    "layout": 0,
    "cp": 1,
    "sp": 2,
    "sp_early": 2,  # the early-stopped SP is the same run cut short, so it shares SP's start
    "baseline": 1,  # docs/deviations.md S1-O6: the baseline reuses CP's random mode draw
    "cp_paper": 1,  # same start as cp, so the two algorithms are compared from one point
    "sp_paper": 2,
    "random_aa": 10,
    "bootstrap": 20,  # resampling of layouts for the claims intervals (pipeline.sensitivity)
    "pilots": 30,  # random pilot assignment (cfmmimo.channels.assign_pilots; read only by pilot_assignment random)
    # eavesdropper positions (cfmmimo.eavesdroppers): children of a layout's stream (spawn key (i, 0, 30/31), used
    # through `substream` only), so they never meet the top-level (i, 30) of "pilots"
    "eve_position": 30,
    "eve_samples": 31,
}


def seed_sequence(base_seed: int, layout_index: int, purpose: str = "layout") -> np.random.SeedSequence:
    """SeedSequence child keyed by (base seed, layout index, purpose)."""
    if purpose not in STREAMS:
        raise ValueError(f"purpose: unknown random stream {purpose!r}; known: {sorted(STREAMS)}")
    if int(base_seed) < 0:
        raise ValueError(f"base_seed must be >= 0, got {base_seed}")
    if int(layout_index) < 0:
        raise ValueError(f"layout_index must be >= 0, got {layout_index}")
    return np.random.SeedSequence(int(base_seed), spawn_key=(int(layout_index), STREAMS[purpose]))


def rng(base_seed: int, layout_index: int, purpose: str = "layout") -> np.random.Generator:
    """Generator for one (base seed, layout index, purpose) stream."""
    return np.random.default_rng(seed_sequence(base_seed, layout_index, purpose))


def substream(parent: np.random.Generator, purpose: str) -> np.random.Generator:
    """Generator of the stream `purpose` keyed by `parent`'s own seed: its SeedSequence with STREAMS[purpose] appended
    to the spawn key. Nothing is drawn from `parent` and the child does not depend on how much was drawn from it, so
    a new quantity gets its own stream without changing any earlier draw (e.g. seeds.rng(seed, i, "layout") ->
    SeedSequence(seed, spawn_key=(i, 0, 30)) for the eavesdropper positions of layout i)."""
    if purpose not in STREAMS:
        raise ValueError(f"purpose: unknown random stream {purpose!r}; known: {sorted(STREAMS)}")
    ss = getattr(parent.bit_generator, "seed_seq", None)
    if not isinstance(ss, np.random.SeedSequence):
        raise ValueError("parent: a Generator seeded from a numpy SeedSequence (np.random.default_rng(seed)) is needed")
    return np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, STREAMS[purpose]),
                                                        pool_size=ss.pool_size))
