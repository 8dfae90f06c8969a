"""Issue 22 (reliability, round 3), in-process and fast: nothing silently aliased (a shared file or claims table comes
from jobs with the same params), every value checked where it enters against its own type, equal inputs give equal
params. Each test names the defect (D1, ...) it guards against."""

from __future__ import annotations

import json
import math
import re

import pytest
import yaml

from secure_isac.pipeline import plan
from secure_isac.pipeline.config import ConfigError, deep_merge, load_scenarios, load_sensitivity, validate_config

from conftest import REPO

DEFAULT = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))
TOY = validate_config(deep_merge(DEFAULT, yaml.safe_load((REPO / "config" / "test.yaml").read_text())))


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


# --- D1: a run never reports another run's numbers --------------------------------------------------------------
def own_params(config: dict, path: str, reg: plan.Registry) -> str | None:
    """The params text the job writing `path` would get from `config` (None: not an intermediate)."""
    m = re.match(r"results/cfmmimo/(?:variants/[^/]+/)?(layouts|channels)/batch(\d+)\.nc$", path)
    if m:
        return (plan.cf_layout_config if m[1] == "layouts" else plan.cf_channel_config)(config, int(m[2]))
    m = re.match(r"results/cfmmimo/(?:variants/[^/]+/)?designs/(\w+)/kappa([^/]+)/batch(\d+)\.nc$", path)
    if m:
        return plan.cf_optimise_config(config, m[1], reg.kappas[m[2]], int(m[3]))
    m = re.match(r"results/dfbs/(?:variants/[^/]+/)?designs/(\w+)/p([^_]+)_r(.+)\.nc$", path)
    if m:
        return plan.df_design_config(config, m[1], *reg.points[(m[2], m[3])])
    m = re.match(r"results/dfbs/(?:variants/[^/]+/)?references/(\w+)\.nc$", path)
    if m:
        return plan.df_scheme_config(config, m[1])
    return None


def registry_params(path: str, reg: plan.Registry) -> str | None:
    """The params text the workflow hands the job writing `path` (the configuration registered for its folder)."""
    m = re.match(r"results/cfmmimo/(.*?)(layouts|channels)/batch(\d+)\.nc$", path)
    if m:
        return own_params(reg.cf_config(m[2], m[1]), path, reg)
    m = re.match(r"results/cfmmimo/(.*?)designs/(\w+)/", path)
    if m:
        return own_params(reg.cf_config("designs", m[1], m[2]), path, reg)
    m = re.match(r"results/dfbs/(.*?)(?:designs|references)/(\w+)", path)
    if m:
        return own_params(reg.df_variants[(m[2], m[1])], path, reg)
    return None


OVERLAYS = {
    "seed": {"seed": 8},
    "batch": {"cfmmimo": {"batch_size": 1}},
    "nu": {"cfmmimo": {"system": {"nu": 1.0}}},
    "geometry": {"cfmmimo": {"system": {"side_m": 250.0}}},
    "channel": {"cfmmimo": {"system": {"wrap_around": False}}},
    "sp_option": {"cfmmimo": {"solver": {"sp_stall_window": 5}}},
    "fig4": {"cfmmimo": {"fig4": {"n_layouts": 2}}},
    "dfbs": {"dfbs": {"params": {"tie_break": "smallest"}}},
    "dfbs_seed_random": {"seed": 9, "dfbs": {"fig2": {"schemes": ["aa", "no_aa", "random_aa"]}}},
}


