"""The readings search (sensitivity.readings_file): its file expanded into ordinary sensitivity runs that share the
machinery's files, bad files refused at once with the file, factor and level named, and the screen / full-count
tables built from claims tables (pipeline.readings). The toy run end to end is tests/workflow/test_sensitivity.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from secure_isac.pipeline import paths, targets
from secure_isac.pipeline import readings as rd
from secure_isac.pipeline.config import ConfigError, deep_merge, load_readings, load_sensitivity, validate_config
from secure_isac.pipeline.registry import registry
from secure_isac.pipeline.runs import as_json
from secure_isac.pipeline.studies import readings_study
from secure_isac.verdicts import NOT_REPRODUCED, PARTLY, REPRODUCED

from conftest import REPO

DEFAULT = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))


def _reference():
    return load_sensitivity(DEFAULT, REPO / "config" / "sensitivity.yaml")


def test_default_search_expands_into_sensitivity_runs():
    sens = _reference()
    search = load_readings(sens["reference"], REPO / "config" / "readings.yaml")
    combos = search["combinations"]
    assert len(combos) == 2 ** 5 and search["confirm"] == 3
    assert list(search["factors"]) == ["K", "varsigma", "ue_sinr", "zeta", "sca"]
    ref_name = "K4.vs4.corrected.path_loss.ours"
    assert list(combos)[0] == ref_name
    full = combos[ref_name]["full"]
    # the all-first-levels combination at full count is the sensitivity reference itself
    assert as_json(full) == as_json(sens["reference"])
    c = combos["K6.vs12.printed.two_way.paper"]
    sysp = c["full"]["cfmmimo"]["system"]
    assert (sysp["K"], sysp["varsigma_db"], sysp["ue_sinr_form"], sysp["zeta_model"]) == (6, 12.0, "printed",
                                                                                          "two_way")
    assert c["full"]["cfmmimo"]["fig3"]["schemes"] == ["cp", "sp", "cp_paper"]
    assert c["screen"]["cfmmimo"]["fig4"]["n_layouts"] == 20 and c["full"]["cfmmimo"]["fig4"]["n_layouts"] == 100
    reg = registry(DEFAULT, {}, sensitivity=sens, readings=search)
    assert reg.readings_confirm == 3 and len(reg.readings) == 32
    run = reg.readings[ref_name]
    assert reg.runs[run.screen.prefix] is run.screen and reg.runs[run.full.prefix] is run.full
    assert run.full.prefix == "sensitivity/readings/full/K4.vs4.corrected.path_loss.ours/"
    # shared work: the reference combination at full count reads the reference's designs; the SCA factor adds
    # cp_paper designs only (cp and sp shared between its two levels)
    assert readings_study().designs(run.full, "fig4") == readings_study().designs(reg.sensitivity["reference"], "fig4")
    ours, paper = (reg.readings[f"K6.vs12.printed.two_way.{s}"].screen for s in ("ours", "paper"))
    extra = set(readings_study().designs(paper, "fig3")) - set(readings_study().designs(ours, "fig3"))
    assert extra and all("/cp_paper/" in f for f in extra)
    # the screen runs 20 layouts in one batch of 20: no design job computes layouts it does not read
    assert len(readings_study().batches(run.screen.config, 20)) == 1
    inputs = targets.readings_full_inputs(reg, [ref_name, "K6.vs12.printed.two_way.paper"])
    assert list(inputs) == ["reference", ref_name, "K6.vs12.printed.two_way.paper"]
    # the all-reference combination reads the reference's claims (same datasets), the others their own
    assert inputs[ref_name] == inputs["reference"] == ["results/sensitivity/reference/cfmmimo/claims_intervals.csv",
                                                       "results/sensitivity/reference/cfmmimo/claims_replicates.csv"]
    assert inputs["K6.vs12.printed.two_way.paper"][1] == ("results/sensitivity/readings/full/"
                                                          "K6.vs12.printed.two_way.paper/cfmmimo/claims_replicates.csv")
    assert targets.readings_targets(reg) == list(paths.READINGS)
    assert targets.readings_targets(registry(DEFAULT, {}, sensitivity=sens)) == []


def test_no_search_without_a_file():
    assert load_readings(_reference()["reference"], None)["combinations"] == {}


@pytest.mark.parametrize("text, match", [
    ("factors: {K: {K4: {}}}", "at least two levels"),
    ("factors: {K: {'K 4': {}, K6: {cfmmimo: {system: {K: 6}}}}}", "level name"),
    ("factors: {K: {K4: {}, K6: {cfmmimo: {system: {K: 6}}}}, L: {a: {}, b: {cfmmimo: {system: {K: 8}}}}}",
     "both set cfmmimo.system.K"),
    ("factors: {K: {K4: {}, K0: {cfmmimo: {system: {K: 0}}}}}", "(?s)combination K0: .*cfmmimo.system.K"),
    ("factors: {K: {K4: {}, K6: {cfmmimo: {system: {K: 6}}}}}\nconfirm: -1", "confirm"),
    ("factors: {K: {K4: {}, K6: {cfmmimo: {system: {K: 6}}}}}\nscreen: {sensitivity: {}}", "screen"),
    ("factor: {}", "unknown key"),
    ("factors: {K: {K4: {}, K6: {cfmmimo: {system: {KK: 6}}}}}", "KK"),
])
def test_bad_readings_file_names_the_problem(tmp_path, text, match):
    path = tmp_path / "readings.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match) as err:
        load_readings(_reference()["reference"], path)
    assert str(path) in str(err.value)


def test_readings_name_is_reserved_for_sensitivity_scenarios(tmp_path):
    path = tmp_path / "sens.yaml"
    path.write_text("readings:\n  cfmmimo: {system: {K: 6}}\n")
    with pytest.raises(ConfigError, match="reserved"):
        load_sensitivity(DEFAULT, path)


# --- the tables ----------------------------------------------------------------------------------------------------
CLAIMS = {"cp_median": "CP median per-UE average secrecy rate (Fig. 4), bit/s/Hz",
          "sp_floor": "SP secrecy above 3.5 bit/s/Hz (10th percentile over layouts, Fig. 4)",
          "cp_above_both": "CP above SP and the baseline at all probability levels of the CDF",
          "sp_above_baseline": "SP above the baseline (fraction of probability levels)",
          "cp_degrades": "CP secrecy degrades as kappa grows",
          "cp_ue_rate_degrades": "CP minimum UE rate degrades as kappa grows",
          "cp_paper_degrades": "CP (cp_paper) secrecy degrades as kappa grows",
          "cp_paper_ue_rate_degrades": "CP (cp_paper) minimum UE rate degrades as kappa grows",
          "sp_flat": "SP secrecy flat in kappa (relative change)",
          "cp_eve_rate": "CP Eve rate at log2(1 + nu) (median)"}


def _claims_csv(path, verdicts: dict, paper_rows: bool):
    rows = [{"claim": text, "reproduced": float(i), "verdict": verdicts.get(key, NOT_REPRODUCED)}
            for i, (key, text) in enumerate(CLAIMS.items()) if paper_rows or not key.startswith("cp_paper")]
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


def test_screen_ranks_by_reproduced_claims_and_reads_the_papers_sca_where_chosen(tmp_path):
    inputs = {
        "a": _claims_csv(tmp_path / "a.csv", {"cp_median": REPRODUCED}, False),
        # the paper's SCA: its own Fig. 3 rows count, not cp's
        "b": _claims_csv(tmp_path / "b.csv", {"cp_median": REPRODUCED, "cp_paper_degrades": REPRODUCED,
                                              "cp_degrades": PARTLY}, True),
        "c": _claims_csv(tmp_path / "c.csv", {"cp_median": REPRODUCED, "sp_floor": PARTLY}, False),
    }
    choices = {"a": {"sca": "ours"}, "b": {"sca": "paper"}, "c": {"sca": "ours"}}
    schemes = {"a": ["cp", "sp"], "b": ["cp", "sp", "cp_paper"], "c": ["cp", "sp"]}
    table = rd.screen_table(inputs, choices, schemes, dict.fromkeys(inputs, "fig4: 20, fig3: 20"))
    assert list(table["combination"]) == ["b", "c", "a"] and list(table["rank"]) == [1, 2, 3]
    assert list(table["n_reproduced"]) == [2, 1, 1] and list(table["score"]) == [2.0, 1.5, 1.0]
    b = table.iloc[0]
    assert b["cp_degrades"] == REPRODUCED and b["cp_degrades_value"] == 6.0  # the cp_paper row's value
    assert rd.best(table, 2) == ["b", "c"]
    with pytest.raises(ValueError, match="cp_degrades"):
        rd.screen_table({"a": inputs["a"]}, {"a": {}}, {"a": ["cp", "sp", "cp_paper"]}, {"a": ""})


def test_readings_table_adds_the_full_count_rows_with_paired_deltas(tmp_path):
    from secure_isac.pipeline.sensitivity import replicates_path

    def full_run(name, verdicts, shift):
        d = tmp_path / name
        d.mkdir()
        path = _claims_csv(d / "claims_intervals.csv", verdicts, False)
        t = pd.read_csv(path)
        t["ci_low"], t["ci_high"] = t["reproduced"] - 1, t["reproduced"] + 1
        t["n_layouts"], t["pairing"] = "fig4: 100, fig3: 50", "seed 1; n_boot 3"
        t["reproduced"] += shift
        t.to_csv(path, index=False)
        reps = pd.DataFrame([t["reproduced"].to_numpy()] * 4, columns=list(t["claim"]),
                            index=["point", "0", "1", "2"]) + np.array([[0], [0.1], [0.2], [0.3]]) * (shift > 0)
        reps.to_csv(replicates_path(path), index_label="replicate")
        return path

    screen = rd.screen_table({"a": _claims_csv(tmp_path / "a.csv", {}, False),
                              "b": _claims_csv(tmp_path / "b.csv", {"sp_floor": REPRODUCED}, False)},
                             {"a": {"f": "x"}, "b": {"f": "y"}}, {"a": ["cp"], "b": ["cp"]},
                             {"a": "fig4: 20, fig3: 20", "b": "fig4: 20, fig3: 20"})
    full = {"reference": full_run("ref", {}, 0.0), "b": full_run("b", {"sp_floor": REPRODUCED}, 2.0)}
    table = rd.readings_table(screen, full, {"b": ["cp"]}, 0.95)
    b = table.set_index("combination").loc["b"]
    assert b["full_n_reproduced"] == 1 and b["full_sp_floor"] == REPRODUCED
    assert b["full_sp_floor_delta"] == pytest.approx(2.0)
    # replicate differences 2.1, 2.2, 2.3 (the point row is not a replicate)
    assert b["full_sp_floor_delta_ci_low"] == pytest.approx(np.percentile([2.1, 2.2, 2.3], 2.5))
    assert pd.isna(table.set_index("combination").loc["a", "full_n_reproduced"])
    assert rd.resisting_claims(table) == [k for k in rd.PAPER1_CLAIMS if k != "sp_floor"]
    screen.to_csv(tmp_path / "screen.csv", index=False)
    out = rd.write_readings(tmp_path / "screen.csv", full, {"b": ["cp"]}, ["f"], 0.95, tmp_path / "r.csv",
                            tmp_path / "fig" / "readings")
    assert len(out) == 2 and (tmp_path / "fig" / "readings.png").stat().st_size > 5_000


def test_toy_search_file_is_valid():
    toy = validate_config(deep_merge(DEFAULT, yaml.safe_load((REPO / "config" / "test.yaml").read_text())))
    sens = load_sensitivity(toy, REPO / "config" / "sensitivity_test.yaml")
    search = load_readings(sens["reference"], REPO / toy["sensitivity"]["readings_file"])
    assert len(search["combinations"]) == 4 and search["confirm"] == 1
