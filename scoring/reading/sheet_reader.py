"""Reading spreadsheets (XLSX, XLSM, XLSB, XLS, ODS) with python-calamine.

calamine is a Rust reader, an order of magnitude faster than openpyxl for reading values, and it
reads all four formats. Dates come out as dates; cells become texts for typing, except that a
column whose cells are all numbers, dates or booleans keeps them as they are.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from scoring.errors import Cancelled, LoadError
from scoring.reading.csv_reader import read_text_table
from scoring.reading.ragged import ProgressReader
from scoring.reading.disguised import OLE_MAGIC, TEXT, WEB_PAGE, XML_SPREADSHEET, decoded, disguised_kind
from scoring.reading.footer import MAX_FOOTER, footer_note, footer_rows, reads_like_footer
from scoring.reading.headers import find_header_row, unique_names
from scoring.reading.html_table import biggest_table
from scoring.reading.numbers import NATIVE_NUMBERS_KEY
from scoring.reading.sheet_extent import MAX_CELLS, check_sheet_size, sheet_extents
from scoring.reading.sheet_formats import column_formats, number_texts, shown_texts
from scoring.reading.spreadsheet_xml import xml_sheet_names, xml_sheet_rows

__all__ = ["biggest_sheet", "SheetInfo", "list_sheets", "read_sheet", "SHEET_SUFFIXES"]

SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")     # a directory entry's name
_OLE_SCAN = 1 << 20              # the directory of a small encrypted file sits near its start
_EXACT_ROWS = 5_000
_HEADER_LOOK = 30                # rows find_header_row looks at
_BLOCK_ROWS = 4096               # rows of cells converted together (a few MB of Python objects)


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
    return start[:8] == OLE_MAGIC and _ENCRYPTION_INFO in start


def _open(path: Path) -> CalamineWorkbook:
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic[:8] == OLE_MAGIC and (path.suffix.lower() != ".xls" or _is_encrypted_ole(path)):
        raise LoadError(path, "the workbook is password-protected (encrypted)",
                        "Open it in Excel, remove the password (File > Info > Protect Workbook), "
                        "save a copy and open that.")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods") and not zipfile.is_zipfile(path):
        raise LoadError(path, "the workbook is damaged or not really a spreadsheet",
                        "Open it in Excel or LibreOffice and save it again.")
    if path.suffix.lower() == ".xls" and magic[:8] != OLE_MAGIC and not zipfile.is_zipfile(path):
        raise LoadError(path, "it is not an Excel workbook, though its name ends in .xls (nor a web "
                        "page or text table Excel could open)", "Open it in the program that made it "
                        "and save or export the leads as .xlsx or CSV.")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise LoadError(path, "the workbook is password-protected (encrypted)",
                            "Remove the password in Excel, save a copy and open that.") from None
        raise LoadError(path, f"the workbook cannot be read ({text[:120]})",
                        "Open it in Excel or LibreOffice and save it again as .xlsx.") from None


def _rows(book: CalamineWorkbook, name: str, path: Path) -> tuple[list[list], int]:
    """The sheet's rows from its first cell on, and the number of its first column (0 for A)."""
    try:
        sheet = book.get_sheet_by_name(name)
        return sheet.to_python(skip_empty_area=True), (sheet.start or (0, 0))[1]
    except Exception as exc:  # noqa: BLE001 - calamine's error types
        raise LoadError(path, f"the sheet “{name}” cannot be read ({str(exc)[:120]})",
                        "Open the file in Excel and save it again.") from None


def list_sheets(path: str | Path) -> list[SheetInfo]:
    """The sheets of a workbook with their sizes (0 rows: empty).

    Rows count the non-blank rows, header included; for sheets of more than
    ``_EXACT_ROWS`` rows it is the sheet's used height, an estimate.
    """
    path = Path(path)
    kind = disguised_kind(path)
    if kind == XML_SPREADSHEET:
        return [SheetInfo(name, rows, columns) for name, rows, columns in _xml(path, lambda: xml_sheet_names(path))]
    if kind is not None:              # a web page or a text file: one table
        return [SheetInfo(path.stem, 1, 1)]
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
    """A cell holding a value: not None, not an empty text, not a NaN."""
    return cell is not None and cell != "" and cell == cell


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


