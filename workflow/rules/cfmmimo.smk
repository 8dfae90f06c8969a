# Study 1 (cfmmimo): layouts -> large-scale fading -> designs (scheme x kappa x batch) -> one dataset per figure;
# sweeps: one dataset per value (Fig. 4 variables) -> a summary over the values; claims with bootstrap intervals
# (sensitivity runs). Intermediates live in results/cfmmimo/{variant}: "" for the base run's scope,
# variants/<label>/ for a scenario or sweep value that changes what the job reads (pipeline.runs.variant), so equal
# work is shared. Path templates, scopes and job configs: secure_isac.pipeline.studies.cfmmimo (CF).
CF = study("cfmmimo")


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
        CF.LAYOUTS,
    log:
        CF.LAYOUTS_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: CF.layout_config(
            job_config(CF.name, "layouts")(w), int(w.batch)
        ),
        digest=digest("cfmmimo_layouts.py", "secure_isac.pipeline.cfmmimo_scenario"),
    script:
        "../scripts/cfmmimo_layouts.py"


rule cfmmimo_channels:
    input:
        gate,
        layouts=lambda w: CF.upstream(REG, "channels", w.variant, int(w.batch)),
    output:
        CF.CHANNELS,
    log:
        CF.CHANNELS_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=lambda w: CF.channel_config(
            job_config(CF.name, "channels")(w), int(w.batch)
        ),
        digest=digest("cfmmimo_channels.py", "secure_isac.pipeline.cfmmimo_scenario"),
    script:
        "../scripts/cfmmimo_channels.py"


rule cfmmimo_optimise:
    input:
        gate,
        channels=lambda w: CF.upstream(
            REG, f"designs/{w.scheme}", w.variant, int(w.batch)
        ),
    output:
        CF.DESIGNS,
    log:
        CF.OPTIMISE_LOG,
    benchmark:
        CF.OPTIMISE_BENCHMARK
    group:
        cluster_group(
            "cfmmimo_opt",
            lambda w: CF.optimise_runtime(job_config(CF.name)(w), RUNTIME_LIMIT),
        )
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=lambda w: CF.optimise_runtime(job_config(CF.name)(w), RUNTIME_LIMIT),
        mem_mb=lambda w: CF.optimise_mem_mb(job_config(CF.name)(w), w.scheme),
    params:
        config=lambda w: CF.optimise_config(
            job_config(CF.name)(w),
            w.scheme,
            REG.value("kappa_db", w.kappa_db),
            int(w.batch),
        ),
        digest=digest("cfmmimo_optimise.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_optimise.py"


rule cfmmimo_aggregate:
    input:
        gate,
        unpack(lambda w: CF.figure_inputs(run_of(w), w.figure)),
    output:
        paths.study_template(paths.DATASET, "cfmmimo"),
    log:
        paths.study_template(paths.AGGREGATE_LOG, "cfmmimo"),
    benchmark:
        paths.study_template(paths.AGGREGATE_BENCHMARK, "cfmmimo")
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=figure_config("cfmmimo"),
        digest=digest("cfmmimo_aggregate.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_aggregate.py"


rule cfmmimo_sweep_value:
    input:
        gate,
        unpack(sweep_value_inputs("cfmmimo")),
    output:
        paths.study_template(paths.SWEEP_VALUE, "cfmmimo"),
    log:
        paths.study_template(paths.SWEEP_VALUE_LOG, "cfmmimo"),
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
        paths.study_template(paths.SWEEP, "cfmmimo"),
    log:
        paths.study_template(paths.SWEEP_LOG, "cfmmimo"),
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=sweep_summary_config("cfmmimo"),
        digest=digest("cfmmimo_sweep.py", "secure_isac.pipeline.cfmmimo_designs"),
    script:
        "../scripts/cfmmimo_sweep.py"


rule claims_intervals:
    input:
        gate,
        fig3=lambda w: CF.dataset_path(run_of(w), "fig3"),
        fig4=lambda w: CF.dataset_path(run_of(w), "fig4"),
    output:
        CF.CLAIMS_INTERVALS,
        replicates=CF.CLAIMS_REPLICATES,
    log:
        CF.CLAIMS_INTERVALS_LOG,
    benchmark:
        CF.CLAIMS_INTERVALS_BENCHMARK
    conda:
        "../envs/secure-isac.yaml"
    params:
        bootstrap=lambda w: {
            "n_boot": config["sensitivity"]["n_boot"],
            "level": config["sensitivity"]["level"],
            "seed": run_of(w).config["seed"],
        },
        digest=digest("claims_intervals.py", CF.module),
    script:
        "../scripts/claims_intervals.py"
