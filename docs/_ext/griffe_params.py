"""Griffe extension of the docs site (mkdocs.yml): the fields of the parameter classes as a numpydoc Parameters
section.

SystemParams, SolverOptions and DfbsParams (pydantic dataclasses, secure_isac.fields) declare every field once
with its type, bounds, default and description (with units); the same declaration validates the library calls and
generates config/README.md. This extension renders that declaration in the API reference, so the docs cannot drift
from the code: for every class whose runtime object has pydantic fields it appends one numpydoc entry per field
(`name : type, default value` + description + bounds) to the class docstring and drops the field attributes from
the class members (their static annotations are the raw `Annotated[...]` declarations).
"""

from __future__ import annotations

import typing
from typing import Any

import griffe
from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic_core import PydanticUndefined

_BOUND = {Ge: ("ge", ">="), Gt: ("gt", ">"), Le: ("le", "<="), Lt: ("lt", "<")}


def type_name(tp: Any) -> str:
    """numpydoc type of a field annotation: int, float, bool, str (a Literal: its values go to the description),
    int or None, tuple[float, ...]"""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Literal:  # the values are listed in the description (choices)
        return " or ".join(sorted({type(a).__name__ for a in args}))
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join("None" if a is type(None) else type_name(a) for a in args)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is not None:
        inner = ", ".join("..." if a is Ellipsis else type_name(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return getattr(tp, "__name__", str(tp).replace("typing.", ""))


def _num(value) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def bounds(name: str, metadata: list) -> str:
    """The field's bounds, e.g. "2 <= M <= 4096" ("" if none)."""
    lower = upper = ""
    sizes = []
    for m in metadata:
        for kind, (attr, op) in _BOUND.items():
            if isinstance(m, kind):
                value = getattr(m, attr)
                if attr in ("ge", "gt"):
                    lower = f"{_num(value)} {'<=' if op == '>=' else '<'} "
                else:
                    upper = f" {op} {_num(value)}"
        if isinstance(m, MinLen):
            sizes.append(f"at least {m.min_length}")
        if isinstance(m, MaxLen):
            sizes.append(f"at most {m.max_length}")
    text = f"{lower}{name}{upper}" if lower or upper else ""
    if sizes:
        text = (text + "; " if text else "") + " and ".join(sizes) + " entries"
    return text


def choices_of(tp: Any) -> str:
    """The values of a Literal field ("'a', 'b'"; "" for other types)."""
    args = typing.get_args(tp)
    return ", ".join(repr(a) for a in args) if typing.get_origin(tp) is typing.Literal else ""


def parameters_section(cls: type) -> str:
    """numpydoc Parameters section of a pydantic dataclass, from its field declarations."""
    lines = ["Parameters", "----------"]
    for name, info in cls.__pydantic_fields__.items():
        default = "" if info.default is PydanticUndefined else f", default {info.default!r}"
        lines.append(f"{name} : {type_name(info.annotation)}{default}")
        text = (info.description or "").strip()
        bound = bounds(name, info.metadata)
        if bound:
            text += f" Bounds: {bound}."
        choices = choices_of(info.annotation)
        if choices:
            text += f" One of {choices}."
        lines.append(f"    {text}")
    return "\n".join(lines)


class ParameterFields(griffe.Extension):
    """Append the field declarations of every pydantic dataclass to its docstring (see the module docstring)."""

    def on_class_members(self, *, node, cls: griffe.Class, agent, **kwargs: Any) -> None:
        if isinstance(node, griffe.ObjectNode):  # only the static visit: the dynamic one has no source
            return
        try:
            runtime = griffe.dynamic_import(cls.path)
        except ImportError:
            return
        fields = getattr(runtime, "__pydantic_fields__", None)
        if not fields:
            return
        text = cls.docstring.value if cls.docstring else ""
        head, raises, tail = text.partition("\nRaises\n------")  # numpydoc order: Parameters before Raises
        text = f"{head.rstrip()}\n\n{parameters_section(runtime)}\n" + (f"\nRaises\n------{tail}" if raises else "")
        if cls.docstring:  # keep the docstring's parser (numpy) and options: only its text grows
            cls.docstring.value = text
        else:
            cls.docstring = griffe.Docstring(text, parent=cls)
        for name in fields:
            if name in cls.members:
                cls.del_member(name)
        # the constructor pydantic generates (keyword arguments = the fields), so that the signature shows them
        params = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
        params += [griffe.Parameter(name, annotation=type_name(info.annotation),
                                    kind=griffe.ParameterKind.positional_or_keyword,
                                    default=None if info.default is PydanticUndefined else repr(info.default))
                   for name, info in fields.items()]
        cls.set_member("__init__", griffe.Function("__init__", parameters=griffe.Parameters(*params), returns="None"))
