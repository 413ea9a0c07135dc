"""The XLSX side of exports: formatted sheets written with xlsxwriter in constant-memory mode.

Lead sheets: bold frozen header with an autofilter, column widths from a sample of the values,
numbers as numbers, dates as real dates, MQL rows filled light green. Table sheets (Summary,
Model): a header and rows of plain values. Text arrives already neutralised against formula
injection (:func:`scoring.handoff.export.neutralise_arrow`) and is always written with ``write_string``,
never as a formula.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import xlsxwriter

from scoring.errors import Cancelled

__all__ = ["XlsxColumn", "LeadSheet", "TableSheet", "write_workbook", "excel_serial", "sheet_names",
           "MAX_XLSX_ROWS", "MQL_FILL", "KINDS"]

MAX_XLSX_ROWS = 1_048_576          # Excel's limit, header included
MQL_FILL = "#E2F0D9"
KINDS = ("number", "date", "datetime", "bool", "text")
_CHECK_EVERY = 1_000               # rows between cancel checks (~0.1-0.3 s of writing)
_WIDTH_SAMPLE = 300
_SHEET_NAME_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})


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
    num_format : str, optional
        An Excel number format for a number column ("0.00%", '"€" #,##0.00'); None: General.
    """

    header: str
    kind: str
    values: list
    num_format: str | None = None


@dataclass(frozen=True)
class LeadSheet:
    """A sheet of leads: ``columns`` of equal length; ``mql`` marks the rows to fill green."""

    name: str
    columns: Sequence[XlsxColumn]
    mql: np.ndarray


@dataclass(frozen=True)
class TableSheet:
    """A small sheet of plain values: blocks of rows, each under its own bold header row.

    ``blocks`` holds ``(header, rows)`` pairs; a blank row separates blocks. Values are
    str, int, float, bool, date/datetime or None; a float between 0 and 1 in a column whose
    header ends in "rate" is shown as a percentage.
    """

    name: str
    blocks: Sequence[tuple[Sequence[str], Sequence[Sequence]]]


def sheet_names(labels: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Valid, unique Excel sheet names for ``labels``: at most 31 characters, none of []:*?/\\,
    not blank, not one of ``reserved``, case-insensitively unique ("West (2)")."""
    taken = {r.casefold() for r in reserved}
    out = []
    for label in labels:
        base = " ".join(str(label).translate(_SHEET_NAME_BAD).split()).strip("'") or "(blank)"
        name, n = base[:31], 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[:31 - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


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


def write_workbook(target: str | Path, sheets: Sequence[LeadSheet | TableSheet], *,
                   on_progress: Callable[[float], None] | None = None,
                   is_cancelled: Callable[[], bool] | None = None) -> None:
    """Write ``sheets``, in order, as a new workbook at ``target`` (the caller makes it atomic).

    Parameters
    ----------
    target : str or Path
    sheets : LeadSheet and TableSheet items; names must be valid and unique (see ``sheet_names``)
    on_progress, is_cancelled : callables, optional
        Progress (0..1, over all lead rows) at most ~20 times a second; cancel checked every
        1,000 rows.

    Raises
    ------
    Cancelled
        When ``is_cancelled()`` returns True (the partial file is the caller's to remove).
    """
    report = on_progress or (lambda _f: None)
    total = max(sum(len(s.mql) for s in sheets if isinstance(s, LeadSheet)), 1)
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "nan_inf_to_errors": True}
    with xlsxwriter.Workbook(str(target), options) as book:
        formats = _Formats(book)
        done = 0
        for sheet in sheets:
            if isinstance(sheet, LeadSheet):
                _write_leads(book.add_worksheet(sheet.name), sheet, formats, is_cancelled,
                             lambda r, d=done: report((d + r) / total))
                done += len(sheet.mql)
            else:
                _write_table(book.add_worksheet(sheet.name), sheet, formats)
    report(1.0)


class _Formats:
    def __init__(self, book) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        kinds = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
        self.plain = {k: book.add_format({"num_format": f}) for k, f in kinds.items()}
        self.green = {k: book.add_format({"num_format": f, "bg_color": MQL_FILL}) for k, f in kinds.items()}
        self.row_fill = book.add_format({"bg_color": MQL_FILL})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.label = book.add_format({"bold": True})
        self.when = {"date": self.plain["date"], "datetime": self.plain["datetime"]}
        self._book, self._custom = book, {}

    def of(self, column: XlsxColumn, green: bool = False):
        """The format of ``column``'s cells (on MQL rows when ``green``), or None."""
        if column.num_format is None:
            return (self.green if green else self.plain).get(column.kind)
        key = (column.num_format, green)
        if key not in self._custom:
            spec = {"num_format": column.num_format, **({"bg_color": MQL_FILL} if green else {})}
            self._custom[key] = self._book.add_format(spec)
        return self._custom[key]


def _write_leads(sheet, lead_sheet: LeadSheet, formats: _Formats, is_cancelled, report) -> None:
    columns, mql = lead_sheet.columns, lead_sheet.mql
    n = len(mql)
    for j, column in enumerate(columns):
        sheet.set_column(j, j, _width(column), formats.of(column))
        sheet.write_string(0, j, column.header, formats.header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(n, 1), max(len(columns) - 1, 0))
    # per column: its values, the cell writer for its kind, and its format on MQL rows
    plan = [(c.values, _writer(sheet, c.kind), formats.of(c, green=True)) for c in columns]
    write_string, set_row, row_fill = sheet.write_string, sheet.set_row, formats.row_fill
    flags = np.asarray(mql, bool).tolist()
    last = time.monotonic()
    for r in range(n):
        if r % _CHECK_EVERY == 0:
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            if time.monotonic() - last > 0.05:
                report(r)
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


def _write_table(sheet, table: TableSheet, formats: _Formats) -> None:
    row = 0
    widths: dict[int, int] = {}
    for header, rows in table.blocks:
        for j, text in enumerate(header):
            sheet.write_string(row, j, str(text), formats.header)
            widths[j] = max(widths.get(j, 0), len(str(text)))
        rates = {j for j, text in enumerate(header) if str(text).lower().endswith("rate")}
        row += 1
        for values in rows:
            for j, value in enumerate(values):
                widths[j] = max(widths.get(j, 0), min(len(str(value)) if value is not None else 0, 80))
                _write_value(sheet, row, j, value, formats, percent=j in rates
                             or (j == 1 and str(values[0]).lower().endswith("rate")))
            row += 1
        row += 1
    for j, width in widths.items():
        sheet.set_column(j, j, min(max(width + 2, 10), 82))


def _write_value(sheet, row: int, col: int, value, formats: _Formats, percent: bool) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        sheet.write_number(row, col, float(value), formats.percent if percent else None)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats.when["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats.when["date"])
    else:
        sheet.write_string(row, col, str(value))


def _writer(sheet, kind: str):
    if kind == "bool":
        return sheet.write_boolean
    if kind == "text":
        return lambda row, col, value, fmt: sheet.write_string(row, col, str(value), fmt)
    return sheet.write_number
