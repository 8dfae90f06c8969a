# Study 1 (cfmmimo): layouts -> large-scale fading -> designs (scheme x kappa x batch) -> one dataset per figure;
# sweeps: one dataset per value (Fig. 4 variables) -> a summary over the values. Intermediates live in
# results/cfmmimo/{variant}: "" for the base run's scope, variants/<label>/ for a scenario or sweep value that
# changes what the job reads (pipeline.plan.variant), so equal work is shared.


localrules:
    cfmmimo_layouts,
    cfmmimo_channels,
    cfmmimo_aggregate,
    cfmmimo_sweep_value,
    cfmmimo_sweep,


rule cfmmimo_layouts:
    input:
        gate,
    output:
        "results/cfmmimo/{variant}layouts/batch{batch}.nc",
    log:
        "logs/cfmmimo/{variant}layouts/batch{batch}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.cf_layout_config(
            REG.cf_config("layouts", w.variant), int(w.batch)
        ),
        digest=digest("cfmmimo_layouts.py", "secure_isac.pipeline.cfmmimo_scenario"),
    script:
        "../scripts/cfmmimo_layouts.py"


rule cfmmimo_channels:
    input:
        gate,
        layouts=lambda w: REG.upstream("channels", w.variant, int(w.batch)),
    output:
        "results/cfmmimo/{variant}channels/batch{batch}.nc",
    log:
        "logs/cfmmimo/{variant}channels/batch{batch}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.cf_channel_config(
            REG.cf_config("channels", w.variant), int(w.batch)
        ),
        digest=digest("cfmmimo_channels.py", "secure_isac.pipeline.cfmmimo_scenario"),
    script:
        "../scripts/cfmmimo_channels.py"


rule cfmmimo_optimise:
    input:
        gate,
        channels=lambda w: REG.upstream("designs", w.variant, int(w.batch), w.scheme),
    output:
        "results/cfmmimo/{variant}designs/{scheme}/kappa{kappa_db}/batch{batch}.nc",
    log:
        "logs/cfmmimo/{variant}optimise/{scheme}/kappa{kappa_db}/batch{batch}.log",
    benchmark:
        "benchmarks/cfmmimo/{variant}optimise/{scheme}/kappa{kappa_db}/batch{batch}.tsv"
    group:
        cluster_group("cfmmimo_opt", cf_runtime)
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=cf_runtime,
        mem_mb=cf_mem_mb,
    params:
        config=lambda w: plan.cf_optimise_config(
            REG.cf_config("designs", w.variant, w.scheme),
            w.scheme,
            REG.kappas[w.kappa_db],
            int(w.batch),
        ),
        digest=digest("cfmmimo_optimise.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_optimise.py"


rule cfmmimo_aggregate:
    input:
        gate,
        unpack(cf_figure_inputs),
    output:
        "results/{run}cfmmimo/{figure}.nc",
    log:
        "logs/{run}cfmmimo/aggregate/{figure}.log",
    benchmark:
        "benchmarks/{run}cfmmimo/aggregate/{figure}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.cf_figure_config(run_of(w).config, w.figure),
        digest=digest("cfmmimo_aggregate.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_aggregate.py"


rule cfmmimo_sweep_value:
    input:
        gate,
        unpack(sweep_value_inputs("cfmmimo")),
    output:
        "results/{run}cfmmimo/sweeps/{key}/{label}.nc",
    log:
        "logs/{run}cfmmimo/sweeps/{key}/{label}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=sweep_value_config("cfmmimo"),
        digest=digest("cfmmimo_sweep_value.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_sweep_value.py"


rule cfmmimo_sweep:
    input:
        gate,
        sweep_inputs("cfmmimo"),
    output:
        "results/{run}cfmmimo/sweeps/{key}.nc",
    log:
        "logs/{run}cfmmimo/sweeps/{key}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.sweep_summary_config(run_of(w), "cfmmimo", w.key),
        digest=digest("cfmmimo_sweep.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_sweep.py"
