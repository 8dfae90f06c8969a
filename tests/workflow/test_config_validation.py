"""Bad configuration stops the run before any job, naming the offending key."""

from __future__ import annotations

import pytest
import yaml

from conftest import TEST_CONFIG, snakemake


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"cfmmimo": {"system": {"M": "many"}}}, "M"),
        ({"cfmmimo": {"fig3": {"n_layout": 3}}}, "n_layout"),
        ({"cfmmimo": {"solver": {"solver": "MOSEK"}}}, "solver"),
        ({"seeed": 1}, "seeed"),
        ({"cfmmimo": {"system": {"d0_m": 80.0}}}, "d0_m"),
    ],
)
def test_bad_config_fails_before_any_job(tmp_path, override, expected):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(override))
    proc = snakemake("--cores", "1", "--configfile", str(TEST_CONFIG), str(bad), directory=tmp_path, check=False)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert expected in text, text[-3000:]
    assert not (tmp_path / "results").exists() and not (tmp_path / "logs").exists()
