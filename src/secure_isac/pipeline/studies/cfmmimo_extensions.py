"""Study 1's figures drawn from several runs (Study.extension_figures; workflow/rules/extensions.smk): which runs
and datasets make each one possible (planning code: no library import)."""

from __future__ import annotations

from .. import paths
from ..runs import Run


def extension_figures(study, runs, swept, layout_keys) -> dict[str, dict[str, str]]:
    """eve_uncertainty: the eavesdroppers' radius sweep (eve_position disc) of every run that has it, one line
    per eavesdropper model (independent, colluding); pilot_contamination: the tau_p sweep of every run that has
    it, one line per pilot assignment; coherent_design: the Fig. 3 datasets of the runs evaluated under coherent
    sensing combining, one designed for (12)/(17) ("reported") and one designed under the coherent model
    ("coherent"), when the runs hold exactly one of each on the same layouts."""
    out: dict[str, dict[str, str]] = {}

    def add(figure: str, label: str, run: Run, path: str) -> None:
        lines = out.setdefault(figure, {})
        lines[label if label not in lines else f"{label}, {run.prefix.strip('/')}"] = path

    coherent: dict[str, list] = {"reported": [], "coherent": []}
    for run in runs:
        system, keys = run.config["cfmmimo"]["system"], swept.get(run.prefix, set())
        if "eve_radius_m" in keys and system["eve_position"] == "disc":
            add("eve_uncertainty", "colluding" if system["eve_collusion"] else "independent", run,
                paths.fill(paths.SWEEP, run=run.prefix, study=study.name, key="eve_radius_m"))
        if "tau_p" in keys:
            add("pilot_contamination", str(system["pilot_assignment"]), run,
                paths.fill(paths.SWEEP, run=run.prefix, study=study.name, key="tau_p"))
        if system["sensing_combining"] == "coherent":
            design = run.config["cfmmimo"]["solver"]["sensing_design"]
            coherent["coherent" if design == "coherent" else "reported"].append(run)
    if all(len(r) == 1 for r in coherent.values()):
        rep, coh = (coherent[k][0].config for k in ("reported", "coherent"))
        if rep["seed"] == coh["seed"] and rep["cfmmimo"]["fig3"]["n_layouts"] == coh["cfmmimo"]["fig3"][
                "n_layouts"] and all(rep["cfmmimo"]["system"][k] == coh["cfmmimo"]["system"][k]
                                     for k in layout_keys):  # the same layouts (the figure pairs them)
            out["coherent_design"] = {k: study.dataset_path(r[0], "fig3") for k, r in coherent.items()}
    return out
