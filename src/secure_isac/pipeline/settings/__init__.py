"""The workflow configuration as typed classes: the single declaration of every config key.

Each key is declared once, with its type, bounds, default and description: each study's section (<study>.py)
nests the library's own parameter classes (cfmmimo.SystemParams, cfmmimo.SolverOptions, dfbs.DfbsParams) and
declares its figures and sweeps; workflow.py assembles the whole configuration from the studies
(pipeline.studies) and declares the run-wide sections (seed, limits, scenarios, sensitivity); sections.py holds
what they share. From these classes come the validation of every run (pipeline.config), the JSON schema
(workflow/schemas/config.schema.json), the defaults file config/config.yaml and the key tables of
config/README.md: `python -m secure_isac.pipeline.settings` rewrites the three files (generated.py), and a test
fails when one of them is stale.

This package file imports nothing, so that a study's section module is imported without the other study's.
"""
