"""The workflow configuration as typed classes: the single declaration of every config key.

Each key is declared once, with its type, bounds, default and description: the study sections nest the library's
own parameter classes (cfmmimo.SystemParams, cfmmimo.SolverOptions, dfbs.DfbsParams), the figure and limit
sections are declared here. From these classes come the validation of every run (pipeline.config), the JSON
schema (workflow/schemas/config.schema.json), the defaults file config/config.yaml and the key tables of
config/README.md: `python -m secure_isac.pipeline.settings` rewrites the three files, and a test fails when one
of them is stale.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from ..cfmmimo.options import SolverOptions
from ..cfmmimo.params import SystemParams
from ..dfbs.params import DfbsParams
from ..fields import Annotated, Field, Float, Int

CF_SCHEMES = ("cp", "sp", "baseline", "sp_early", "cp_paper", "sp_paper")
DF_SCHEMES = ("aa", "no_aa", "random_aa", "full_digital")
CfScheme = Literal["cp", "sp", "baseline", "sp_early", "cp_paper", "sp_paper"]
CfTraced = Literal["cp", "sp", "sp_early", "cp_paper", "sp_paper"]
DfScheme = Literal["aa", "no_aa", "random_aa", "full_digital"]


def _unique(values: list) -> list:
    dup = sorted({v for v in values if values.count(v) > 1}, key=str)
    if dup:
        raise ValueError(f"duplicate values {dup} (each value once)")
    return values


def _needs(*required: str):
    def check(values: list) -> list:
        missing = [s for s in required if s not in values]
        if missing:
            raise ValueError(f"the claims table needs {missing}")
        return values

    return AfterValidator(check)


UNIQUE = AfterValidator(_unique)
ITEMS = {"min_length": 1, "json_schema_extra": {"uniqueItems": True}}
Power = Annotated[Float, Field(ge=-100, le=100)]
Kappa = Annotated[Float, Field(ge=-100, le=100)]


class Section(BaseModel):
    """A config section: unknown keys are errors (a typo stops the run at once), no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=True)


class CfFig2(Section):
    """Fig. 2, SCA convergence on one layout at the default kappa."""

    layout: Annotated[Int, Field(ge=0, le=10_000_000, description=(
        "Index of the layout shown (also the layout map)."))] = 0
    schemes: Annotated[list[CfTraced], Field(description=(
        "Schemes traced; cp and sp are drawn, sp_early marks the early-stop point."), **ITEMS), UNIQUE,
        _needs("cp", "sp")] = ["cp", "sp", "sp_early"]


class CfFig3(Section):
    """Fig. 3, per-UE average secrecy rate vs kappa on the first n_layouts layouts (same layouts at every kappa)."""

    n_layouts: Annotated[Int, Field(ge=1, le=100_000_000, description="Number of layouts per kappa point.")] = 50
    kappa_db: Annotated[list[Kappa], Field(description="Sweep of the MASR threshold kappa in dB (finite values).",
                                           **ITEMS), UNIQUE] = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0,
                                                                18.0, 20.0]
    schemes: Annotated[list[CfScheme], Field(description=(
        "Schemes shown (cp and sp required by the claims)."), **ITEMS), UNIQUE,
        _needs("cp", "sp")] = ["cp", "sp", "baseline"]


class CfFig4(Section):
    """Fig. 4, CDF over layouts of the per-UE average secrecy rate at the default kappa."""

    n_layouts: Annotated[Int, Field(ge=1, le=100_000_000, description="Number of layouts.")] = 200
    schemes: Annotated[list[CfScheme], Field(description=(
        "Schemes shown (cp, sp and baseline required by the claims)."), **ITEMS), UNIQUE,
        _needs("cp", "sp", "baseline")] = ["cp", "sp", "baseline", "sp_early", "cp_paper", "sp_paper"]


