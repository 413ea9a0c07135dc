"""Reading "XML Spreadsheet 2003" files, which many exports save with an .xls name.

Excel 2002-2003 wrote workbooks as XML (``<Workbook xmlns="urn:schemas-microsoft-com:office:
spreadsheet">``: worksheets of rows of cells, each ``<Data ss:Type="Number">``), and report tools
still export it; Excel opens it, a spreadsheet reader does not. The file is parsed as it streams
(``iterparse``, row by row): ``ss:Index`` on a row or cell skips to that position, ``ss:MergeAcross`` spans
columns, and numbers, date-times and yes/no cells keep their kind, as they do from a workbook.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator
from xml.etree import ElementTree

__all__ = ["xml_sheet_names", "xml_sheet_rows"]

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_MAX_GAP = 16_384                # columns or rows one ss:Index may skip (a damaged index is no grid)


def _index(element, current: int) -> int:
    """The 0-based position an element's ``ss:Index`` (1-based) puts it at, else ``current``."""
    value = element.get(f"{_SS}Index")
    if value and value.strip().isdigit() and 0 < int(value) - 1 - current <= _MAX_GAP:
        return int(value) - 1
    return current


def _value(data) -> object:
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type", "String")
    try:
        if kind == "Number":
            return float(text)
        if kind == "DateTime":
            return dt.datetime.fromisoformat(text.strip()[:19])
        if kind == "Boolean":
            return text.strip() in ("1", "true", "TRUE")
    except ValueError:
        pass
    return text if text != "" else None


def _rows(source) -> Iterator[tuple[str, object]]:
    """(worksheet name, row element) for each row as the file streams by, and (name, None) as
    each worksheet begins; each row is cleared once the caller has read it, so a big file never
    sits in memory as a tree."""
    name = "Sheet"
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if element.tag == f"{_SS}Worksheet":
            if event == "start":
                name = element.get(f"{_SS}Name") or "Sheet"
                yield name, None
            else:
                element.clear()
        elif event == "end" and element.tag == f"{_SS}Row":
            yield name, element
            element.clear()


def _cells(row) -> list:
    cells: list = []
    for cell in row.iter(f"{_SS}Cell"):
        cells.extend([None] * (_index(cell, len(cells)) - len(cells)))
        data = cell.find(f"{_SS}Data")
        cells.append(_value(data) if data is not None else None)
        across = cell.get(f"{_SS}MergeAcross", "0")
        cells.extend([None] * min(int(across) if across.isdigit() else 0, _MAX_GAP))
    return cells


def xml_sheet_names(source) -> list[tuple[str, int, int]]:
    """The worksheets' names (in order), how many rows each holds and its widest row's cells.
    ``source``: a path or a binary file. Raises ``ElementTree.ParseError``."""
    found: dict[str, list[int]] = {}
    for name, row in _rows(source):
        counts = found.setdefault(name, [0, 0])
        if row is None:
            continue
        counts[0] += 1
        counts[1] = max(counts[1], sum(1 for _ in row.iter(f"{_SS}Cell")))
    return [(name, rows, columns) for name, (rows, columns) in found.items()]


def xml_sheet_rows(source, sheet: str) -> list[list]:
    """The rows of the worksheet called ``sheet``. ``source``: a path or a binary file.

    Raises ``KeyError`` when there is no such sheet, ``ElementTree.ParseError`` when the file is
    not well-formed XML.
    """
    rows: list[list] | None = None
    for name, row in _rows(source):
        if name != sheet:
            if rows is not None:
                break                     # the sheet has ended
            continue
        rows = rows if rows is not None else []
        if row is None:
            continue
        at = _index(row, len(rows))
        rows.extend([] for _ in range(at - len(rows)))
        rows.append(_cells(row))
    if rows is None:
        raise KeyError(sheet)
    return rows
