"""Issue 22 (reliability, round 3), in-process and fast: nothing silently aliased (a shared file or claims table comes
from jobs with the same params), every value checked where it enters against its own type, equal inputs give equal
params. Each test names the defect (D1, ...) it guards against."""

from __future__ import annotations

import json
import math
import re

import pytest
import yaml

from secure_isac.pipeline import cluster, graph, registry, sweeps, targets
from secure_isac.pipeline.config import ConfigError, deep_merge, load_scenarios, load_sensitivity, validate_config
from secure_isac.pipeline.runs import Run, variant
from secure_isac.pipeline.studies import NAMES, study

from conftest import REPO

CF, DF = study("cfmmimo"), study("dfbs")

DEFAULT = validate_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text()))
TOY = validate_config(deep_merge(DEFAULT, yaml.safe_load((REPO / "config" / "test.yaml").read_text())))


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


# --- D1: a run never reports another run's numbers --------------------------------------------------------------
def own_params(config: dict, path: str, reg: registry.Registry) -> str | None:
    """The params text the job writing `path` would get from `config` (None: not an intermediate)."""
    m = re.match(r"results/cfmmimo/(?:variants/[^/]+/)?(layouts|channels)/batch(\d+)\.nc$", path)
    if m:
        return (CF.layout_config if m[1] == "layouts" else CF.channel_config)(config, int(m[2]))
    m = re.match(r"results/cfmmimo/(?:variants/[^/]+/)?designs/(\w+)/kappa([^/]+)/batch(\d+)\.nc$", path)
    if m:
        return CF.optimise_config(config, m[1], reg.value("kappa_db", m[2]), int(m[3]))
    m = re.match(r"results/dfbs/(?:variants/[^/]+/)?designs/(\w+)/p([^_]+)_r(.+)\.nc$", path)
    if m:
        return DF.design_config(config, m[1], reg.value("power_dbm", m[2]), reg.value("secrecy_target", m[3]))
    m = re.match(r"results/dfbs/(?:variants/[^/]+/)?references/(\w+)\.nc$", path)
    if m:
        return DF.scheme_config(config, m[1])
    return None


def registry_params(path: str, reg: registry.Registry) -> str | None:
    """The params text the workflow hands the job writing `path` (the configuration registered for its folder)."""
    m = re.match(r"results/cfmmimo/(.*?)(layouts|channels)/batch(\d+)\.nc$", path)
    if m:
        return own_params(reg.config("cfmmimo", m[2], m[1]), path, reg)
    m = re.match(r"results/cfmmimo/(.*?)designs/(\w+)/", path)
    if m:
        return own_params(reg.config("cfmmimo", f"designs/{m[2]}", m[1]), path, reg)
    m = re.match(r"results/dfbs/(.*?)(?:designs|references)/(\w+)", path)
    if m:
        return own_params(reg.config("dfbs", f"designs/{m[2]}", m[1]), path, reg)
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
    swept = deep_merge(TOY, {"cfmmimo": {"sweeps": {"nu": {"values": [0.5, 1.0], "n_layouts": 2}}}})
    reg = registry.registry(validate_config(swept), scen, TOY["scenarios"]["studies"], sens)
    runs = [*reg.runs.values(), *(r for values in reg.sweeps.values() for r in values.values())]
    checked = 0
    for run in runs:
        files = [f for name_ in NAMES for f in targets.run_files(run, name_)]
        for path in files:
            mine = own_params(run.config, path, reg)
            if mine is not None:
                assert registry_params(path, reg) == mine, (run.prefix, path)
                checked += 1
    assert checked > 100
    ref, run = reg.sensitivity["reference"], reg.sensitivity[name]
    inputs = targets.sensitivity_inputs(reg)[name]
    for name_, path in zip(NAMES, inputs):
        shared = path.startswith("results/sensitivity/reference/")
        same = all(targets.figure_config(run.config, name_, f) == targets.figure_config(ref.config, name_, f)
                   and targets.intermediates(run, name_, f)[:-1] == targets.intermediates(ref, name_, f)[:-1]
                   for f in study(name_).claims_data) and run.config["seed"] == ref.config["seed"]
        assert shared == same, (name_, path)