def _sweep_scalar(value: Any) -> Any:
    """A sweep value is one scalar (number, boolean or text); its type and range are those of the swept key, checked
    (and the value brought to that key's type) by pipeline.config.check_sweeps, so that `.inf` is welcome where the
    key allows it and `2` of a float key is the value 2.0."""
    if not isinstance(value, (bool, int, float, str)) and callable(getattr(value, "item", None)):
        value = value.item()  # a numpy scalar
    if isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"a sweep value is a number, a boolean or a text, got {value!r}")


SweepValue = Annotated[Any, BeforeValidator(_sweep_scalar), WithJsonSchema(
    {"anyOf": [{"type": "boolean"}, {"type": "integer"}, {"type": "number"}, {"type": "string"}]})]


class CfSweep(Section):
    """A sweep of study 1 over one key of cfmmimo.system: every value is a full set of designs on its own layouts
    (the same layout streams at every value), written as results/cfmmimo/sweeps/<key>/<label>.nc (the Fig. 4
    variables of that value) and summarised in results/cfmmimo/sweeps/<key>.nc and figures/cfmmimo/sweep_<key>."""

    values: Annotated[list[SweepValue], Field(description="Values of the swept key (each valid for the key).",
                                              **ITEMS)]  # each value once: checked in the key's type
    n_layouts: Annotated[Int, Field(ge=1, le=100_000_000, description="Layouts per value.")] = 50
    schemes: Annotated[list[CfScheme], Field(description="Schemes designed at every value.", **ITEMS),
                       UNIQUE] = ["cp", "sp", "baseline"]


class DfSweep(Section):
    """A sweep of study 2 over one scalar key of dfbs.params, or power_dbm / secrecy_target, at one (P, R-bar):
    results/dfbs/sweeps/<key>/<label>.nc per value (every design, arrays of any length), summarised in
    results/dfbs/sweeps/<key>.nc and figures/dfbs/sweep_<key>."""

    values: Annotated[list[SweepValue], Field(description="Values of the swept key (each valid for the key).",
                                              **ITEMS)]  # each value once: checked in the key's type
    power_dbm: Annotated[Power, Field(description="Total power P in dBm of every design (unless swept).")] = 20.0
    secrecy_target: Annotated[Float, Field(ge=0, le=100, description=(
        "Secrecy target R-bar in bit/s/Hz of every design (unless swept)."))] = 2.0
    schemes: Annotated[list[DfScheme], Field(description="Schemes designed at every value.", **ITEMS),
                       UNIQUE] = ["aa", "no_aa"]


def _default_cf_sweeps() -> dict:
    return {"K": CfSweep(values=[2, 4, 6, 8]), "M": CfSweep(values=[16, 32, 64])}


def _default_df_sweeps() -> dict:
    return {"n_rf": DfSweep(values=[4, 6, 8, 10, 12])}


class Cfmmimo(Section):
    """Study 1, secure cell-free massive MIMO ISAC (arXiv:2603.18635)."""

    system: Annotated[SystemParams, Field(default_factory=SystemParams, description=(
        "System parameters (secure_isac.cfmmimo.SystemParams); kappa_db is the default point."))]
    solver: Annotated[SolverOptions, Field(default_factory=SolverOptions, description=(
        "Options of the penalty-SCA optimisers (secure_isac.cfmmimo.SolverOptions)."))]
    batch_size: Annotated[Int, Field(ge=1, le=100_000, description=(
        "Layouts per optimisation job. Batch b holds layouts b*batch_size .. (b+1)*batch_size - 1; a figure using n "
        "layouts uses the first ceil(n / batch_size) batches (extra layouts of the last batch are computed but not "
        "shown). The designs do not depend on it (every layout has its own random streams); changing it reruns "
        "every design job."))] = 50
    fig2: Annotated[CfFig2, Field(default_factory=CfFig2, description=CfFig2.__doc__)]
    fig3: Annotated[CfFig3, Field(default_factory=CfFig3, description=CfFig3.__doc__)]
    fig4: Annotated[CfFig4, Field(default_factory=CfFig4, description=CfFig4.__doc__)]
    sweeps: Annotated[dict[str, CfSweep | None], Field(default_factory=_default_cf_sweeps, json_schema_extra={
        "default": {k: v.model_dump() for k, v in _default_cf_sweeps().items()}}, description=(
        "Sweeps by `snakemake sweeps`: {key of cfmmimo.system: {values, n_layouts, schemes}}; an overlay drops a "
        "sweep with `<key>: null`."))]


