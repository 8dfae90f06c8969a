"""Issue 26 item 7: a quiet console (no printshellcmds while every rule is a script: rule) whose last lines say where
the run's figures and tables are (targets.where, printed by the Snakefile's onsuccess). Fast: no workflow run; the
toy run's own console is checked in test_toy_run.py."""

from __future__ import annotations

import re

import yaml

from secure_isac.pipeline.targets import where

from conftest import REPO


def test_no_profile_prints_shell_commands_of_script_rules():
    rules = [REPO / "Snakefile", *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    shell_rules = [p.name for p in rules if re.search(r"^\s+shell:", p.read_text(), re.MULTILINE)]
    for profile in sorted((REPO / "profiles").glob("*/config.yaml")):
        settings = yaml.safe_load(profile.read_text())
        # "Shell command: None" after every job of a script: rule; allowed again once a shell: rule exists
        assert not settings.get("printshellcmds") or shell_rules, profile


def test_where_lists_figures_by_folder_and_the_tables_claims_first():
    files = ["results/cfmmimo/designs/cp/kappa2/batch0.nc", "results/cfmmimo/fig4.nc",
             "figures/cfmmimo/fig4.pdf", "figures/cfmmimo/fig4.png", "figures/cfmmimo/fig3.png",
             "figures/scenarios/summary.png", "results/scenarios/summary.md", "results/cfmmimo/claims.csv",
             "results/claims.md", "results/scenarios/a/claims.md"]
    assert where(files, "/run") == [
        "Outputs of this run (in /run):",
        "  figures (.pdf, .png):",
        "    figures/cfmmimo/: fig3, fig4",
        "    figures/scenarios/: summary",
        "  claims and tables:",
        "    results/claims.md",
        "    results/scenarios/a/claims.md",
        "    results/cfmmimo/claims.csv",
        "    results/scenarios/summary.md",
    ]
    assert where(["results/cfmmimo/fig4.nc"]) == []  # a dataset target: nothing to point at
