"""Code digests (pipeline.digest): the shallow closure of a study's facade module leaves out the library code its
methods import locally, so each generic job hashes only the code it runs (Study.job_code)."""

from pathlib import Path

import pytest

from secure_isac.pipeline.digest import code_digest, module_closure, module_file
from secure_isac.pipeline.studies import NAMES, study

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"


def _names(files):
    return {str(f.relative_to(SRC / "secure_isac")) for f in files}


@pytest.mark.parametrize("name", NAMES)
def test_shallow_closure_of_a_facade_leaves_out_its_local_imports(name):
    module = study(name).module
    full = _names(module_closure(SRC, [module]))
    shallow = _names(module_closure(SRC, [], shallow=(module,)))
    # the facade's methods import the study's figures (and so the shared style) only inside functions
    assert f"{name}/figures.py" in full and "plotting.py" in full
    assert f"{name}/figures.py" not in shallow and "plotting.py" not in shallow
    assert f"pipeline/studies/{name}.py" in shallow and "pipeline/studies/base.py" in shallow
    assert shallow < full


@pytest.mark.parametrize("name", NAMES)
def test_every_generic_job_names_library_code_that_exists(name):
    s = study(name)
    assert set(s.job_code) == {"plot", "claims"}
    for modules in s.job_code.values():
        assert modules and all(module_file(SRC, m) is not None for m in modules), modules


def test_a_module_named_in_full_overrides_shallow():
    module = study(NAMES[0]).module
    both = module_closure(SRC, [module], shallow=(module,))
    assert both == module_closure(SRC, [module])
    assert code_digest(REPO, "plot.py", module) != code_digest(REPO, "plot.py", shallow=(module,))
