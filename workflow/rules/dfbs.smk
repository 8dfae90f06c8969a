# Study 2 (dfbs): reference per scheme -> one design per scheme x (P, R-bar) -> one dataset per figure.


localrules:
    dfbs_aggregate,


rule dfbs_reference:
    output:
        "results/dfbs/references/{scheme}.nc",
    log:
        "logs/dfbs/reference/{scheme}.log",
    benchmark:
        "benchmarks/dfbs/reference/{scheme}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=20,
        mem_mb=1000,
    params:
        config=lambda w: plan.df_scheme_config(config, w.scheme),
        digest=digest("dfbs_reference.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_reference.py"


rule dfbs_design:
    input:
        reference=rules.dfbs_reference.output[0],
    output:
        "results/dfbs/designs/{scheme}/p{power_dbm}_r{secrecy_target}.nc",
    log:
        "logs/dfbs/design/{scheme}/p{power_dbm}_r{secrecy_target}.log",
    benchmark:
        "benchmarks/dfbs/design/{scheme}/p{power_dbm}_r{secrecy_target}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=1000,
    params:
        config=lambda w: plan.df_design_config(
            config, w.scheme, *DF_POINTS[(w.power_dbm, w.secrecy_target)]
        ),
        digest=digest("dfbs_design.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_design.py"


rule dfbs_aggregate:
    input:
        df_figure_inputs,
    output:
        "results/dfbs/{figure}.nc",
    log:
        "logs/dfbs/aggregate/{figure}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.df_figure_config(config, w.figure),
        digest=digest("dfbs_aggregate.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_aggregate.py"
