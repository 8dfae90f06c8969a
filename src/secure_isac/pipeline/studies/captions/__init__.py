"""Each study's texts in the Snakemake report: one module per study (named as the study) holding SUMMARY (its line
in the report's description) and CAPTIONS (reStructuredText per plot, "sweep" and "claims").

A caption is a str.format template over the reported run: the keys of the study's configuration section of that
run (e.g. ``{fig4[n_layouts]}``), ``{data}`` (the run's results folder of the study, results/<run><study>) and, in
"sweep", ``{key}`` (the swept key). pipeline.report fills them in. These modules are imported by name
(Study.captions) and by nothing a job runs, so no code digest hashes them: editing a caption reruns no job.
"""
