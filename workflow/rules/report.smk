# Both claims tables as Markdown, to paste into the README after a full run.


localrules:
    claims_markdown,


rule claims_markdown:
    input:
        f"{CF_RESULTS}/claims.csv",
        f"{DF_RESULTS}/claims.csv",
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
        digest=code_digest("claims_markdown.py", "secure_isac.pipeline.report"),
    script:
        "../scripts/claims_markdown.py"
