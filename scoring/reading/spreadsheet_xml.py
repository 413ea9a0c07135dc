"""Reading "XML Spreadsheet 2003" files, which many exports save with an .xls name.

Excel 2002-2003 wrote workbooks as XML (``<Workbook xmlns="urn:schemas-microsoft-com:office:
spreadsheet">``: worksheets of rows of cells, each ``<Data ss:Type="Number">``), and report tools
still export it; Excel opens it, a spreadsheet reader does not. The file is parsed as it streams
(``iterparse``): ``ss:Index`` on a row or cell skips to that position, ``ss:MergeAcross`` spans
columns, and numbers, date-times and yes/no cells keep their kind, as they do from a workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
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


def _worksheets(path: Path):
    """(name, element) for each worksheet, the element filled in when its end is reached."""
    for _event, element in ElementTree.iterparse(path, events=("end",)):
        if element.tag == f"{_SS}Worksheet":
            yield element.get(f"{_SS}Name") or "Sheet", element


def xml_sheet_names(path: str | Path) -> list[tuple[str, int, int]]:
    """The worksheets' names, how many rows each holds and its widest row's cells. Raises
    ``ElementTree.ParseError``."""
    out = []
    for name, element in _worksheets(Path(path)):
        widths = [sum(1 for _ in row.iter(f"{_SS}Cell")) for row in element.iter(f"{_SS}Row")]
        out.append((name, len(widths), max(widths, default=0)))
        element.clear()
    return out


def xml_sheet_rows(path: str | Path, sheet: str | None = None) -> tuple[str, list[list]]:
    """The rows of the worksheet called ``sheet`` (the first with rows when None) and its name.

    Raises ``KeyError`` when there is no such sheet, ``ElementTree.ParseError`` when the file is
    not well-formed XML.
    """
    for name, element in _worksheets(Path(path)):
        if sheet is not None and name != sheet:
            element.clear()
            continue
        rows: list[list] = []
        for row in element.iter(f"{_SS}Row"):
            at = _index(row, len(rows))
            rows.extend([] for _ in range(at - len(rows)))
            cells: list = []
            for cell in row.iter(f"{_SS}Cell"):
                cells.extend([None] * (_index(cell, len(cells)) - len(cells)))
                data = cell.find(f"{_SS}Data")
                cells.append(_value(data) if data is not None else None)
                across = cell.get(f"{_SS}MergeAcross", "0")
                cells.extend([None] * min(int(across) if across.isdigit() else 0, _MAX_GAP))
            rows.append(cells)
        element.clear()
        if rows or sheet is not None:
            return name, rows
    raise KeyError(sheet)
