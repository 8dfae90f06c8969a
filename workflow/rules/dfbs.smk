# Study 2 (dfbs): reference per scheme -> one design per scheme x (P, R-bar) -> one dataset per figure; sweeps: one
# dataset per value (every scheme's design at the sweep's point) -> a summary over the values. Intermediates live
# in results/dfbs/{variant} ("" or variants/<label>/, pipeline.plan.variant), so equal work is shared.


localrules:
    dfbs_aggregate,
    dfbs_sweep_value,
    dfbs_sweep,


rule dfbs_reference:
    input:
        gate,
    output:
        "results/dfbs/{variant}references/{scheme}.nc",
    log:
        "logs/dfbs/{variant}reference/{scheme}.log",
    benchmark:
        "benchmarks/dfbs/{variant}reference/{scheme}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=df_runtime("reference"),
        mem_mb=df_mem_mb,
    params:
        config=lambda w: plan.df_scheme_config(
            REG.df_variants[(w.scheme, w.variant)], w.scheme
        ),
        digest=digest("dfbs_reference.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_reference.py"


rule dfbs_design:
    input:
        gate,
        reference=rules.dfbs_reference.output[0],
    output:
        "results/dfbs/{variant}designs/{scheme}/p{power_dbm}_r{secrecy_target}.nc",
    log:
        "logs/dfbs/{variant}design/{scheme}/p{power_dbm}_r{secrecy_target}.log",
    benchmark:
        "benchmarks/dfbs/{variant}design/{scheme}/p{power_dbm}_r{secrecy_target}.tsv"
    group:
        cluster_group("dfbs_points", df_runtime("design"))
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=df_runtime("design"),
        mem_mb=df_mem_mb,
    params:
        config=lambda w: plan.df_design_config(
            REG.df_variants[(w.scheme, w.variant)],
            w.scheme,
            *REG.points[(w.power_dbm, w.secrecy_target)],
        ),
        digest=digest("dfbs_design.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_design.py"


rule dfbs_aggregate:
    input:
        gate,
        df_figure_inputs,
    output:
        "results/{run}dfbs/{figure}.nc",
    log:
        "logs/{run}dfbs/aggregate/{figure}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.df_figure_config(run_of(w).config, w.figure),
        digest=digest("dfbs_aggregate.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_aggregate.py"


rule dfbs_sweep_value:
    input:
        gate,
        unpack(sweep_value_inputs("dfbs")),
    output:
        "results/{run}dfbs/sweeps/{key}/{label}.nc",
    log:
        "logs/{run}dfbs/sweeps/{key}/{label}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=sweep_value_config("dfbs"),
        digest=digest("dfbs_sweep_value.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_sweep_value.py"


rule dfbs_sweep:
    input:
        gate,
        sweep_inputs("dfbs"),
    output:
        "results/{run}dfbs/sweeps/{key}.nc",
    log:
        "logs/{run}dfbs/sweeps/{key}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.sweep_summary_config(run_of(w), "dfbs", w.key),
        digest=digest("dfbs_sweep.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_sweep.py"
