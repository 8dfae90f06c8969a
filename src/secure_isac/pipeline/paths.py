"""Path templates of the files every study's runs make, declared once: the rules take their output, log and benchmark
patterns from here (and from each study's own templates, studies/<name>.py), and the planning code formats the same
templates into concrete paths (`fill`), so a path is never written twice.

Wildcards: {run} is "" for the default run, "scenarios/<name>/" or "sensitivity/<name>/"; {study} a study's name;
{figure} a dataset (fig2, fig3, fig4) or a plot (e.g. layout_map, sweep_<key>); {key} a swept key and {label} the
file label of one of its values (labels.value_label)."""

from __future__ import annotations

DATASET = "results/{run}{study}/{figure}.nc"  # a figure's contract dataset (data-contract)
FIGURE = "figures/{run}{study}/{figure}.{ext}"  # ext: pdf, png
CLAIMS = "results/{run}{study}/claims.csv"
CLAIMS_MD = "results/{run}claims.md"
SWEEP_VALUE = "results/{run}{study}/sweeps/{key}/{label}.nc"
SWEEP = "results/{run}{study}/sweeps/{key}.nc"
SCENARIO_SUMMARY = ("results/scenarios/summary.csv", "results/scenarios/summary.md",
                    "figures/scenarios/summary.pdf", "figures/scenarios/summary.png")
SENSITIVITY_MATRIX = ("results/sensitivity/claims.csv", "results/sensitivity/claims.md",
                      "figures/sensitivity/claims.pdf", "figures/sensitivity/claims.png")
# the search for the paper's reading (sensitivity.readings_file): the screen's ranking and the summary
READINGS_SCREEN = "results/sensitivity/readings/screen.csv"
READINGS = ("results/sensitivity/readings.csv", "figures/sensitivity/readings.pdf", "figures/sensitivity/readings.png")
# logs and benchmarks of the generic rules
AGGREGATE_LOG = "logs/{run}{study}/aggregate/{figure}.log"
AGGREGATE_BENCHMARK = "benchmarks/{run}{study}/aggregate/{figure}.tsv"
SWEEP_VALUE_LOG = "logs/{run}{study}/sweeps/{key}/{label}.log"
SWEEP_LOG = "logs/{run}{study}/sweeps/{key}.log"
PLOT_LOG = "logs/{run}{study}/plot/{figure}.log"
CLAIMS_LOG = "logs/{run}{study}/claims.log"
CLAIMS_MD_LOG = "logs/{run}claims_markdown.log"
SCENARIO_SUMMARY_LOG = "logs/scenarios/summary.log"
SENSITIVITY_MATRIX_LOG = "logs/sensitivity/claims.log"
READINGS_SCREEN_LOG = "logs/sensitivity/readings_screen.log"
READINGS_LOG = "logs/sensitivity/readings.log"


def fill(template: str, **values) -> str:
    """`template` with its wildcards replaced (str.format; every wildcard must be given)."""
    return template.format(**values)


def study_template(template: str, study: str) -> str:
    """A generic template with {study} fixed, for a study's own rule (its other wildcards stay)."""
    return template.replace("{study}", study)