def test_d1_reseeded_sensitivity_scenario_gets_its_own_claims_and_designs(tmp_path):
    sens = load_sensitivity(TOY, _write(tmp_path, "sens.yaml", "reseed:\n  seed: 8\n"))
    reg = registry.registry(TOY, {}, sensitivity=sens)
    assert targets.sensitivity_inputs(reg)["reseed"] == ["results/sensitivity/reseed/cfmmimo/claims_intervals.csv",
                                                      "results/sensitivity/reseed/dfbs/claims.csv"]
    # its datasets are made from its own layouts (the seed is read by every study-1 job)
    assert all("/variants/" in f for f in CF.designs(reg.sensitivity["reseed"], "fig4"))


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
    reg = registry.registry(cfg)
    for value, vrun in zip(expected, reg.sweeps[("", study, key)].values()):
        assert sweeps.value_of(vrun, study, key) == value
        assert type(sweeps.value_of(vrun, study, key)) is type(value)


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
    alone = registry.registry(cfg)
    scen = {"two": validate_config(deep_merge(cfg, {"cfmmimo": {"system": {"rho_w": 2.0}}}))}
    both = registry.registry(cfg, scen)
    for reg in (alone, both):
        folder = variant(reg.sweeps[("", "cfmmimo", "rho_w")]["2"], "cfmmimo", "designs/cp")
        assert folder == "variants/rho_w=2/"
    params = [json.loads(CF.optimise_config(r.config("cfmmimo", "designs/cp", "variants/rho_w=2/"), "cp", 2.0, 0))
              for r in (alone, both)]
    assert params[0] == params[1]
    assert CF.optimise_config(alone.config("cfmmimo", "designs/cp", "variants/rho_w=2/"), "cp", 2.0, 0) == \
        CF.optimise_config(both.config("cfmmimo", "designs/cp", "variants/rho_w=2/"), "cp", 2.0, 0)


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


def _run_cf_value(reg: registry.Registry, vrun: Run, key: str, root) -> None:
    """Make one study-1 sweep value's input files under `root` as its jobs would (same params, same inputs)."""
    from secure_isac.pipeline.cfmmimo_designs import optimise_batch
    from secure_isac.pipeline.cfmmimo_scenario import make_channels, make_layouts

    inputs = sweeps.value_inputs(vrun, "cfmmimo", key)
    for path in [*inputs["layouts"], *inputs["channels"], *inputs["designs"]]:
        if (root / path).exists():
            continue
        config = json.loads(registry_params(path, reg))
        m = re.match(r"results/cfmmimo/(.*?)(layouts|channels|designs/(\w+)/kappa[^/]+)/batch(\d+)\.nc$", path)
        variant, kind, scheme, batch = m[1], m[2].split("/")[0], m[3], int(m[4])
        if kind == "layouts":
            make_layouts(config, "d", root / path)
        elif kind == "channels":
            make_channels(config, "d", root / CF.upstream(reg, "channels", variant, batch), root / path)
        else:
            optimise_batch(config, "d", root / CF.upstream(reg, f"designs/{scheme}", variant, batch), root / path)


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
    reg = registry.registry(cfg)
    base = reg.base
    value_files = []
    for label, vrun in reg.sweeps[("", "cfmmimo", key)].items():
        _run_cf_value(reg, vrun, key, tmp_path)
        inputs = {k: [tmp_path / f for f in v] for k, v in sweeps.value_inputs(vrun, "cfmmimo", key).items()}
        out = tmp_path / sweeps.value_path(base, "cfmmimo", key, label)
        value = sweeps.value_of(vrun, "cfmmimo", key)
        sweep_value(json.loads(sweeps.value_config(vrun, "cfmmimo", key, value)), "d", inputs["designs"],
                    inputs["layouts"], inputs["channels"], out)
        value_files.append(out)
    summary = tmp_path / sweeps.summary_path(base, "cfmmimo", key)
    sweep_summary(json.loads(sweeps.summary_config(base, "cfmmimo", key)), "d", value_files, summary)
    with xr.open_dataset(summary) as ds:
        assert ds[key].values.tolist() == values
        assert ds["secrecy_mean"].dims == ("scheme", key, "layout")
    plot_file("cfmmimo", f"sweep_{key}", summary, tmp_path / "figure")
    assert (tmp_path / "figure.png").stat().st_size > 10_000


