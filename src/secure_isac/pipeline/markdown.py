"""The one Markdown table writer of every table the workflow writes (claims.md, the scenario summary, the
sensitivity matrix, secure-isac-compare --format md): pandas' DataFrame.to_markdown (tabulate), GitHub pipe
tables, every cell text as given (no number parsing), a `|` in a cell escaped and line breaks folded so that a
cell such as "max |difference|" cannot split its row."""

from __future__ import annotations

import pandas as pd


def cell_text(value, missing: str = "") -> str:
    """A cell as Markdown text: `|` escaped (GitHub renders \\| as |), line breaks as spaces, NaN/None `missing`."""
    if value is None or (isinstance(value, float) and value != value):
        return missing
    return " ".join(str(value).replace("|", "\\|").split())


def table(frame: pd.DataFrame, missing: str = "") -> str:
    """GitHub-flavoured Markdown of `frame` (its columns as the header, without the index; NaN cells `missing`)."""
    cells = frame.astype(object).map(lambda v: cell_text(v, missing))
    cells.columns = [cell_text(c) for c in frame.columns]
    return cells.to_markdown(index=False, tablefmt="github", disable_numparse=True)
