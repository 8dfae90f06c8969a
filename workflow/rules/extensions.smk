# Figures drawn from several runs' datasets (Study.extension_figures): e.g. one sweep of the base run beside the same
# sweep of its scenarios, one line per run. They belong to the base run, figures/<study>/<name>.{pdf,png}; the
# target `extensions` builds every such figure this configuration makes possible (none: nothing to do).

# {(run prefix: the base run's, study, figure name): {line label: dataset}}
EXTENSIONS = targets.extension_figures(REG)


localrules:
    extension_plot,


rule extension_plot:
    input:
        gate,
        data=lambda w: list(EXTENSIONS[(w.run, w.study, w.extension)].values()),
    output:
        pdf=paths.EXTENSION_FIGURE.replace("{ext}", "pdf"),
        png=report(
            paths.EXTENSION_FIGURE.replace("{ext}", "png"),
            caption="../report/extension.rst",
            category=report_category,
        ),
    log:
        paths.EXTENSION_LOG,
    wildcard_constraints:
        extension=_one_of(name for (_, _, name) in EXTENSIONS),
    conda:
        "../envs/secure-isac.yaml"
    params:
        labels=lambda w: list(EXTENSIONS[(w.run, w.study, w.extension)]),
        style=config["plot"]["style"],
        digest=study_digest("extension_plot.py", "plot", "secure_isac.pipeline.plots"),
    script:
        "../scripts/extension_plot.py"


rule extensions:
    input:
        gate,
        graph.extension_files(REG),
