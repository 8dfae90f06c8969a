"""The whole configuration: the run-wide sections (seed, limits, scenarios, sensitivity) around every study's own
section (pipeline.studies: each study names its section class), and plain data out of the classes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AfterValidator, create_model

from ...fields import Annotated, Field, Float, Int
from ..studies import NAMES, all_studies
from .sections import ITEMS, UNIQUE, Section, plain


class Scenarios(Section):
    """Named scenarios: overlays of this configuration, run side by side by `snakemake scenarios` under
    results/scenarios/<name>/ and figures/scenarios/<name>/, compared in results/scenarios/summary.{csv,md}."""

    file: Annotated[str, Field(description=(
        "YAML file of named overlays {name: {overlay}} (relative to the working directory, else to the "
        "repository)."))] = "config/scenarios.yaml"
    studies: Annotated[list[Literal[NAMES]], Field(description=(
        "Studies whose figures (and sweeps, if an overlay defines them) every scenario builds."), **ITEMS),
        UNIQUE] = list(NAMES)


def _default_sensitivity_overlay() -> dict:
    # only what the claims read, each study's part (Study.sensitivity_overlay)
    return {s.name: s.sensitivity_overlay() for s in all_studies()}

# sections an overlay (a scenario, a sensitivity scenario, sensitivity.overlay) cannot change: they say which
# scenarios exist and how they are run, so inside an overlay they would be ignored
FIXED_SECTIONS = ("scenarios", "sensitivity")


def _overlay(value: dict) -> dict:
    for fixed in FIXED_SECTIONS:
        if fixed in value:
            raise ValueError(f"{fixed}: an overlay cannot change the {fixed} settings (set them in the configuration)")
    return value


class Sensitivity(Section):
    """The claims of both papers tested against the choices the papers leave open (`snakemake sensitivity`): every
    scenario of the file (one alternative each) plus "reference" (the default choices), each merged over this
    configuration and `overlay`, under results/sensitivity/<name>/; the claims matrix with bootstrap intervals in
    results/sensitivity/claims.{csv,md} and figures/sensitivity/claims.{pdf,png}."""

    file: Annotated[str, Field(description=(
        "YAML file of named overlays {name: {overlay}}, one alternative choice each (relative to the working "
        "directory, else to the repository)."))] = "config/sensitivity.yaml"
    overlay: Annotated[dict[str, Any], AfterValidator(_overlay), Field(default_factory=_default_sensitivity_overlay,
                                                                      json_schema_extra={
        "default": _default_sensitivity_overlay()}, description=(
        "Overlay applied under every sensitivity scenario and the reference: what the claims read, at layout "
        "counts that decide them. Study 1: the Fig. 4 claims over 100 layouts (cp, sp, baseline); the Fig. 3 claims "
        "compare cp and sp between the smallest and the largest kappa, so Fig. 3 runs those two levels (0 and 20 dB, "
        "the ends of the paper's range) over 50 layouts. Study 2: its Fig. 3 claims read AA only."))]
    n_boot: Annotated[Int, Field(ge=100, le=100_000, description=(
        "Bootstrap replicates over layouts per study-1 claims table."))] = 1000
    level: Annotated[Float, Field(gt=0.5, lt=1.0, description=(
        "Confidence level of the bootstrap intervals; a verdict needs its interval (secure_isac.verdicts."
        "interval_verdict)."))] = 0.95
    readings_file: Annotated[str | None, Field(description=(
        "YAML file of the search for the paper's reading (factors: {factor: {level: overlay}}, screen: overlay of "
        "reduced layout counts, confirm: how many of the best combinations are re-run at the counts of `overlay`; "
        "relative to the working directory, else to the repository): every combination of the levels becomes a "
        "sensitivity run under results/sensitivity/readings/, summarised in results/sensitivity/readings.csv and "
        "figures/sensitivity/readings.{pdf,png}. null: no search."))] = "config/readings.yaml"


class Limits(Section):
    """Upper bounds checked at parse time, before any list of jobs is built, so that a mistyped value (a step of
    1.0e-9, a billion layouts) stops at once with the key and the count instead of exhausting memory. Raise them
    deliberately for very large sweeps."""

    max_layouts: Annotated[Int, Field(ge=1, description=(
        "Layouts per figure (n_layouts, fig2.layout + 1, batch_size)."))] = 10_000
    max_points: Annotated[Int, Field(ge=1, description=(
        "Sweep points per figure (kappa values, P values, (P, R-bar) points)."))] = 1000
    max_jobs: Annotated[Int, Field(ge=1, description=(
        "Design jobs per figure (schemes x points x layout batches)."))] = 5000


class Plot(Section):
    """How the figures are drawn (changing a key reruns only the figure jobs)."""

    style: Annotated[Literal["paper", "screen"], Field(description=(
        "Figure style. paper: IEEE single column, 3.5 in wide, 8 pt text, no titles in the figure (they go into "
        "the PDF Subject / PNG Description metadata, the caption's material), every curve told apart by line style "
        "and marker as well as colour (readable in greyscale); the claims matrix two columns (7.16 in) wide. "
        "screen: 6.4-10 in figures with titles, for reading on a monitor (secure_isac.plotting)."))] = "paper"


def _study_fields() -> dict:
    return {s.name: (s.section(), Field(default_factory=s.section(), description=s.section().__doc__))
            for s in all_studies()}


# assembled from the studies (their sections in the order of pipeline.studies.NAMES)
WorkflowConfig = create_model(
    "WorkflowConfig", __base__=Section, __doc__=(
        "Configuration of the secure-ISAC reproduction workflow. Every key has a description and a default; unknown\n"
        "keys are rejected so that a typo stops the run at once."),
    seed=(Annotated[Int, Field(ge=0, description=(
        "Base seed of every random stream (secure_isac.seeds.rng(seed, layout_index, purpose))."))], 20260318),
    **_study_fields(),
    limits=(Limits, Field(default_factory=Limits, description=Limits.__doc__)),
    scenarios=(Scenarios, Field(default_factory=Scenarios, description=Scenarios.__doc__)),
    sensitivity=(Sensitivity, Field(default_factory=Sensitivity, description=Sensitivity.__doc__)),
    plot=(Plot, Field(default_factory=Plot, description=Plot.__doc__)),
)


def defaults() -> dict:
    """The default configuration (the paper-scale run) as plain data."""
    return plain(WorkflowConfig())

