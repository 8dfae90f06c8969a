"""What the configuration sections share: the section base class and the field helpers."""

from __future__ import annotations

from typing import Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from ...fields import Annotated


def _unique(values: list) -> list:
    dup = sorted({v for v in values if values.count(v) > 1}, key=str)
    if dup:
        raise ValueError(f"duplicate values {dup} (each value once)")
    return values


def needs(*required: str):
    """A list that must hold every one of `required` (what the claims table reads)."""

    def check(values: list) -> list:
        missing = [s for s in required if s not in values]
        if missing:
            raise ValueError(f"the claims table needs {missing}")
        return values

    return AfterValidator(check)


UNIQUE = AfterValidator(_unique)
ITEMS = {"min_length": 1, "json_schema_extra": {"uniqueItems": True}}


class Section(BaseModel):
    """A config section: unknown keys are errors (a typo stops the run at once), no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=True)


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
