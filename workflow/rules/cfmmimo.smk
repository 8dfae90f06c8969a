# Study 1 (cfmmimo): layouts -> large-scale fading -> designs (scheme x kappa x batch) -> one dataset per figure.


localrules:
    cfmmimo_layouts,
    cfmmimo_channels,
    cfmmimo_aggregate,


rule cfmmimo_layouts:
    output:
        "results/cfmmimo/layouts/batch{batch}.nc",
    log:
        "logs/cfmmimo/layouts/batch{batch}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.cf_layout_config(config, int(w.batch)),
        digest=digest("cfmmimo_layouts.py", "secure_isac.pipeline.cfmmimo_scenario"),
    script:
        "../scripts/cfmmimo_layouts.py"


rule cfmmimo_channels:
    input:
        layouts=rules.cfmmimo_layouts.output[0],
    output:
        "results/cfmmimo/channels/batch{batch}.nc",
    log:
        "logs/cfmmimo/channels/batch{batch}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.cf_channel_config(config, int(w.batch)),
        digest=digest("cfmmimo_channels.py", "secure_isac.pipeline.cfmmimo_scenario"),
    script:
        "../scripts/cfmmimo_channels.py"


rule cfmmimo_optimise:
    input:
        channels=rules.cfmmimo_channels.output[0],
    output:
        "results/cfmmimo/designs/{scheme}/kappa{kappa_db}/batch{batch}.nc",
    log:
        "logs/cfmmimo/optimise/{scheme}/kappa{kappa_db}/batch{batch}.log",
    benchmark:
        "benchmarks/cfmmimo/optimise/{scheme}/kappa{kappa_db}/batch{batch}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=60,
        mem_mb=2000,
    params:
        config=lambda w: plan.cf_optimise_config(
            config, w.scheme, CF_KAPPAS[w.kappa_db], int(w.batch)
        ),
        digest=digest("cfmmimo_optimise.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_optimise.py"


rule cfmmimo_aggregate:
    input:
        unpack(cf_figure_inputs),
    output:
        "results/cfmmimo/{figure}.nc",
    log:
        "logs/cfmmimo/aggregate/{figure}.log",
    benchmark:
        "benchmarks/cfmmimo/aggregate/{figure}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: plan.cf_figure_config(config, w.figure),
        digest=digest("cfmmimo_aggregate.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_aggregate.py"
