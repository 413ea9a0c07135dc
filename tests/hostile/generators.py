"""Hostile and broken input files, generated on demand in a test's folder.

Each ``make_*`` function writes one file into ``folder`` and returns its path. Workbooks come
from xlsxwriter; where no writer produces a quirk (a huge declared dimension, an encrypted
container, a truncated zip), the bytes are patched or built by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

__all__ = [
    "make_empty", "make_png", "make_zip_as_csv", "make_long_line", "make_long_line_of_fields",
    "make_mixed_encoding", "make_wide", "make_odd_headers", "make_ragged", "make_cut_off",
    "make_wrapped_rows", "make_encrypted_xlsx", "make_truncated_xlsx", "make_huge_dimension_xlsx",
    "make_formulas_xlsx", "make_merged_header_xlsx", "make_1904_xlsx", "make_empty_sheets_xlsx",
    "make_title_only_xlsx", "make_workbook", "patch_zip", "model_dict", "write_model",
    "make_long_a_csv", "LONG_LINE_BYTES", "make_big_cell", "make_far_cell_xlsx",
    "make_cut_off_in_quotes", "make_late_cp1252", "make_header_only", "make_wrapped_semicolons", "make_1904_flag_patched_xlsx", "DATES_1904",
]

LONG_LINE_BYTES = 50 * 1024 * 1024


# -- text files -------------------------------------------------------------------------------
def make_empty(folder: Path, name: str = "empty.csv") -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def make_png(folder: Path, name: str = "photo.csv") -> Path:
    """A real (tiny) PNG image, renamed .csv."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    width = height = 16
    raw = b"".join(b"\x00" + bytes((y * 16, 64, 128)) * width for y in range(height))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path = folder / name
    path.write_bytes(png)
    return path


def make_zip_as_csv(folder: Path, name: str = "archive.csv") -> Path:
    """A zip archive (here: an xlsx workbook, the usual mix-up) renamed .csv."""
    book = make_workbook(folder, "inner.xlsx", {"Leads": [["name", "email"], ["Ann", "a@b.co"]]})
    path = folder / name
    path.write_bytes(book.read_bytes())
    book.unlink()
    return path