@pytest.mark.parametrize("name", list(OVERLAYS))
def test_d1_every_shared_file_and_claims_table_comes_from_jobs_with_equal_params(tmp_path, name):
    """For an overlay used as a scenario, a sensitivity scenario and a sweep value: every intermediate a run lists is
    written by a job whose params equal the ones that run would give it, and a sensitivity scenario reads the
    reference's claims of a study only when every dataset those claims read has the reference's aggregate params and
    inputs. D1: `reseed: {seed: 8}` read the reference's claims (only config[study] was compared)."""
    text = yaml.safe_dump({name: OVERLAYS[name]})
    scen = load_scenarios(TOY, _write(tmp_path, "scen.yaml", text))
    sens = load_sensitivity(TOY, _write(tmp_path, "sens.yaml", text))
    sweeps = deep_merge(TOY, {"cfmmimo": {"sweeps": {"nu": {"values": [0.5, 1.0], "n_layouts": 2}}}})
    reg = plan.registry(validate_config(sweeps), scen, TOY["scenarios"]["studies"], sens)
    runs = [*reg.runs.values(), *(r for values in reg.sweeps.values() for r in values.values())]
    checked = 0
    for run in runs:
        files = [f for study in plan.STUDIES for f in plan.run_files(run, study)]
        for path in files:
            mine = own_params(run.config, path, reg)
            if mine is not None:
                assert registry_params(path, reg) == mine, (run.prefix, path)
                checked += 1
    assert checked > 100
    ref, run = reg.sensitivity["reference"], reg.sensitivity[name]
    inputs = plan.sensitivity_inputs(reg)[name]
    for study, path in zip(("cfmmimo", "dfbs"), inputs):
        shared = path.startswith("results/sensitivity/reference/")
        same = all(plan.figure_config(run.config, study, f) == plan.figure_config(ref.config, study, f)
                   and plan.intermediates(run, study, f)[:-1] == plan.intermediates(ref, study, f)[:-1]
                   for f in plan.CLAIMS_DATA[study]) and run.config["seed"] == ref.config["seed"]
        assert shared == same, (study, path)


def test_d1_reseeded_sensitivity_scenario_gets_its_own_claims_and_designs(tmp_path):
    sens = load_sensitivity(TOY, _write(tmp_path, "sens.yaml", "reseed:\n  seed: 8\n"))
    reg = plan.registry(TOY, {}, sensitivity=sens)
    assert plan.sensitivity_inputs(reg)["reseed"] == ["results/sensitivity/reseed/cfmmimo/claims_intervals.csv",
                                                      "results/sensitivity/reseed/dfbs/claims.csv"]
    # its datasets are made from its own layouts (the seed is read by every study-1 job)
    assert all("/variants/" in f for f in plan.cf_designs(reg.sensitivity["reseed"], "fig4"))


# --- D3, D4, D11: sweep values checked and canonicalised with the swept key's own type ---------------------------
def _sweep_config(study: str, key: str, values: list, **extra) -> dict:
    section = {"values": values, **extra}
    if study == "cfmmimo":
        section.setdefault("n_layouts", 2)
    return validate_config(deep_merge(TOY, {study: {"sweeps": {key: section}}}))


@pytest.mark.parametrize(("study", "key", "values", "expected"), [
    ("cfmmimo", "nu", [math.inf, 0.5], [math.inf, 0.5]),  # D11: .inf where the key allows it
    ("cfmmimo", "kappa_db", [-math.inf, 2], [-math.inf, 2.0]),
    ("cfmmimo", "rho_w", [1, 2], [1.0, 2.0]),  # D4: ints of a float key are floats
    ("cfmmimo", "wrap_around", [True, False], [True, False]),  # D3: a boolean key
    ("cfmmimo", "prelog", [False, True], [False, True]),
    ("cfmmimo", "zeta_model", ["path_loss", "two_way"], ["path_loss", "two_way"]),
    ("dfbs", "use_reference_shortcut", [True, False], [True, False]),
    ("dfbs", "beam_width_deg", [5, 10], [5.0, 10.0]),
    ("dfbs", "secrecy_target", [1, 3], [1.0, 3.0]),
    ("dfbs", "power_dbm", [5, 20], [5.0, 20.0]),
])
def test_d3_d4_d11_sweep_values_take_the_type_of_their_key(study, key, values, expected):
    cfg = _sweep_config(study, key, values)
    got = cfg[study]["sweeps"][key]["values"]
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]
    reg = plan.registry(cfg)
    for value, vrun in zip(expected, reg.sweeps[("", study, key)].values()):
        assert plan.sweep_value(vrun, study, key) == value
        assert type(plan.sweep_value(vrun, study, key)) is type(value)


