"""Issue 26 items 4, 6, 8: toy runs say so (pipeline.scale, from each study's default figure sizes), one Markdown table
writer (pipeline.markdown) whose tables survive a `|` in a cell, and secure-isac-compare's tolerances, configuration
and version differences, formats and toy warning. Fast: synthetic tables and datasets, no workflow run."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from snakemake.utils import update_config

from secure_isac import provenance
from secure_isac.pipeline import markdown, scale
from secure_isac.pipeline.claims import claims_markdown, write_claims
from secure_isac.pipeline.compare import main
from secure_isac.pipeline.config import validate_config
from secure_isac.pipeline.runs import copy_config
from secure_isac.pipeline.scenario_summary import summary_markdown
from secure_isac.pipeline.sensitivity import matrix_markdown
from secure_isac.pipeline.settings.cfmmimo import CfFig3, CfFig4
from secure_isac.pipeline.studies import study

from conftest import REPO

PIPE = "max |difference| of the rates"


def _config(*overlays: dict) -> dict:
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    for overlay in overlays:
        update_config(config, copy_config(overlay))
    return validate_config(config)


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row, split at the unescaped pipes (GitHub's rule)."""
    parts, cur, i = [], "", 0
    body = line.strip()[1:-1]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            cur += "\\|"
            i += 2
            continue
        if body[i] == "|":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += body[i]
        i += 1
    return [*parts, cur.strip()]