def make_long_line(folder: Path, name: str = "one_line.csv", size: int = LONG_LINE_BYTES) -> Path:
    """One 50 MB line without a line break: a header and nothing else, its last field enormous."""
    path = folder / name
    with open(path, "wb") as handle:
        handle.write(b"name,notes,")
        block = b"x" * (1 << 20)
        for _ in range(size // len(block)):
            handle.write(block)
    return path


def make_long_line_of_fields(folder: Path, name: str = "one_line_fields.csv",
                             size: int = LONG_LINE_BYTES) -> Path:
    """One 50 MB line of short fields ("a,a,a,...": millions of columns) and no line break."""
    path = folder / name
    with open(path, "wb") as handle:
        block = b"a," * (1 << 19)
        for _ in range(size // len(block)):
            handle.write(block)
    return path


def make_big_cell(folder: Path, name: str = "big_cell.csv", size: int = LONG_LINE_BYTES) -> Path:
    """A normal header, then a lead whose notes cell is 50 MB (a pasted log), then another lead."""
    path = folder / name
    with open(path, "wb") as handle:
        handle.write(b"name,notes\nAnn,")
        block = b"x" * (1 << 20)
        for _ in range(size // len(block)):
            handle.write(block)
        handle.write(b"\nBob,short\n")
    return path


def make_mixed_encoding(folder: Path, name: str = "mixed.csv") -> Path:
    """UTF-8 rows, then rows saved by a Windows program in cp1252 (é as one byte, € as 0x80)."""
    utf8 = "name,city,note\nJosé,München,café ☕\nZoë,Zürich,naïve\n".encode("utf-8")
    cp1252 = "Renée,Genève,price 5€\nFrançois,Besançon,“quoted”\n".encode("cp1252")
    path = folder / name
    path.write_bytes(utf8 + cp1252 + "Ana,Logroño,fin\n".encode("utf-8"))
    return path


def make_late_cp1252(folder: Path, name: str = "late_cp1252.csv") -> Path:
    """20,000 UTF-8 rows (past the sniffed start), then one row saved as Windows-1252."""
    rows = "\n".join(f"Lead {i},Zürich" for i in range(20_000))
    path = folder / name
    path.write_bytes(("name,city\n" + rows + "\n").encode() + "Renée,Genève\n".encode("cp1252"))
    return path


def make_header_only(folder: Path, name: str = "header_only.csv") -> Path:
    path = folder / name
    path.write_text("name,email,score\n", encoding="utf-8")
    return path


def make_wide(folder: Path, name: str = "wide.csv", columns: int = 10_000, rows: int = 5) -> Path:
    header = ",".join(f"field_{i}" for i in range(columns))
    body = "\n".join(",".join(str(r * columns + i) for i in range(columns)) for r in range(rows))
    path = folder / name
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    return path


def make_odd_headers(folder: Path, name: str = "headers.csv") -> Path:
    """Duplicate, blank and space-only header names."""
    path = folder / name
    path.write_text("email,,Email,email, ,name\n"
                    "a@x.co,1,A@X.CO,b@x.co,z,Ann\n"
                    "c@x.co,2,C@X.CO,d@x.co,y,Bob\n", encoding="utf-8")
    return path


def make_ragged(folder: Path, name: str = "ragged.csv") -> Path:
    """Rows with fewer and more fields than the header."""
    path = folder / name
    path.write_text("name,email,score\n"
                    "Ann,a@x.co,10\n"
                    "Bob,b@x.co\n"
                    "Cid,c@x.co,30,extra\n"
                    "Dee\n"
                    "Eve,e@x.co,50\n", encoding="utf-8")
    return path


def make_cut_off(folder: Path, name: str = "cut.csv") -> Path:
    """A file that stops in the middle of its last row (an interrupted download)."""
    path = folder / name
    rows = ["name,email,score,country"] + [f"Lead {i},l{i}@x.co,{i},US" for i in range(200)]
    path.write_text("\n".join(rows) + "\nLead 200,l200@x", encoding="utf-8")
    return path


def make_cut_off_in_quotes(folder: Path, name: str = "cut_quoted.csv") -> Path:
    """A file that stops inside a quoted field."""
    path = folder / name
    rows = ["name,note"] + [f'Lead {i},"note, {i}"' for i in range(50)]
    path.write_text("\n".join(rows) + '\nLead 50,"half a no', encoding="utf-8")
    return path


def make_wrapped_rows(folder: Path, name: str = "wrapped.csv") -> Path:
    """Each whole row is one quoted field ("a,b,c"), inner quotes doubled: an export quirk."""
    rows = [["name", "email", "company", "score"],
            ["Ann Lee", "ann@x.co", 'Acme, "the" Co', "10"],
            ["Bob Ray", "bob@x.co", "Initech", "20"],
            ["Cid Moe", "cid@x.co", "Globex", "30"]]

    def field(cell: str) -> str:
        return f'"{cell}"' if ("," in cell or '"' in cell) else cell

    lines = [",".join(field(c.replace('"', '""')) if '"' in c else field(c) for c in row) for row in rows]
    wrapped = ['"' + line.replace('"', '""') + '"' for line in lines]
    path = folder / name
    path.write_text("\r\n".join(wrapped) + "\r\n", encoding="utf-8")
    return path


def make_wrapped_semicolons(folder: Path, name: str = "wrapped_semicolons.csv") -> Path:
    """Rows wrapped in quotes, with semicolons inside (a European export)."""
    path = folder / name
    path.write_text('"name;email;score"\n"Ann;a@x.co;1"\n"Bob;b@x.co;2"\n', encoding="utf-8")
    return path


def make_long_a_csv(folder: Path, name: str = "aaaa.csv", rows: int = 2000, length: int = 5000) -> Path:
    """Texts of many 'a's (each distinct), for catastrophic regular expressions."""
    path = folder / name
    lines = ["name,note"] + [f"Lead {i},{'a' * (length + i % 50)}{'!' if i % 2 else ''}"
                             for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- workbooks --------------------------------------------------------------------------------
def make_workbook(folder: Path, name: str, sheets: dict[str, list[list]], *,
                  options: dict | None = None) -> Path:
    """An xlsx with one sheet per entry, rows written as given (None: no cell)."""
    path = folder / name
    with xlsxwriter.Workbook(str(path), options or {}) as book:
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for sheet_name, rows in sheets.items():
            sheet = book.add_worksheet(sheet_name)
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    if cell is None:
                        continue
                    if isinstance(cell, (dt.date, dt.datetime)):
                        sheet.write_datetime(r, c, cell, date_format)
                    else:
                        sheet.write(r, c, cell)
    return path


def patch_zip(path: Path, member: str, edit) -> Path:
    """Rewrite one member of a zip with ``edit(text) -> text`` (other members copied as they are)."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            if info.filename == member:
                data = edit(data.decode("utf-8")).encode("utf-8")
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


_LEADS = [["name", "email", "score"], ["Ann", "ann@x.co", 10], ["Bob", "bob@x.co", 20],
          ["Cid", "cid@x.co", 30]]


def make_truncated_xlsx(folder: Path, name: str = "truncated.xlsx") -> Path:
    """A real workbook cut off at half its bytes (its zip directory lost)."""
    path = make_workbook(folder, name, {"Leads": _LEADS * 50})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_huge_dimension_xlsx(folder: Path, name: str = "huge_dimension.xlsx") -> Path:
    """A few cells, but the sheet declares itself A1:XFD1048576 (every cell of the grid)."""
    path = make_workbook(folder, name, {"Leads": _LEADS})
    return patch_zip(path, "xl/worksheets/sheet1.xml",
                     lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml))


def make_far_cell_xlsx(folder: Path, name: str = "far_cell.xlsx") -> Path:
    """A few leads plus one stray cell at the grid's far corner (XFD1048576)."""
    path = make_workbook(folder, name, {"Leads": _LEADS})

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", far + "</sheetData>")
    return patch_zip(path, "xl/worksheets/sheet1.xml", edit)


def make_formulas_xlsx(folder: Path, name: str = "formulas.xlsx") -> Path:
    """Formulas with cached results (as Excel saves them): the cached values are the data."""
    path = folder / name
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        sheet.write_row(0, 0, ["name", "visits", "pages", "total", "label"])
        for r, (n, v, p) in enumerate([("Ann", 3, 4), ("Bob", 5, 6), ("Cid", 7, 8)], start=1):
            sheet.write_row(r, 0, [n, v, p])
            sheet.write_formula(r, 3, f"=B{r + 1}+C{r + 1}", None, v + p)
            sheet.write_formula(r, 4, f'=UPPER(A{r + 1})', None, n.upper())
    return path


def make_merged_header_xlsx(folder: Path, name: str = "merged.xlsx") -> Path:
    """A merged title over the table and a merged header cell over two columns."""
    path = folder / name
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        merge = book.add_format({"bold": True, "align": "center"})
        sheet.merge_range(0, 0, 0, 3, "Leads export, March", merge)
        sheet.merge_range(1, 0, 1, 1, "Contact", merge)
        sheet.write_row(1, 2, ["email", "score"])
        for r, row in enumerate([["Ann", "Lee", "ann@x.co", 10], ["Bob", "Ray", "bob@x.co", 20],
                                 ["Cid", "Moe", "cid@x.co", 30]], start=2):
            sheet.write_row(r, 0, row)
    return path


DATES_1904 = [dt.date(2026, 1, 15), dt.date(2025, 12, 31), dt.date(2024, 2, 29)]


def make_1904_xlsx(folder: Path, name: str = "dates_1904.xlsx") -> Path:
    """A workbook in the 1904 date system (old Mac Excel): serials count from 1904-01-01."""
    rows = [["name", "created"]] + [[f"Lead {i}", d] for i, d in enumerate(DATES_1904)]
    path = make_workbook(folder, name, {"Leads": rows}, options={"date_1904": True})
    with zipfile.ZipFile(path) as archive:          # the writer really set the flag
        assert 'date1904="1"' in archive.read("xl/workbook.xml").decode()
    return path


def make_1904_flag_patched_xlsx(folder: Path, name: str = "patched_1904.xlsx") -> Path:
    """Serials written as 1904-system numbers by hand, then the flag patched into workbook.xml."""
    serials = [(d - dt.date(1904, 1, 1)).days for d in DATES_1904]
    path = folder / name
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, ["name", "created"])
        for r, serial in enumerate(serials, start=1):
            sheet.write(r, 0, f"Lead {r - 1}")
            sheet.write_number(r, 1, serial, fmt)

    def edit(xml: str) -> str:
        if "<workbookPr" in xml:
            return re.sub(r"<workbookPr", '<workbookPr date1904="1"', xml, count=1)
        return xml.replace("<bookViews>", '<workbookPr date1904="1"/><bookViews>')
    return patch_zip(path, "xl/workbook.xml", edit)


def make_empty_sheets_xlsx(folder: Path, name: str = "empty_sheets.xlsx", with_data: bool = False) -> Path:
    sheets: dict[str, list[list]] = {"Sheet1": [], "Sheet2": []}
    if with_data:
        sheets["Leads"] = _LEADS
    return make_workbook(folder, name, sheets)


def make_title_only_xlsx(folder: Path, name: str = "title_only.xlsx") -> Path:
    return make_workbook(folder, name, {"Report": [["Leads export, March 2026"]]})


def make_encrypted_xlsx(folder: Path, name: str = "locked.xlsx") -> Path:
    """What Excel writes for a password-protected workbook: not a zip but an OLE2 (CFB) container
    holding the streams EncryptionInfo and EncryptedPackage."""
    path = folder / name
    path.write_bytes(_cfb({"EncryptionInfo": _encryption_info(),
                           "EncryptedPackage": struct.pack("<Q", 3000) + bytes(4088)}))
    return path


def _encryption_info() -> bytes:
    """An agile-encryption header (version 4.4) with a short XML descriptor, padded to 4 KiB."""
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
           '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
           'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
           'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>').encode()
    data = struct.pack("<HHI", 4, 4, 0x40) + xml
    return data + bytes(4096 - len(data))


def _cfb(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file (512-byte sectors) with the given streams (each >= 4096 bytes,
    so no mini stream is needed), one FAT sector and one directory sector."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    fat = [fat_sector, end]            # sector 0: the FAT, sector 1: the directory
    starts, body = [], b""
    for data in streams.values():
        assert len(data) >= 4096 and len(data) % 512 == 0
        first = len(fat)
        count = len(data) // 512
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        starts.append(first)
        body += data
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child=free, right=free, start=end, size=0) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, child=1)
    for i, stream in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free
        directory += entry(stream, 2, right=right, start=starts[i], size=len(streams[stream]))
    directory = directory.ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + body


# -- model files ------------------------------------------------------------------------------
def model_dict(rules: list[dict], **fields) -> dict:
    return {"format": "leadbench-model", "version": 1, "name": "Hostile", "threshold": 10,
            "groups": {"fit": {"cap": None}, "engagement": {"cap": None}}, "rules": rules, **fields}


def write_model(folder: Path, name: str, content) -> Path:
    """``content`` as JSON (a dict) or as the exact text/bytes given."""
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path
