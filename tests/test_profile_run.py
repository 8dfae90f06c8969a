"""scripts/profile_run.py reads each job's CPU from the "job CPU" line that provenance.log_to writes (Snakemake's
benchmark files sample every 30 s and miss the last interval) and falls back to the benchmark file for old runs."""

from __future__ import annotations

import importlib.util
import logging
import time
from pathlib import Path

import pytest

from secure_isac.provenance import job_cpu_seconds, log_to

REPO = Path(__file__).resolve().parents[1]


def _profile_module():
    spec = importlib.util.spec_from_file_location("profile_run", REPO / "scripts" / "profile_run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_log_to_records_the_job_cpu(tmp_path):
    log = tmp_path / "step.log"
    before = job_cpu_seconds()
    with log_to(log):
        t0 = time.process_time()
        while time.process_time() - t0 < 0.05:  # burn CPU so the recorded value must have grown
            pass
        logging.getLogger("secure_isac.pipeline").info("designed")
    recorded = float(_profile_module().JOB_CPU.findall(log.read_text())[-1])
    assert recorded >= before + 0.05 - 1e-3


def test_profile_prefers_the_log_line_and_keeps_dotted_labels(tmp_path):
    run = tmp_path
    design = "2026-01-01 INFO x: aa P=0 dBm R=2.5: feasible n_sdp=40 wall=1.5s\n"
    (run / "logs/dfbs/design/aa").mkdir(parents=True)
    (run / "logs/dfbs/design/aa/p0_r2.5.log").write_text(design + "2026-01-01 INFO x: job CPU: 7.250 s\n")
    (run / "logs/dfbs/design/aa/p0_r2.log").write_text("nothing\n")  # a label that a suffix strip would confuse
    (run / "benchmarks/dfbs/design/aa").mkdir(parents=True)
    header = "s\th:m:s\tmax_rss\tcpu_time\n"
    (run / "benchmarks/dfbs/design/aa/p0_r2.5.tsv").write_text(header + "9\t0:00:09\t100\t3.0\n")
    (run / "benchmarks/dfbs/design/aa/p0_r2.tsv").write_text(header + "2\t0:00:02\t100\t1.5\n")
    (run / "logs/cfmmimo/layouts").mkdir(parents=True)
    (run / "logs/cfmmimo/layouts/batch0.log").write_text("job CPU: 0.800 s\n")
    rows = _profile_module().profile(run)
    aa = rows["dfbs_design aa"]
    assert aa["jobs"] == 2 and aa["designs"] == 1 and aa["work"] == 40
    assert aa["cpu"] == pytest.approx(7.25 + 1.5)  # log line for p0_r2.5, the benchmark file for p0_r2
    assert aa["sampled"] == 1.0
    assert rows["cfmmimo/layouts"]["cpu"] == pytest.approx(0.8) and not rows["cfmmimo/layouts"].get("sampled")
