# Figures and claims tables of every run and study (the default run, each scenario and each sensitivity scenario,
# {run} = "", scenarios/<name>/ or sensitivity/<name>/), drawn from the datasets by each study's plotters and claims
# (pipeline.studies); a run's claims tables as Markdown; the scenario comparison and the sensitivity claims matrix.


localrules:
    plot,
    claims,
    claims_markdown,
    scenario_summary,
    sensitivity_matrix,


rule plot:
    input:
        gate,
        plot_data,
    output:
        pdf=paths.FIGURE.replace("{ext}", "pdf"),
        png=report(
            paths.FIGURE.replace("{ext}", "png"),
            caption="../report/figure.rst",
            category=report_category,
            subcategory=report_subcategory,
        ),
    log:
        paths.PLOT_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        toy=run_toy_label,  # the report's caption says so
        digest=study_digest("plot.py", "secure_isac.pipeline.plots"),
    script:
        "../scripts/plot.py"


rule claims:
    input:
        gate,
        claims_data,
    output:
        report(
            paths.CLAIMS,
            caption="../report/claims.rst",
            category=report_category,
            subcategory=report_subcategory,
        ),
    log:
        paths.CLAIMS_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        toy=study_toy_label,
        digest=study_digest("claims.py", "secure_isac.pipeline.claims"),
    script:
        "../scripts/claims.py"


rule claims_markdown:
    input:
        gate,
        claims_tables,
    output:
        paths.CLAIMS_MD,
    log:
        paths.CLAIMS_MD_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        titles=lambda w: [study(s).claims_title for s in REG.studies(w.run)],
        digest=digest("claims_markdown.py", "secure_isac.pipeline.claims"),
    script:
        "../scripts/claims_markdown.py"


rule scenario_summary:
    input:
        gate,
        targets.summary_inputs(REG),
    output:
        csv=report(
            paths.SCENARIO_SUMMARY[0],
            caption="../report/scenario_summary.rst",
            category="Scenarios",
            subcategory="Comparison",
        ),
        md=paths.SCENARIO_SUMMARY[1],
        pdf=paths.SCENARIO_SUMMARY[2],
        png=report(
            paths.SCENARIO_SUMMARY[3],
            caption="../report/scenario_summary.rst",
            category="Scenarios",
            subcategory="Comparison",
        ),
    log:
        paths.SCENARIO_SUMMARY_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        roots=targets.summary_roots(REG),
        studies=list(REG.scenario_studies),
        toy={
            name: toy_label(prefix, REG.scenario_studies)
            for name, prefix in targets.summary_prefixes(REG).items()
        },
        digest=every_study_digest("scenario_summary.py", "secure_isac.pipeline.compare"),
    script:
        "../scripts/scenario_summary.py"


rule sensitivity_matrix:
    input:
        gate,
        list(
            dict.fromkeys(
                f for files in targets.sensitivity_inputs(REG).values() for f in files
            )
        ),
    output:
        csv=report(
            paths.SENSITIVITY_MATRIX[0],
            caption="../report/sensitivity.rst",
            category="Sensitivity",
            subcategory="Claims matrix",
        ),
        md=paths.SENSITIVITY_MATRIX[1],
        pdf=paths.SENSITIVITY_MATRIX[2],
        png=report(
            paths.SENSITIVITY_MATRIX[3],
            caption="../report/sensitivity.rst",
            category="Sensitivity",
            subcategory="Claims matrix",
        ),
    log:
        paths.SENSITIVITY_MATRIX_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        inputs=targets.sensitivity_inputs(REG),
        level=config["sensitivity"]["level"],
        toy={name: toy_label(r.prefix) for name, r in REG.sensitivity.items()},
        digest=every_study_digest(
            "sensitivity_matrix.py", "secure_isac.pipeline.sensitivity"
        ),
    script:
        "../scripts/sensitivity_matrix.py"
