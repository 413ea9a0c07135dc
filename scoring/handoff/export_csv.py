"""The CSV side of exports: pyarrow's writer with the user's delimiter, byte-order mark and line ends.

Excel on Windows opens a UTF-8 CSV correctly only when it starts with a byte-order mark, and some
CRMs want Windows line ends or semicolons (where the comma is the decimal separator): those are
:class:`CsvOptions`. Excel set to German (and most of Europe) reads ``1234,56`` as a number and
``1234.56`` as text: ``decimal=","`` writes numbers that way (:data:`EXCEL_GERMAN` is the whole
preset: semicolons, decimal commas, a byte-order mark). Cells are written as given (the caller
neutralises formula-like text and formats numbers with :func:`number_texts`).
"""

from __future__ import annotations

import queue
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
#: rows per batch written (and per check for cancel); each batch makes its own reasons, which
#: costs less the more rows share their distinct texts
BATCH_ROWS = 131_072
#: batches built at once, on as many threads, while one is written
AHEAD = 2
#: the size of a buffer for a batch's CSV text at first (it doubles when a batch needs more)
_FIRST_TEXT_BYTES = 8 << 20


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
    Python's lock: on two cores, two batches at once; the text in buffers used again, see
    :class:`_TextBuffers`) while this thread writes the finished ones in order; what is written goes to disk meanwhile (:class:`scoring.atomic.SyncBehind`). Every
    batch must have the first one's columns; types that differ (a column of codes in one batch,
    texts in another) are cast to the first batch's.

    Raises
    ------
    Cancelled
        When ``is_cancelled()`` returns True between batches.
    """
    spans = [(lo, min(lo + BATCH_ROWS, n_rows)) for lo in range(0, max(n_rows, 1), BATCH_ROWS)]
    texts = _TextBuffers(options)

    def rendered(lo: int, hi: int) -> tuple[pa.Table, pa.Buffer, int]:
        table = batch(lo, hi)
        return (table, *texts.render(table, header=lo == 0))

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
                table, buffer, size = pending.popleft().result()
                if schema is None:
                    schema = table.schema
                elif table.schema != schema:
                    texts.give_back(buffer)
                    buffer, size = texts.render(table.cast(schema), header=False)
                del table
                if k + AHEAD < len(spans):
                    pending.append(pool.submit(rendered, *spans[k + AHEAD]))
                handle.write(memoryview(buffer)[:size])
                texts.give_back(buffer)
                sync.written()
                if on_progress is not None:
                    on_progress(hi / max(n_rows, 1))
        finally:
            for future in pending:
                future.cancel()


class _TextBuffers:
    """Buffers for the CSV text of batches, used again once a batch is written.

    A new buffer for every batch made the system hand out (and zero) fresh memory for each:
    3.5 GB of it for ten million leads. A batch whose text does not fit is rendered again into
    a buffer twice the size, which is then kept.
    """

    def __init__(self, options: CsvOptions) -> None:
        self._options = (options.delimiter, options.line_end)
        self._free: queue.SimpleQueue = queue.SimpleQueue()

    def render(self, table: pa.Table, header: bool) -> tuple[pa.Buffer, int]:
        """``table`` as CSV text (with the header line when ``header``): a buffer and how many
        of its bytes hold the text."""
        delimiter, eol = self._options
        write_options = pacsv.WriteOptions(include_header=header, delimiter=delimiter, eol=eol)
        try:
            buffer = self._free.get_nowait()
        except queue.Empty:
            buffer = pa.allocate_buffer(_FIRST_TEXT_BYTES)
        while True:
            sink = pa.FixedSizeBufferWriter(buffer)
            try:
                pacsv.write_csv(table, sink, write_options=write_options)
                return buffer, sink.tell()
            except OSError as exc:
                if "out of bounds" not in str(exc):
                    raise
                buffer = pa.allocate_buffer(2 * buffer.size)

    def give_back(self, buffer: pa.Buffer) -> None:
        self._free.put(buffer)


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
