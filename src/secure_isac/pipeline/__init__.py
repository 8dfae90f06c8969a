"""The pipeline layer: the only code that knows the workflow's configuration, file paths and job granularity.

settings (typed config, generated files), config (validation at parse time), plan (jobs, their configs, paths),
labels (path labels of values), digest (code digests of rules), files (parse-time repair of damaged files),
cfmmimo_steps / dfbs_steps (the steps of each study, file in, file out), outputs (datasets, figures, claims).
Import direction: workflow scripts -> pipeline -> study packages (cfmmimo, dfbs) -> shared helpers.
"""
