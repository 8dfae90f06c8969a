"""The config schema documents every key with a default, mirrors the library's parameter classes and
agrees with config/config.yaml and config/README.md."""

from __future__ import annotations

import dataclasses

import yaml

from conftest import REPO
from secure_isac.cfmmimo.design_types import SolverOptions
from secure_isac.cfmmimo.params import SystemParams
from secure_isac.dfbs.params import DfbsParams

SCHEMA = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
README = (REPO / "config" / "README.md").read_text()


def _walk(node, path=()):
    yield path, node
    for key, sub in node.get("properties", {}).items():
        yield from _walk(sub, (*path, key))


def _defaults(node):
    if node.get("type") == "object":
        return {k: _defaults(v) for k, v in node["properties"].items()}
    return node["default"]


def test_every_key_has_description_default_and_no_extras():
    for path, node in _walk(SCHEMA):
        assert node.get("description"), path
        assert "default" in node, path
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, path


def test_schema_mirrors_library_dataclasses():
    for section, cls in ((("cfmmimo", "system"), SystemParams), (("cfmmimo", "solver"), SolverOptions),
                         (("dfbs", "params"), DfbsParams)):
        node = SCHEMA
        for key in section:
            node = node["properties"][key]
        fields = {f.name: list(f.default) if isinstance(f.default, tuple) else f.default
                  for f in dataclasses.fields(cls) if f.name != "extra"}
        assert set(node["properties"]) == set(fields), section
        for name, default in fields.items():
            assert node["properties"][name]["default"] == default, (section, name)


def test_config_yaml_equals_schema_defaults():
    assert CONFIG == _defaults(SCHEMA)


def test_readme_documents_every_key():
    for path, _ in _walk(SCHEMA):
        if path:
            assert f"`{'.'.join(path)}`" in README, ".".join(path)
