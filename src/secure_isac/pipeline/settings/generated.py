"""The files generated from the configuration classes: the JSON schema (workflow/schemas/config.schema.json), the
defaults file config/config.yaml and the generated parts of config/README.md (key table, guarantees, each study's
blocks). `python -m secure_isac.pipeline.settings` rewrites them (main); a test fails when one of them is stale."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from ..studies import all_studies
from .workflow import WorkflowConfig, defaults

_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _standard(node: Any) -> Any:
    """JSON-schema keywords for pydantic's raw constraint names (emitted where a validator wraps the type)."""
    if isinstance(node, dict):
        return {_BOUNDS.get(k, k): _standard(v) for k, v in node.items() if k != "title"}
    if isinstance(node, list):
        return [_standard(v) for v in node]
    return node


def json_schema() -> dict:
    """JSON schema (draft 2020-12) of the configuration, generated from WorkflowConfig."""
    schema = _standard(WorkflowConfig.model_json_schema(mode="validation"))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _fields(cls) -> dict:
    if issubclass(cls, BaseModel):
        return {k: (f.annotation, f.description or "") for k, f in cls.model_fields.items()}
    return {k: (f.annotation, f.description or "") for k, f in cls.__pydantic_fields__.items()}


def _section_class(annotation):
    if isinstance(annotation, type) and (issubclass(annotation, BaseModel)
                                         or hasattr(annotation, "__pydantic_fields__")):
        return annotation
    return None


def _type_text(schema: dict) -> str:
    if "anyOf" in schema:
        return " or ".join(_type_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type", "")
    if kind == "array":
        items = schema.get("items", {})
        inner = _type_text(items)
        return f"list of {inner}" if inner else "list"
    bounds = [f"{op} {schema[k]:g}" for k, op in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                                                  ("exclusiveMaximum", "<")) if k in schema]
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def key_rows(cls=WorkflowConfig, prefix: str = "", schema: dict | None = None, top: dict | None = None) -> list[tuple]:
    """(key, type text, default, description) of every key, depth first, from the classes and their schema."""
    top = json_schema() if top is None else top
    schema = top if schema is None else schema
    rows = []
    for name, (annotation, description) in _fields(cls).items():
        key = f"{prefix}.{name}" if prefix else name
        node = schema.get("properties", {}).get(name, {})
        if "$ref" in node:
            node = top["$defs"][node["$ref"].split("/")[-1]]
        sub = _section_class(annotation)
        if sub is not None:
            rows.append((key, "section", "", " ".join(description.split())))
            rows += key_rows(sub, key, node, top)
            continue
        entry = _mapped_section(annotation)
        if entry is not None:  # {name: section}, e.g. the sweeps: the keys of one entry under <key>.<name>
            rows.append((key, "mapping", "", " ".join(description.split())))
            ref = node.get("additionalProperties", {})
            ref = next((r for r in ref.get("anyOf", [ref]) if "$ref" in r), {})
            inner = top["$defs"][ref["$ref"].split("/")[-1]] if ref else {}
            rows += key_rows(entry, f"{key}.<key>", inner, top)
            continue
        value = node.get("default")
        rows.append((key, _type_text(node), json.dumps(value) if value is not None or "default" in node else "",
                     " ".join(description.split())))
    return rows


def _mapped_section(annotation):
    """The section class X of a dict[str, X] or dict[str, X | None] field, else None."""
    import typing

    if typing.get_origin(annotation) is not dict:
        return None
    value = typing.get_args(annotation)[1]
    options = typing.get_args(value) or (value,)
    return next((c for c in map(_section_class, options) if c is not None), None)


def key_table() -> str:
    """The Markdown key table of config/README.md."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key, kind, default, description in key_rows():
        cell = f"`{default}`" if default else ""
        lines.append(f"| `{key}` | {kind} | {cell} | {description.replace('|', '/')} |")
    return "\n".join(lines)


class _FlowLists(yaml.SafeDumper):
    pass


def _represent_list(dumper, data):
    flow = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_float(dumper, data):
    if math.isinf(data):
        text = ".inf" if data > 0 else "-.inf"
    else:
        text = repr(data)
        if "e" in text and "." not in text.split("e")[0]:  # YAML 1.1 needs a dot: 1e-06 -> 1.0e-06
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        if "e" in text and text.split("e")[1][0] not in "+-":
            text = text.replace("e", "e+")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_FlowLists.add_representer(list, _represent_list)
_FlowLists.add_representer(float, _represent_float)

CONFIG_HEADER = """\
# Paper-scale defaults, GENERATED from the typed classes (secure_isac.pipeline.settings): do not edit by hand;
# change a default in its class and run `python -m secure_isac.pipeline.settings`. Every key is documented in
# config/README.md; put your own values in a file of your own and pass it with --configfile (merged over this one).
"""


def config_yaml() -> str:
    """Text of config/config.yaml: the defaults, keys in declaration order."""
    return CONFIG_HEADER + yaml.dump(defaults(), Dumper=_FlowLists, sort_keys=False, width=120)


README_BEGIN = "<!-- key table: generated by `python -m secure_isac.pipeline.settings`, do not edit -->"
README_END = "<!-- end of the generated key table -->"

# The workflow's guarantees (issue 22), stated once here and written into config/README.md; each names the code that
# makes it true and the tests that check it.
PRINCIPLES = """\
**What the workflow guarantees** (tested in `tests/workflow/test_reliability.py` and
`tests/workflow/test_resilience.py`):

