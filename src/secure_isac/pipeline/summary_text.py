"""The text of the comparison tables (the scenario summary, the sensitivity matrix, secure-isac-compare): values
to 4 significant digits and the toy runs' notes (pipeline.scale)."""

from __future__ import annotations

from collections.abc import Mapping

from . import scale


def toy_lines(toy: Mapping[str, str]) -> list[str]:
    """Bold Markdown lines "**<runs>: toy configuration (...): verdicts not meaningful**", one per distinct label of
    the toy runs."""
    runs: dict[str, list[str]] = {}
    for name, text in toy.items():
        if text:
            runs.setdefault(text, []).append(name)
    return [f"**{', '.join(names)}: {text}**\n" for text, names in runs.items()]


def toy_note(toy: Mapping[str, str]) -> str:
    """One line for a figure: which runs are toy configurations ("" if none)."""
    names = [n for n, text in toy.items() if text]
    return f"toy configuration ({', '.join(names)}): {scale.TOY_NOTE}" if names else ""


def cell(value) -> str:
    """A value in 4 significant digits, or its text (claims tables hold text evidence too)."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)