class DfFig2(Section):
    """Fig. 2, transmit beampatterns with and without antenna allocation at one P and one secrecy target."""

    power_dbm: Annotated[Power, Field(description="Total transmit power P in dBm.")] = 20.0
    secrecy_target: Annotated[Float, Field(ge=0, le=100, description="Secrecy-rate threshold R-bar in bit/s/Hz.")] = 2.0
    schemes: Annotated[list[DfScheme], Field(description="Schemes drawn (one panel each).", **ITEMS), UNIQUE,
                       _needs("aa", "no_aa")] = ["aa", "no_aa"]


class DfFig3(Section):
    """Fig. 3, information-signal power at the eavesdroppers versus the secrecy target R-bar, one curve per P.
    R-bar runs from secrecy_start in steps of secrecy_step while below log2(1 + N_RF P / noise) and at most
    secrecy_max; every grid point is one design job, infeasible points are recorded with feasible = 0."""

    power_dbm: Annotated[list[Power], Field(description="Total powers P in dBm, one curve each.", **ITEMS),
                         UNIQUE] = [0.0, 5.0, 10.0]
    secrecy_start: Annotated[Float, Field(ge=0, le=100, description="First secrecy target in bit/s/Hz.")] = 0.5
    secrecy_step: Annotated[Float, Field(gt=0, le=100, description=(
        "Step of the secrecy target in bit/s/Hz (the grid size is bounded by limits.max_points)."))] = 0.5
    secrecy_max: Annotated[Float, Field(gt=0, le=100, description="Largest secrecy target tried in bit/s/Hz.")] = 10.0
    schemes: Annotated[list[DfScheme], Field(description=(
        "Schemes computed (aa solid, others dashed); the claims read aa only."), **ITEMS),
                       UNIQUE, _needs("aa")] = ["aa", "no_aa"]


class DfFig4(Section):
    """Fig. 4, illumination and user powers versus the total power P at one secrecy target."""

    power_dbm: Annotated[list[Power], Field(description="Total powers P in dBm.", **ITEMS), UNIQUE] = [
        0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]
    secrecy_target: Annotated[Float, Field(ge=0, le=100, description="Secrecy-rate threshold R-bar in bit/s/Hz.")] = 2.0
    schemes: Annotated[list[DfScheme], Field(description="Schemes computed.", **ITEMS), UNIQUE,
                       _needs("aa", "no_aa")] = ["aa", "no_aa"]


class Dfbs(Section):
    """Study 2, secure dual-function base station with antenna allocation (arXiv:2410.01603)."""

    params: Annotated[DfbsParams, Field(default_factory=DfbsParams, description=(
        "Scenario and algorithm parameters (secure_isac.dfbs.DfbsParams)."))]
    fig2: Annotated[DfFig2, Field(default_factory=DfFig2, description=DfFig2.__doc__)]
    fig3: Annotated[DfFig3, Field(default_factory=DfFig3, description=DfFig3.__doc__)]
    fig4: Annotated[DfFig4, Field(default_factory=DfFig4, description=DfFig4.__doc__)]
    sweeps: Annotated[dict[str, DfSweep | None], Field(default_factory=_default_df_sweeps, json_schema_extra={
        "default": {k: v.model_dump() for k, v in _default_df_sweeps().items()}}, description=(
        "Sweeps by `snakemake sweeps`: {key of dfbs.params, or power_dbm / secrecy_target: {values, power_dbm, "
        "secrecy_target, schemes}}; an overlay drops a sweep with `<key>: null`."))]


class Scenarios(Section):
    """Named scenarios: overlays of this configuration, run side by side by `snakemake scenarios` under
    results/scenarios/<name>/ and figures/scenarios/<name>/, compared in results/scenarios/summary.{csv,md}."""

    file: Annotated[str, Field(description=(
        "YAML file of named overlays {name: {overlay}} (relative to the working directory, else to the "
        "repository)."))] = "config/scenarios.yaml"
    studies: Annotated[list[Literal["cfmmimo", "dfbs"]], Field(description=(
        "Studies whose figures (and sweeps, if an overlay defines them) every scenario builds."), **ITEMS),
        UNIQUE] = ["cfmmimo", "dfbs"]


