# Study 2 (dfbs): reference per scheme -> one design per scheme x (P, R-bar) -> one dataset per figure; sweeps: one
# dataset per value (every scheme's design at the sweep's point) -> a summary over the values. Intermediates live
# in results/dfbs/{variant} ("" or variants/<label>/, pipeline.runs.variant), so equal work is shared. Path
# templates, scopes and job configs: secure_isac.pipeline.studies.dfbs (DF).
DF = study("dfbs")


localrules:
    dfbs_aggregate,
    dfbs_sweep_value,
    dfbs_sweep,


rule dfbs_reference:
    input:
        gate,
    output:
        DF.REFERENCES,
    log:
        DF.REFERENCE_LOG,
    benchmark:
        DF.REFERENCE_BENCHMARK
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=lambda w: DF.runtime(job_config(DF.name)(w), "reference", RUNTIME_LIMIT),
        mem_mb=lambda w: DF.mem_mb(job_config(DF.name)(w)),
    params:
        config=lambda w: DF.scheme_config(job_config(DF.name)(w), w.scheme),
        digest=digest("dfbs_reference.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_reference.py"


rule dfbs_design:
    input:
        gate,
        reference=rules.dfbs_reference.output[0],
    output:
        DF.DESIGNS,
    log:
        DF.DESIGN_LOG,
    benchmark:
        DF.DESIGN_BENCHMARK
    group:
        cluster_group(
            "dfbs_points",
            lambda w: DF.runtime(job_config(DF.name)(w), "design", RUNTIME_LIMIT),
        )
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=lambda w: DF.runtime(job_config(DF.name)(w), "design", RUNTIME_LIMIT),
        mem_mb=lambda w: DF.mem_mb(job_config(DF.name)(w)),
    params:
        config=lambda w: DF.design_config(
            job_config(DF.name)(w),
            w.scheme,
            REG.value("power_dbm", w.power_dbm),
            REG.value("secrecy_target", w.secrecy_target),
        ),
        digest=digest("dfbs_design.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_design.py"


rule dfbs_aggregate:
    input:
        gate,
        lambda w: DF.designs(run_of(w), w.figure),
    output:
        paths.study_template(paths.DATASET, "dfbs"),
    log:
        paths.study_template(paths.AGGREGATE_LOG, "dfbs"),
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=figure_config("dfbs"),
        digest=digest("dfbs_aggregate.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_aggregate.py"


rule dfbs_sweep_value:
    input:
        gate,
        unpack(sweep_value_inputs("dfbs")),
    output:
        paths.study_template(paths.SWEEP_VALUE, "dfbs"),
    log:
        paths.study_template(paths.SWEEP_VALUE_LOG, "dfbs"),
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
        paths.study_template(paths.SWEEP, "dfbs"),
    log:
        paths.study_template(paths.SWEEP_LOG, "dfbs"),
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=sweep_summary_config("dfbs"),
        digest=digest("dfbs_sweep.py", "secure_isac.pipeline.dfbs_designs"),
    script:
        "../scripts/dfbs_sweep.py"
