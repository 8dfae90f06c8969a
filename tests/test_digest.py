"""Code digests (pipeline.digest): the shallow closure of a study's facade module leaves out the library code its
methods import locally, so each generic job hashes only the code it runs (Study.job_code)."""

import re
from pathlib import Path

import pytest

from secure_isac.pipeline.digest import code_digest, imported_modules, module_closure, module_file
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


@pytest.mark.parametrize("name", NAMES)
def test_a_facades_delegates_enter_only_its_full_closure(name):
    """The sibling modules a facade imports inside the methods that delegate to them (its checks, cluster requests
    and job-side outputs) are in its full closure (the scenario and sensitivity jobs, which run the outputs, hash
    them) and not in its shallow one (the plot and claims jobs do not run them)."""
    module = study(name).module
    full = _names(module_closure(SRC, [module]))
    shallow = _names(module_closure(SRC, [], shallow=(module,)))
    for part in ("checks", "cluster", "outputs"):
        sibling = f"pipeline/studies/{name}_{part}.py"
        assert sibling in full and sibling not in shallow, sibling


DIGEST_CALL = re.compile(r"\b(?:every_study_digest|study_digest|digest)\(\s*\"(?P<script>[\w.]+\.py)\",\s*"
                         r"(?:\"(?:plot|claims)\",\s*)?(?P<modules>(?:\"[\w.]+\",?\s*)+)\)")


def _digest_calls():
    text = "\n".join(p.read_text() for p in sorted((REPO / "workflow" / "rules").glob("*.smk")))
    return [(m["script"], re.findall(r"\"([\w.]+)\"", m["modules"])) for m in DIGEST_CALL.finditer(text)]


def test_digest_calls_are_all_found():
    calls = dict(_digest_calls())
    assert len(calls) >= 15 and calls["scenario_summary.py"] == ["secure_isac.pipeline.scenario_summary"]


@pytest.mark.parametrize("script, modules", _digest_calls(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_rules_digest_covers_the_library_code_its_script_imports(script, modules):
    """Every package module a rule's script imports is in the closure its digest hashes (a module split must move
    the rule's digest with the code: editing the code the script runs reruns the rule)."""
    path = REPO / "workflow" / "scripts" / script
    imported = {m for m in imported_modules("script", path) if module_file(SRC, m) and m.count(".") > 1}
    covered = _names(module_closure(SRC, modules))
    for name in imported:
        assert str(module_file(SRC, name).relative_to(SRC / "secure_isac")) in covered, (script, name, modules)


def test_the_comparison_jobs_hash_what_they_run_and_not_the_compare_command():
    """The scenario summary and the sensitivity matrix hash the run reading, table text and verdict matrix they run,
    not secure-isac-compare's command and formats (editing those reruns no job)."""
    summary = _names(module_closure(SRC, ["secure_isac.pipeline.scenario_summary"]))
    sensitivity = _names(module_closure(SRC, ["secure_isac.pipeline.sensitivity"]))
    assert {"pipeline/run_results.py", "pipeline/summary_text.py", "pipeline/verdict_matrix.py",
            "pipeline/markdown.py"} <= summary
    assert {"pipeline/summary_text.py", "pipeline/verdict_matrix.py"} <= sensitivity
    for closure in (summary, sensitivity):
        assert not closure & {"pipeline/compare.py", "pipeline/compare_formats.py", "pipeline/run_differences.py"}