@pytest.mark.parametrize(("study", "key", "values", "expected"), [
    ("cfmmimo", "nu", [0.5, -1.0], "cfmmimo.sweeps.nu.values[1]: nu: Input should be greater than 0 (got -1.0)"),
    ("cfmmimo", "nu", [0.5, math.nan], "cfmmimo.sweeps.nu.values[1]: nu:"),
    ("cfmmimo", "wrap_around", [True, 1], "cfmmimo.sweeps.wrap_around.values[1]: wrap_around: Input should be a "
                                          "valid boolean"),
    ("cfmmimo", "K", [2, 3.0], "cfmmimo.sweeps.K.values[1]: K: Input should be a valid integer"),
    ("cfmmimo", "kappa_db", [2.0, math.inf], "cfmmimo.sweeps.kappa_db.values[1]: kappa_db:"),
    ("cfmmimo", "zeta_model", ["path_loss", "radar"], "cfmmimo.sweeps.zeta_model.values[1]: zeta_model:"),
    ("dfbs", "power_dbm", [5.0, math.inf], "dfbs.sweeps.power_dbm.values[1]: power_dbm: Input should be a finite"),
    ("dfbs", "power_dbm", [5.0, "20"], "dfbs.sweeps.power_dbm.values[1]: power_dbm: Input should be a valid number"),
    ("dfbs", "use_reference_shortcut", ["yes"], "dfbs.sweeps.use_reference_shortcut.values[0]: "),
    ("dfbs", "beam_width_deg", [5.0, [1]], "dfbs.sweeps.beam_width_deg.values[1]: a sweep value is a number"),
])
def test_d11_bad_sweep_values_get_one_line_naming_the_key(study, key, values, expected):
    with pytest.raises(ConfigError) as info:
        _sweep_config(study, key, values)
    text = str(info.value)
    assert expected in text, text
    assert len([line for line in text.splitlines() if line.strip() and "invalid configuration" not in line]) == 1


def test_d4_equal_values_are_one_value():
    """2 and 2.0 of a float key are one value (refused as a repetition), so adding a scenario with rho_w: 2.0 next to
    a sweep value 2 gives both the same params text: D4 flipped the folder's params between 2 and 2.0."""
    with pytest.raises(ConfigError, match=r"cfmmimo\.sweeps\.rho_w\.values"):
        _sweep_config("cfmmimo", "rho_w", [2, 2.0])
    cfg = _sweep_config("cfmmimo", "rho_w", [1, 2])
    alone = plan.registry(cfg)
    scen = {"two": validate_config(deep_merge(cfg, {"cfmmimo": {"system": {"rho_w": 2.0}}}))}
    both = plan.registry(cfg, scen)
    for reg in (alone, both):
        folder = plan.variant(reg.sweeps[("", "cfmmimo", "rho_w")]["2"], "designs", "cp")
        assert folder == "variants/rho_w=2/"
    params = [json.loads(plan.cf_optimise_config(r.cf_config("designs", "variants/rho_w=2/", "cp"), "cp", 2.0, 0))
              for r in (alone, both)]
    assert params[0] == params[1]
    assert plan.cf_optimise_config(alone.cf_config("designs", "variants/rho_w=2/", "cp"), "cp", 2.0, 0) == \
        plan.cf_optimise_config(both.cf_config("designs", "variants/rho_w=2/", "cp"), "cp", 2.0, 0)


# --- D8, D9, D10: scenario and sensitivity files --------------------------------------------------------------
@pytest.mark.parametrize(("section", "name"), [
    ("scenarios", "summary.csv"), ("scenarios", "summary.png"), ("scenarios", "summary.md"),
    ("scenarios", "Summary.PDF"), ("scenarios", "summary"),
    ("sensitivity", "claims.csv"), ("sensitivity", "claims.png"), ("sensitivity", "CLAIMS.md"),
    ("sensitivity", "reference"), ("sensitivity", "claims"),
])
def test_d8_names_of_the_files_next_to_the_scenarios_are_reserved(tmp_path, section, name):
    path = _write(tmp_path, "s.yaml", f"{name}:\n  seed: 3\n")
    load = load_scenarios if section == "scenarios" else load_sensitivity
    with pytest.raises(ConfigError, match=f"scenario name '{re.escape(name)}' is reserved"):
        load(TOY, path)


