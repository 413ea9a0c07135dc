"""Reading spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) with python-calamine.

calamine is a Rust reader, an order of magnitude faster than openpyxl for reading values, and it
reads all four formats. Dates come out as dates; cells become texts for typing, except that a
column whose cells are all numbers, dates or booleans keeps them as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from scoring.errors import Cancelled, LoadError
from scoring.reading.headers import find_header_row, unique_names
from scoring.reading.numbers import NATIVE_NUMBERS_KEY
from scoring.reading.sheet_extent import MAX_CELLS, check_sheet_size, sheet_extents

__all__ = ["biggest_sheet", "SheetInfo", "list_sheets", "read_sheet", "SHEET_SUFFIXES"]

SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")     # a directory entry's name
_OLE_SCAN = 1 << 20              # the directory of a small encrypted file sits near its start
_EXACT_ROWS = 5_000


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of a workbook: its name and size (rows include the header; 0 means empty)."""

    name: str
    rows: int
    columns: int

    @property
    def cols(self) -> int:
        """The number of columns (the name ARCHITECTURE.md uses)."""
        return self.columns


def _is_encrypted_ole(path: Path) -> bool:
    """An OLE2 (compound file) container with an EncryptionInfo stream: what Excel writes for a
    password-protected workbook, whatever its name says."""
    with open(path, "rb") as handle:
        start = handle.read(_OLE_SCAN)
    return start[:8] == _OLE_MAGIC and _ENCRYPTION_INFO in start


def _open(path: Path) -> CalamineWorkbook:
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic[:8] == _OLE_MAGIC and (path.suffix.lower() != ".xls" or _is_encrypted_ole(path)):
        raise LoadError(path, "the workbook is password-protected (encrypted)",
                        "Open it in Excel, remove the password (File > Info > Protect Workbook), "
                        "save a copy and open that.")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods") and not zipfile.is_zipfile(path):
        raise LoadError(path, "the workbook is damaged or not really a spreadsheet",
                        "Open it in Excel or LibreOffice and save it again.")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise LoadError(path, "the workbook is password-protected (encrypted)",
                            "Remove the password in Excel, save a copy and open that.") from None
        raise LoadError(path, f"the workbook cannot be read ({text[:120]})",
                        "Open it in Excel or LibreOffice and save it again as .xlsx.") from None


def _rows(book: CalamineWorkbook, name: str, path: Path) -> list[list]:
    try:
        return book.get_sheet_by_name(name).to_python(skip_empty_area=True)
    except Exception as exc:  # noqa: BLE001 - calamine's error types
        raise LoadError(path, f"the sheet “{name}” cannot be read ({str(exc)[:120]})",
                        "Open the file in Excel and save it again.") from None


def list_sheets(path: str | Path) -> list[SheetInfo]:
    """The sheets of a workbook with their sizes (0 rows: empty).

    Rows count the non-blank rows, header included; for sheets of more than
    ``_EXACT_ROWS`` rows it is the sheet's used height, an estimate.
    """
    path = Path(path)
    book = _open(path)
    extents = sheet_extents(path)
    out = []
    for name in book.sheet_names:
        extent = extents.get(name)
        if extent is not None and extent.cells > MAX_CELLS:     # calamine would abort on it
            out.append(SheetInfo(name, extent.rows, extent.columns))
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            if sheet.height > _EXACT_ROWS:
                out.append(SheetInfo(name, sheet.height, sheet.width))
                continue
            rows = [r for r in sheet.to_python(skip_empty_area=True) if any(_filled(c) for c in r)]
        except Exception:  # noqa: BLE001 - an unreadable sheet is listed as empty
            rows = []
        width = max((len(r) for r in rows), default=0)
        out.append(SheetInfo(name, len(rows) if width else 0, width))
    return out


def _filled(cell) -> bool:
    return cell is not None and cell != ""


def _text(cell) -> str | None:
    if cell is None or cell == "":
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 2**53 else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ") if cell.time() != dt.time() else cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat()
    if isinstance(cell, dt.timedelta):
        return str(cell)
    return str(cell)


def _grid(rows: list[list]) -> np.ndarray:
    """The sheet's cells as a 2-D object array (rows padded with None to one width)."""
    if not rows:
        return np.empty((0, 0), dtype=object)
    try:
        grid = np.array(rows, dtype=object)
    except ValueError:          # rows of different lengths
        grid = None
    if grid is None or grid.ndim != 2:
        width = max(len(r) for r in rows)
        grid = np.empty((len(rows), width), dtype=object)
        grid[:] = [list(r) + [None] * (width - len(r)) for r in rows]
    return grid


