# Target rules (the default target `figures` is in the Snakefile: snakemake takes it only from there).


rule cfmmimo:
    input:
        gate,
        study_targets("cfmmimo"),


rule dfbs:
    input:
        gate,
        study_targets("dfbs"),


for _study in STUDIES:
    for _plot in plan.PLOTS[_study]:

        rule:
            name:
                f"{_study}_{_plot}"
            input:
                gate,
                study_targets(_study, [_plot], claims=False),


for _study in STUDIES:

    rule:
        name:
            f"{_study}_claims"
        input:
            gate,
            f"results/{_study}/claims.csv",


rule sweeps:
    input:
        gate,
        plan.sweep_files(REG, ""),


rule scenarios:
    input:
        gate,
        plan.scenario_files(REG),
        expand(
            rules.claims_markdown.output[0],
            run=[r.prefix for r in REG.scenarios.values()],
        ),


rule sensitivity:
    input:
        gate,
        plan.SENSITIVITY_MATRIX,
