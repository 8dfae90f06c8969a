"""One declaration per setting: the typed classes generate the JSON schema, config/config.yaml and the key table of
config/README.md (a stale generated file fails here), and every key carries a description and a default."""

from __future__ import annotations

import json

import yaml

from secure_isac.cfmmimo import SolverOptions, SystemParams
from secure_isac.dfbs import DfbsParams
from secure_isac.pipeline.settings import generated, workflow
from secure_isac.pipeline.settings.sections import plain

from conftest import REPO


def _walk(schema, node=None, path=()):
    node = schema if node is None else node
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    yield path, node
    for key, sub in node.get("properties", {}).items():
        yield from _walk(schema, sub, (*path, key))


def test_generated_files_are_fresh():
    """Run `python -m secure_isac.pipeline.settings` after changing a class; this test says which file is stale."""
    for path, text in generated.generated_files(REPO).items():
        assert path.read_text() == text, f"{path.relative_to(REPO)} is stale: python -m secure_isac.pipeline.settings"


def test_every_key_has_a_description_and_a_default():
    schema = json.loads((REPO / "workflow" / "schemas" / "config.schema.json").read_text())
    for path, node in _walk(schema):
        if path:
            assert node.get("description"), path
            assert "default" in node or "properties" in node, path
        if "properties" in node:
            assert node.get("additionalProperties") is False, path


def test_config_yaml_holds_the_defaults_of_the_library_classes():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    assert config == workflow.defaults()
    assert config["cfmmimo"]["system"] == plain(SystemParams())
    assert config["cfmmimo"]["solver"] == plain(SolverOptions())
    assert config["dfbs"]["params"] == plain(DfbsParams())


def test_every_key_of_the_old_configs_still_validates():
    """Config keys are public: every key of config.yaml and test.yaml keeps working (here through the one route)."""
    from secure_isac.pipeline.config import validate_config

    base = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    toy = yaml.safe_load((REPO / "config" / "test.yaml").read_text())

    def merge(a, b):
        return {k: merge(a[k], v) if isinstance(v, dict) else v for k, v in {**a, **b}.items()} if isinstance(b, dict) \
            else b

    for cfg in (base, merge(base, toy), toy, {}):
        out = validate_config(cfg)
        assert out["cfmmimo"]["system"]["M"] == (cfg.get("cfmmimo", {}).get("system", {}).get("M", 32))


def test_readme_documents_every_key():
    readme = (REPO / "config" / "README.md").read_text()
    schema = generated.json_schema()
    for path, _ in _walk(schema):
        if path:
            assert f"`{'.'.join(path)}`" in readme, ".".join(path)
