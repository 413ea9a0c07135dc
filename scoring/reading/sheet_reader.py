"""Reading spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) with python-calamine.

calamine is a Rust reader, an order of magnitude faster than openpyxl for reading values, and it
reads all four formats. Dates come out as dates; cells become texts for typing, except that a
column whose cells are all numbers, dates or booleans keeps them as they are.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineWorkbook

from scoring.errors import Cancelled, LoadError
from scoring.reading.headers import find_header_row, unique_names

__all__ = ["SheetInfo", "list_sheets", "read_sheet", "SHEET_SUFFIXES"]

SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXACT_ROWS = 5_000


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of a workbook: its name and size (rows include the header; 0 means empty)."""

    name: str
    rows: int
    columns: int


def _open(path: Path) -> CalamineWorkbook:
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods") and magic[:8] == _OLE_MAGIC:
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
    out = []
    for name in book.sheet_names:
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


def read_sheet(path: str | Path, sheet: str | None = None, *, on_progress=None,
               is_cancelled=None) -> tuple[pa.Table, str, list[str]]:
    """Every column of a sheet as text, the sheet's name, and warnings for the user.

    Without ``sheet``, the first sheet with data is read.
    """
    path = Path(path)
    book = _open(path)
    names = list(book.sheet_names)
    if not names:
        raise LoadError(path, "the workbook has no sheets")
    if sheet is not None and sheet not in names:
        raise LoadError(path, f"it has no sheet called “{sheet}” (it has: {', '.join(names)})")
    candidates = [sheet] if sheet is not None else names
    rows: list[list] = []
    for name in candidates:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        rows = [r for r in _rows(book, name, path)]
        if any(any(_filled(c) for c in r) for r in rows):
            sheet = name
            break
    else:
        raise LoadError(path, "the workbook has no data" if sheet is None else
                        f"the sheet “{sheet}” is empty", "Choose a sheet that holds the leads.")
    if on_progress is not None:
        on_progress(0.5)
    while rows and not any(_filled(c) for c in rows[-1]):
        rows.pop()
    header_at = find_header_row(rows)
    # blank rows inside the table (spacers, deleted leads) are not leads
    body = [r for r in rows[header_at + 1:] if any(_filled(c) for c in r)]
    width = max((len(r) for r in rows[header_at:]), default=0)
    # trailing columns that are empty everywhere (merged or formatted cells) are dropped
    while width > 1 and all(len(r) < width or not _filled(r[width - 1]) for r in rows[header_at:]):
        width -= 1
    header = unique_names([_text(c) for c in rows[header_at][:width]], width)
    columns = {}
    for j, name in enumerate(header):
        if is_cancelled is not None and j % 8 == 0 and is_cancelled():
            raise Cancelled()
        columns[name] = pa.array([_text(r[j]) if j < len(r) else None for r in body], pa.string())
    warnings = []
    if header_at:
        warnings.append(f"Skipped {header_at} row{'s' if header_at > 1 else ''} above the header row.")
    if on_progress is not None:
        on_progress(1.0)
    return pa.table(columns), sheet, warnings