def _kind_texts(values: pa.Array, cells: np.ndarray) -> pa.Array:
    kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values).cast(pa.string())
    if pa.types.is_null(kind):
        return pa.nulls(len(values), pa.string())
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        return number_texts(values.cast(pa.float64()))
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
    kind = disguised_kind(path)
    if kind is not None:
        return _read_disguised(path, kind, sheet, on_progress, is_cancelled)
    book = _open(path)
    names = list(book.sheet_names)
    if not names:
        raise LoadError(path, "the workbook has no sheets")
    if sheet is not None and sheet not in names:
        raise LoadError(path, f"it has no sheet called “{sheet}” (it has: {', '.join(names)})")
    extents = sheet_extents(path)
    candidates = [sheet] if sheet is not None else _biggest_first(book, names, extents)
    with _collector_paused():      # calamine makes an object a cell: none of them can form a cycle
        for name in candidates:
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            check_sheet_size(path, name, extents)
            rows, first_column = _rows(book, name, path)
            if any(_filled(c) for row in rows for c in row):    # (stops at the first cell with a value)
                sheet = name
                break
        else:
            raise LoadError(path, "the workbook has no data" if sheet is None else
                            f"the sheet “{sheet}” is empty", "Choose a sheet that holds the leads.")
        if on_progress is not None:
            on_progress(0.5)
        read = _table(path, sheet, rows, on_progress, is_cancelled,
                      shows={column - first_column: shown
                             for column, shown in column_formats(path, sheet).items()})
        del rows            # freed before the collector is back on, which would walk them all once
    return read


def _read_disguised(path: Path, kind: str, sheet: str | None, on_progress,
                    is_cancelled) -> tuple[pa.Table, str | None, list[str]]:
    """A file with a spreadsheet's name that is a web page, an XML Spreadsheet 2003 or a text
    file (see ``scoring.reading.disguised``), read for what it is, with a note saying so."""
    note = (f"{path.name} is {kind}, not an Excel workbook, though its name ends in {path.suffix}; "
            + ("it was read as delimited text." if kind == TEXT else "its table was read."))
    if kind == TEXT:
        table, warnings = read_text_table(path, on_progress=on_progress, is_cancelled=is_cancelled)
        return table, None, [note, *warnings]
    if kind == XML_SPREADSHEET:
        if sheet is None:                 # as in a workbook: the sheet holding the biggest table
            sheets = _xml(path, lambda: xml_sheet_names(path))
            sheet = biggest_sheet([SheetInfo(*found) for found in sheets]) or (sheets[0][0] if sheets else "")
        try:
            with open(path, "rb") as handle:
                source = ProgressReader(handle, path.stat().st_size, on_progress, is_cancelled)
                rows = _xml(path, lambda: xml_sheet_rows(source, sheet))
        except KeyError:
            names = ", ".join(name for name, _rows, _columns in _xml(path, lambda: xml_sheet_names(path)))
            raise LoadError(path, f"it has no sheet called “{sheet}” (it has: {names or 'none'})") from None
        if not any(_filled(c) for row in rows for c in row):
            raise LoadError(path, f"the sheet “{sheet}” is empty", "Choose a sheet that holds the leads.")
        return _table(path, sheet, rows, None, is_cancelled)
    rows = biggest_table(decoded(path), on_progress=on_progress, is_cancelled=is_cancelled)
    if not any(_filled(c) for row in rows for c in row):
        raise LoadError(path, f"it is {WEB_PAGE} with a spreadsheet's name, and the page holds no table "
                        "of leads", "Open it in Excel and save it as .xlsx or CSV, then open that.")
    table, _name, warnings = _table(path, "table", rows, on_progress, is_cancelled)
    return table, None, [note, *warnings]


def _xml(path: Path, read):
    """``read()`` of an XML Spreadsheet, with a damaged file's error said for a user."""
    try:
        return read()
    except ElementTree.ParseError as exc:
        raise LoadError(path, f"it is {XML_SPREADSHEET} with a spreadsheet's name, and it is damaged "
                        f"({exc})", "Open it in Excel and save it again as .xlsx.") from None


