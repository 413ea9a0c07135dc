"""How an XLSX workbook shows a column's numbers: as percentages, or as amounts in one currency.

calamine reads a cell's value, not its number format: an open rate Excel shows as 12.5% comes
out as a bare 0.125, and "$1,200.50" as 1200.5. The same sheet saved as CSV says 12.5% and
$1,200.50, which the number reader takes as a percentage and an amount in dollars, shown so in
the table, the Columns panel and each lead's reasons. So that a workbook reads as its CSV does,
the reader looks at the number formats of the first cells of each column (``styles.xml`` and the
start of the sheet's XML, streamed from the zip: a few milliseconds) and writes the texts of
columns shown as percentages or amounts as Excel shows them ("12.5%", "$ 1200.5"); typing then
reads them as it reads the CSV's. Other formats (XLSB, XLS, ODS) keep their values.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pyarrow as pa
import pyarrow.compute as pc

from scoring.reading.numbers import CURRENCY_PATTERN
from scoring.reading.sheet_extent import column_number, member_chunks, sheet_members

__all__ = ["Shown", "column_formats", "shown_texts", "number_texts"]

#: Excel's built-in percent formats ("0%", "0.00%"); its built-in currency formats (5-8) take the
#: sign of the reader's locale, which the file does not say, so they are left as plain numbers
_PERCENT_IDS = {9, 10}
_LOOK_BYTES = 1 << 20            # of the sheet's XML, inflated: thousands of cells from the top
_SHARE = 0.9                     # of a column's numbers that must be shown the same way
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>")
_ATTRIBUTE = re.compile(rb'\b(r|s|t)="([^"]*)"')
_LETTERS = re.compile(rb"[A-Z]+")
_CURRENCY = re.compile(CURRENCY_PATTERN)
#: the parts of a format code that are not shown literally as text: quoted text, escaped
#: characters and bracketed tags ([Red], [$€-407], [>=100])
_LITERALS = re.compile(r'"([^"]*)"|\\(.)|\[\$([^\]-]*)[^\]]*\]|\[[^\]]*\]')


@dataclass(frozen=True)
class Shown:
    """How a column's numbers are shown: as percentages, or after a currency sign."""

    percent: bool = False
    currency: str | None = None


def _shown_by(code: str) -> Shown | None:
    """What a number format code (``0.0%``, ``"$"#,##0.00``, ``#,##0.00 [$€-407]``) shows
    besides the number; None for a plain number (or a date, a fraction, text)."""
    positive = code.split(";")[0]
    literal = []

    def keep(match: re.Match) -> str:
        literal.append(next((g for g in match.groups() if g is not None), ""))
        return ""

    bare = _LITERALS.sub(keep, positive)
    if "%" in bare:
        return Shown(percent=True)
    signs = {m.group(0) for text in (*literal, bare) for m in _CURRENCY.finditer(text)}
    return Shown(currency=signs.pop()) if len(signs) == 1 else None


def _styles_member(archive: zipfile.ZipFile) -> str:
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return "xl/styles.xml"
    for rel in rels.iter():
        if rel.tag.endswith("Relationship") and (rel.get("Type") or "").endswith("/styles"):
            target = rel.get("Target") or "styles.xml"
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    return "xl/styles.xml"


def _style_shows(archive: zipfile.ZipFile) -> list[Shown | None]:
    """For each cell style (the ``s`` of a cell), what its number format shows."""
    try:
        root = ElementTree.fromstring(archive.read(_styles_member(archive)))
    except (KeyError, ElementTree.ParseError):
        return []
    codes = {}
    for element in root.iter():
        if element.tag.endswith("}numFmt") or element.tag == "numFmt":
            if (element.get("numFmtId") or "").isdigit():
                codes[int(element.get("numFmtId"))] = element.get("formatCode") or ""
    shows = []
    cell_styles = next((e for e in root.iter() if e.tag.endswith("}cellXfs") or e.tag == "cellXfs"), None)
    for xf in cell_styles if cell_styles is not None else ():
        number = int(xf.get("numFmtId")) if (xf.get("numFmtId") or "").isdigit() else 0
        shows.append(Shown(percent=True) if number in _PERCENT_IDS else
                     _shown_by(codes[number]) if number in codes else None)
    return shows


def _head(path: Path, info: zipfile.ZipInfo) -> bytes:
    parts, size = [], 0
    for chunk in member_chunks(path, info):
        parts.append(chunk)
        size += len(chunk)
        if size >= _LOOK_BYTES:
            break
    return b"".join(parts)


def column_formats(path: str | Path, sheet: str) -> dict[int, Shown]:
    """Sheet column (0 for A) -> how Excel shows its numbers, for the columns where at least
    nine in ten of the numbers near the top are shown as percentages, or after one currency
    sign; {} for a workbook other than XLSX/XLSM or one that cannot be read this way."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            shows = _style_shows(archive)
            if not any(shows):
                return {}
            member = sheet_members(archive).get(sheet)
            info = next((i for i in archive.infolist() if i.filename == member), None)
            if info is None:
                return {}
            head = _head(path, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError):
        return {}                 # damage: calamine names it when it reads the sheet
    return _decide(_number_styles(head, shows))


def _number_styles(xml: bytes, shows: list[Shown | None]) -> dict[int, Counter]:
    """For each column, how its numeric cells in ``xml`` are shown (None: plain)."""
    seen: dict[int, Counter] = {}
    column = -1
    for match in _TAG.finditer(xml):
        if match.group(1) == b"row":
            column = -1
            continue
        attributes = dict(_ATTRIBUTE.findall(match.group(2)))
        letters = _LETTERS.match(attributes.get(b"r", b""))
        column = column_number(letters.group(0)) - 1 if letters else column + 1
        if match.group(3) or attributes.get(b"t", b"n") != b"n":
            continue              # no value (formatting only), or a text, boolean, error, date
        style = attributes.get(b"s", b"0")
        index = int(style) if style.isdigit() else 0
        seen.setdefault(column, Counter())[shows[index] if index < len(shows) else None] += 1
    return seen


def _decide(seen: dict[int, Counter]) -> dict[int, Shown]:
    out = {}
    for column, counts in seen.items():
        shown, count = counts.most_common(1)[0]
        if shown is not None and count >= _SHARE * sum(counts.values()):
            out[column] = shown
    return out


def shown_texts(numbers: pa.Array, shown: Shown) -> pa.Array:
    """The texts of a column of numbers as Excel shows them: ``0.125`` as "12.5%", ``-5`` in
    dollars as "-$ 5" (digits as the value has them, without the format's rounding)."""
    numbers = numbers.cast(pa.float64())
    if shown.percent:
        scaled = pc.round(pc.multiply(numbers, 100.0), 10)    # (0.07 * 100 is 7.000000000000001)
        return pc.binary_join_element_wise(number_texts(scaled), "%", "")
    sign = pc.if_else(pc.less(numbers, 0.0), "-", "")
    return pc.binary_join_element_wise(sign, f"{shown.currency} ", number_texts(pc.abs(numbers)), "")


def number_texts(numbers: pa.Array) -> pa.Array:
    """Numbers (float64) as texts, whole ones without ".0"."""
    whole = pc.and_(pc.equal(pc.floor(numbers), numbers), pc.less(pc.abs(numbers), 2.0 ** 53))
    as_int = pc.if_else(whole, numbers, 0.0).cast(pa.int64()).cast(pa.string())
    return pc.if_else(whole, as_int, numbers.cast(pa.string()))
