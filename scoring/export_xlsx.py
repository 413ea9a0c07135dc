"""The XLSX side of exports: a formatted sheet written with xlsxwriter in constant-memory mode.

Bold frozen header with an autofilter, column widths from a sample of the values, numbers as
numbers, dates as real dates, MQL rows filled light green. Text arrives already neutralised
against formula injection (:func:`scoring.export.neutralise_arrow`) and is always written with
``write_string``, never as a formula.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import xlsxwriter

from scoring.errors import Cancelled

__all__ = ["XlsxColumn", "write_xlsx", "excel_serial", "MAX_XLSX_ROWS", "MQL_FILL", "KINDS"]

MAX_XLSX_ROWS = 1_048_576          # Excel's limit, header included
MQL_FILL = "#E2F0D9"
KINDS = ("number", "date", "datetime", "bool", "text")
_CHECK_EVERY = 1_000               # rows between cancel checks (~0.1-0.3 s of writing)
_WIDTH_SAMPLE = 300


@dataclass(frozen=True)
class XlsxColumn:
    """One column to write.

    Attributes
    ----------
    header : str
        The header cell (already neutralised).
    kind : str
        One of :data:`KINDS`. Dates and datetimes are Excel serial day numbers (floats).
    values : list
        One Python value per row: None (blank cell), a float or bool of the column's kind, or a
        str, which is written as text whatever the kind (a cell that did not fit the type).
    """

    header: str
    kind: str
    values: list


def excel_serial(values: np.ndarray) -> np.ndarray:
    """Excel day numbers (1900 date system) for naive datetime64 values; NaT becomes NaN."""
    days = (values.astype("datetime64[ns]") - np.datetime64("1899-12-30", "ns")) / np.timedelta64(1, "D")
    return np.asarray(days, float)


def _width(column: XlsxColumn) -> float:
    if column.kind == "date":
        longest = 10
    elif column.kind == "datetime":
        longest = 16
    else:
        n = len(column.values)
        picks = np.unique(np.linspace(0, n - 1, min(n, _WIDTH_SAMPLE)).astype(int)) if n else []
        longest = max([0] + [len(f"{column.values[i]:g}" if isinstance(column.values[i], float)
                                 else str(column.values[i])) for i in picks if column.values[i] is not None])
    return float(min(max(longest, len(column.header) + 3, 8) + 1, 60))   # +3: the filter button


def write_xlsx(columns: Sequence[XlsxColumn], target: str | Path, *, mql: np.ndarray,
               sheet_name: str = "Leads",
               on_progress: Callable[[float], None] | None = None,
               is_cancelled: Callable[[], bool] | None = None) -> None:
    """Write ``columns`` as one sheet of a new workbook at ``target``.

    Parameters
    ----------
    columns : sequence of XlsxColumn
        All of the same length.
    target : str or Path
        The file to create (the caller makes the write atomic).
    mql : numpy.ndarray of bool
        Which rows to fill light green.
    sheet_name : str
        The worksheet's name.
    on_progress, is_cancelled : callables, optional
        Progress (0..1) at most ~20 times a second; cancel checked every 1,000 rows.

    Raises
    ------
    Cancelled
        When ``is_cancelled()`` returns True (the partial file is the caller's to remove).
    """
    n = len(mql)
    report = on_progress or (lambda _f: None)
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "nan_inf_to_errors": True}
    with xlsxwriter.Workbook(str(target), options) as book:
        sheet = book.add_worksheet(sheet_name)
        header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        formats = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
        plain = {k: book.add_format({"num_format": f}) for k, f in formats.items()}
        green = {k: book.add_format({"num_format": f, "bg_color": MQL_FILL}) for k, f in formats.items()}
        row_fill = book.add_format({"bg_color": MQL_FILL})
        for j, column in enumerate(columns):
            sheet.set_column(j, j, _width(column), plain.get(column.kind))
            sheet.write_string(0, j, column.header, header)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(n, 1), max(len(columns) - 1, 0))
        # per column: its values, the cell writer for its kind, and its format on MQL rows
        plan = [(c.values, _writer(sheet, c.kind), green.get(c.kind)) for c in columns]
        write_string, set_row = sheet.write_string, sheet.set_row
        flags = mql.tolist()
        last = time.monotonic()
        for r in range(n):
            if r % _CHECK_EVERY == 0:
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                if time.monotonic() - last > 0.05:
                    report(r / n)
                    last = time.monotonic()
            out = r + 1
            if flags[r]:
                set_row(out, None, row_fill)          # blank cells of the row are filled too
            for j, (values, write, fill) in enumerate(plan):
                value = values[r]
                if value is None:
                    continue
                if value.__class__ is str:
                    write_string(out, j, value)
                else:
                    write(out, j, value, fill if flags[r] else None)
    report(1.0)


def _writer(sheet, kind: str):
    if kind == "bool":
        return sheet.write_boolean
    if kind == "text":
        return lambda row, col, value, fmt: sheet.write_string(row, col, str(value), fmt)
    return sheet.write_number
