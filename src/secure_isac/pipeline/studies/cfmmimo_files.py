"""Study 1's files: the path templates of its own rules (workflow/rules/cfmmimo.smk) and the intermediate files
(layouts, channels, designs, claims with intervals) behind each dataset of a run, with the file graph they form.
Planning code only (the workflow's parse time); the Cfmmimo facade inherits it."""

from __future__ import annotations

from collections.abc import Mapping

from .. import paths
from ..labels import label_map, value_label
from ..runs import Run, variant
from .base import Add, Study


class CfmmimoFiles(Study):
    """The file layer of study 1 (pipeline.studies.cfmmimo.Cfmmimo): templates and the files of a run."""

    # path templates of its own rules (workflow/rules/cfmmimo.smk)
    LAYOUTS = "results/cfmmimo/{variant}layouts/batch{batch}.nc"
    LAYOUTS_LOG = "logs/cfmmimo/{variant}layouts/batch{batch}.log"
    CHANNELS = "results/cfmmimo/{variant}channels/batch{batch}.nc"
    CHANNELS_LOG = "logs/cfmmimo/{variant}channels/batch{batch}.log"
    DESIGNS = "results/cfmmimo/{variant}designs/{scheme}/kappa{kappa_db}/batch{batch}.nc"
    OPTIMISE_LOG = "logs/cfmmimo/{variant}optimise/{scheme}/kappa{kappa_db}/batch{batch}.log"
    OPTIMISE_BENCHMARK = "benchmarks/cfmmimo/{variant}optimise/{scheme}/kappa{kappa_db}/batch{batch}.tsv"
    CLAIMS_INTERVALS = "results/{run}cfmmimo/claims_intervals.csv"  # the claims with bootstrap intervals
    CLAIMS_REPLICATES = "results/{run}cfmmimo/claims_replicates.csv"  # their bootstrap replicates (paired deltas)
    CLAIMS_INTERVALS_LOG = "logs/{run}cfmmimo/claims_intervals.log"
    CLAIMS_INTERVALS_BENCHMARK = "benchmarks/{run}cfmmimo/claims_intervals.tsv"

    @staticmethod
    def batches(config: Mapping, n_layouts: int) -> list[int]:
        """Layout batches covering the first n_layouts layouts."""
        return list(range(-(-int(n_layouts) // int(config["cfmmimo"]["batch_size"]))))

    @staticmethod
    def fig2_batch(config: Mapping) -> int:
        return int(config["cfmmimo"]["fig2"]["layout"]) // int(config["cfmmimo"]["batch_size"])

    def design_points(self, run: Run, figure: str) -> list[tuple[str, float, int]]:
        """(scheme, kappa, batch) of every design batch of a figure."""
        cf = run.config["cfmmimo"]
        k0 = cf["system"]["kappa_db"]
        if figure == "fig2":
            return [(s, k0, self.fig2_batch(run.config)) for s in cf["fig2"]["schemes"]]
        kappas = cf["fig3"]["kappa_db"] if figure == "fig3" else [k0]
        return [(s, k, b) for s in cf[figure]["schemes"] for k in kappas
                for b in self.batches(run.config, cf[figure]["n_layouts"])]

    def design_path(self, run: Run, scheme: str, kappa_db: float, batch: int) -> str:
        return paths.fill(self.DESIGNS, variant=variant(run, self.name, f"designs/{scheme}"), scheme=scheme,
                          kappa_db=value_label(kappa_db), batch=batch)

    def batch_path(self, run: Run, kind: str, batch: int) -> str:
        template = {"layouts": self.LAYOUTS, "channels": self.CHANNELS}[kind]
        return paths.fill(template, variant=variant(run, self.name, kind), batch=batch)

    def designs(self, run: Run, figure: str) -> list[str]:
        """Design batch files of a figure (Fig. 2 and Fig. 3's default point reuse Fig. 4's files)."""
        return [self.design_path(run, s, k, b) for s, k, b in self.design_points(run, figure)]

    def scenario_files(self, run: Run, figure: str, kind: str) -> list[str]:
        """Layout or channel batch files of a figure."""
        if figure == "fig2":
            return [self.batch_path(run, kind, self.fig2_batch(run.config))]
        return [self.batch_path(run, kind, b)
                for b in self.batches(run.config, run.config["cfmmimo"][figure]["n_layouts"])]

    def figure_inputs(self, run: Run, figure: str) -> dict[str, list[str]]:
        """The aggregate job's inputs: designs, layouts and channels."""
        return {"designs": self.designs(run, figure), "layouts": self.scenario_files(run, figure, "layouts"),
                "channels": self.scenario_files(run, figure, "channels")}

    def dataset_inputs(self, run: Run, figure: str) -> list[str]:
        return [f for files in self.figure_inputs(run, figure).values() for f in files]

    def chain(self, run: Run, figure: str, add: Add) -> None:
        for s, k, b in self.design_points(run, figure):
            channels, layouts = self.batch_path(run, "channels", b), self.batch_path(run, "layouts", b)
            add(self.design_path(run, s, k, b), [channels])
            add(channels, [layouts])
            add(layouts, [])

    def upstream(self, registry, kind: str, variant_label: str, batch: int) -> str:
        """The input of a job of `kind` ("channels", or "designs/<scheme>") in folder `variant_label`: the layout or
        channel batch of the same configuration, which may live in another folder (a design key changed: the
        default run's channels; a channel key changed: the default run's layouts)."""
        source = "layouts" if kind == "channels" else "channels"
        config = registry.config(self.name, kind, variant_label)
        return self.batch_path(Run(config, registry.base.config), source, batch)

    def coordinates(self, runs, sweeps) -> dict[str, dict]:
        """Every kappa a design job can be asked for (the default points and the Fig. 3 sweeps), by path label."""
        values = []
        for run in [*runs, *(r for d in sweeps.values() for r in d.values())]:
            cf = run.config["cfmmimo"]
            values += [cf["system"]["kappa_db"], *cf["fig3"]["kappa_db"]]
        return {"kappa_db": label_map(values)}

    def claims_intervals_path(self, run: Run) -> str:
        """The study-1 claims of a run with bootstrap intervals over layouts (sensitivity runs)."""
        return paths.fill(self.CLAIMS_INTERVALS, run=run.prefix)

    def outputs(self, run: Run) -> dict[str, list[str]]:
        data = [self.dataset_path(run, f) for f in ("fig3", "fig4")]
        return {self.claims_intervals_path(run): data, self.claims_replicates_path(run): data}

    def sensitivity_claims(self, run: Run) -> str:
        return self.claims_intervals_path(run)

    def claims_replicates_path(self, run: Run) -> str:
        """The bootstrap replicates behind a run's claims intervals (the paired differences of the claims matrix)."""
        return paths.fill(self.CLAIMS_REPLICATES, run=run.prefix)

    def sensitivity_extra(self, run: Run) -> list[str]:
        return [self.claims_replicates_path(run)]

    def layouts_text(self, run: Run) -> str:
        """The layout counts of a run's claims, as the claims-intervals table states them."""
        cf = run.config["cfmmimo"]
        return f"fig4: {cf['fig4']['n_layouts']}, fig3: {cf['fig3']['n_layouts']}"

    def fig3_schemes(self, run: Run) -> list[str]:
        return list(run.config["cfmmimo"]["fig3"]["schemes"])
