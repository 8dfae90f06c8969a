# Study 1 (cfmmimo): layouts -> large-scale fading -> optimise (scheme x kappa x batch) -> aggregate -> plots.


localrules:
    cfmmimo_layouts,
    cfmmimo_channels,
    cfmmimo_fig2_data,
    cfmmimo_fig3_data,
    cfmmimo_fig4_data,
    cfmmimo_plot_fig2,
    cfmmimo_plot_fig3,
    cfmmimo_plot_fig4,
    cfmmimo_plot_layout_map,
    cfmmimo_claims_table,


rule cfmmimo_layouts:
    output:
        f"{CF_RESULTS}/layouts/batch{{batch}}.nc",
    log:
        "logs/cfmmimo/layouts/batch{batch}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=cf_layout_config,
        digest=code_digest("cfmmimo_layouts.py", "secure_isac.cfmmimo.tasks"),
    script:
        "../scripts/cfmmimo_layouts.py"


rule cfmmimo_channels:
    input:
        f"{CF_RESULTS}/layouts/batch{{batch}}.nc",
    output:
        f"{CF_RESULTS}/channels/batch{{batch}}.nc",
    log:
        "logs/cfmmimo/channels/batch{batch}.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=cf_channel_config,
        digest=code_digest("cfmmimo_channels.py", "secure_isac.cfmmimo.tasks"),
    script:
        "../scripts/cfmmimo_channels.py"


rule cfmmimo_optimise:
    input:
        f"{CF_RESULTS}/channels/batch{{batch}}.nc",
    output:
        f"{CF_RESULTS}/designs/{{scheme}}/kappa{{kappa_db}}/batch{{batch}}.nc",
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
        config=cf_optimise_config,
        digest=code_digest("cfmmimo_optimise.py", "secure_isac.cfmmimo.batch"),
    script:
        "../scripts/cfmmimo_optimise.py"


rule cfmmimo_fig4_data:
    input:
        designs=cf_fig4_designs,
        layouts=cf_scenario_files("layouts", CF["fig4"]["n_layouts"]),
        channels=cf_scenario_files("channels", CF["fig4"]["n_layouts"]),
    output:
        f"{CF_RESULTS}/fig4.nc",
    log:
        "logs/cfmmimo/aggregate/fig4.log",
    benchmark:
        "benchmarks/cfmmimo/aggregate/fig4.tsv"
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=cf_figure_config("fig4"),
        digest=code_digest("cfmmimo_aggregate.py", "secure_isac.cfmmimo.tasks"),
        figure="fig4",
    script:
        "../scripts/cfmmimo_aggregate.py"


rule cfmmimo_fig3_data:
    input:
        designs=cf_fig3_designs,
        layouts=cf_scenario_files("layouts", CF["fig3"]["n_layouts"]),
        channels=cf_scenario_files("channels", CF["fig3"]["n_layouts"]),
    output:
        f"{CF_RESULTS}/fig3.nc",
    log:
        "logs/cfmmimo/aggregate/fig3.log",
    benchmark:
        "benchmarks/cfmmimo/aggregate/fig3.tsv"
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=cf_figure_config("fig3", drop=("kappa_db",)),
        digest=code_digest("cfmmimo_aggregate.py", "secure_isac.cfmmimo.tasks"),
        figure="fig3",
    script:
        "../scripts/cfmmimo_aggregate.py"


rule cfmmimo_fig2_data:
    input:
        designs=cf_fig2_designs,
        layouts=[f"{CF_RESULTS}/layouts/batch{CF_FIG2_BATCH}.nc"],
        channels=[f"{CF_RESULTS}/channels/batch{CF_FIG2_BATCH}.nc"],
    output:
        f"{CF_RESULTS}/fig2.nc",
    log:
        "logs/cfmmimo/aggregate/fig2.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        config=cf_figure_config("fig2"),
        digest=code_digest("cfmmimo_aggregate.py", "secure_isac.cfmmimo.tasks"),
        figure="fig2",
    script:
        "../scripts/cfmmimo_aggregate.py"


rule cfmmimo_plot_fig2:
    input:
        f"{CF_RESULTS}/fig2.nc",
    output:
        pdf="figures/cfmmimo/fig2.pdf",
        png=report(
            "figures/cfmmimo/fig2.png",
            caption="../report/cfmmimo_fig2.rst",
            category="Study 1: cell-free massive MIMO ISAC",
        ),
    log:
        "logs/cfmmimo/plot/fig2.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("cfmmimo_plot.py", "secure_isac.cfmmimo.figures"),
        figure="fig2",
    script:
        "../scripts/cfmmimo_plot.py"


rule cfmmimo_plot_fig3:
    input:
        f"{CF_RESULTS}/fig3.nc",
    output:
        pdf="figures/cfmmimo/fig3.pdf",
        png=report(
            "figures/cfmmimo/fig3.png",
            caption="../report/cfmmimo_fig3.rst",
            category="Study 1: cell-free massive MIMO ISAC",
        ),
    log:
        "logs/cfmmimo/plot/fig3.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("cfmmimo_plot.py", "secure_isac.cfmmimo.figures"),
        figure="fig3",
    script:
        "../scripts/cfmmimo_plot.py"


rule cfmmimo_plot_fig4:
    input:
        f"{CF_RESULTS}/fig4.nc",
    output:
        pdf="figures/cfmmimo/fig4.pdf",
        png=report(
            "figures/cfmmimo/fig4.png",
            caption="../report/cfmmimo_fig4.rst",
            category="Study 1: cell-free massive MIMO ISAC",
        ),
    log:
        "logs/cfmmimo/plot/fig4.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("cfmmimo_plot.py", "secure_isac.cfmmimo.figures"),
        figure="fig4",
    script:
        "../scripts/cfmmimo_plot.py"


rule cfmmimo_plot_layout_map:
    input:
        f"{CF_RESULTS}/fig2.nc",
    output:
        pdf="figures/cfmmimo/layout_map.pdf",
        png=report(
            "figures/cfmmimo/layout_map.png",
            caption="../report/cfmmimo_layout_map.rst",
            category="Study 1: cell-free massive MIMO ISAC",
        ),
    log:
        "logs/cfmmimo/plot/layout_map.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("cfmmimo_plot.py", "secure_isac.cfmmimo.figures"),
        figure="layout_map",
    script:
        "../scripts/cfmmimo_plot.py"


rule cfmmimo_claims_table:
    input:
        fig3=f"{CF_RESULTS}/fig3.nc",
        fig4=f"{CF_RESULTS}/fig4.nc",
    output:
        report(
            f"{CF_RESULTS}/claims.csv",
            caption="../report/cfmmimo_claims.rst",
            category="Study 1: cell-free massive MIMO ISAC",
        ),
    log:
        "logs/cfmmimo/claims.log",
    conda:
        "../envs/secure-isac.yaml"
    params:
        digest=code_digest("cfmmimo_claims.py", "secure_isac.cfmmimo.claims"),
    script:
        "../scripts/cfmmimo_claims.py"
