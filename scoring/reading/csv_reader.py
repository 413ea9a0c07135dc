"""Reading delimited text files (CSV, TSV, TXT) into columns of cell texts with pyarrow.

pyarrow's CSV parser is multi-threaded and several times faster than a Python parser; we sniff
the encoding, delimiter and header row from the first bytes with the standard csv module, then let
pyarrow read every column as text (typing happens afterwards, see column_typing).
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.csv as pacsv

from scoring.errors import Cancelled, LoadError
from scoring.reading.encoding import MIXED_ENCODING, detect_encoding, is_binary
from scoring.reading.headers import find_header_row, unique_names

__all__ = ["read_text_table", "sniff_delimiter"]

_HEAD_BYTES = 256 * 1024
_DELIMITERS = [",", ";", "\t", "|"]
_BLOCK = 4 << 20


def _sample_rows(text: str, delimiter: str, limit: int = 60) -> list[list[str]]:
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample's lines into the most consistent number of fields."""
    best, best_score = ",", (-1.0, 0)
    for delimiter in _DELIMITERS:
        rows = [r for r in _sample_rows(text, delimiter) if any(c.strip() for c in r)]
        widths = [len(r) for r in rows]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (count / len(widths), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _ProgressReader(io.RawIOBase):
    """A file wrapper that reports how far the parser has read and stops when cancelled."""

    def __init__(self, handle, size: int, on_progress, is_cancelled) -> None:
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


def _decode_head(head: bytes, encoding: str, bom: int) -> str:
    data = head[bom:]
    codec = "utf-16" if encoding == "utf-16" else encoding
    if codec == "utf-16":
        data = head
    text = data.decode(codec, errors="replace")
    cut = max(text.rfind("\n"), text.rfind("\r"))
    return text[:cut + 1] if cut > 0 and len(head) >= _HEAD_BYTES else text


def read_text_table(path: Path, *, on_progress: Callable[[float], None] | None = None,
                    is_cancelled: Callable[[], bool] | None = None) -> tuple[pa.Table, list[str]]:
    """Every column of a delimited text file as text, and warnings for the user."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head.strip(b"\r\n\t ,;|\xef\xbb\xbf"):
        raise LoadError(path, "the file is empty", "Export the lead list again and check it has rows.")
    encoding, bom = detect_encoding(head)
    if is_binary(head, encoding):
        raise LoadError(path, "this is not a text table (it looks like a binary file)",
                        "Open a CSV, TSV or Excel file of leads.")
    warnings: list[str] = []
    if encoding == "cp1252":
        encoding = MIXED_ENCODING
        warnings.append("The file is not UTF-8; it was read as Windows-1252 (Western European).")
    text = _decode_head(head, encoding, bom)
    delimiter = sniff_delimiter(text)
    rows = _sample_rows(text, delimiter)
    header_at = find_header_row(rows)
    if header_at >= len(rows):
        raise LoadError(path, "no table was found in the file", "Check that it holds a list of leads.")
    data_widths = Counter(len(r) for r in rows[header_at + 1:] if any(c.strip() for c in r))
    width = max(len(rows[header_at]), data_widths.most_common(1)[0][0] if data_widths else 0)
    names = unique_names(rows[header_at], width)
    if width < 2 and len(rows) > 1 and not any(delimiter in line for line in text.splitlines()[:5]):
        warnings.append("Only one column was found; the file may use an unusual separator.")
    if header_at:
        warnings.append(f"Skipped {header_at} line{'s' if header_at > 1 else ''} above the header row.")

    skipped: list[str] = []

    def on_invalid(row) -> str:
        skipped.append(row.text)
        return "skip"

    quoted_newlines = any("\n" in cell or "\r" in cell for row in rows for cell in row)

    def read(enc: str, newlines_in_values: bool) -> pa.Table:
        read_opts = pacsv.ReadOptions(column_names=names, skip_rows=header_at + 1, block_size=_BLOCK,
                                      encoding="utf8" if enc == "utf-8" else enc)
        parse_opts = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values,
                                        invalid_row_handler=on_invalid, ignore_empty_lines=True)
        convert_opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                            strings_can_be_null=False,
                                            quoted_strings_can_be_null=False)
        with open(path, "rb") as handle:
            source = _ProgressReader(handle, size, on_progress, is_cancelled)
            return pacsv.read_csv(source, read_options=read_opts, parse_options=parse_opts,
                                  convert_options=convert_opts)

    def read_all(enc: str) -> pa.Table:
        # Parsing is a third faster when no quoted field holds a line break; when the sample
        # shows none but rows come out broken, read again allowing them.
        table = read(enc, quoted_newlines)
        if skipped and not quoted_newlines and b'"' in head:
            skipped.clear()
            table = read(enc, True)
        return table

    try:
        table = read_all(encoding)
    except pa.ArrowInvalid as exc:
        if "UTF8" not in str(exc) and "utf8" not in str(exc).lower():
            raise LoadError(path, f"the file could not be read as a table ({_short(exc)})",
                            "Check that it is a CSV export of your leads.") from None
        skipped.clear()
        encoding = MIXED_ENCODING
        warnings.append("Some characters were not valid UTF-8 and were read as Windows-1252.")
        table = read_all(encoding)
    if skipped:
        warnings.append(_skipped_warning(skipped, width, delimiter))
    return table, warnings


def _skipped_warning(skipped: list[str], width: int, delimiter: str) -> str:
    last = skipped[-1]
    fields = len(next(csv.reader([last], delimiter=delimiter), []))
    if len(skipped) == 1 and fields < width:
        return ("The file seems cut off: its last row was incomplete and was left out "
                f"({last[:60]!r}).")
    examples = "; ".join(repr(s[:40]) for s in skipped[:3])
    return (f"{len(skipped):,} row{'s' if len(skipped) > 1 else ''} had a different number of "
            f"fields than the header ({width}) and {'were' if len(skipped) > 1 else 'was'} "
            f"left out, e.g. {examples}.")


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text[:160]
