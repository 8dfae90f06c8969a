"""The Snakemake report's captions: each study's own texts (Study.caption, pipeline/studies/captions/<study>.py) with
the reported run's values, under the run's toy label (pipeline.scale); a scenario's or sensitivity run's figure
says which run it is.

Snakemake renders a caption file (workflow/report/*.rst) with Jinja from the job's input, output, params, wildcards
and the workflow's config only. Caption text in a rule's params would rerun every job of that rule whenever a
caption changes (params are a rerun trigger), and so would a study module in the jobs' code digests; so the
Snakefile hands the captions to the templates in the config under CONFIG_KEY, and only when the command makes a
report (`makes_report`): the jobs of a run never see them. The templates look their file up by its stem
(`key`) and render what the study gives, naming no study.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .registry import Registry
from .studies import study
from .targets import extension_figures

CONFIG_KEY = "report_captions"  # config[CONFIG_KEY] = {"studies": [line per study], "files": {key: caption}}


def makes_report(argv: Sequence[str]) -> bool:
    """True if the command line makes a report (`--report [FILE]`, `--report=FILE`, `--report-after-run`)."""
    return any(a in ("--report", "--report-after-run") or a.startswith("--report=") for a in argv[1:])


def key(run: str, study_name: str, figure: str) -> str:
    """The caption key of a figure ("sweep_<key>" included) or of the claims table ("claims") of a study in the run
    with prefix `run`: <run><study>/<figure>, the file's stem under figures/ or results/."""
    return f"{run}{study_name}/{figure}"


def run_names(reg: Registry) -> dict[str, str]:
    """{run prefix: how a caption names the run} of every run but the default one."""
    names = {r.prefix: f"Scenario ``{name}``" for name, r in reg.scenarios.items()}
    names.update({r.prefix: f"Sensitivity scenario ``{name}``" for name, r in reg.sensitivity.items()})
    for name, c in reg.readings.items():
        names.update({c.screen.prefix: f"Readings combination ``{name}`` (screen)",
                      c.full.prefix: f"Readings combination ``{name}``"})
    return names


def _figures(reg: Registry, prefix: str, study_name: str) -> Iterable[str]:
    yield from study(study_name).plots
    yield from (f"sweep_{k}" for (p, s, k) in reg.sweeps if p == prefix and s == study_name)
    yield "claims"


def captions(reg: Registry, toy: Callable[[str, list[str]], str]) -> dict:
    """config[CONFIG_KEY] for the registry's runs: {"studies": each study's line of the report's description,
    "files": {key(run, study, figure): its caption}}. `toy(prefix, [study])`: the run's toy label of the study
    ("" at the paper's counts), in bold above the caption."""
    names = run_names(reg)
    files = {}
    for prefix, run in reg.runs.items():
        for name in reg.studies(prefix):
            st = study(name)
            label = toy(prefix, [name])
            head = [f"**{label}**"] if label else []
            if prefix in names:
                head.append(f"{names[prefix]} (its own configuration and results).")
            for figure in _figures(reg, prefix, name):
                text = st.caption(figure, run.config[name], f"results/{prefix}{name}")
                files[key(prefix, name, figure)] = "\n\n".join([*head, text]) if text else "\n\n".join(head)
    for (prefix, name, figure), lines in extension_figures(reg).items():  # drawn from several runs
        text = study(name).caption(figure, reg.runs[prefix].config[name], f"results/{prefix}{name}")
        files[key(prefix, name, figure)] = "\n\n".join(
            [f"Drawn from the datasets of several runs of this configuration, one line per run: {', '.join(lines)}.",
             *([text] if text else [])])
    return {"studies": [study(n).report_texts().SUMMARY for n in reg.studies("")], "files": files}
