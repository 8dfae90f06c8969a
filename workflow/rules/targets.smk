# Target rules (the default target `figures` is in the Snakefile: snakemake takes it only from there).


rule cfmmimo:
    input:
        CF_TARGETS,


rule cfmmimo_fig2:
    input:
        cf_figure_files("fig2"),
        cf_intermediates("fig2"),


rule cfmmimo_fig3:
    input:
        cf_figure_files("fig3"),
        cf_intermediates("fig3"),


rule cfmmimo_fig4:
    input:
        cf_figure_files("fig4"),
        cf_intermediates("fig4"),


rule cfmmimo_layout_map:
    input:
        cf_figure_files("layout_map"),
        cf_intermediates("layout_map"),


rule cfmmimo_claims:
    input:
        f"{CF_RESULTS}/claims.csv",


rule dfbs:
    input:
        DF_TARGETS,


rule dfbs_fig2:
    input:
        df_figure_files("fig2"),
        df_intermediates("fig2"),


rule dfbs_fig3:
    input:
        df_figure_files("fig3"),
        df_intermediates("fig3"),


rule dfbs_fig4:
    input:
        df_figure_files("fig4"),
        df_intermediates("fig4"),


rule dfbs_claims:
    input:
        f"{DF_RESULTS}/claims.csv",
