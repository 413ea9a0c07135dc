"""The CSV side of exports: pyarrow's writer with the user's delimiter, byte-order mark and line ends.

Excel on Windows opens a UTF-8 CSV correctly only when it starts with a byte-order mark, and some
CRMs want Windows line ends or semicolons (where the comma is the decimal separator): those are
:class:`CsvOptions`. Excel set to German (and most of Europe) reads ``1234,56`` as a number and
``1234.56`` as text: ``decimal=","`` writes numbers that way (:data:`EXCEL_GERMAN` is the whole
preset: semicolons, decimal commas, a byte-order mark). Cells are written as given (the caller
neutralises formula-like text and formats numbers with :func:`number_texts`).
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring.atomic import SyncBehind
from scoring.errors import Cancelled, ExportError

__all__ = ["CsvOptions", "write_csv", "write_batches", "dates_without_midnight", "BATCH_ROWS", "number_texts", "DELIMITERS", "LINE_ENDS", "EXCEL_GERMAN"]

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
LINE_ENDS = {"\n": "LF (Mac, Linux)", "\r\n": "CRLF (Windows)"}
_BOM = b"\xef\xbb\xbf"
#: rows per batch written (and per check for cancel)
BATCH_ROWS = 65_536
#: batches built at once, on as many threads, while one is written
AHEAD = 2


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
        When ``is_cancelled()`` returns True between batches of rows.
    """
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            table = table.set_column(i, field.name, dates_without_midnight(table.column(i)))
    write_batches(lambda lo, hi: table.slice(lo, hi - lo), table.num_rows, target, options,
                  on_progress=on_progress, is_cancelled=is_cancelled)


def write_batches(batch: Callable[[int, int], pa.Table], n_rows: int, target: Path,
                  options: CsvOptions = CsvOptions(), *,
                  on_progress: Callable[[float], None] | None = None,
                  is_cancelled: Callable[[], bool] | None = None) -> None:
    """Write ``n_rows`` rows to ``target``, ``batch(lo, hi)`` giving rows ``lo`` to ``hi`` as a
    table (at least one call, for the header, even without rows).

    Batches are built and turned into CSV text on worker threads (Arrow work that runs without
    Python's lock: on two cores, two batches at once) while this thread writes the finished ones
    in order; what is written goes to disk meanwhile (:class:`scoring.atomic.SyncBehind`). Every
    batch must have the first one's columns; types that differ (a column of codes in one batch,
    texts in another) are cast to the first batch's.

    Raises
    ------
    Cancelled
        When ``is_cancelled()`` returns True between batches.
    """
    spans = [(lo, min(lo + BATCH_ROWS, n_rows)) for lo in range(0, max(n_rows, 1), BATCH_ROWS)]
    write_options = pacsv.WriteOptions(delimiter=options.delimiter, eol=options.line_end)

    def rendered(lo: int, hi: int) -> tuple[pa.Table, pa.Buffer]:
        table = batch(lo, hi)
        return table, _csv_text(table, write_options, header=lo == 0)

    with ThreadPoolExecutor(max_workers=AHEAD, thread_name_prefix="leadbench-csv") as pool, \
            open(target, "wb") as handle, SyncBehind(handle) as sync:
        pending = deque(pool.submit(rendered, *span) for span in spans[:AHEAD])
        schema = None
        try:
            if options.bom:
                handle.write(_BOM)
            for k, (lo, hi) in enumerate(spans):
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                table, text = pending.popleft().result()
                if k + AHEAD < len(spans):
                    pending.append(pool.submit(rendered, *spans[k + AHEAD]))
                if schema is None:
                    schema = table.schema
                elif table.schema != schema:
                    text = _csv_text(table.cast(schema), write_options, header=False)
                del table
                handle.write(text)
                sync.written()
                if on_progress is not None:
                    on_progress(hi / max(n_rows, 1))
        finally:
            for future in pending:
                future.cancel()


def _csv_text(table: pa.Table, write_options: pacsv.WriteOptions, header: bool) -> pa.Buffer:
    """``table`` as CSV text (with the header line when ``header``)."""
    sink = pa.BufferOutputStream()
    options = pacsv.WriteOptions(include_header=header, delimiter=write_options.delimiter,
                                 eol=write_options.eol)
    pacsv.write_csv(table, sink, write_options=options)
    return sink.getvalue()


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


def dates_without_midnight(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Timestamps that are all at midnight as dates (written 2026-01-05, not 2026-01-05 00:00:00)."""
    midnight = pc.all(pc.equal(pc.cast(values, pa.date32()).cast(values.type), values)).as_py()
    return pc.cast(values, pa.date32()) if midnight is not False else values
