"""Choosing how a date column is read: the format dialog around one column's original cells.

Retyping a column to a date or date-time (or pressing "Format…" in the Columns panel) opens
``widgets.format_dialog.FormatDialog`` with the common date forms; each choice is previewed on
the column's first ``PREVIEW_CELLS`` filled cells as loaded (before any retyping). The chosen
format goes into the model's column settings (``ColumnSettings.format``), so it is undoable,
saved with the model and used by the command line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from PySide6.QtWidgets import QDialog, QWidget

from scoring.column_types import ColumnType
from scoring.reading import LeadTable
from scoring.reading.converting import missing_mask, missing_set
from scoring.reading.dates import COMMON_FORMATS, DateFormatError, preview_dates
from widgets.format_dialog import FormatDialog, FormatPreview

__all__ = ["choose_date_format", "date_preview", "DATE_PATTERN_HELP", "PREVIEW_CELLS"]

PREVIEW_CELLS = 100_000
DATE_PATTERN_HELP = ("YYYY year, YY two-digit year, MM or M month, MMM Jan, MMMM January, DD or D day, "
                     "HH hour (0–23), hh hour (1–12) with AM, mm minutes, ss seconds, SSS fraction, "
                     "Z offset (Z, +0000, +00:00, or EST, CET…). A pattern without a time still finds times.")


def _cells(table: LeadTable, column: str) -> tuple[pa.Array, np.ndarray, bool]:
    """The column's original texts (at most ``PREVIEW_CELLS`` rows), which are missing, and
    whether the column was cut."""
    cells = table.cells.column(column)
    partial = len(cells) > PREVIEW_CELLS
    if partial:
        cells = cells.slice(0, PREVIEW_CELLS)
    cells = cells.combine_chunks() if isinstance(cells, pa.ChunkedArray) else cells
    if pa.types.is_dictionary(cells.type):
        cells = cells.cast(pa.string())
    return cells, missing_mask(cells, missing_set(table.missing_values)), partial


def _shown(value: pd.Timestamp, with_time: bool) -> str:
    if not with_time:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d %H:%M:%S" if value.second or value.microsecond else "%Y-%m-%d %H:%M")


def date_preview(table: LeadTable, column: str, choice: str | None) -> FormatPreview:
    """How ``column`` of ``table`` reads as dates with ``choice`` (None: automatic)."""
    cells, missing, partial = _cells(table, column)
    try:
        p = preview_dates(cells, missing, choice or None)
    except DateFormatError as exc:
        return FormatPreview(error=f"This pattern cannot be used: {exc}.")
    rows = tuple((text, None if value is None else _shown(value, p.has_time)) for text, value in p.rows)
    message = "; ".join(m for m in (f"Read as {p.pattern}" if p.pattern else "", p.note) if m)
    return FormatPreview(rows, p.filled, p.bad, p.bad_examples, message, partial=partial)


def choose_date_format(parent: QWidget, table: LeadTable, column: str, ctype: ColumnType,
                       current: str | None) -> tuple[bool, str | None]:
    """Ask how ``column``'s dates are written. Returns (accepted, format or None for automatic)."""
    word = "dates and times" if ctype == ColumnType.DATETIME else "dates"
    dialog = FormatDialog(f"Read “{column}” as {word}", "How are the dates written?",
                          COMMON_FORMATS, pattern_help=DATE_PATTERN_HELP, what="dates",
                          current=current, parent=parent)
    dialog.previewRequested.connect(lambda choice: dialog.set_preview(date_preview(table, column, choice)))
    dialog.set_preview(date_preview(table, column, dialog.choice()))
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    choice = dialog.choice()
    dialog.deleteLater()
    return accepted, choice
