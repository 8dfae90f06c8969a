"""Workflow steps of study 2 (file in, file out) used by the Snakemake scripts; study 1's are in cfmmimo.tasks."""