def test_d8_long_names_and_names_equal_but_for_case_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="has 300 characters; at most 64"):
        load_scenarios(TOY, _write(tmp_path, "a.yaml", "x" * 300 + ":\n  seed: 3\n"))
    with pytest.raises(ConfigError, match="differ only in case"):
        load_scenarios(TOY, _write(tmp_path, "b.yaml", "High:\n  seed: 3\nhigh:\n  seed: 4\n"))
    assert list(load_scenarios(TOY, _write(tmp_path, "c.yaml", "x" * 64 + ":\n  seed: 3\n"))) == ["x" * 64]


@pytest.mark.parametrize(("text", "where"), [
    ("a:\n  cfmmimo:\n    system:\n      nu: 1.0\n      nu: 2.0\n", "key 'nu' is given twice (lines 4 and 5)"),
    ("a:\n  seed: 1\nb:\n  seed: 2\na:\n  seed: 3\n", "key 'a' is given twice (lines 1 and 5)"),
    ("a: {cfmmimo: {system: {prelog: true, prelog: false}}}\n", "key 'prelog' is given twice (line 1, columns"),
    ("a:\n  dfbs:\n    params: {kappa: 2.0}\n  dfbs:\n    fig2: {power_dbm: 10.0}\n", "key 'dfbs' is given twice"),
])
def test_d9_a_key_given_twice_is_refused_naming_the_key_and_both_lines(tmp_path, text, where):
    for load in (load_scenarios, load_sensitivity):
        with pytest.raises(ConfigError) as info:
            load(TOY, _write(tmp_path, "dup.yaml", text))
        assert where in str(info.value) and "dup.yaml" in str(info.value)


def test_d9_config_files_and_anchors(tmp_path):
    from secure_isac.pipeline.config import check_config_files, load_yaml

    with pytest.raises(ConfigError, match=r"configuration file .*my\.yaml: key .seed. is given twice \(lines 1 and 3"):
        check_config_files([_write(tmp_path, "my.yaml", "seed: 1\ncfmmimo: {}\nseed: 2\n")])
    check_config_files([REPO / "config" / "config.yaml", REPO / "config" / "test.yaml"])
    # a merge key is not a repetition
    assert load_yaml(_write(tmp_path, "m.yaml", "b: &b {seed: 1}\na:\n  <<: *b\n  seed: 2\n"))["a"] == {"seed": 2}


@pytest.mark.parametrize("fixed", ["sensitivity", "scenarios"])
def test_d10_overlays_cannot_change_the_fixed_sections(tmp_path, fixed):
    section = {"sensitivity": {"n_boot": 200}, "scenarios": {"studies": ["dfbs"]}}[fixed]
    with pytest.raises(ConfigError, match=f"sensitivity.overlay.{fixed}: an overlay cannot change"):
        validate_config(deep_merge(TOY, {"sensitivity": {"overlay": {fixed: section}}}))
    for load in (load_scenarios, load_sensitivity):
        with pytest.raises(ConfigError, match=f"scenario a: {fixed}: an overlay cannot change"):
            load(TOY, _write(tmp_path, "s.yaml", yaml.safe_dump({"a": {fixed: section}})))


def _run_cf_value(reg: plan.Registry, vrun: plan.Run, key: str, root) -> None:
    """Make one study-1 sweep value's input files under `root` as its jobs would (same params, same inputs)."""
    from secure_isac.pipeline.cfmmimo_designs import optimise_batch
    from secure_isac.pipeline.cfmmimo_scenario import make_channels, make_layouts

    inputs = plan.sweep_value_inputs(vrun, "cfmmimo", key)
    for path in [*inputs["layouts"], *inputs["channels"], *inputs["designs"]]:
        if (root / path).exists():
            continue
        config = json.loads(registry_params(path, reg))
        m = re.match(r"results/cfmmimo/(.*?)(layouts|channels|designs/(\w+)/kappa[^/]+)/batch(\d+)\.nc$", path)
        variant, kind, scheme, batch = m[1], m[2].split("/")[0], m[3], int(m[4])
        if kind == "layouts":
            make_layouts(config, "d", root / path)
        elif kind == "channels":
            make_channels(config, "d", root / reg.upstream("channels", variant, batch), root / path)
        else:
            optimise_batch(config, "d", root / reg.upstream("designs", variant, batch, scheme), root / path)


