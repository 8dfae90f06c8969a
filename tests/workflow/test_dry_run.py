"""Job counts of the toy DAG (config/test.yaml), derived independently from the configuration."""

from __future__ import annotations

import math
import re

import yaml

from conftest import REPO, TEST_CONFIG, dry_run

DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def _merge(base, over):
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def expected_cfmmimo_counts(cfg) -> dict[str, int]:
    cf = cfg["cfmmimo"]
    bs = cf["batch_size"]
    b4 = -(-cf["fig4"]["n_layouts"] // bs)
    b3 = -(-cf["fig3"]["n_layouts"] // bs)
    k0 = float(cf["system"]["kappa_db"])
    designs = {(s, k0, b) for s in cf["fig4"]["schemes"] for b in range(b4)}
    designs |= {(s, float(k), b) for s in cf["fig3"]["schemes"] for k in cf["fig3"]["kappa_db"] for b in range(b3)}
    designs |= {(s, k0, cf["fig2"]["layout"] // bs) for s in cf["fig2"]["schemes"]}
    batches = {b for _, _, b in designs}
    return {"cfmmimo_layouts": len(batches), "cfmmimo_channels": len(batches), "cfmmimo_optimise": len(designs),
            "cfmmimo_aggregate": 3}


def _fig3_grid(df, power_dbm) -> list[float]:
    """R-bar = start, start + step, ... strictly below log2(1 + N_RF P / noise) and not above secrecy_max."""
    p, f3 = df["params"], df["fig3"]
    bound = math.log2(1 + p["n_rf"] * 10 ** ((power_dbm - p["noise_dbm"]) / 10))
    out, r = [], f3["secrecy_start"]
    while r < bound and r <= f3["secrecy_max"] + 1e-12:
        out.append(round(r, 10))
        r += f3["secrecy_step"]
    return out


def expected_dfbs_counts(cfg) -> dict[str, int]:
    """One reference per scheme, one design per scheme x distinct (P, R-bar) point over the three figures."""
    df = cfg["dfbs"]
    points = {(s, float(df["fig2"]["power_dbm"]), float(df["fig2"]["secrecy_target"])) for s in df["fig2"]["schemes"]}
    points |= {(s, float(p), float(df["fig4"]["secrecy_target"])) for s in df["fig4"]["schemes"]
               for p in df["fig4"]["power_dbm"]}
    points |= {(s, float(p), r) for s in df["fig3"]["schemes"] for p in df["fig3"]["power_dbm"]
               for r in _fig3_grid(df, p)}
    n = {"dfbs_reference": len({s for s, _, _ in points}), "dfbs_design": len(points)}
    n["dfbs_aggregate"] = 3
    return n


def test_toy_dry_run_job_counts(tmp_path):
    """The toy DAG, planned by `-s <repo>/Snakefile --directory <empty dir>`: every output under <dir>, none made."""
    cfg = _merge(DEFAULT, yaml.safe_load(TEST_CONFIG.read_text()))
    counts, text = dry_run(tmp_path)
    assert not any(p.name in ("results", "figures", "logs") for p in tmp_path.iterdir())
    cf_counts = {k: v for k, v in counts.items() if k.startswith("cfmmimo")}
    assert cf_counts == expected_cfmmimo_counts(cfg), text[-3000:]
    # toy: 2 batches; 6 schemes x 2 batches at the default kappa + 3 schemes x 2 other kappas x 1 batch
    assert cf_counts["cfmmimo_optimise"] == 18
    df_counts = {k: v for k, v in counts.items() if k.startswith("dfbs")}
    assert df_counts == expected_dfbs_counts(cfg), text[-3000:]
    assert counts["figures"] == 1
    # plots and claims tables of both studies: 5 + 3 figures (study 1: Figs. 2-4, layout map, Fig. 3 decomposed),
    # 2 tables
    assert {k: counts[k] for k in ("plot", "claims", "claims_markdown")} == {"plot": 8, "claims": 2,
                                                                          "claims_markdown": 1}
    assert set(counts) == set(cf_counts) | set(df_counts) | {"figures", "plot", "claims", "claims_markdown"}


def test_default_dry_run_job_counts(tmp_path):
    counts, text = dry_run(tmp_path, configfiles=())
    cf_counts = {k: v for k, v in counts.items() if k.startswith("cfmmimo")}
    assert cf_counts == expected_cfmmimo_counts(DEFAULT), text[-3000:]
    # paper scale: 4 batches of 50 layouts; 6 schemes x 4 at 2 dB + 3 schemes x 10 other kappas x 1 batch
    assert cf_counts["cfmmimo_optimise"] == 6 * 4 + 3 * 10 * 1
    df_counts = {k: v for k, v in counts.items() if k.startswith("dfbs")}
    assert df_counts == expected_dfbs_counts(DEFAULT)
    # 2 schemes x (27 Fig. 3 points + 4 Fig.-4 powers not on the Fig. 3 grid (15..30 dBm); Fig. 2 = Fig. 4 at 20 dBm)
    assert df_counts["dfbs_design"] == 2 * (6 + 9 + 12 + 4)


def test_one_figure_target(tmp_path):
    counts, _ = dry_run(tmp_path, "cfmmimo_fig3")
    # one aggregate and one plot (Fig. 3), not Fig. 4's
    assert counts["cfmmimo_aggregate"] == 1 and counts["plot"] == 1 and counts["cfmmimo_fig3"] == 1
    assert "claims" not in counts


def test_one_study_target(tmp_path):
    counts, _ = dry_run(tmp_path, "dfbs")
    assert counts and all(k.startswith("dfbs") for k in counts if k not in ("plot", "claims"))
    assert counts["plot"] == 3 and counts["claims"] == 1 and "cfmmimo_optimise" not in counts


def test_city_scale_overlay_dry_run(tmp_path):
    """config/city_scale.yaml (docs/extensions/city-scale.md): the Fig. 4 target plans 3 schemes x 10 batches of 5
    layouts, and each design job asks SLURM for minutes, not the 32 h of the dense problem's M K scaling."""
    cfg = _merge(DEFAULT, yaml.safe_load((REPO / "config" / "city_scale.yaml").read_text()))
    counts, text = dry_run(tmp_path, "cfmmimo_fig4", configfiles=(REPO / "config" / "city_scale.yaml",))
    assert counts["cfmmimo_optimise"] == len(cfg["cfmmimo"]["fig4"]["schemes"]) * 10, text[-3000:]
    runtimes = {int(m) for m in re.findall(r"rule cfmmimo_optimise:.*?runtime=(\d+)", text, re.S)}
    assert runtimes and max(runtimes) <= 60, runtimes


def test_city_scale_cluster_size_sweep_dry_run(tmp_path):
    """`snakemake sweeps --configfile config/city_scale.yaml` plans the cluster-size sweep of the overlay: one design
    job per value x scheme x batch, and no job of the paper-size K and M sweeps the overlay switches off."""
    cfg = _merge(DEFAULT, yaml.safe_load((REPO / "config" / "city_scale.yaml").read_text()))
    sweep = cfg["cfmmimo"]["sweeps"]["cluster_size"]
    counts, text = dry_run(tmp_path, "sweeps", configfiles=(REPO / "config" / "city_scale.yaml",))
    batches = -(-sweep["n_layouts"] // cfg["cfmmimo"]["batch_size"])
    assert counts["cfmmimo_optimise"] == len(sweep["values"]) * len(sweep["schemes"]) * batches, text[-3000:]
    assert "results/cfmmimo/sweeps/cluster_size.nc" in text
    assert "sweeps/K.nc" not in text and "sweeps/M.nc" not in text


def test_toy_city_scale_fig4_and_cluster_size_sweep_run(tmp_path):
    """config/test_city_scale.yaml through the workflow (a real run at toy size): the Fig. 4-style dataset of
    clustered designs and the cluster-size sweep, whose last value (cluster_size = M) is the paper's model."""
    import xarray as xr

    from conftest import snakemake

    snakemake("--cores", "2", "cfmmimo_fig4", "results/cfmmimo/sweeps/cluster_size.nc", "--configfile",
              str(REPO / "config" / "test_city_scale.yaml"), "--config", "cfmmimo={fig4: {n_layouts: 2}}",
              directory=tmp_path, timeout=900)
    fig4 = xr.open_dataset(tmp_path / "results" / "cfmmimo" / "fig4.nc")
    assert int(fig4.attrs["cluster_size"]) == 3 and fig4.sizes["layout"] == 2
    assert set(fig4["scheme"].values) == {"cp", "sp", "baseline"}
    sweep = xr.open_dataset(tmp_path / "results" / "cfmmimo" / "sweeps" / "cluster_size.nc")
    assert [int(v) for v in sweep["cluster_size"].values] == [1, 3, 10]
    assert (tmp_path / "figures" / "cfmmimo" / "fig4.png").is_file()
