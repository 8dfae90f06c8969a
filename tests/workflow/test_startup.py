"""secure_isac.startup: the job start-up speed-ups, their one switch, and results identical with it on and off."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys

from conftest import copy_run, job_counts, snakemake

OFF = {"SECURE_ISAC_FAST_START": "0"}


def _run(code: str, env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})})
    return json.loads(out.stdout.strip().splitlines()[-1])


PROBE = """
import json, sys
from secure_isac import startup
loaded = {m: m in sys.modules for m in ("cvxpy", "scipy.stats")}
print(json.dumps({"enabled": startup.enabled(), "lazy": type(startup.cvx).__name__ == "_Cvxpy", **loaded}))
startup.fast_exit()
print(json.dumps({"returned": True}))
"""


def test_switch_on_and_off():
    on = _run(PROBE.replace('print(json.dumps({"returned": True}))', ""))
    assert on == {"enabled": True, "lazy": True, "cvxpy": False, "scipy.stats": False}
    off = _run(PROBE, OFF)  # plain imports at once, and fast_exit returns (the second line is printed)
    assert off == {"returned": True}
    first = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                           env={**os.environ, **OFF}).stdout.splitlines()[0]
    assert json.loads(first) == {"enabled": False, "lazy": False, "cvxpy": True, "scipy.stats": True}
    for value in ("false", "No", " off "):
        assert _run("import json; from secure_isac import startup; print(json.dumps(startup.enabled()))",
                    {"SECURE_ISAC_FAST_START": value}) is False


def test_jobs_give_equal_bytes_with_the_speed_ups_off(toy_run, tmp_path):
    """The Fig. 2 chains of both studies (layouts, channels, three designs; two references, two design points; the
    datasets and figures made from them) rerun with every start-up speed-up off: every file equals the toy
    run's (made with them on) byte for byte."""
    copy = tmp_path / "copy"
    copy_run(toy_run.directory, copy)
    targets = ["figures/cfmmimo/fig2.png", "figures/cfmmimo/layout_map.png", "figures/dfbs/fig2.png"]
    rules = ["cfmmimo_layouts", "cfmmimo_channels", "cfmmimo_optimise", "dfbs_reference", "dfbs_design"]
    # targets before --configfile and --forcerun: both take several values, the targets would be read as config files
    proc = snakemake("--cores", "2", *targets, "--configfile", str(toy_run.config), "--forcerun", *rules,
                     directory=copy, snakefile=toy_run.snakefile, env=OFF)
    counts = job_counts(proc.stdout + proc.stderr)
    assert counts.get("cfmmimo_optimise", 0) >= 3 and counts.get("dfbs_design", 0) >= 2, counts
    assert counts.get("plot", 0) == 3 and counts.get("cfmmimo_aggregate", 0) == 1, counts
    compared = 0
    for sub in ("results", "figures"):
        for path in sorted((copy / sub).rglob("*")):
            if path.is_file():
                original = toy_run.directory / path.relative_to(copy)
                assert filecmp.cmp(path, original, shallow=False), path.relative_to(copy)
                compared += 1
    assert compared > 20
