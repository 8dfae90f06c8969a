"""Hooks of the whole test session (fixtures live next to their tests: tests/dfbs/conftest.py,
tests/workflow/conftest.py)."""

from __future__ import annotations

import os


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test`: `--dist loadfile --no-loadscope-reorder`, each file on one worker, handed out
    in collection order), the files with a test marked `slow` (snakemake runs, tens of seconds to minutes each) come
    first: the long files start at once, and the short ones fill the cores at the end instead of one worker finishing
    a long file alone. Without xdist the order is pytest's own."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: each file's own order is kept
