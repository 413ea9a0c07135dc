"""Reading delimited files whose rows do not all have the header's number of fields.

pyarrow's fast parser insists on one width; hand-edited exports often have a row with a missing
trailing field or a stray extra one. When that happens the file is read again with the standard
csv module (its C reader, in batches): short rows get empty cells, and extra fields go into new
columns ("Column 7") unless they are empty everywhere (trailing delimiters).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

import pyarrow as pa

from scoring.errors import Cancelled
from scoring.reading.headers import unique_names

__all__ = ["read_ragged", "ProgressReader", "text_codec"]

_BATCH = 50_000
_MAX_FIELD = 1 << 30


class ProgressReader(io.RawIOBase):
    """A read-only file wrapper that reports how far a parser has read and stops when cancelled."""

    def __init__(self, handle, size: int, on_progress: Callable[[float], None] | None,
                 is_cancelled: Callable[[], bool] | None) -> None:
        super().__init__()
        self._handle, self._size = handle, max(size, 1)
        self._on_progress, self._is_cancelled = on_progress, is_cancelled
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled()
        n = self._handle.readinto(buffer)
        self._done += n or 0
        if self._on_progress is not None:
            self._on_progress(min(1.0, self._done / self._size))
        return n


def text_codec(encoding: str, bom: int) -> str:
    """The Python codec that decodes a file of ``encoding`` including its byte-order mark."""
    if encoding == "utf-16":
        return "utf-16"
    if encoding == "utf-8" and bom:
        return "utf-8-sig"
    return encoding


def read_ragged(path: Path, *, codec: str, delimiter: str, header_at: int, names: list[str],
                drop_last: bool, on_progress=None, is_cancelled=None,
                opener=None) -> tuple[pa.Table, list[int]]:
    """Every row of the file as text cells, padded or widened to fit; and the uneven rows' numbers.

    Parameters
    ----------
    path : the file (opened read-only)
    codec : a Python codec name (see ``text_codec``)
    delimiter, header_at : as sniffed; ``header_at`` counts csv records (blank lines included)
    names : the header names
    drop_last : leave out the last record (the file was cut off in the middle of it)
    opener : opens the file's bytes (default: the file at ``path``; an unwrapped file is in memory)

    Returns
    -------
    the table, and the 1-based numbers (among the leads) of the rows whose width differed
    """
    width = len(names)
    rows: list[list[str]] = []
    uneven: list[int] = []
    opener = opener or (lambda: open(path, "rb"))
    with opener() as handle:
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(0)
        raw = ProgressReader(handle, size, on_progress, is_cancelled)
        text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 20), encoding=codec, newline="",
                                errors="replace")
        csv.field_size_limit(max(csv.field_size_limit(), _MAX_FIELD))   # a huge notes cell is a cell
        reader = csv.reader(text, delimiter=delimiter, strict=False)
        for _ in range(header_at + 1):
            next(reader, None)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue            # blank line
            rows.append(row)
            if len(row) != width:
                uneven.append(len(rows))
            if len(rows) % _BATCH == 0 and is_cancelled is not None and is_cancelled():
                raise Cancelled()
    if drop_last and rows:
        rows.pop()
        if uneven and uneven[-1] == len(rows) + 1:
            uneven.pop()
    longest = max((len(r) for r in rows), default=width)
    # extra fields that are empty in every row are trailing delimiters, not data
    while longest > width and not any(len(r) >= longest and r[longest - 1].strip() for r in rows):
        longest -= 1
    columns = unique_names(names, longest)
    cells = [row[:longest] + [""] * (longest - len(row)) if len(row) != longest else row for row in rows]
    by_column = list(zip(*cells)) if cells else [()] * longest
    table = pa.table({name: pa.array(list(values), pa.string())
                      for name, values in zip(columns, by_column)})
    return table, uneven

