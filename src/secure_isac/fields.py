"""Typed, bounded fields of the parameter classes of both studies (pydantic dataclasses).

Each parameter class (cfmmimo.SystemParams, cfmmimo.SolverOptions, dfbs.DfbsParams) declares every setting once:
name, type, bounds, default and description. The same declaration validates library calls, validates the
workflow configuration (pipeline.settings nests the classes) and generates the JSON schema, config/config.yaml
and the key tables of config/README.md. Validation is strict (no text for numbers, no 3.0 for an integer),
NaN and infinities are refused unless a field allows them, and numpy scalars count as Python numbers.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator, ConfigDict, Field, Strict

__all__ = ["PARAMS_CONFIG", "NUM", "Int", "Float", "Bool", "Field", "Annotated", "ParamError", "describe",
           "error_lines", "validated"]

# the classes accept mappings (YAML sections) and keyword arguments; each field is strict (see Int, Float, Bool)
PARAMS_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, validate_default=True)


def _python_scalar(value: Any) -> Any:
    """numpy scalars (np.int64(3), np.float64(0.5)) as the Python number they hold."""
    return value.item() if isinstance(value, np.generic) else value


NUM = BeforeValidator(_python_scalar)
Int = Annotated[int, NUM, Strict()]  # no 3.0, no True, no "3"
Float = Annotated[float, NUM, Strict()]  # ints welcome, no "1e3" text
Bool = Annotated[bool, Strict()]  # no "yes", no 1


def describe(cls) -> dict[str, str]:
    """{field name: description} of a parameter class."""
    return {name: (info.description or "") for name, info in cls.__pydantic_fields__.items()}


class ParamError(ValueError):
    """Invalid argument of a parameter class; the message starts with the field name (one line per problem)."""


def error_lines(exc, prefix: str = "") -> list[str]:
    """One "dotted.key: message" line per error of a pydantic ValidationError; a cross-field check raised in a
    __post_init__ ("d0_m: must be < d1_m") is attributed to the field it names."""
    lines = []
    for err in exc.errors():
        keys = [str(p) for p in err.get("loc", ())]
        msg = err["msg"].removeprefix("Value error, ")
        named = re.match(r"^([A-Za-z_]\w*): (.*)$", msg, re.S) if err["type"] == "value_error" else None
        if named:
            keys.append(named.group(1))
            msg = named.group(2)
        elif "input" in err and err["type"] != "value_error":
            msg = f"{msg} (got {err['input']!r})"
        where = prefix
        for k in keys:
            where += f"[{k}]" if k.isdigit() else (f".{k}" if where else k)
        lines.append(f"{where}: {msg}" if where else msg)
    return lines


def validated(cls):
    """Class decorator: construction errors of a pydantic dataclass as ParamError("field: message")."""
    from pydantic import ValidationError

    init = cls.__init__

    def __init__(self, *args, **kwargs):
        try:
            init(self, *args, **kwargs)
        except ValidationError as exc:
            raise ParamError("\n".join(error_lines(exc))) from None

    __init__.__doc__ = init.__doc__
    cls.__init__ = __init__
    return cls