def _default_sensitivity_overlay() -> dict:
    # only what the claims read: study 1's Fig. 3 claims compare cp and sp between the smallest and the largest
    # kappa (cfmmimo.claims.kappa_change), study 2's Fig. 3 claims read aa
    return {"cfmmimo": {"fig3": {"kappa_db": [0.0, 20.0], "schemes": ["cp", "sp"]},
                        "fig4": {"n_layouts": 100, "schemes": ["cp", "sp", "baseline"]}},
            "dfbs": {"fig3": {"schemes": ["aa"]}}}


# sections an overlay (a scenario, a sensitivity scenario, sensitivity.overlay) cannot change: they say which
# scenarios exist and how they are run, so inside an overlay they would be ignored
FIXED_SECTIONS = ("scenarios", "sensitivity")


def _overlay(value: dict) -> dict:
    for fixed in FIXED_SECTIONS:
        if fixed in value:
            raise ValueError(f"{fixed}: an overlay cannot change the {fixed} settings (set them in the configuration)")
    return value


class Sensitivity(Section):
    """The claims of both papers tested against the choices the papers leave open (`snakemake sensitivity`): every
    scenario of the file (one alternative each) plus "reference" (the default choices), each merged over this
    configuration and `overlay`, under results/sensitivity/<name>/; the claims matrix with bootstrap intervals in
    results/sensitivity/claims.{csv,md} and figures/sensitivity/claims.{pdf,png}."""

    file: Annotated[str, Field(description=(
        "YAML file of named overlays {name: {overlay}}, one alternative choice each (relative to the working "
        "directory, else to the repository)."))] = "config/sensitivity.yaml"
    overlay: Annotated[dict[str, Any], AfterValidator(_overlay), Field(default_factory=_default_sensitivity_overlay,
                                                                      json_schema_extra={
        "default": _default_sensitivity_overlay()}, description=(
        "Overlay applied under every sensitivity scenario and the reference: what the claims read, at layout "
        "counts that decide them. Study 1: the Fig. 4 claims over 100 layouts (cp, sp, baseline); the Fig. 3 claims "
        "compare cp and sp between the smallest and the largest kappa, so Fig. 3 runs those two levels (0 and 20 dB, "
        "the ends of the paper's range) over 50 layouts. Study 2: its Fig. 3 claims read AA only."))]
    n_boot: Annotated[Int, Field(ge=100, le=100_000, description=(
        "Bootstrap replicates over layouts per study-1 claims table."))] = 1000
    level: Annotated[Float, Field(gt=0.5, lt=1.0, description=(
        "Confidence level of the bootstrap intervals; a verdict needs its interval (secure_isac.verdicts."
        "interval_verdict)."))] = 0.95


class Limits(Section):
    """Upper bounds checked at parse time, before any list of jobs is built, so that a mistyped value (a step of
    1.0e-9, a billion layouts) stops at once with the key and the count instead of exhausting memory. Raise them
    deliberately for very large sweeps."""

    max_layouts: Annotated[Int, Field(ge=1, description=(
        "Layouts per figure (n_layouts, fig2.layout + 1, batch_size)."))] = 10_000
    max_points: Annotated[Int, Field(ge=1, description=(
        "Sweep points per figure (kappa values, P values, (P, R-bar) points)."))] = 1000
    max_jobs: Annotated[Int, Field(ge=1, description=(
        "Design jobs per figure (schemes x points x layout batches)."))] = 5000