1. **A run never reports another run's numbers.** Two runs (the default run, a scenario, a sensitivity scenario, a
   sweep value) share a file only when the job that writes it would get exactly the same params from both: an
   intermediate's folder is chosen from everything its job reads (each study's `scope`, `pipeline.studies`: the job's
   params are that scope plus the file's own batch, scheme, kappa or point), top-level keys such as `seed` included; a
   sensitivity scenario reads the reference's claims of a study only when every dataset they come from has the
   reference's params and inputs (`pipeline.targets.study_fingerprint`).
2. **Nothing is lost.** A command that runs no jobs (`-n`, `--list-untracked`, `--report`, `--summary`, `--lint`,
   `--dag`, ...) changes nothing in the run directory (`--touch` only marks outputs up to date, as it is asked to,
   and moves nothing). A file leaves its place only when it is provably a
   damaged NetCDF file of this workflow (it starts with the HDF5/NetCDF signature and the NetCDF library cannot open
   it), only if the requested targets are made from it, and only in a snakemake process that executes jobs and
   holds the lock (snakemake is asked while it builds its DAG; `--nolock` and another instance's lock mean no
   move): it is moved to `.snakemake/damaged/<time>/<its path>`, named in a message, and that run rebuilds it and
   everything made from it. A file that cannot be read (permissions, a name too long, an I/O error) or holds no
   NetCDF signature is reported in one line and left alone (`pipeline.files`).
3. **Every value is checked where it enters, against its own type**, before any job, with one line naming the key
   or argument: configuration files (a key given twice in any YAML file the workflow reads is refused with both
   line numbers), `--config`, scenario and sensitivity files (names, overlays), every sweep value (with the swept
   key's own type and bounds: `.inf` only where the key allows it), `secure-isac-compare`'s arguments and files,
   and the public library API (`secure_isac.cfmmimo`, `secure_isac.dfbs`).
4. **Equal inputs give equal params.** Every value is stored in its key's own type (`2` and `2.0` of a float key
   are one value, and a sweep refuses them as a repetition), so adding a scenario or a sweep value schedules only
   its own jobs and never changes the params text of another job."""


def _block(name: str) -> tuple[str, str]:
    return (f"<!-- {name}: generated by `python -m secure_isac.pipeline.settings`, do not edit -->",
            f"<!-- end of the generated {name} -->")


def readme_blocks() -> dict:
    """{marker name: text maker} of every generated block of config/README.md: the guarantees and each study's."""
    blocks = {"principles": lambda: PRINCIPLES}
    for study in all_studies():
        blocks.update(study.readme_blocks())
    return blocks


def readme_with_table(text: str) -> str:
    """config/README.md with its generated parts replaced: the key table (between README_BEGIN and README_END) and
    every block of readme_blocks() (between its own markers, _block)."""
    start, end = text.index(README_BEGIN), text.index(README_END)
    text = text[:start] + README_BEGIN + "\n" + key_table() + "\n" + text[end:]
    for name, make in readme_blocks().items():
        begin, stop = _block(name)
        start, end = text.index(begin), text.index(stop)
        text = text[:start] + begin + "\n" + make() + "\n" + text[end:]
    return text


def generated_files(repo: Path) -> dict[Path, str]:
    """{path: expected text} of every file generated from the classes."""
    readme = repo / "config" / "README.md"
    return {
        repo / "workflow" / "schemas" / "config.schema.json": json.dumps(json_schema(), indent=1) + "\n",
        repo / "config" / "config.yaml": config_yaml(),
        readme: readme_with_table(readme.read_text()),
    }


def main() -> None:
    """Rewrite the generated files of the repository this module belongs to."""
    repo = Path(__file__).resolve().parents[4]
    for path, text in generated_files(repo).items():
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(repo)}")


if __name__ == "__main__":
    main()
