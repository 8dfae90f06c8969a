# Figures and claims tables of both studies, drawn from the datasets; both claims tables as Markdown.


localrules:
    plot,
    claims,
    claims_markdown,


rule plot:
    input:
        plot_data,
    output:
        pdf="figures/{study}/{figure}.pdf",
        png=report(
            "figures/{study}/{figure}.png",
            caption="../report/figure.rst",
            category=report_category,
        ),
    log:
        "logs/{study}/plot/{figure}.log",
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
        claims_data,
    output:
        report(
            "results/{study}/claims.csv",
            caption="../report/claims.rst",
            category=report_category,
        ),
    log:
        "logs/{study}/claims.log",
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
        expand(rules.claims.output[0], study=STUDIES),
    output:
        "results/claims.md",
    log:
        "logs/claims_markdown.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        titles=[
            "Study 1 (cfmmimo, arXiv:2603.18635)",
            "Study 2 (dfbs, arXiv:2410.01603)",
        ],
        digest=digest("claims_markdown.py", "secure_isac.pipeline.claims"),
    script:
        "../scripts/claims_markdown.py"
