"""The pipeline layer: the only code that knows the workflow's configuration, file paths and job granularity.

Generic over the studies (no module here branches on a study's name; tests/test_architecture.py):
  studies/    one module per study behind the `Study` protocol (base.py): figures, keys, path templates, job configs,
              dataset builders, claims, plotters, headline numbers, sweep behaviour; its files, checks, cluster
              requests and job-side outputs in sibling modules <study>_{files,checks,cluster,outputs}
  settings/   the typed configuration (sections.py, one module per study, workflow.py) and the files generated from
              it (generated.py; `python -m secure_isac.pipeline.settings`)
  config      validation of a configuration, scenario or sensitivity file at parse time (config_files: the YAML
              reader refusing repeated keys; readings_search: the readings file's factorial of sensitivity runs)
  runs, registry, sweeps, targets, cluster, paths, labels, errors
              the plan: runs and their variant folders, the registry the rules look up, sweep values, the files of
              each target, cluster requests, path templates (declared once), value labels, the config error
  digest      code digests of each job (a study's jobs hash only that study's code)
  files       the run directory's state: damaged intermediates of the requested targets
  claims, plots, scenario_summary, sensitivity
              the generic output steps (file in, file out), each asking the study for its part (summary_text: the
              tables' cell text and toy notes; verdict_matrix: the claims matrix figure)
  compare     secure-isac-compare: run_results (a run read back), run_differences, compare_formats
  cfmmimo_scenario, cfmmimo_designs, dfbs_designs, dfbs_reference
              the steps of each study (file in, file out) its workflow scripts call
Import direction: workflow scripts -> pipeline -> study packages (cfmmimo, dfbs) -> shared helpers.
"""
