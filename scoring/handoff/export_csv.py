"""The CSV side of exports: pyarrow's writer with the user's delimiter, byte-order mark and line ends.

Excel on Windows opens a UTF-8 CSV correctly only when it starts with a byte-order mark, and some
CRMs want Windows line ends or semicolons (where the comma is the decimal separator): those are
:class:`CsvOptions`. Excel set to German (and most of Europe) reads ``1234,56`` as a number and
``1234.56`` as text: ``decimal=","`` writes numbers that way (:data:`EXCEL_GERMAN` is the whole
preset: semicolons, decimal commas, a byte-order mark). Cells are written as given (the caller
neutralises formula-like text and formats numbers with :func:`number_texts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring.errors import Cancelled, ExportError

__all__ = ["CsvOptions", "write_csv", "number_texts", "DELIMITERS", "LINE_ENDS", "EXCEL_GERMAN"]

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
LINE_ENDS = {"\n": "LF (Mac, Linux)", "\r\n": "CRLF (Windows)"}
_BOM = b"\xef\xbb\xbf"
_CHUNK = 50_000


@dataclass(frozen=True)
class CsvOptions:
    """How a CSV file is written.

    Attributes
    ----------
    delimiter : one of ``DELIMITERS`` (default ",")
    bom : start the file with a UTF-8 byte-order mark (Excel on Windows wants it)
    line_end : "\\n" or "\\r\\n"
    decimal : "." (default: each cell as the lead list had it) or "," (numbers written with a
        decimal comma and no thousands mark, percentages as "12,5%", for Excel in German)
    """

    delimiter: str = ","
    bom: bool = False
    line_end: str = "\n"
    decimal: str = "."

    def __post_init__(self) -> None:
        if self.delimiter not in DELIMITERS:
            raise ExportError(f"Cannot write a CSV with {self.delimiter!r} between fields: use a comma, "
                              "semicolon, tab or vertical bar.")
        if self.line_end not in LINE_ENDS:
            raise ExportError("Line ends must be LF (\\n) or CRLF (\\r\\n).")
        if self.decimal not in (".", ","):
            raise ExportError(f"Cannot write numbers with {self.decimal!r} as the decimal mark: use a "
                              "point or a comma.")
        if self.decimal == self.delimiter:
            raise ExportError("Cannot write decimal commas in a CSV whose fields are separated by commas: "
                              "choose semicolons or tabs between fields.")

    @property
    def excel_german(self) -> bool:
        """True for the "CSV for Excel in German" preset (semicolons and decimal commas)."""
        return self.delimiter == ";" and self.decimal == ","


#: "CSV for Excel in German": semicolons between fields, decimal commas, a byte-order mark.
EXCEL_GERMAN = CsvOptions(delimiter=";", bom=True, decimal=",")


def write_csv(table: pa.Table, target: Path, options: CsvOptions = CsvOptions(), *,
              on_progress: Callable[[float], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> None:
    """Write ``table`` to ``target`` (the caller makes the write atomic).

    Timestamps that are all at midnight are written as dates (2026-01-05, not 2026-01-05 00:00:00).

    Raises
    ------
    Cancelled
        When ``is_cancelled()`` returns True between chunks of 50,000 rows.
    """
    table = _dates_without_midnight(table)
    write_options = pacsv.WriteOptions(delimiter=options.delimiter, eol=options.line_end)
    with open(target, "wb") as handle:
        if options.bom:
            handle.write(_BOM)
        with pacsv.CSVWriter(handle, table.schema, write_options=write_options) as writer:
            for start in range(0, max(table.num_rows, 1), _CHUNK):
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                writer.write_table(table.slice(start, _CHUNK))
                if on_progress is not None:
                    on_progress(min(1.0, (start + _CHUNK) / max(table.num_rows, 1)))


def number_texts(values: np.ndarray, decimal: str = ".", percent: bool = False) -> pa.Array:
    """Numbers as CSV texts, all at once: no thousands mark, ``decimal`` as the decimal mark,
    at most ten decimals (so 0.1 + 0.2 is "0,3"), fractions as percentages ("12,5%") when
    ``percent``; NaN (or a missing integer) becomes an empty cell."""
    values = np.asarray(values, dtype=float)
    scaled = values * 100.0 if percent else values
    texts = pa.array(np.round(scaled, 10), from_pandas=True).cast(pa.string())
    if decimal != ".":
        texts = pc.replace_substring(texts, ".", decimal)
    if percent:
        texts = pc.binary_join_element_wise(texts, pa.scalar("%"), "")
    return texts


def _dates_without_midnight(table: pa.Table) -> pa.Table:
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            column = table.column(i)
            midnight = pc.all(pc.equal(pc.cast(column, pa.date32()).cast(field.type), column)).as_py()
            if midnight is not False:
                table = table.set_column(i, field.name, pc.cast(column, pa.date32()))
    return table
