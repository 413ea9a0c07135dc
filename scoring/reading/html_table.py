"""The rows of the biggest table in a web page: what many CRMs and report tools save as ".xls".

Excel opens an HTML file named .xls without complaint, so exports such as "Export to Excel"
in older CRMs and report printers write one; a spreadsheet reader cannot. The page is parsed with
the standard library's HTML parser: each ``<tr>`` is a row and each ``<td>``/``<th>`` a cell
(its text with white space collapsed, ``<br>`` a space, entities decoded), a cell spanning
columns is followed by empty ones, and a table inside a cell is a table of its own. The table
with the most cells is the list.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Callable

from scoring.errors import Cancelled

__all__ = ["html_tables", "biggest_table"]

_PART = 1 << 20                  # characters fed to the parser at a time
_MAX_SPAN = 1000                 # columns one cell may span (a damaged colspan is not a grid)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str | None]]] = []
        self._open: list[list[list[str | None]]] = []     # the tables being read, innermost last
        self._cell: list[list[str]] = []                   # text of the open cell of each table
        self._span: list[int] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self._open.append([])
            self._cell.append([])
            self._span.append(0)
        elif not self._open:
            return
        elif tag == "tr":
            self._end_cell()
            self._open[-1].append([])
        elif tag in ("td", "th"):
            self._end_cell()
            if not self._open[-1]:
                self._open[-1].append([])          # a cell before any <tr>
            span = dict(attrs).get("colspan") or "1"
            self._span[-1] = min(int(span), _MAX_SPAN) if span.strip().isdigit() and int(span) > 0 else 1
            self._cell[-1] = [""]
        elif tag in ("br", "p", "div", "li") and self._cell[-1]:
            self._cell[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        if tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "table":
            self._end_cell()
            table = self._open.pop()
            self._cell.pop()
            self._span.pop()
            self.tables.append([row for row in table if row])

    def handle_data(self, data: str) -> None:
        if self._open and self._cell[-1]:
            self._cell[-1].append(data)

    def _end_cell(self) -> None:
        if not self._cell[-1]:
            return
        text = " ".join("".join(self._cell[-1]).split())
        row = self._open[-1][-1]
        row.append(text or None)
        row.extend([None] * (self._span[-1] - 1))
        self._cell[-1] = []

    def close(self) -> None:
        super().close()
        while self._open:                                  # a page cut short: keep what was read
            self.handle_endtag("table")


def html_tables(text: str, *, on_progress: Callable[[float], None] | None = None,
                is_cancelled: Callable[[], bool] | None = None) -> list[list[list[str | None]]]:
    """Every table of the page, as rows of cell texts (None for an empty cell).

    The page is read a megabyte at a time: ``on_progress`` hears how far, ``is_cancelled`` is
    asked before each part (and raises ``Cancelled``).
    """
    parser = _Tables()
    for start in range(0, len(text), _PART):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        parser.feed(text[start:start + _PART])
        if on_progress is not None:
            on_progress(min(1.0, (start + _PART) / len(text)))
    parser.close()
    return [table for table in parser.tables if table]


def biggest_table(text: str, **progress) -> list[list[str | None]]:
    """The rows of the table with the most cells ([] when the page has none); ``progress``:
    ``on_progress`` and ``is_cancelled`` as for ``html_tables``."""
    tables = html_tables(text, **progress)
    return max(tables, key=lambda rows: sum(map(len, rows))) if tables else []
