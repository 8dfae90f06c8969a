"""The Study protocol: everything a study adds to the workflow, asked for by the generic pipeline.

A study declares its figures (the contract datasets, the plots drawn from them, the datasets its claims read), the
configuration keys each of its jobs reads (`kinds` and `scope`: a job's params are its scope plus the file's own
coordinates), its path templates (class attributes, used by its rules file and formatted by its methods), its
job configs, the intermediate files each dataset is made from, the exact values behind its path labels
(`coordinates`), how a sweep value changes a run (`with_sweep_value`) and what a sweep value's dataset reads, its
configuration checks, and the library code behind its outputs: claims table, plotters, headline numbers and the
rows of the sensitivity matrix. The generic modules (runs, registry, targets, sweeps, config, compare, claims,
plots, sensitivity) and the rules call these and never branch on a study's name.

Library code is imported inside the methods that need it: the planning code imports every study at parse time,
while a job imports only its own study's code (and a job's code digest hashes only that, pipeline.digest).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

from .. import paths

Add = Callable[[str, list], None]  # add(file, the files its job reads): one edge list of the file graph


class Study(ABC):
    """One study of the workflow (see the module docstring); subclasses fill the attributes and methods."""

    name: str  # configuration section, folder and wildcard value
    title: str  # the report's category of its figures and claims
    claims_title: str  # its section heading in results/<run>claims.md
    schemes: tuple[str, ...]  # its scheme vocabulary (from the study's library package)
    datasets: tuple[str, ...] = ("fig2", "fig3", "fig4")  # contract datasets results/<run><study>/<figure>.nc
    plots: tuple[str, ...] = ("fig2", "fig3", "fig4")  # figures drawn, figures/<run><study>/<plot>.{pdf,png}
    plot_dataset: Mapping[str, str] = {}  # plot -> the dataset it is drawn from, where that is another name
    claims_data: tuple[str, ...] = ("fig2", "fig3", "fig4")  # datasets its claims table reads, in that order
    readings_search: bool = False  # the search for the paper's reading (sensitivity.readings_file) tests its claims
    wildcards: Mapping[str, str] = {}  # regular expressions of wildcards only its rules use (e.g. batch)
    # figures drawn over random layouts, each with an `n_layouts` key in its configuration section: a run with fewer
    # layouts than the section's default (the paper's count) is a toy run (pipeline.scale)
    layout_figures: tuple[str, ...] = ()
    # library modules behind each generic job ("plot", "claims"): the job's code digest hashes these and the study's
    # module shallow (pipeline.digest), so a job reruns only when the code it runs changes
    job_code: Mapping[str, tuple[str, ...]] = {}

    @property
    def module(self) -> str:
        """Dotted name of the study's module (what the code digests of its generic jobs hash)."""
        return type(self).__module__

    # --- configuration -------------------------------------------------------------------------------------------
    @abstractmethod
    def section(self) -> type:
        """The typed class of the study's configuration section (pipeline.settings.<name>)."""

    def sensitivity_overlay(self) -> dict:
        """The study's part of the default sensitivity.overlay (what its claims read, at counts that decide them)."""
        return {}

    def paper_layouts(self, sensitivity: bool = False) -> dict[str, int]:
        """{figure: the paper's number of layouts} of every layout figure: the default `n_layouts` of the figure's
        section, the one declaration of the paper's counts. `sensitivity`: the counts the default sensitivity overlay
        chose instead where it sets them (counts at which its bootstrap intervals decide, sensitivity_overlay)."""
        defaults = self.section()().model_dump()
        counts = {f: int(defaults[f]["n_layouts"]) for f in self.layout_figures}
        if sensitivity:
            overlay = self.sensitivity_overlay()
            counts.update({f: int(overlay[f]["n_layouts"]) for f in counts if "n_layouts" in overlay.get(f, {})})
        return counts

    def layout_counts(self, config: Mapping[str, Any]) -> dict[str, int]:
        """{figure: number of layouts} of every layout figure of a run's configuration."""
        return {f: int(config[self.name][f]["n_layouts"]) for f in self.layout_figures}

    def readme_blocks(self) -> dict[str, Callable[[], str]]:
        """Generated blocks of config/README.md the study owns: {marker name: text maker}."""
        return {}

    def check_limits(self, config: Mapping[str, Any]) -> None:
        """limits.* on the study's counts, from counts computed before any list exists (ConfigError)."""
        return None  # nothing to check unless the study says so

    def check_points(self, config: Mapping[str, Any]) -> None:
        """The study's design points exist and are solvable (ConfigError naming the key)."""
        return None  # nothing to check unless the study says so

    def check_support(self, config: Mapping[str, Any]) -> None:
        """Every scheme of a figure or sweep can design for its system (ConfigError naming the key)."""
        return None  # nothing to check unless the study says so

    @abstractmethod
    def sweep_keys(self) -> tuple[str, ...]:
        """The keys a sweep of the study may name."""

    sweep_keys_text: str = "a key of the study"  # how an error message describes sweep_keys

    @abstractmethod
    def canonical_sweep_value(self, config: Mapping[str, Any], key: str, value: Any) -> Any:
        """`value` of the swept `key` checked with the key's own type and the rest of `config`, in that type
        (ValueError "<field>: ..." when the key's class refuses it)."""

    def check_sweep_limits(self, config: Mapping[str, Any], key: str, sweep: Mapping[str, Any]) -> None:
        """limits.* on one sweep beyond its number of values (ConfigError)."""
        return None  # nothing to check unless the study says so

    # --- scopes, job configs and files ---------------------------------------------------------------------------
    @abstractmethod
    def kinds(self) -> tuple[str, ...]:
        """Every kind of intermediate the study writes under results/<name>/{variant} (each with its own scope)."""

    @abstractmethod
    def scope(self, config: Mapping[str, Any], kind: str) -> dict:
        """The part of `config` an intermediate of `kind` depends on: everything its job reads but the file's own
        coordinates (two runs share the file exactly when these are equal)."""

    @abstractmethod
    def figure_config(self, config: Mapping[str, Any], figure: str) -> str:
        """params.config (JSON) of a dataset's aggregate job (also what the dataset records in config_json)."""

    @abstractmethod
    def dataset_inputs(self, run, figure: str) -> list[str]:
        """Every intermediate file a dataset of a run is made from (its aggregate job's inputs and what they are
        made from)."""

    @abstractmethod
    def chain(self, run, figure: str, add: Add) -> None:
        """add() every intermediate of a dataset with the files its job reads (the file graph, targets.py)."""

    @abstractmethod
    def coordinates(self, runs, sweeps: Mapping[tuple[str, str, str], Mapping[str, Any]]) -> dict[str, dict]:
        """{wildcard: {path label: exact value}} of every coordinate value a job of the runs (and of every sweep
        value, sweeps: registry.Registry.sweeps) can be asked for."""

    def outputs(self, run) -> dict[str, list[str]]:
        """Further files a run of the study builds, {file: the files its job reads} (e.g. claims with intervals)."""
        return {}

    def sensitivity_claims(self, run) -> str:
        """The study's claims file of a sensitivity run (the matrix reads it; sensitivity_rows)."""
        return self.claims_path(run)

    # --- sweeps --------------------------------------------------------------------------------------------------
    @abstractmethod
    def with_sweep_value(self, config: dict, key: str, value: Any, sweep: Mapping[str, Any]) -> None:
        """Set the swept key of `config` (a copy of the run's) to `value` and the figure the value computes."""

    @abstractmethod
    def sweep_value_of(self, config: Mapping[str, Any], key: str) -> Any:
        """The swept key's value in a sweep value's configuration."""

    @abstractmethod
    def sweep_value_inputs(self, value_run, key: str) -> dict[str, list[str]]:
        """Input files of one sweep value's dataset (its rule's named inputs)."""

    def sweep_value_targets(self, value_run, key: str) -> list[str]:
        """Every file a sweep value's dataset needs (its inputs and any file they are made from that a target must
        name)."""
        return [f for files in self.sweep_value_inputs(value_run, key).values() for f in files]

    @abstractmethod
    def sweep_value_scope(self, value_run, key: str) -> dict:
        """params.config of a sweep value's dataset without the swept key and value."""

    @abstractmethod
    def sweep_summary_scope(self, run, key: str) -> dict:
        """What a sweep's summary dataset reads of the run besides the sweep's own section."""

    @abstractmethod
    def sweep_chain(self, value_run, key: str, add: Add) -> None:
        """add() every intermediate of one sweep value's dataset (the file graph)."""

    # --- figures drawn from several runs (workflow/rules/extensions.smk) -----------------------------------------
    def extension_figures(self, runs, swept: Mapping[str, set[str]]) -> dict[str, dict[str, str]]:
        """Figures drawn from the datasets of several runs: the base run and its scenarios (`runs`, the base run
        first), e.g. one sweep under two models, one line each. {figure name: {line label: the dataset it is drawn
        from}} of the figures these runs make possible (none: {}); `swept` {run prefix: the keys the run sweeps}.
        The figures go to figures/<base run><study>/<name>.{pdf,png} (paths.EXTENSION_FIGURE)."""
        return {}

    def extension_plotters(self) -> dict[str, Callable]:
        """{extension figure name: function({line label: dataset}) -> matplotlib figure} (job side)."""
        return {}

    # --- outputs (job side) --------------------------------------------------------------------------------------
    @abstractmethod
    def plotters(self) -> dict[str, Callable]:
        """{plot (or "sweep"): function(dataset) -> matplotlib figure}."""

    @abstractmethod
    def claims_table(self, *datasets):
        """The claims table (pandas DataFrame) from the claims_data datasets, in that order."""

    @abstractmethod
    def headlines(self, folder, open_dataset: Callable, sweeps: bool) -> list[dict]:
        """Headline numbers of one run's results/<run><name>/ folder: rows {dataset, scheme, quantity, value} of
        the datasets present (open_dataset(path) loads one), with `sweeps` also of its sweep summaries."""

    def sensitivity_extra(self, run) -> list[str]:
        """Further files of a sensitivity run the matrix reads beside sensitivity_claims (e.g. bootstrap replicates)."""
        return []

    @abstractmethod
    def sensitivity_rows(self, csv_path, reference=None, level: float = 0.95):
        """The study's rows of the sensitivity matrix (a DataFrame with sensitivity.MATRIX_COLUMNS but scenario and
        study) from its sensitivity_claims file; `reference`: the reference scenario's file (None: none), against
        which a study with sampling intervals reports paired differences."""

    # --- the report ----------------------------------------------------------------------------------------------
    def report_texts(self):
        """The study's texts in the Snakemake report: its module pipeline/studies/captions/<name>.py (SUMMARY, and
        CAPTIONS per plot, "sweep" and "claims"). Imported here by name, so that no job's code digest hashes it: a
        caption is report-only text and editing it reruns nothing."""
        from importlib import import_module

        return import_module(f"{__package__}.captions.{self.name}")

    def caption(self, figure: str, section: Mapping[str, Any], data: str) -> str:
        """The report caption (reStructuredText) of `figure` (a plot, "sweep_<key>" or "claims") with the reported
        run's values filled in: `section` its configuration section of the study, `data` its results folder of the
        study; "" where the study declares none."""
        captions = self.report_texts().CAPTIONS
        if figure.startswith("sweep_"):
            return captions.get("sweep", "").format_map({**section, "data": data, "key": figure[6:]})
        return captions.get(figure, "").format_map({**section, "data": data})

    # --- paths ---------------------------------------------------------------------------------------------------
    def dataset_path(self, run, figure: str) -> str:
        return paths.fill(paths.DATASET, run=run.prefix, study=self.name, figure=figure)

    def figure_path(self, run, plot: str, ext: str) -> str:
        return paths.fill(paths.FIGURE, run=run.prefix, study=self.name, figure=plot, ext=ext)

    def claims_path(self, run) -> str:
        return paths.fill(paths.CLAIMS, run=run.prefix, study=self.name)

    def extension_path(self, run, name: str, ext: str) -> str:
        return paths.fill(paths.EXTENSION_FIGURE, run=run.prefix, study=self.name, extension=name, ext=ext)

    def dataset_of(self, plot: str) -> str:
        """The dataset a plot is drawn from (a sweep plot: sweep_<key> from the sweep's summary)."""
        return self.plot_dataset.get(plot, plot)