class WorkflowConfig(Section):
    """Configuration of the secure-ISAC reproduction workflow. Every key has a description and a default; unknown
    keys are rejected so that a typo stops the run at once."""

    seed: Annotated[Int, Field(ge=0, description=(
        "Base seed of every random stream (secure_isac.seeds.rng(seed, layout_index, purpose))."))] = 20260318
    cfmmimo: Annotated[Cfmmimo, Field(default_factory=Cfmmimo, description=Cfmmimo.__doc__)]
    dfbs: Annotated[Dfbs, Field(default_factory=Dfbs, description=Dfbs.__doc__)]
    limits: Annotated[Limits, Field(default_factory=Limits, description=Limits.__doc__)]
    scenarios: Annotated[Scenarios, Field(default_factory=Scenarios, description=Scenarios.__doc__)]
    sensitivity: Annotated[Sensitivity, Field(default_factory=Sensitivity, description=Sensitivity.__doc__)]


# ---------------------------------------------------------------------------------------------------------------
# plain data out of the classes (the workflow hands rules plain dicts and JSON, as PyPSA-Eur does)


def plain(value: Any) -> Any:
    """Nested dicts/lists of Python scalars (tuples become lists) of a validated config or any part of it."""
    if isinstance(value, BaseModel):
        return {k: plain(getattr(value, k)) for k in type(value).model_fields}
    if hasattr(value, "__pydantic_fields__"):  # a parameter dataclass
        return {k: plain(getattr(value, k)) for k in value.__pydantic_fields__}
    if isinstance(value, dict):  # a None entry (an overlay's `<key>: null`) drops the key
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def defaults() -> dict:
    """The default configuration (the paper-scale run) as plain data."""
    return plain(WorkflowConfig())


# ---------------------------------------------------------------------------------------------------------------
# generated files

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
   intermediate's folder is chosen from everything its job reads (`pipeline.plan.scope`: the job's params are that
   scope plus the file's own batch, scheme, kappa or point), top-level keys such as `seed` included; a sensitivity
   scenario reads the reference's claims of a study only when every dataset they come from has the reference's
   params and inputs (`pipeline.plan.study_fingerprint`).
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


def solver_scopes() -> str:
    """Which study-1 schemes read each key of cfmmimo.solver (cfmmimo.options.FIELDS_READ), as Markdown: changing a
    key reruns exactly the designs of those schemes."""
    from ..cfmmimo.options import FIELDS_READ

    every = set(FIELDS_READ)
    groups: dict[frozenset, list[str]] = {}
    for key in SolverOptions.__pydantic_fields__:
        groups.setdefault(frozenset(s for s, keys in FIELDS_READ.items() if key in keys), []).append(key)

    def who(schemes: frozenset) -> str:
        if schemes == every:
            return "every scheme, the baseline included"
        if schemes == every - {"baseline"}:
            return "every scheme but the baseline"
        if not schemes:
            return "no scheme"
        return "only " + ", ".join(f"`{s}`" for s in FIELDS_READ if s in schemes)

    lines = [f"- {', '.join(f'`{k}`' for k in keys)}: {who(schemes)}"
             for schemes, keys in sorted(groups.items(), key=lambda item: (-len(item[0]), item[1]))]
    return ("A key of `cfmmimo.solver` reruns the designs of the schemes that read it "
            "(`secure_isac.cfmmimo.options.FIELDS_READ`, each design job receives only those keys) and "
            "downstream:\n\n" + "\n".join(lines))


def _block(name: str) -> tuple[str, str]:
    return (f"<!-- {name}: generated by `python -m secure_isac.pipeline.settings`, do not edit -->",
            f"<!-- end of the generated {name} -->")


README_BLOCKS = {"principles": lambda: PRINCIPLES, "solver scopes": solver_scopes}


def readme_with_table(text: str) -> str:
    """config/README.md with its generated parts replaced: the key table (between README_BEGIN and README_END) and
    every block of README_BLOCKS (between its own markers, _block)."""
    start, end = text.index(README_BEGIN), text.index(README_END)
    text = text[:start] + README_BEGIN + "\n" + key_table() + "\n" + text[end:]
    for name, make in README_BLOCKS.items():
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
    repo = Path(__file__).resolve().parents[3]
    for path, text in generated_files(repo).items():
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path.relative_to(repo)}")


if __name__ == "__main__":
    main()