def _texts(cells: np.ndarray) -> tuple[pa.Array, bool]:
    """One column's cells (None for empty) as texts, and whether they were all numbers;
    columns of one kind (all numbers, all dates, all texts) are converted in Arrow at once,
    mixed columns cell by cell."""
    try:
        values = pa.array(cells, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([_text(c) for c in cells], pa.string()), False
    numbers = pa.types.is_floating(values.type) or pa.types.is_integer(values.type)
    return _kind_texts(values, cells), numbers


def _kind_texts(values: pa.Array, cells: np.ndarray) -> pa.Array:
    kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values).cast(pa.string())
    if pa.types.is_null(kind):
        return pa.nulls(len(values), pa.string())
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        numbers = values.cast(pa.float64())
        whole = pc.and_(pc.equal(pc.floor(numbers), numbers), pc.less(pc.abs(numbers), 2.0 ** 53))
        as_int = pc.if_else(whole, numbers, 0.0).cast(pa.int64()).cast(pa.string())
        return pc.if_else(whole, as_int, numbers.cast(pa.string()))
    if pa.types.is_boolean(kind):
        return pc.if_else(values, "true", "false")
    if pa.types.is_timestamp(kind):
        try:
            values = values.cast(pa.timestamp("s"))      # whole seconds print without a fraction
        except pa.ArrowInvalid:
            pass
        text = pc.strftime(values, "%Y-%m-%d %H:%M:%S")
        return pc.replace_substring_regex(text, r" 00:00:00$", "")
    if pa.types.is_date(kind) and not any(isinstance(c, dt.datetime) for c in cells):
        return values.cast(pa.string())     # (Arrow would cut the time off date-times mixed in)
    return pa.array([_text(c) for c in cells], pa.string())


def biggest_sheet(sheets: list[SheetInfo]) -> str | None:
    """The name of the sheet with the most cells (rows x columns), the first of equals; None if all are empty."""
    filled = [s for s in sheets if s.rows > 0]
    return max(filled, key=lambda s: s.rows * s.columns).name if filled else None


def _biggest_first(book: CalamineWorkbook, names: list[str], extents: dict) -> list[str]:
    """``names`` ordered by the size of their grid, biggest first (stable); unreadably big ones last."""
    def size(name: str) -> tuple[bool, int]:
        extent = extents.get(name)
        if extent is not None:            # XLSX: known from the XML without loading the sheet
            return extent.cells > MAX_CELLS, -extent.cells
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception:  # noqa: BLE001 - an unreadable sheet is tried last, where it says why
            return True, 0
        return False, -(sheet.height * sheet.width)
    return sorted(names, key=size) if len(names) > 1 else names


def read_sheet(path: str | Path, sheet: str | None = None, *, on_progress=None,
               is_cancelled=None) -> tuple[pa.Table, str, list[str]]:
    """Every column of a sheet as text, the sheet's name, and warnings for the user.

    Without ``sheet``, the sheet holding the biggest table is read (a short "Read me" or notes
    sheet before the leads is passed over); sheets too big to read come last.
    """
    path = Path(path)
    book = _open(path)
    names = list(book.sheet_names)
    if not names:
        raise LoadError(path, "the workbook has no sheets")
    if sheet is not None and sheet not in names:
        raise LoadError(path, f"it has no sheet called “{sheet}” (it has: {', '.join(names)})")
    extents = sheet_extents(path)
    candidates = [sheet] if sheet is not None else _biggest_first(book, names, extents)
    for name in candidates:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        check_sheet_size(path, name, extents)
        rows = _rows(book, name, path)
        grid = _grid(rows)
        filled = ~(pd.isna(grid) | (grid == ""))
        if filled.any():
            sheet = name
            break
    else:
        raise LoadError(path, "the workbook has no data" if sheet is None else
                        f"the sheet “{sheet}” is empty", "Choose a sheet that holds the leads.")
    if on_progress is not None:
        on_progress(0.5)
    used = np.flatnonzero(filled.any(axis=1))
    rows, grid, filled = rows[:used[-1] + 1], grid[:used[-1] + 1], filled[:used[-1] + 1]
    if np.count_nonzero(filled) == 1:
        only = _text(grid[filled][0]) or ""
        raise LoadError(path, f"no table was found: the sheet “{sheet}” holds only “{only[:60]}”",
                        "Choose the sheet with the leads, or export the list again with its rows.")
    header_at = find_header_row(rows)
    # trailing columns that are empty everywhere (merged or formatted cells) are dropped
    columns_used = np.flatnonzero(filled[header_at:].any(axis=0))
    width = max(1, int(columns_used[-1]) + 1 if len(columns_used) else 1)
    # blank rows inside the table (spacers, deleted leads) are not leads
    body = grid[header_at + 1:, :width][filled[header_at + 1:].any(axis=1)]
    body[body == ""] = None
    header = unique_names([_text(c) for c in rows[header_at][:width]], width)
    columns, native = {}, []
    for j, name in enumerate(header):
        if is_cancelled is not None and j % 8 == 0 and is_cancelled():
            raise Cancelled()
        columns[name], numbers = _texts(body[:, j])
        if numbers:
            native.append(name)
    warnings = []
    if header_at:
        warnings.append(f"Skipped {header_at} row{'s' if header_at > 1 else ''} above the header row.")
    if on_progress is not None:
        on_progress(1.0)
    # columns the workbook stores as numbers: their texts ("1.125") say nothing of decimal marks
    metadata = {NATIVE_NUMBERS_KEY: json.dumps(native).encode()} if native else None
    return pa.table(columns, metadata=metadata), sheet, warnings

