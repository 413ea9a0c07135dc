"""Texts the window shows: status line, identifying fields of a lead, About and shortcuts."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
from PySide6.QtGui import QAction

import scoring
from app.paths import data_dir
from scoring.value_text import value_text
from widgets.cell_text import clipped

__all__ = ["status_text", "lead_fields", "about_text", "shortcuts_text"]

_IDENTITY = re.compile(r"name|e-?mail|company|organi[sz]ation|account|title|country|source", re.I)


def status_text(table, result) -> str:
    n = table.n_rows
    n_mql = int(result.n_mql)
    rate = n_mql / n * 100 if n else 0.0
    parts = [f"{n:,} leads", f"{n_mql:,} MQLs ({rate:.1f}%)"]
    blocked = int(np.count_nonzero(result.blocked))
    if blocked:
        parts.append(f"{blocked:,} blocked by a gate")
    if result.as_of != date.today():
        parts.append(f"scored as of {result.as_of:%d %b %Y}")
    seconds = getattr(table, "load_seconds", 0.0) or 0.0
    if seconds:
        parts.append(f"loaded in {seconds:.2f} s")
    return " · ".join(parts)


def lead_fields(table, row: int, limit: int = 6, id_column: str | None = None) -> list[tuple[str, str]]:
    """A few fields that identify a lead for the explanation panel: its id (``id_column``) first,
    then name, email, company...; values read as in the table ("Yes", not "True")."""
    columns = [c for c in table.frame.columns if _IDENTITY.search(str(c)) and c != id_column] \
        or [c for c in table.frame.columns if c != id_column]
    if id_column is not None and id_column in table.frame.columns:
        columns.insert(0, id_column)
    out = []
    for column in columns[:limit]:
        text = value_text(table.frame[column].iat[row])
        if text:
            out.append((str(column), clipped(text)))
    return out


def about_text() -> str:
    return (f"<h3>Leadbench {scoring.__version__}</h3>"
            "<p>Find the leads worth handing to sales: load a lead list, score it with rules you can "
            "read, export the MQLs.</p>"
            "<p>Everything stays on this computer: Leadbench makes no network connections.</p>"
            "<p>Licence: MIT.<br>Data folder: " + str(data_dir()) + "</p>")


def shortcuts_text(actions: list[QAction]) -> str:
    lines = []
    for action in actions:
        keys = action.shortcut().toString()
        if keys:
            lines.append(f"{keys:<18} {action.text().replace('&', '').rstrip('…')}")
    return "\n".join(lines)
