"""secure_isac.startup: cvxpy without the scipy.stats import, and nothing else changed.

Each check runs in a fresh interpreter: whether scipy.stats is loaded depends on what the process imported before."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["secure_isac.dfbs.sdr", "secure_isac.cfmmimo.design"])
def test_study_solvers_import_cvxpy_without_scipy_stats(module):
    r = _run(f"""
import json, sys
import {module}
from secure_isac import startup
before = "cvxpy" in sys.modules
problem_class = startup.cvx.Problem  # the first attribute access imports cvxpy
import cvxpy
q = sys.modules["cvxpy.atoms.quantum_rel_entr"]
print(json.dumps({{"before": before, "stats": "scipy.stats" in sys.modules, "same": problem_class is cvxpy.Problem,
                  "names": sorted(n for n in vars(cvxpy) if not n.startswith("__") and
                                  getattr(startup.cvx, n) is not getattr(cvxpy, n)),
                  "has_entropy": hasattr(q, "entropy"), "ours": getattr(q, "entropy", None) is startup._entropy}}))
""")
    assert not r["before"], "importing the module imported cvxpy: a module-level use of cvx defeats the lazy import"
    assert r["same"] and r["names"] == [], "the lazy cvx must hand out cvxpy's own objects"
    assert not r["stats"], "scipy.stats was imported: the stand-in is not in effect"
    if r["has_entropy"]:  # a cvxpy that no longer imports it needs no stand-in
        assert r["ours"]


@pytest.mark.parametrize("module", ["secure_isac.pipeline.dfbs_designs", "secure_isac.pipeline.cfmmimo_designs",
                                    "secure_isac.pipeline.plots", "secure_isac.pipeline.claims",
                                    "secure_isac.pipeline.sensitivity"])
def test_pipeline_modules_leave_cvxpy_unimported(module):
    # jobs that solve nothing (plots, aggregates, baseline designs, study-2 designs taken from the reference) skip
    # the ~0.5 s cvxpy import and the solver probes (sdr.clarabel_opts, clarabel_fast's scipy.sparse)
    r = _run(f"""
import json, sys
import {module}
print(json.dumps({{m: m in sys.modules for m in ("cvxpy", "clarabel", "scipy.sparse")}}))
""")
    assert r == {"cvxpy": False, "clarabel": False, "scipy.sparse": False}


def test_scipy_stats_and_the_entropy_atom_work_after_the_import():
    # quantum_rel_entr's numeric value calls the stand-in's entropy: closed form for commuting (diagonal) arguments,
    # D(X||Y) = sum_i p_i ln(p_i / q_i)
    r = _run("""
import json, sys
import numpy as np
from secure_isac.startup import cvx
val = cvx.quantum_rel_entr(np.diag([0.2, 0.8]), np.diag([0.5, 0.5])).value
import scipy.stats
print(json.dumps({"val": float(val), "real": scipy.stats.entropy([0.2, 0.8]), "norm": scipy.stats.norm.cdf(0.0),
                  "module": sys.modules["scipy.stats"].__file__ is not None}))
""")
    assert r["val"] == pytest.approx(0.2 * math.log(0.4) + 0.8 * math.log(1.6), rel=1e-12)
    assert r["norm"] == 0.5 and r["module"]


def test_an_earlier_scipy_stats_import_is_left_alone():
    r = _run("""
import json, sys
import scipy.stats
real = sys.modules["scipy.stats"]
from secure_isac.startup import cvx
cvx.Problem  # imports cvxpy
print(json.dumps({"kept": sys.modules["scipy.stats"] is real,
                  "cvx_entropy_real": sys.modules["cvxpy.atoms.quantum_rel_entr"].entropy is real.entropy}))
""")
    assert r["kept"] and r["cvx_entropy_real"]


def _probe(tmp_path, name: str, init: str, call: str) -> dict:
    (tmp_path / name).mkdir()
    count = "import os\nos.environ['N_INIT'] = str(int(os.environ.get('N_INIT', '0')) + 1)\n"
    (tmp_path / name / "__init__.py").write_text(count + init)
    (tmp_path / name / "sub.py").write_text("VALUE = 1\n")
    return _run(f"""
import json, os, sys
sys.path.insert(0, {str(tmp_path)!r})
from secure_isac.startup import import_without_scipy_stats, _entropy
m = import_without_scipy_stats({name!r})
out = {{"stats_loaded": "scipy.stats" in sys.modules}}
import scipy.stats
out.update({{"real": hasattr(sys.modules["scipy.stats"], "norm"), "value": {call}, "runs": int(os.environ["N_INIT"])}})
print(json.dumps(out))
""")


def test_a_package_importing_only_entropy_leaves_scipy_stats_unloaded(tmp_path):
    r = _probe(tmp_path, "needs_entropy", "from scipy.stats import entropy\n", "float(m.entropy([0.5, 0.5]))")
    assert r == {"stats_loaded": False, "real": True, "value": pytest.approx(math.log(2.0)), "runs": 1}


def test_another_name_of_scipy_stats_is_handed_over_to_the_real_module(tmp_path):
    # e.g. an optional solver package that cvxpy probes while importing (its probe swallows import errors, so a
    # failing name would silently drop that solver): the stand-in imports the real scipy.stats for it
    r = _probe(tmp_path, "needs_norm", "from . import sub\nfrom scipy.stats import norm\n",
               "[float(m.norm.cdf(0.0)), m.norm is scipy.stats.norm, m.sub.VALUE]")
    assert r == {"stats_loaded": True, "real": True, "value": [0.5, True, 1], "runs": 1}  # no second import


def test_a_package_needing_a_submodule_of_scipy_stats_is_imported_the_plain_way(tmp_path):
    # the stand-in is no package: the import fails, the partial import is dropped and the package imported again
    r = _probe(tmp_path, "needs_sub", "from . import sub\nimport scipy.stats.contingency as contingency\n",
               "[m.contingency is scipy.stats.contingency, m.sub.VALUE]")
    assert r == {"stats_loaded": True, "real": True, "value": [True, 1], "runs": 2}  # the plain second import


def test_status_literals_match_cvxpy():
    # study 1 names cvxpy's statuses as literals so that importing it does not import cvxpy
    import cvxpy

    from secure_isac.cfmmimo import clarabel_fast, solvers

    assert solvers.OK_STATUSES == (cvxpy.OPTIMAL, cvxpy.OPTIMAL_INACCURATE)
    assert set(clarabel_fast._STATUS.values()) == {cvxpy.OPTIMAL, cvxpy.OPTIMAL_INACCURATE}
