"""How big a worksheet's grid is, found before calamine reads it.

calamine builds one dense grid from the sheet's first to its last cell. A workbook with a few
leads and one stray cell at the far corner (XFD1048576, often a stray space or an empty text)
makes that a grid of 17 billion cells: calamine then asks for half a terabyte and the process
aborts, which no ``except`` can catch. So for XLSX/XLSM the sheet's XML is scanned first (streamed
from the zip) for its last row and last column with a cell, and sheets whose grid would not fit
are refused with a message saying how to trim them.

The first look is quick: one regular expression per megabyte for references past column Z
(calamine takes the widest cell anywhere), and the rows from the sheet's last row (calamine takes
the grid's height from the last cell it reads, as the format keeps rows in order). Only a sheet
that looks too big is read again cell by cell, where cells without content (``<c r="A1" s="3"/>``,
formatting only) do not count, as calamine skips them; the declared ``<dimension>`` is ignored,
as calamine ignores it.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from scoring.errors import LoadError

__all__ = ["SheetExtent", "MAX_CELLS", "sheet_extents", "check_sheet_size", "column_letters", "sheet_members",
           "member_chunks", "column_number"]

#: The largest grid (rows x columns, blank cells included) a sheet may span: a million rows of
#: fifty columns. calamine spends 32 bytes a cell on it, and the reader as much again.
MAX_CELLS = 50_000_000
_CHUNK = 1 << 20
_KEEP = 256                       # bytes carried over between chunks (a tag cut in two)
_ROW = re.compile(rb'row r="(\d+)"')                     # <row r="12" (any namespace prefix)
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_AFTER_NAME = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_PREFIX_OPEN = re.compile(rb"<\w+")                   # <x: opening a prefixed tag
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})\d')               # a cell past column Z
# a cell with content past column Z: its start tag is not self-closing
_WIDE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{2,3})(\d+)"[^>/]*>')


@dataclass(frozen=True)
class SheetExtent:
    """The grid a sheet spans: its last row and last column holding a cell (1-based)."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def last_cell(self) -> str:
        return f"{column_letters(self.columns)}{self.rows}"


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def column_number(letters: bytes) -> int:
    """The number of a column from its letters (b"A" is 1, b"AA" 27)."""
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet XML member, from workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels.iter():
        if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            targets[rel.get("Id")] = target
    members = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if sheet.get("name") is not None and rid in targets:
                members[sheet.get("name")] = targets[rid]
    return members


def _last_row(data: bytes) -> int | None:
    """The number of the last row tag in ``data`` (``<row r="12">``, any prefix): 0 when that tag
    has no number or is cut off, None when ``data`` holds no row tag."""
    end = len(data)
    while True:
        at = data.rfind(b"row", 0, end)
        if at < 1:
            return None
        if data[at + 3:at + 4] in _AFTER_NAME and (data[at - 1] == 0x3C or (     # <row, not <rowBreaks
                data[at - 1] == 0x3A and _PREFIX_OPEN.fullmatch(data, data.rfind(b"<", 0, at), at - 1))):
            break               # (not </row> nor </x:row>)
        end = at + 2
    tag_end = data.find(b">", at)
    found = _ROW_NUMBER.search(data, at, tag_end) if tag_end >= 0 else None
    return int(found.group(1)) if found else 0


def _quick_scan(chunks) -> SheetExtent | None:
    """The grid from references past column Z anywhere and the sheet's last row tag; None when
    the last row tag has no number (rows are then counted by ``_scan``)."""
    max_column = 0
    last_row = None
    carry = b""
    for chunk in chunks:
        data = carry + chunk
        letters = set(_WIDE_REF.findall(data))      # (a reference met twice counts once)
        if letters:
            max_column = max(max_column, max(map(column_number, letters)))
        row = _last_row(data)
        if row is not None:
            last_row = row
        carry = data[-_KEEP:]
    if not last_row:
        return None
    return SheetExtent(last_row, max(max_column, 26))


def member_chunks(path: Path, info: zipfile.ZipInfo):
    """The member's bytes as they are inflated, megabyte by megabyte, read straight from the file
    (zipfile reads 4 KB at a time and checks a CRC that calamine checks again); zipfile's reader
    for members stored any other way."""
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(30)
        if (len(header) == 30 and header[:4] == b"PK\x03\x04" and not info.flag_bits & 1
                and info.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)):
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            handle.seek(info.header_offset + 30 + name_length + extra_length)
            left = info.compress_size
            inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
            while left > 0:
                block = handle.read(min(left, _CHUNK // 8 if inflater else _CHUNK))
                if not block:
                    raise EOFError("the zip member ends early")
                left -= len(block)
                yield inflater.decompress(block) if inflater else block
            if inflater is not None:
                yield inflater.flush()
            return
    with zipfile.ZipFile(path) as archive, archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def _scan(stream, precise: bool = False) -> SheetExtent:
    """The sheet's grid from its XML, every row tag read and counted (for sheets whose last row
    tag has no number): any cell reference past column Z counts by default; ``precise`` leaves
    out cells without content, as calamine does."""
    max_row = rows_seen = max_column = 0
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        data = carry + chunk
        skip = len(carry)      # matches ending inside the carried bytes were counted already
        rows = [m.group(1) for m in _ROW.finditer(data) if m.end() > skip]
        if rows:
            max_row = max(max_row, max(map(int, rows)))
        rows_seen += chunk.count(b"<row") + chunk.count(b":row ")
        if precise:
            cells = [m for m in _WIDE_CELL.finditer(data) if m.end() > skip]
            if cells:
                max_column = max(max_column, max(column_number(m.group(1)) for m in cells))
                max_row = max(max_row, max(int(m.group(2)) for m in cells))
        else:
            letters = set(_WIDE_REF.findall(data, max(0, skip - 8)))
            if letters:
                max_column = max(max_column, max(map(column_number, letters)))
        carry = data[-_KEEP:]
    return SheetExtent(max(max_row, rows_seen), max(max_column, 26))


def sheet_extents(path: str | Path) -> dict[str, SheetExtent]:
    """The grid of every sheet of an XLSX/XLSM workbook ({} for other formats or odd files).

    Columns are counted only past Z (a sheet narrower than 27 columns shows 26).
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(path):
        return {}
    out = {}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            for sheet, member in sheet_members(archive).items():
                if member in infos:
                    extent = _quick_scan(member_chunks(path, infos[member]))
                    if extent is None:                  # rows without numbers: count them
                        with archive.open(member) as stream:
                            extent = _scan(stream)
                    if extent.cells > MAX_CELLS:       # look again, leaving out empty cells
                        with archive.open(member) as stream:
                            extent = _scan(stream, precise=True)
                    out[sheet] = extent
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError):
        return out                  # damage: calamine names it when it reads the sheet
    return out


def check_sheet_size(path: str | Path, sheet: str, extents: dict[str, SheetExtent]) -> None:
    """Raise LoadError when ``sheet``'s grid is larger than ``MAX_CELLS``."""
    extent = extents.get(sheet)
    if extent is None or extent.cells <= MAX_CELLS:
        return
    raise LoadError(path, f"the sheet “{sheet}” reaches cell {extent.last_cell}, a grid of "
                    f"{extent.rows:,} rows by {extent.columns:,} columns, too large to load",
                    "In Excel, press Ctrl+End on that sheet to find its last cell, delete the empty "
                    "rows and columns up to it, save, and open the file again.")
