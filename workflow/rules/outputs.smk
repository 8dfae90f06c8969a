# Figures and claims tables of every run (the default run, each scenario and each sensitivity scenario, {run} = "",
# scenarios/<name>/ or sensitivity/<name>/), drawn from the datasets; a run's claims tables as Markdown; the
# scenario comparison; the study-1 claims with bootstrap intervals and the sensitivity claims matrix.


localrules:
    plot,
    claims,
    claims_markdown,
    scenario_summary,
    claims_intervals,
    sensitivity_matrix,


rule plot:
    input:
        gate,
        plot_data,
    output:
        pdf="figures/{run}{study}/{figure}.pdf",
        png=report(
            "figures/{run}{study}/{figure}.png",
            caption="../report/figure.rst",
            category=report_category,
        ),
    log:
        "logs/{run}{study}/plot/{figure}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=lambda w: digest(
            "plot.py", "secure_isac.pipeline.plots", f"secure_isac.{w.study}.figures"
        ),
    script:
        "../scripts/plot.py"


rule claims:
    input:
        gate,
        claims_data,
    output:
        report(
            "results/{run}{study}/claims.csv",
            caption="../report/claims.rst",
            category=report_category,
        ),
    log:
        "logs/{run}{study}/claims.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=lambda w: digest(
            "claims.py", "secure_isac.pipeline.claims", f"secure_isac.{w.study}.claims"
        ),
    script:
        "../scripts/claims.py"


rule claims_markdown:
    input:
        gate,
        claims_tables,
    output:
        "results/{run}claims.md",
    log:
        "logs/{run}claims_markdown.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        titles=lambda w: [
            {
                "cfmmimo": "Study 1 (cfmmimo, arXiv:2603.18635)",
                "dfbs": "Study 2 (dfbs, arXiv:2410.01603)",
            }[s]
            for s in REG.studies(w.run)
        ],
        digest=digest("claims_markdown.py", "secure_isac.pipeline.claims"),
    script:
        "../scripts/claims_markdown.py"


rule scenario_summary:
    input:
        gate,
        plan.summary_inputs(REG),
    output:
        csv=plan.SCENARIO_SUMMARY[0],
        md=plan.SCENARIO_SUMMARY[1],
        pdf=plan.SCENARIO_SUMMARY[2],
        png=plan.SCENARIO_SUMMARY[3],
    log:
        "logs/scenarios/summary.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        roots=plan.summary_roots(REG),
        studies=list(REG.scenario_studies),
        digest=digest("scenario_summary.py", "secure_isac.pipeline.compare"),
    script:
        "../scripts/scenario_summary.py"


rule claims_intervals:
    input:
        gate,
        fig3="results/{run}cfmmimo/fig3.nc",
        fig4="results/{run}cfmmimo/fig4.nc",
    output:
        "results/{run}cfmmimo/claims_intervals.csv",
    log:
        "logs/{run}cfmmimo/claims_intervals.log",
    benchmark:
        "benchmarks/{run}cfmmimo/claims_intervals.tsv"
    conda:
        "../envs/secure-isac.yaml"
    params:
        bootstrap=lambda w: {
            "n_boot": config["sensitivity"]["n_boot"],
            "level": config["sensitivity"]["level"],
            "seed": run_of(w).config["seed"],
        },
        digest=digest("claims_intervals.py", "secure_isac.pipeline.sensitivity"),
    script:
        "../scripts/claims_intervals.py"


rule sensitivity_matrix:
    input:
        gate,
        list(
            dict.fromkeys(
                f for files in plan.sensitivity_inputs(REG).values() for f in files
            )
        ),
    output:
        csv=plan.SENSITIVITY_MATRIX[0],
        md=plan.SENSITIVITY_MATRIX[1],
        pdf=plan.SENSITIVITY_MATRIX[2],
        png=plan.SENSITIVITY_MATRIX[3],
    log:
        "logs/sensitivity/claims.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        inputs=plan.sensitivity_inputs(REG),
        level=config["sensitivity"]["level"],
        digest=digest("sensitivity_matrix.py", "secure_isac.pipeline.sensitivity"),
    script:
        "../scripts/sensitivity_matrix.py"