def _tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of `text` as rows of cells."""
    tables, cur = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cur.append(_cells(line))
        elif cur:
            tables.append(cur)
            cur = []
    return tables


def _assert_rectangular(text: str, n_tables: int) -> list[list[list[str]]]:
    tables = _tables(text)
    assert len(tables) == n_tables, text
    for t in tables:
        assert len({len(row) for row in t}) == 1, t  # every row has the header's number of cells
    return tables


# --- item 4: the paper's counts are each study's default figure sizes; both sides of the line ---------------------
def test_paper_layouts_are_the_default_figure_sizes():
    cf = study("cfmmimo")
    assert cf.paper_layouts() == {"fig3": CfFig3().n_layouts, "fig4": CfFig4().n_layouts} == {"fig3": 50, "fig4": 200}
    # the sensitivity run's own default counts (its overlay's 100 layouts of Fig. 4)
    assert cf.paper_layouts(sensitivity=True) == {"fig3": 50, "fig4": 100}
    assert study("dfbs").paper_layouts() == {}  # no random layouts: never a toy by this rule


@pytest.mark.parametrize(("fig3", "fig4", "toy"), [
    (50, 200, False), (51, 1000, False),  # the paper's counts and more: no label
    (49, 200, True), (50, 199, True), (2, 4, True),  # one count below the paper's is enough
])
def test_toy_label_both_sides(fig3, fig4, toy):
    config = _config({"cfmmimo": {"fig3": {"n_layouts": fig3}, "fig4": {"n_layouts": fig4}}})
    label = scale.run_label(config)
    assert bool(label) is toy
    if toy:
        assert label.startswith("toy configuration (") and label.endswith("): verdicts not meaningful")
        assert (f"fig3 {fig3} of the paper's 50" in label) is (fig3 < 50)
        assert (f"fig4 {fig4} of the paper's 200" in label) is (fig4 < 200)
    assert scale.run_label(config, ["dfbs"]) == ""


def test_the_toy_config_is_a_toy_and_the_default_sensitivity_run_is_not():
    toy = _config(yaml.safe_load((REPO / "config" / "test.yaml").read_text()))
    assert scale.run_label(toy).startswith("toy configuration (2-4 layouts: cfmmimo fig3 2 of the paper's 50, fig4 4")
    default = _config()
    assert scale.run_label(default) == ""
    sens = _config({"cfmmimo": default["sensitivity"]["overlay"]["cfmmimo"]})
    assert scale.run_label(sens, sensitivity=True) == ""
    assert "fig4 100 of the paper's 200" in scale.run_label(sens)  # below the paper's count, as a plain run


def _claims_csv(path, claim="CP median", toy=""):
    table = pd.DataFrame([{"claim": claim, "paper": 5.1, "reproduced": 4.123456, "verdict": "partly",
                           "feasible_share": 1.0, "criterion": "x"}])
    if toy:
        table[scale.LABEL_COLUMN] = toy
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    return path


def test_claims_csv_and_markdown_carry_a_toy_label(tmp_path, monkeypatch):
    label = scale.label({"cfmmimo": {"fig3": 2, "fig4": 4}})
    table = pd.DataFrame([{"claim": PIPE, "paper": 1.0, "reproduced": 2.0, "verdict": "reproduced"}])
    monkeypatch.setattr(study("cfmmimo"), "claims_table", lambda *ds: table.copy())
    monkeypatch.setattr(provenance, "open_intermediates", lambda files: [])
    write_claims("cfmmimo", [], tmp_path / "toy.csv", label)
    write_claims("cfmmimo", [], tmp_path / "paper.csv", "")
    assert list(pd.read_csv(tmp_path / "toy.csv")[scale.LABEL_COLUMN]) == [label]
    assert scale.LABEL_COLUMN not in pd.read_csv(tmp_path / "paper.csv").columns
    claims_markdown([tmp_path / "toy.csv", _claims_csv(tmp_path / "d.csv")], ["Study 1", "Study 2"],
                    tmp_path / "toy.md")
    text = (tmp_path / "toy.md").read_text()
    assert text.splitlines()[0] == f"**{label}**"
    claims_markdown([tmp_path / "paper.csv"], ["Study 1"], tmp_path / "paper.md")
    assert "toy configuration" not in (tmp_path / "paper.md").read_text()


# --- item 8: one writer; a `|` in a cell keeps its row ------------------------------------------------------------
def test_markdown_table_escapes_pipes_and_line_breaks():
    text = markdown.table(pd.DataFrame({"a|b": [PIPE, "two\nlines"], "v": [1.5, np.nan]}))
    rows = _assert_rectangular(text, 1)[0]
    assert rows[0] == ["a\\|b", "v"] and rows[2] == ["max \\|difference\\| of the rates", "1.5"]
    assert rows[3] == ["two lines", ""]


def test_claims_markdown_with_a_pipe(tmp_path):
    claims_markdown([_claims_csv(tmp_path / "c.csv", claim=PIPE)], ["T"], tmp_path / "c.md")
    (table,) = _assert_rectangular((tmp_path / "c.md").read_text(), 1)
    assert table[2] == ["max \\|difference\\| of the rates", "5.1", "4.123", "partly", "1"]


def test_scenario_summary_markdown_with_a_pipe():
    table = pd.DataFrame([
        {"kind": "claim", "study": "cfmmimo", "item": PIPE, "scheme": "", "run": r, "value": 0.5,
         "verdict": "reproduced"} for r in ("default", "other")] + [
        {"kind": "headline", "study": "dfbs", "item": "fig3: max |W|", "scheme": "aa", "run": "default", "value": 1.0,
         "verdict": ""}])
    text = summary_markdown(table, ["default", "other"], {"default": "", "other": "toy configuration (x)"})
    assert text.startswith("**other: toy configuration (x)**")
    claims, heads = _assert_rectangular(text, 2)
    assert claims[0] == ["study", "claim", "default", "other"]
    assert claims[2] == ["cfmmimo", "max \\|difference\\| of the rates", "reproduced (0.5)", "reproduced (0.5)"]
    assert heads[2] == ["dfbs", "fig3: max \\|W\\|", "aa", "1", "-"]


def test_sensitivity_matrix_markdown_with_a_pipe():
    table = pd.DataFrame([{"scenario": s, "study": "cfmmimo", "claim": PIPE, "reproduced": 0.25, "ci_low": 0.1,
                           "ci_high": 0.4, "verdict": "reproduced"} for s in ("reference", "alt")])
    text = matrix_markdown(table, 0.95, {"reference": "toy configuration (y)", "alt": ""})
    assert text.startswith("**reference: toy configuration (y)**")
    both = matrix_markdown(table, 0.95, {"reference": "toy configuration (y)", "alt": "toy configuration (y)"})
    assert both.startswith("**reference, alt: toy configuration (y)**\n\n###")  # one line per distinct label
    (rows,) = _assert_rectangular(text, 1)
    assert rows[2] == ["max \\|difference\\| of the rates", "**reproduced** 0.25 [0.1, 0.4]",
                       "**reproduced** 0.25 [0.1, 0.4]"]


# --- item 6: secure-isac-compare ------------------------------------------------------------------------------------
def _run(root, n3=50, n4=200, shift=0.0, numpy_version="2.3.5", system=None, digest="d1", commit="abc"):
    """A run folder with the study-1 Fig. 3 and Fig. 4 datasets (what the headlines read) and their provenance."""
    rng = np.random.default_rng(0)
    schemes = ["cp", "sp", "baseline"]
    sys_cfg = {"K": 4, "M": 16, **(system or {})}
    for fig, n in (("fig3", n3), ("fig4", n4)):
        dims = ("scheme", "kappa_db", "layout", "ue") if fig == "fig3" else ("scheme", "layout", "ue")
        shape = (3, 2, n, 4) if fig == "fig3" else (3, n, 4)
        coords = {"scheme": schemes, **({"kappa_db": [0.0, 20.0]} if fig == "fig3" else {})}
        ds = xr.Dataset({"secrecy_ue": (dims, 1.0 + rng.random(shape) + shift),
                         "feasible": (dims[:-1], np.ones(shape[:-1], np.int8))}, coords=coords)
        # what provenance.write_dataset records: the job's config and its code digest
        ds = provenance.stamp(ds, {"config": {"n_layouts": n, "seed": 1, "system": sys_cfg}, "code_digest": digest},
                              "ref", commit)
        versions = json.loads(ds.attrs["versions_json"])
        ds.attrs["versions_json"] = provenance.versions_json({**versions, "numpy": numpy_version})
        (root / "results" / "cfmmimo").mkdir(parents=True, exist_ok=True)
        provenance.write_netcdf(ds, root / "results" / "cfmmimo" / f"{fig}.nc")
    _claims_csv(root / "results" / "cfmmimo" / "claims.csv", claim=PIPE)
    return root


def test_compare_tolerances(tmp_path, capsys):
    a, b = _run(tmp_path / "a"), _run(tmp_path / "b", shift=2.7e-9)
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "headline numbers that differ (0 of 12 in both runs; rtol 1e-06, atol 1e-09)" in out
    assert "configuration keys that differ (0)" in out and "package versions (and commits) that differ (0)" in out
    assert "warning" not in out
    assert main([str(a), str(b), "--rtol", "0", "--atol", "0"]) == 0
    # every secrecy number differs by 2.7e-9 now; the 3 feasible shares are equal
    assert "headline numbers that differ (9 of 12 in both runs; rtol 0, atol 0)" in capsys.readouterr().out
    assert main([str(a), str(_run(tmp_path / "c", shift=1e-3)), "--rtol", "1e-2"]) == 0
    assert "(0 of 12" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([str(a), str(b), "--rtol", "-1"])
    assert "a tolerance is a number >= 0" in capsys.readouterr().err


def test_compare_names_config_and_version_differences_and_warns_on_a_toy(tmp_path, capsys):
    a = _run(tmp_path / "a")
    b = _run(tmp_path / "b", n3=2, n4=4, numpy_version="2.4.6", system={"M": 10}, digest="d2", commit="def")
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[2] == ("warning: B is a toy configuration (2-4 layouts: cfmmimo fig3 2 of the paper's 50, fig4 4 of "
                        "the paper's 200): verdicts not meaningful")
    assert lines[3].startswith("warning: comparing a toy run with a paper-scale run")
    assert "configuration keys that differ (3):" in out
    assert "cfmmimo  n_layouts: 50 -> 2 (fig3)" in out and "cfmmimo  n_layouts: 200 -> 4 (fig4)" in out
    assert "cfmmimo  system.M: 16 -> 10 (fig3, fig4)" in out
    assert ("package versions (and commits) that differ (2):\n  numpy: 2.3.5 -> 2.4.6\n"
            "  secure-isac (git commit): abc -> def") in out
    assert "code_digest" not in out  # code is not configuration


@pytest.mark.parametrize("fmt", ["text", "csv", "json", "md"])
def test_compare_formats(tmp_path, capsys, fmt):
    a = _run(tmp_path / "a")
    b = _run(tmp_path / "b", n3=2, n4=4, shift=0.5, numpy_version="2.4.6")
    assert main([str(a), str(b), "--format", fmt]) == 0
    captured = capsys.readouterr()
    out = captured.out
    if fmt == "json":
        doc = json.loads(out)
        assert doc["toy"]["A"] == "" and doc["toy"]["B"].startswith("toy configuration (2-4 layouts")
        assert len(doc["headlines"]) == 9 and doc["versions"] == {"numpy": {"a": "2.3.5", "b": "2.4.6"}}
        assert {r["key"] for r in doc["config"]} == {"n_layouts"} and len(doc["warnings"]) == 2
    elif fmt == "csv":
        table = pd.read_csv(__import__("io").StringIO(out))
        assert list(table.columns) == ["section", "study", "item", "scheme", "a", "b", "difference"]
        counts = table["section"].value_counts().to_dict()
        assert counts == {"headline": 9, "config": 2, "warning": 2, "version": 1}
    elif fmt == "md":
        assert out.startswith(f"A = `{a / 'results'}`, B = `{b / 'results'}`")
        assert "**warning: B is a toy configuration (2-4 layouts" in out
        tables = _assert_rectangular(out, 3)  # headlines, configuration keys, versions (no verdict changed)
        assert tables[0][0] == ["study", "dataset", "scheme", "quantity", "a", "b", "difference"]
        assert len(tables[0]) == 2 + 9 and tables[2][2] == ["numpy", "2.3.5", "2.4.6"]
    else:
        assert "warning: B is a toy configuration" in out
    if fmt != "text":  # a machine format keeps stdout parsable and says it on stderr too
        assert "warning: B is a toy configuration" in captured.err


def test_compare_piped_into_a_reader_that_leaves(tmp_path):
    """`secure-isac-compare a b | head -1`: the reader closes the pipe before the output is written; the command
    ends without a BrokenPipeError traceback."""
    import os
    import subprocess
    import sys

    a = _run(tmp_path / "a")
    b = _run(tmp_path / "b", n3=2, n4=4, shift=0.5)
    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write fails with EPIPE
    proc = subprocess.run([sys.executable, "-c", "import sys; from secure_isac.pipeline.compare import main; "
                           "sys.exit(main(sys.argv[1:]))", str(a), str(b)], stdout=write, stderr=subprocess.PIPE,
                          text=True, timeout=120)
    os.close(write)
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr, proc.stderr
    assert proc.returncode == 0


def test_compare_says_once_that_absent_keys_were_not_recorded(tmp_path, capsys):
    """An older run's code did not record the keys added since: they are listed ("x -> absent") and the output says
    once why (ABSENT_NOTE), in every format; no note when no key is absent."""
    from secure_isac.pipeline.run_differences import ABSENT_NOTE

    old = _run(tmp_path / "old")
    new = _run(tmp_path / "new", system={"added_a": 1.5, "added_b": True})
    assert main([str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "cfmmimo  system.added_a: absent -> 1.5 (fig3, fig4)" in out
    assert "cfmmimo  system.added_b: absent -> True (fig3, fig4)" in out
    assert out.count(ABSENT_NOTE) == 1 and "absent = not recorded by that run's code" in ABSENT_NOTE
    assert out.index("configuration keys that differ (2):") < out.index(ABSENT_NOTE)
    for fmt in ("md", "json", "csv"):
        assert main([str(old), str(new), "--format", fmt]) == 0
        assert capsys.readouterr().out.count(ABSENT_NOTE) == 1, fmt
    assert main([str(old), str(_run(tmp_path / "same"))]) == 0
    assert "absent" not in capsys.readouterr().out


def test_compare_json_keeps_the_types_and_precision_of_values(tmp_path, capsys):
    """--format json: configuration values as the runs recorded them (numbers, booleans, lists; "absent" a string)
    and headline numbers in full precision (a 2.7e-9 difference is not rounded to 0)."""
    a = _run(tmp_path / "a", system={"P": 2.0, "flag": False, "grid": [1, 2]})
    b = _run(tmp_path / "b", shift=2.7e-9, system={"P": 3, "flag": True, "grid": [1, 3], "added": 0.5})
    assert main([str(a), str(b), "--format", "json", "--rtol", "0", "--atol", "0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    config = {r["key"]: (r["a"], r["b"]) for r in doc["config"]}
    assert config == {"system.P": (2.0, 3), "system.flag": (False, True), "system.grid": ([1, 2], [1, 3]),
                      "system.added": ("absent", 0.5)}
    assert isinstance(config["system.P"][0], float) and isinstance(config["system.flag"][1], bool)
    assert len(doc["config_notes"]) == 1
    differences = [r["difference"] for r in doc["headlines"]]
    assert len(differences) == 9 and all(abs(d - 2.7e-9) < 1e-12 for d in differences)
