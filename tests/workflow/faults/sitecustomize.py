"""Test-only fault injection (tests/workflow/test_resilience.py), so that no workflow script carries a hook.

Put this folder on PYTHONPATH and set SECURE_ISAC_FAIL_JOB: in the study-1 optimise job (Snakemake runs the script
as a temporary file named *.cfmmimo_optimise.py) whose output path contains that text,
pipeline.cfmmimo_designs.optimise_batch raises RuntimeError before computing anything. Every other process,
Snakemake's own included, is left alone.
"""

import os
import sys

_FAIL = os.environ.get("SECURE_ISAC_FAIL_JOB", "")

if _FAIL and sys.argv and sys.argv[0].endswith("cfmmimo_optimise.py"):
    from secure_isac.pipeline import cfmmimo_designs

    _optimise_batch = cfmmimo_designs.optimise_batch

    def _failing(config, digest, channels, out, *args, **kwargs):
        if _FAIL in str(out):
            raise RuntimeError(f"fault injected by SECURE_ISAC_FAIL_JOB={_FAIL!r} into {out}")
        return _optimise_batch(config, digest, channels, out, *args, **kwargs)

    cfmmimo_designs.optimise_batch = _failing
