"""Study 2's limits on its counts at parse time (pipeline.config asks the Dfbs facade, which delegates here): the
design points and jobs of its figures, counted by arithmetic before any list is built."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..errors import check_count


def secrecy_grid_size(df: Mapping[str, Any], power_dbm: float) -> int:
    """Upper bound on the length of the Fig. 3 R-bar grid at P (dfbs.params.secrecy_target_grid), by arithmetic."""
    p, f3 = df["params"], df["fig3"]
    snr = 10.0 ** ((float(power_dbm) - float(p["noise_dbm"])) / 10.0)
    edge = min(math.log2(1.0 + int(p["n_rf"]) * snr), float(f3["secrecy_max"]))
    start, step = float(f3["secrecy_start"]), float(f3["secrecy_step"])
    return max(0, math.floor((edge - start) / step) + 2)


def check_limits(config: Mapping[str, Any]) -> None:
    """limits.* on study 2's design points and jobs (Fig. 4: P values; Fig. 3: the (P, R-bar) grid, its size by
    arithmetic), before any list is built (ConfigError naming the key)."""
    lim, df = config["limits"], config["dfbs"]
    max_points, max_jobs = int(lim["max_points"]), int(lim["max_jobs"])
    n4 = len(df["fig4"]["power_dbm"])
    check_count(n4, max_points, "dfbs.fig4.power_dbm", "design points", "max_points")
    check_count(n4 * len(df["fig4"]["schemes"]), max_jobs, "dfbs.fig4", "design jobs (schemes x P)", "max_jobs")
    n3 = sum(secrecy_grid_size(df, p) for p in df["fig3"]["power_dbm"])
    check_count(n3, max_points, "dfbs.fig3.secrecy_step", "(P, R-bar) design points", "max_points")
    check_count(n3 * len(df["fig3"]["schemes"]), max_jobs, "dfbs.fig3", "design jobs (schemes x P x R-bar)",
                "max_jobs")