def test_a_key_outside_a_design_scope_shares_the_design_and_is_not_stated_in_it(tmp_path):
    """A varsigma_db sweep of the baseline (it does not read SP's floor, schemes.SYSTEM_KEYS_NOT_READ): both values
    read the one design file, which does not state a varsigma_db (it would be the library default, not the run's),
    and each value's dataset states its own."""
    import xarray as xr

    from secure_isac.pipeline.cfmmimo_designs import sweep_value

    cfg = _sweep_config("cfmmimo", "varsigma_db", [4.0, 12.0], schemes=["baseline"])
    reg = registry.registry(cfg)
    designs = set()
    for label, vrun in reg.sweeps[("", "cfmmimo", "varsigma_db")].items():
        _run_cf_value(reg, vrun, "varsigma_db", tmp_path)
        inputs = {k: [tmp_path / f for f in v] for k, v in sweeps.value_inputs(vrun, "cfmmimo", "varsigma_db").items()}
        designs |= set(inputs["designs"])
        out = tmp_path / sweeps.value_path(reg.base, "cfmmimo", "varsigma_db", label)
        value = sweeps.value_of(vrun, "cfmmimo", "varsigma_db")
        sweep_value(json.loads(sweeps.value_config(vrun, "cfmmimo", "varsigma_db", value)), "d", inputs["designs"],
                    inputs["layouts"], inputs["channels"], out)
        with xr.open_dataset(out) as ds:
            assert ds.attrs["varsigma_db"] == value
    assert designs and all("/variants/" not in str(f) for f in designs)
    for f in designs:
        with xr.open_dataset(f) as ds:
            assert "varsigma_db" not in ds.attrs
            assert "varsigma_db" not in json.loads(ds.attrs["config_json"])["config"]["system"]
            assert ds.attrs["nu"] == cfg["cfmmimo"]["system"]["nu"]  # the keys it reads are stated


def test_d3_a_boolean_sweep_of_study_2_gives_its_datasets_and_figure(tmp_path):
    """dfbs.sweeps.use_reference_shortcut (D3's second example): no_aa designs at the toy size."""
    import xarray as xr

    from secure_isac.pipeline.dfbs_designs import run_design, run_reference, sweep_summary, sweep_value
    from secure_isac.pipeline.plots import plot_file

    key = "use_reference_shortcut"
    cfg = _sweep_config("dfbs", key, [True, False], schemes=["no_aa"])
    reg = registry.registry(cfg)
    files = []
    for label, vrun in reg.sweeps[("", "dfbs", key)].items():
        (design,) = sweeps.value_inputs(vrun, "dfbs", key)["designs"]
        ref = DF.reference_path(vrun, "no_aa")
        if not (tmp_path / ref).exists():
            run_reference(json.loads(registry_params(ref, reg)), "d", tmp_path / ref)
        run_design(json.loads(registry_params(design, reg)), "d", tmp_path / ref, tmp_path / design)
        out = tmp_path / sweeps.value_path(reg.base, "dfbs", key, label)
        value = sweeps.value_of(vrun, "dfbs", key)
        sweep_value(json.loads(sweeps.value_config(vrun, "dfbs", key, value)), "d", [tmp_path / design], out)
        files.append(out)
    summary = tmp_path / sweeps.summary_path(reg.base, "dfbs", key)
    sweep_summary(json.loads(sweeps.summary_config(reg.base, "dfbs", key)), "d", files, summary)
    with xr.open_dataset(summary) as ds:
        assert ds[key].values.tolist() == [True, False]
    plot_file("dfbs", f"sweep_{key}", summary, tmp_path / "figure")
    assert (tmp_path / "figure.png").stat().st_size > 10_000


# --- D2, D14: a file is moved aside only when provably a damaged intermediate of the requested targets, by a process
# that executes jobs under the lock; anything else is reported and left alone ------------------------------------
def _netcdf(path):
    import numpy as np
    import xarray as xr

    from secure_isac import provenance

    path.parent.mkdir(parents=True, exist_ok=True)
    provenance.write_netcdf(xr.Dataset({"x": ("a", np.arange(200.0))}), path)
    return path


