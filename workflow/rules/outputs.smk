# Figures and claims tables of every run and study (the default run, each scenario and each sensitivity scenario,
# {run} = "", scenarios/<name>/ or sensitivity/<name>/), drawn from the datasets by each study's plotters and claims
# (pipeline.studies); a run's claims tables as Markdown; the scenario comparison and the sensitivity claims matrix.


localrules:
    plot,
    claims,
    claims_markdown,
    scenario_summary,
    sensitivity_matrix,
    readings_screen,
    readings,


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
        style=lambda w: run_of(w).config["plot"]["style"],
        digest=study_digest("plot.py", "plot", "secure_isac.pipeline.plots"),
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
        digest=study_digest("claims.py", "claims", "secure_isac.pipeline.claims"),
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
        style=config["plot"]["style"],
        digest=every_study_digest(
            "scenario_summary.py", "secure_isac.pipeline.scenario_summary"
        ),
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
        targets.sensitivity_extra(REG),
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
        style=config["plot"]["style"],
        digest=every_study_digest(
            "sensitivity_matrix.py", "secure_isac.pipeline.sensitivity"
        ),
    script:
        "../scripts/sensitivity_matrix.py"


# The search for paper 1's reading (sensitivity.readings_file): every combination screened at reduced layout counts
# (a checkpoint: which combinations run at full count is known only once the screen has run), the best
# readings_confirm re-run at the claims' counts with intervals and paired differences to the reference.
checkpoint readings_screen:
    input:
        gate,
        readings_screen_files,
    output:
        paths.READINGS_SCREEN,
    log:
        paths.READINGS_SCREEN_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        inputs=targets.readings_screen_inputs(REG),
        choices={n: c.choices for n, c in REG.readings.items()},
        fig3_schemes=targets.readings_fig3_schemes(REG),
        n_layouts=targets.readings_layouts(REG),
        digest=digest("readings_screen.py", "secure_isac.pipeline.readings"),
    script:
        "../scripts/readings_screen.py"


rule readings:
    input:
        gate,
        screen=paths.READINGS_SCREEN,
        full=readings_full_files,
    output:
        csv=paths.READINGS[0],
        pdf=paths.READINGS[1],
        png=paths.READINGS[2],
    log:
        paths.READINGS_LOG,
    conda:
        "../envs/secure-isac.yaml"
    params:
        full=lambda w: {n: files[0] for n, files in readings_full(w).items()},
        fig3_schemes=targets.readings_fig3_schemes(REG),
        factors=list(next(iter(REG.readings.values())).choices) if REG.readings else [],
        level=config["sensitivity"]["level"],
        digest=digest("readings.py", "secure_isac.pipeline.readings"),
    script:
        "../scripts/readings.py"