@pytest.mark.parametrize(("key", "values"), [
    ("wrap_around", [True, False]),  # D3: crashed with "illegal data type for attribute ... got b1"
    ("zeta_model", ["path_loss", "two_way"]),
    ("nu", [math.inf, 0.5]),  # D11: accepted now, drawn as categories
])
def test_d3_a_sweep_of_any_key_type_gives_its_datasets_and_figure(tmp_path, key, values):
    """A boolean, a text and an infinite-valued sweep of study 1 (baseline designs, toy size): every value's dataset,
    the summary (coordinate in the key's own type) and the figure."""
    import xarray as xr

    from secure_isac.pipeline.cfmmimo_designs import sweep_summary, sweep_value
    from secure_isac.pipeline.plots import plot_file

    cfg = _sweep_config("cfmmimo", key, values, schemes=["baseline"])
    reg = plan.registry(cfg)
    base = reg.base
    value_files = []
    for label, vrun in reg.sweeps[("", "cfmmimo", key)].items():
        _run_cf_value(reg, vrun, key, tmp_path)
        inputs = {k: [tmp_path / f for f in v] for k, v in plan.sweep_value_inputs(vrun, "cfmmimo", key).items()}
        out = tmp_path / plan.sweep_value_path(base, "cfmmimo", key, label)
        value = plan.sweep_value(vrun, "cfmmimo", key)
        sweep_value(json.loads(plan.sweep_value_config(vrun, "cfmmimo", key, value)), "d", inputs["designs"],
                    inputs["layouts"], inputs["channels"], out)
        value_files.append(out)
    summary = tmp_path / plan.sweep_path(base, "cfmmimo", key)
    sweep_summary(json.loads(plan.sweep_summary_config(base, "cfmmimo", key)), "d", value_files, summary)
    with xr.open_dataset(summary) as ds:
        assert ds[key].values.tolist() == values
        assert ds["secrecy_mean"].dims == ("scheme", key, "layout")
    plot_file("cfmmimo", f"sweep_{key}", summary, tmp_path / "figure")
    assert (tmp_path / "figure.png").stat().st_size > 10_000


def test_d3_a_boolean_sweep_of_study_2_gives_its_datasets_and_figure(tmp_path):
    """dfbs.sweeps.use_reference_shortcut (D3's second example): no_aa designs at the toy size."""
    import xarray as xr

    from secure_isac.pipeline.dfbs_designs import run_design, run_reference, sweep_summary, sweep_value
    from secure_isac.pipeline.plots import plot_file

    key = "use_reference_shortcut"
    cfg = _sweep_config("dfbs", key, [True, False], schemes=["no_aa"])
    reg = plan.registry(cfg)
    files = []
    for label, vrun in reg.sweeps[("", "dfbs", key)].items():
        (design,) = plan.sweep_value_inputs(vrun, "dfbs", key)["designs"]
        ref = plan.df_reference_path(vrun, "no_aa")
        if not (tmp_path / ref).exists():
            run_reference(json.loads(registry_params(ref, reg)), "d", tmp_path / ref)
        run_design(json.loads(registry_params(design, reg)), "d", tmp_path / ref, tmp_path / design)
        out = tmp_path / plan.sweep_value_path(reg.base, "dfbs", key, label)
        value = plan.sweep_value(vrun, "dfbs", key)
        sweep_value(json.loads(plan.sweep_value_config(vrun, "dfbs", key, value)), "d", [tmp_path / design], out)
        files.append(out)
    summary = tmp_path / plan.sweep_path(reg.base, "dfbs", key)
    sweep_summary(json.loads(plan.sweep_summary_config(reg.base, "dfbs", key)), "d", files, summary)
    with xr.open_dataset(summary) as ds:
        assert ds[key].values.tolist() == [True, False]
    plot_file("dfbs", f"sweep_{key}", summary, tmp_path / "figure")
    assert (tmp_path / "figure.png").stat().st_size > 10_000
