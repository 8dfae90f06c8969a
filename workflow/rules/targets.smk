# Target rules (the default target `figures` is in the Snakefile: snakemake takes it only from there): per study
# `<study>` (its figures and claims), `<study>_<plot>` and `<study>_claims`; `sweeps`, `scenarios`, `sensitivity`.


for _study in all_studies():

    rule:
        name:
            _study.name
        input:
            gate,
            study_targets(_study.name),

    for _plot in _study.plots:

        rule:
            name:
                f"{_study.name}_{_plot}"
            input:
                gate,
                study_targets(_study.name, [_plot], claims=False),

    rule:
        name:
            f"{_study.name}_claims"
        input:
            gate,
            _study.claims_path(REG.base),


rule sweeps:
    input:
        gate,
        targets.sweep_files(REG, ""),


rule scenarios:
    input:
        gate,
        targets.scenario_files(REG),
        [paths.fill(paths.CLAIMS_MD, run=r.prefix) for r in REG.scenarios.values()],


rule sensitivity:
    input:
        gate,
        paths.SENSITIVITY_MATRIX,
        targets.readings_targets(REG),