@contextmanager
def _collector_paused():
    """Python's cycle collector off while millions of cells are made and converted: each pass
    walks every row list made so far, and none of them can be garbage before the read ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _table(path: Path, sheet: str, rows: list[list], on_progress, is_cancelled,
           shows: dict | None = None) -> tuple[pa.Table, str, list[str]]:
    """The sheet's table from calamine's rows, column by column: each column is converted to
    Arrow once, and which rows and columns hold a value is read from the converted columns.

    ``shows``: for columns (0 for the first of ``rows``) whose numbers the workbook shows as
    percentages or amounts, how (see ``scoring.reading.sheet_formats``): their texts say so."""
    last = len(rows) - 1
    while not any(_filled(c) for c in rows[last]):      # trailing blank rows (the sheet has a value)
        last -= 1
    header_at = find_header_row(rows[:min(last + 1, _HEADER_LOOK)])
    above = rows[:header_at + 1]
    body, columns = _columns(rows[header_at + 1:last + 1], max(len(r) for r in above))
    present = [filled for _values, filled in columns]
    above_filled = [[_filled(c) for c in r] for r in above]
    filled_cells = sum(map(sum, above_filled)) + sum(int(np.count_nonzero(f)) for f in present)
    if filled_cells == 1:
        only = next((c for r in above for c in r if _filled(c)), None)
        if only is None:
            only = next(body[np.flatnonzero(f)[0], j] for j, f in enumerate(present) if f.any())
        text = _text(only) or ""
        raise LoadError(path, f"no table was found: the sheet “{sheet}” holds only “{text[:60]}”",
                        "Choose the sheet with the leads, or export the list again with its rows.")
    # trailing columns that are empty everywhere (merged or formatted cells) are dropped
    header_cells = above_filled[header_at]
    used = [j for j in range(body.shape[1])
            if (j < len(header_cells) and header_cells[j]) or present[j].any()]
    width = max(1, used[-1] + 1 if used else 1)
    # blank rows inside the table (spacers, deleted leads) are not leads
    keep = np.logical_or.reduce(present[:width]) if body.shape[0] else np.zeros(0, bool)
    footer = _footer(body, present[:width]) if width > 1 else []
    if footer:                           # a report's footer ("Grand Totals", "Confidential...")
        keep[len(keep) - len(footer):] = False
    every_row = bool(keep.all())
    header = unique_names([_text(c) for c in rows[header_at][:width]], width)
    texts, native = {}, []
    for j, name in enumerate(header):
        if is_cancelled is not None and j % 8 == 0 and is_cancelled():
            raise Cancelled()
        values, _filled_rows = columns[j] if j < len(columns) else (pa.nulls(len(keep)), None)
        cells = body[:, j] if j < body.shape[1] else np.full(len(keep), None, dtype=object)
        if not every_row:
            cells = cells[keep]
            values = values.filter(pa.array(keep)) if values is not None else None
        if values is None:      # cells of several kinds: converted one by one
            texts[name] = pa.array([_text(c) for c in cells], pa.string())
            continue
        texts[name] = _kind_texts(values, cells)
        if pa.types.is_floating(values.type) or pa.types.is_integer(values.type):
            native.append(name)
            if j in (shows or {}):
                texts[name] = shown_texts(values, shows[j])
    warnings = [footer_note(footer)] if footer else []
    if header_at:
        warnings.append(f"Skipped {header_at} row{'s' if header_at > 1 else ''} above the header row.")
    if on_progress is not None:
        on_progress(1.0)
    # columns the workbook stores as numbers: their texts ("1.125") say nothing of decimal marks
    metadata = {NATIVE_NUMBERS_KEY: json.dumps(native).encode()} if native else None
    return pa.table(texts, metadata=metadata), sheet, warnings


def _footer(body: np.ndarray, present: list[np.ndarray]) -> list[str]:
    """The texts of the footer rows at the end of the table (see ``scoring.reading.footer``)."""
    last = slice(max(0, body.shape[0] - MAX_FOOTER - 1), body.shape[0])
    counts = np.add.reduce([p[last].astype(np.int64) for p in present])
    n = footer_rows(counts)
    rows = range(body.shape[0] - n, body.shape[0])
    texts = [next(_text(body[r, j]) or "" for j, p in enumerate(present) if p[r]) for r in rows]
    return texts if reads_like_footer(texts) else []


def _columns(rows: list[list], width: int) -> tuple[np.ndarray, list[tuple[pa.Array | None, np.ndarray]]]:
    """The cells of ``rows`` as a 2-D object array (padded with None to at least ``width``
    columns, None for empty cells), and every column in Arrow with which of its cells hold a value.

    The work is done a block of rows at a time, every column of a block before the next:
    calamine made the cells row after row, so a block's cells lie together in memory, and
    reading them in that order is about a third quicker than reading each column from top to
    bottom. A column whose blocks come out as different kinds is converted again whole.
    """
    width = max(width, max(map(len, rows), default=0))
    body = np.empty((len(rows), width), dtype=object)
    blocks = [[] for _ in range(width)]
    for start in range(0, len(rows), _BLOCK_ROWS):
        block = body[start:start + _BLOCK_ROWS]
        part = rows[start:start + _BLOCK_ROWS]
        try:
            block[:] = part
        except ValueError:          # rows of different lengths
            block[:] = [list(r) + [None] * (width - len(r)) for r in part]
        block[block == ""] = None
        for j, parts in enumerate(blocks):
            if parts is None:
                continue
            try:
                parts.append(pa.array(block[:, j], from_pandas=True))
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
                blocks[j] = None
    return body, [_joined(parts, body[:, j]) for j, parts in enumerate(blocks)]


def _joined(parts: list[pa.Array] | None, cells: np.ndarray) -> tuple[pa.Array | None, np.ndarray]:
    """One column from its blocks (or from its cells, when the blocks differ in kind), and which
    cells hold a value; None for the array when the cells are of several kinds."""
    kinds = {part.type for part in parts or () if not pa.types.is_null(part.type)}
    if parts is not None and len(kinds) <= 1:
        kind = kinds.pop() if kinds else pa.null()
        values = pa.concat_arrays([part if part.type == kind else part.cast(kind) for part in parts]) \
            if parts else pa.nulls(0)
    else:
        try:
            values = pa.array(cells, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            return None, ~pd.isna(cells)
    if values.null_count == 0:
        return values, np.ones(len(values), bool)
    return values, values.is_valid().to_numpy(zero_copy_only=False)
