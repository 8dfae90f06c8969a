# Study 2 (dfbs): reference per scheme -> one design per scheme x (P, R-bar) -> per-figure aggregate -> plots, claims.


localrules:
    dfbs_fig2_data,
    dfbs_fig3_data,
    dfbs_fig4_data,
    dfbs_plot_fig2,
    dfbs_plot_fig3,
    dfbs_plot_fig4,
    dfbs_claims_table,


rule dfbs_reference:
    output:
        f"{DF_RESULTS}/references/{{scheme}}.nc",
    log:
        "logs/dfbs/reference/{scheme}.log",
    benchmark:
        "benchmarks/dfbs/reference/{scheme}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=20,
        mem_mb=1000,
    params:
        config=df_reference_config,
        digest=code_digest("dfbs_reference.py", "secure_isac.pipeline.dfbs_tasks"),
    script:
        "../scripts/dfbs_reference.py"


rule dfbs_design:
    input:
        reference=f"{DF_RESULTS}/references/{{scheme}}.nc",
    output:
        f"{DF_RESULTS}/designs/{{scheme}}/p{{power_dbm}}_r{{secrecy_target}}.nc",
    log:
        "logs/dfbs/design/{scheme}/p{power_dbm}_r{secrecy_target}.log",
    benchmark:
        "benchmarks/dfbs/design/{scheme}/p{power_dbm}_r{secrecy_target}.tsv"
    conda:
        "../envs/secure-isac.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=1000,
    params:
        config=df_design_config,
        digest=code_digest("dfbs_design.py", "secure_isac.pipeline.dfbs_tasks"),
    script:
        "../scripts/dfbs_design.py"


rule dfbs_fig2_data:
    input:
        df_design_files("fig2"),
    output:
        f"{DF_RESULTS}/fig2.nc",
    log:
        "logs/dfbs/aggregate/fig2.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=df_figure_config("fig2"),
        digest=code_digest("dfbs_aggregate.py", "secure_isac.pipeline.dfbs_tasks"),
        figure="fig2",
    script:
        "../scripts/dfbs_aggregate.py"


rule dfbs_plot_fig2:
    input:
        f"{DF_RESULTS}/fig2.nc",
    output:
        pdf="figures/dfbs/fig2.pdf",
        png=report(
            "figures/dfbs/fig2.png",
            caption="../report/dfbs_fig2.rst",
            category="Study 2: DFBS with antenna allocation",
        ),
    log:
        "logs/dfbs/plot/fig2.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("dfbs_plot.py", "secure_isac.pipeline.dfbs_outputs"),
        figure="fig2",
    script:
        "../scripts/dfbs_plot.py"


rule dfbs_fig3_data:
    input:
        df_design_files("fig3"),
    output:
        f"{DF_RESULTS}/fig3.nc",
    log:
        "logs/dfbs/aggregate/fig3.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=df_figure_config("fig3"),
        digest=code_digest("dfbs_aggregate.py", "secure_isac.pipeline.dfbs_tasks"),
        figure="fig3",
    script:
        "../scripts/dfbs_aggregate.py"


rule dfbs_plot_fig3:
    input:
        f"{DF_RESULTS}/fig3.nc",
    output:
        pdf="figures/dfbs/fig3.pdf",
        png=report(
            "figures/dfbs/fig3.png",
            caption="../report/dfbs_fig3.rst",
            category="Study 2: DFBS with antenna allocation",
        ),
    log:
        "logs/dfbs/plot/fig3.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("dfbs_plot.py", "secure_isac.pipeline.dfbs_outputs"),
        figure="fig3",
    script:
        "../scripts/dfbs_plot.py"


rule dfbs_fig4_data:
    input:
        df_design_files("fig4"),
    output:
        f"{DF_RESULTS}/fig4.nc",
    log:
        "logs/dfbs/aggregate/fig4.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=df_figure_config("fig4"),
        digest=code_digest("dfbs_aggregate.py", "secure_isac.pipeline.dfbs_tasks"),
        figure="fig4",
    script:
        "../scripts/dfbs_aggregate.py"


rule dfbs_plot_fig4:
    input:
        f"{DF_RESULTS}/fig4.nc",
    output:
        pdf="figures/dfbs/fig4.pdf",
        png=report(
            "figures/dfbs/fig4.png",
            caption="../report/dfbs_fig4.rst",
            category="Study 2: DFBS with antenna allocation",
        ),
    log:
        "logs/dfbs/plot/fig4.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("dfbs_plot.py", "secure_isac.pipeline.dfbs_outputs"),
        figure="fig4",
    script:
        "../scripts/dfbs_plot.py"


rule dfbs_claims_table:
    input:
        fig2=f"{DF_RESULTS}/fig2.nc",
        fig3=f"{DF_RESULTS}/fig3.nc",
        fig4=f"{DF_RESULTS}/fig4.nc",
    output:
        report(
            f"{DF_RESULTS}/claims.csv",
            caption="../report/dfbs_claims.rst",
            category="Study 2: DFBS with antenna allocation",
        ),
    log:
        "logs/dfbs/claims.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("dfbs_claims.py", "secure_isac.pipeline.dfbs_claims"),
    script:
        "../scripts/dfbs_claims.py"