def test_d2_only_a_netcdf_file_that_does_not_open_is_damaged(tmp_path, monkeypatch):
    import errno

    import netCDF4

    from secure_isac.pipeline import files

    good = _netcdf(tmp_path / "good.nc")
    data = good.read_bytes()
    (tmp_path / "cut.nc").write_bytes(data[: len(data) // 2])
    (tmp_path / "garbled.nc").write_bytes(data[:8] + bytes(len(data) - 8))
    (tmp_path / "empty.nc").write_bytes(b"")
    (tmp_path / "notes.nc").write_text("my notes\n")
    (tmp_path / "folder.nc").mkdir()
    state = {p.name: files.netcdf_state(p)[0] for p in sorted(tmp_path.iterdir())}
    assert state == {"cut.nc": "damaged", "empty.nc": "unreadable", "folder.nc": "unreadable",
                     "garbled.nc": "damaged", "good.nc": "ok", "notes.nc": "unreadable"}
    assert files.netcdf_state(tmp_path / "absent.nc")[0] == "absent"
    long = tmp_path / ("x" * 300 + ".nc")  # ENAMETOOLONG
    assert files.netcdf_state(long) == ("unreadable", "OSError: File name too long")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files, "open", denied, raising=False)  # a file without read permission (we may be root)
    assert files.netcdf_state(good) == ("unreadable", "PermissionError: Permission denied")
    monkeypatch.undo()

    def io_error(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(netCDF4, "Dataset", io_error)  # a disk error while the library reads the file
    assert files.netcdf_state(good)[0] == "unreadable"


def test_d2_repair_moves_damaged_files_aside_and_leaves_the_rest(tmp_path, monkeypatch):
    from secure_isac.pipeline import files

    monkeypatch.chdir(tmp_path)
    good = _netcdf(tmp_path / "results" / "good.nc")
    cut = tmp_path / "results" / "cfmmimo" / "cut.nc"
    cut.parent.mkdir(parents=True)
    cut.write_bytes(good.read_bytes()[:300])
    notes = tmp_path / "results" / "notes.nc"
    notes.write_text("mine")
    paths = ["results/good.nc", "results/cfmmimo/cut.nc", "results/notes.nc", "results/absent.nc"]
    before = cut.read_bytes()
    msgs = files.repair_intermediates(paths, delete=False, why_not="a dry run changes nothing")
    assert len(msgs) == 2 and cut.exists() and notes.exists()
    assert "results/cfmmimo/cut.nc is a damaged NetCDF file" in msgs[0] and "a dry run changes nothing" in msgs[0]
    assert "results/notes.nc cannot be read as a NetCDF file (no NetCDF signature): left as it is" in msgs[1]

    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as m:  # a read-only results folder (D14): one line, nothing raised, file left
        m.setattr(files.os, "replace", denied)
        (msg, _) = files.repair_intermediates(paths, delete=True)
        assert "could not be moved aside (PermissionError: Permission denied): left as it is" in msg
        assert cut.exists()
    (msg, _) = files.repair_intermediates(paths, delete=True, stamp="s")
    moved = tmp_path / ".snakemake" / "damaged" / "s" / "results" / "cfmmimo" / "cut.nc"
    assert f"moved to {moved.relative_to(tmp_path)}" in msg
    assert not cut.exists() and moved.read_bytes() == before and notes.read_text() == "mine" and good.exists()


class _Workflow:
    """The few attributes of snakemake's Workflow that pipeline.files reads."""

    def __init__(self, executor=True, dryrun=False, touch=False, main=True, lock=True, targets=(), rules=None):
        from types import SimpleNamespace

        self.executor_plugin = object() if executor else None
        self.dryrun, self.touch, self.is_main_process = dryrun, touch, main
        self.execution_settings = SimpleNamespace(lock=lock)
        self.dag_settings = SimpleNamespace(targets=set(targets), trust_io_cache=False)
        self.default_target = "figures"
        self._rules = rules or {}

    def is_rule(self, name):
        return name in self._rules

    def get_rule(self, name):
        from types import SimpleNamespace

        return SimpleNamespace(input=self._rules[name])


@pytest.mark.parametrize(("kwargs", "allowed"), [
    ({}, True),
    ({"executor": False}, False),  # --list-untracked, --report, --summary, --dag, ... (no executor)
    ({"dryrun": True}, False),
    ({"touch": True}, False),
    ({"main": False}, False),  # a job's own snakemake on a cluster node
    ({"lock": False}, False),  # --nolock
])
def test_d2_only_a_process_that_executes_jobs_under_the_lock_moves_files(tmp_path, monkeypatch, kwargs, allowed):
    from secure_isac.pipeline import files

    monkeypatch.chdir(tmp_path)
    assert files.moves_allowed(_Workflow(**kwargs))[0] is allowed
    if allowed:  # another snakemake's lock in this directory
        (tmp_path / ".snakemake" / "locks").mkdir(parents=True)
        (tmp_path / ".snakemake" / "locks" / "0.input.lock").write_text("x")
        ok, why = files.moves_allowed(_Workflow(**kwargs))
        assert not ok and "lock" in why


def test_d2_only_the_files_of_the_requested_targets_are_looked_at():
    from secure_isac.pipeline import files

    cfg = validate_config(deep_merge(TOY, {"cfmmimo": {"sweeps": {"nu": {"values": [1.0], "n_layouts": 2}}}}))
    reg = registry.registry(cfg)
    file_graph = graph.file_inputs(reg)
    rules = {"figures": targets.run_files(reg.base, "cfmmimo") + targets.run_files(reg.base, "dfbs"),
             "cfmmimo_fig3": targets.run_files(reg.base, "cfmmimo", ["fig3"], claims=False),
             "sweeps": targets.sweep_files(reg, "")}
    default = set(files.requested_files(_Workflow(rules=rules), file_graph))
    assert default == {f for f in rules["figures"] if f.endswith(".nc")}
    fig3 = set(files.requested_files(_Workflow(targets=["cfmmimo_fig3"], rules=rules), file_graph))
    assert "results/cfmmimo/fig3.nc" in fig3 and "results/cfmmimo/fig4.nc" not in fig3
    assert not any("/dfbs/" in f or "sweeps" in f or "variants/nu=1" in f for f in fig3)
    # a file target: the file and what it is made from, nothing else
    design = CF.design_path(reg.base, "cp", 0.0, 0)
    assert set(files.requested_files(_Workflow(targets=[design], rules=rules), file_graph)) == {
        design, "results/cfmmimo/channels/batch0.nc", "results/cfmmimo/layouts/batch0.nc"}
    sweep = set(files.requested_files(_Workflow(targets=["sweeps"], rules=rules), file_graph))
    assert "results/cfmmimo/sweeps/nu/1.nc" in sweep and "results/cfmmimo/fig3.nc" not in sweep


# --- D5: a report of datasets made with another configuration is refused whatever the spelling -------------------
@pytest.mark.parametrize(("argv", "report"), [
    (["snakemake", "--report", "r.html"], True), (["snakemake", "--report=r.html"], True),
    (["snakemake", "--report"], True), (["snakemake", "-n", "--report-after-run", "--report", "r.html"], False),
    (["snakemake", "--cores", "2"], False), (["snakemake", "--report-stylesheet", "s.css"], False),
])
def test_d5_report_spellings(argv, report):
    from secure_isac.pipeline.files import report_requested

    assert report_requested(argv) is report


def test_d5_report_with_equals_checks_the_datasets(tmp_path, monkeypatch):
    import xarray as xr

    from secure_isac import provenance
    from secure_isac.pipeline.files import prepare_run

    monkeypatch.chdir(tmp_path)
    ds = provenance.stamp(xr.Dataset({"x": ("a", [1.0])}), {"config": {"seed": 1}}, "ref", "c")
    (tmp_path / "results" / "cfmmimo").mkdir(parents=True)
    provenance.write_netcdf(ds, tmp_path / "results" / "cfmmimo" / "fig4.nc")
    reg = registry.registry(TOY)
    for argv in (["snakemake", "--report=r.html"], ["snakemake", "--report", "r.html"]):
        with pytest.raises(ValueError, match="made with another configuration"):
            prepare_run(reg, argv)
    assert prepare_run(reg, ["snakemake", "--cores", "1"]) == []


# --- D13: secure-isac-compare names a bad file in one line (exit 2), says "absent", refuses a run without results --
def _claims_csv(path, verdict="reproduced", value=5.1):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("claim,paper,reproduced,verdict,feasible_share,criterion\n"
                    f"CP median,5.1,{value},{verdict},1,rel tol\n")


def test_d13_compare_names_bad_files_and_absent_studies(tmp_path, capsys):
    from secure_isac.pipeline.compare import main

    a, b = tmp_path / "a", tmp_path / "b"
    for run in (a, b):
        _claims_csv(run / "results" / "cfmmimo" / "claims.csv")
    _claims_csv(a / "results" / "dfbs" / "claims.csv", value=0.1)
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "dfbs     CP median: reproduced (0.1) -> absent" in out and "nan" not in out

    good = _netcdf(tmp_path / "good.nc")
    (b / "results" / "cfmmimo" / "fig4.nc").write_bytes(good.read_bytes()[:300])
    assert main([str(a), str(b)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "b/results/cfmmimo/fig4.nc: cannot be read as a NetCDF dataset" in err
    (b / "results" / "cfmmimo" / "fig4.nc").unlink()

    (b / "results" / "cfmmimo" / "claims.csv").write_bytes(b"\x00\xff\x10garbage\n\x00")
    assert main([str(a), str(b)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "b/results/cfmmimo/claims.csv: " in err

    empty = tmp_path / "empty"
    (empty / "results" / "cfmmimo").mkdir(parents=True)
    assert main([str(a), str(empty)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "empty/results: no results" in err


# --- D12: the documentation of what a solver key reruns is FIELDS_READ's --------------------------------------------
def test_d12_config_readme_says_which_schemes_each_solver_key_reruns():
    """Read back from config/README.md: every key of cfmmimo.solver is listed once with exactly the schemes whose
    design jobs receive it (D12: the docs said no solver option reruns the baseline; max_draws and feas_tol do)."""
    from secure_isac.cfmmimo.options import FIELDS_READ, SolverOptions

    text = (REPO / "config" / "README.md").read_text()
    block = text[text.index("<!-- solver scopes"):text.index("<!-- end of the generated solver scopes")]
    listed = {}
    for line in block.splitlines():
        if line.startswith("- "):
            keys, _, who = line[2:].partition(": ")
            if who.startswith("every scheme, the baseline included"):
                schemes = set(FIELDS_READ)
            elif who.startswith("every scheme but the baseline"):
                schemes = set(FIELDS_READ) - {"baseline"}
            else:
                schemes = set(re.findall(r"`(\w+)`", who))
            for key in re.findall(r"`(\w+)`", keys):
                assert key not in listed, key
                listed[key] = schemes
    assert set(listed) == set(SolverOptions.__pydantic_fields__)
    for key, schemes in listed.items():
        assert schemes == {s for s, read in FIELDS_READ.items() if key in read}, key
    assert "no solver option reruns the baseline" not in text and "the baseline none" not in text


# --- D6: SLURM requests derive from the problem size and fit the limit the profile states ---------------------------
def test_d6_every_cluster_request_fits_the_stated_limit():
    """Every optimise, dfbs design and reference job of the default run, its sweeps, scenarios and sensitivity runs,
    and every group of them, asks for at most the limit the SLURM profile states (D6: groups of the default sweeps
    asked for 105-158 min against a 90 min partition)."""
    profile = yaml.safe_load((REPO / "profiles" / "slurm" / "config.yaml").read_text())
    limit = cluster.runtime_limit(profile["default-resources"])
    assert limit == 90
    # the rules name their groups and ask for their own resources: the profile must not override them
    assert "groups" not in profile and not {"cfmmimo_optimise", "dfbs_design", "dfbs_reference"} & set(
        profile.get("set-resources") or {})
    components = profile["group-components"]
    scenarios = load_scenarios(DEFAULT, REPO / "config" / "scenarios.yaml")
    sensitivity = load_sensitivity(DEFAULT, REPO / "config" / "sensitivity.yaml")
    reg = registry.registry(DEFAULT, scenarios, DEFAULT["scenarios"]["studies"], sensitivity)
    checked = 0
    for path in graph.file_inputs(reg):
        m = re.match(r"results/cfmmimo/(.*?)designs/(\w+)/", path)
        if m:
            runtime = CF.optimise_runtime(reg.config("cfmmimo", f"designs/{m[2]}", m[1]), limit)
            group, n = "cfmmimo_opt", components["cfmmimo_opt"]
        else:
            m = re.match(r"results/dfbs/(.*?)(designs|references)/(\w+)", path)
            if not m:
                continue
            kind = "design" if m[2] == "designs" else "reference"
            runtime = DF.runtime(reg.config("dfbs", f"designs/{m[3]}", m[1]), kind, limit)
            group, n = ("dfbs_points", components["dfbs_points"]) if kind == "design" else (None, 1)
        assert runtime <= limit, path
        if group and cluster.cluster_group(group, runtime, limit, components) == group:
            assert n * runtime <= limit, path
        checked += 1
    assert checked > 500
    # the paper-size jobs still go 6 (optimise) and 8 (dfbs designs) to a group
    assert cluster.cluster_group("cfmmimo_opt", CF.optimise_runtime(DEFAULT, limit), limit, components)
    assert cluster.cluster_group("dfbs_points", DF.runtime(DEFAULT, "design", limit), limit, components)


def test_d6_a_job_beyond_the_limit_is_refused_naming_the_key_and_memory_grows():
    big = validate_config(deep_merge(DEFAULT, {"cfmmimo": {"system": {"M": 4096, "K": 512, "tau": 600}}}))
    assert CF.optimise_runtime(big) == 245760  # no limit stated (a local run): the need, not refused
    with pytest.raises(ValueError, match=r"cfmmimo\.batch_size: .* asks for 245760 min, over the 90 min .* one layout"):
        CF.optimise_runtime(big, 90)
    with pytest.raises(ValueError, match=r"set cfmmimo\.batch_size to at most 37"):  # 144 s per layout x 50
        CF.optimise_runtime(validate_config(deep_merge(DEFAULT, {"cfmmimo": {"system": {"M": 128, "K": 8}}})), 90)
    mid = validate_config(deep_merge(DEFAULT, {"cfmmimo": {"system": {"M": 64, "K": 8}}}))
    assert CF.optimise_runtime(mid, 60) == 60
    # memory: twice the measured peak (sp_paper 403 MB at M = 32, K = 4; 2710 MB at M = 64, K = 8)
    assert CF.optimise_mem_mb(DEFAULT, "sp_paper") >= 2 * 403
    assert CF.optimise_mem_mb(mid, "sp_paper") >= 2 * 2710 > CF.optimise_mem_mb(DEFAULT, "sp_paper")
    assert CF.optimise_mem_mb(big, "sp_paper") > 1000 * CF.optimise_mem_mb(DEFAULT, "sp_paper")
    assert CF.optimise_mem_mb(big, "cp") == CF.optimise_mem_mb(DEFAULT, "cp") == 1000
    large_dfbs = validate_config(deep_merge(DEFAULT, {"dfbs": {"params": {"n_antennas": 64}}}))
    assert DF.runtime(large_dfbs, "design") == 640  # (64 / 16)^3 x 10 min
    huge_dfbs = validate_config(deep_merge(DEFAULT, {"dfbs": {"params": {"n_antennas": 128}}}))
    assert DF.mem_mb(huge_dfbs) > 10 * DF.mem_mb(DEFAULT)
    with pytest.raises(ValueError, match=r"dfbs\.params\.n_antennas: .* asks for 640 min"):
        DF.runtime(large_dfbs, "design", 90)
    with pytest.raises(ValueError, match="runtime_limit: a positive number of minutes"):
        cluster.runtime_limit({"runtime_limit": "90"})
    assert cluster.runtime_limit(None) is None and cluster.runtime_limit({"mem_mb": 1000}) is None
