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
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring.errors import LoadError
from scoring.reading.encoding import MIXED_ENCODING, detect_encoding, is_binary, is_wide_text
from scoring.reading.headers import find_header_row, unique_names
from scoring.reading.ragged import ProgressReader, read_ragged, text_codec

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
    if not bom and is_wide_text(head):
        raise LoadError(path, "its text encoding cannot be read (UTF-16 or UTF-32 without a "
                        "byte-order mark)", "Save it again from Excel as “CSV UTF-8”, or as .xlsx.")
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
        convert_opts = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                            strings_can_be_null=False,
                                            quoted_strings_can_be_null=False)
        with open(path, "rb") as handle:
            source = ProgressReader(handle, size, on_progress, is_cancelled)
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
        cut_off = _is_cut_off(path, skipped[-1], encoding, bom)
        if cut_off:
            warnings.append("The file seems cut off: its last row was incomplete and was left out "
                            f"({skipped[-1][:60]!r}). Export the list again to get every lead.")
        if len(skipped) > int(cut_off):
            table, uneven = read_ragged(path, codec=text_codec(encoding, bom), delimiter=delimiter,
                                        header_at=header_at, names=names, drop_last=cut_off,
                                        on_progress=on_progress, is_cancelled=is_cancelled)
            warnings.append(_uneven_warning(uneven, width, table.num_columns))
    return _drop_empty_trailing(table, header_blank=[not str(c).strip() for c in rows[header_at]]), warnings


def _is_cut_off(path: Path, last_skipped: str, encoding: str, bom: int) -> bool:
    """True when the file ends in the middle of ``last_skipped`` (no final line break, or an
    unclosed quote)."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    if encoding == "utf-16":
        tail = tail[len(tail) % 2:]
        text = tail.decode("utf-16-le" if _utf16_le(path) else "utf-16-be", errors="replace")
    else:
        text = tail.decode("utf-8", errors="replace")
    ends_open = not text.endswith(("\n", "\r")) or last_skipped.count('"') % 2 == 1
    last_line = last_skipped.replace("\r\n", "\n").split("\n")[-1][-200:]
    return ends_open and text.rstrip("\r\n").endswith(last_line.rstrip("\r\n")[-40:])


def _utf16_le(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\xff\xfe"


def _uneven_warning(uneven: list[int], width: int, final_width: int) -> str:
    shown = ", ".join(f"{n:,}" for n in uneven[:5]) + (" ..." if len(uneven) > 5 else "")
    plural = len(uneven) > 1
    text = (f"{len(uneven):,} row{'s' if plural else ''} (lead{'s' if plural else ''} {shown}) "
            f"{'have' if plural else 'has'} a different number of fields than the header ({width}); "
            f"{'they were' if plural else 'it was'} kept, with missing fields left empty")
    if final_width > width:
        text += f" and extra fields put in new columns (“Column {width + 1}” onwards)"
    return text + ". Check those rows in the original file."


def _drop_empty_trailing(table: pa.Table, header_blank: list[bool]) -> pa.Table:
    """Leave out columns at the right with no header and no value (trailing delimiters)."""
    keep = table.num_columns
    while keep > 1 and (keep > len(header_blank) or header_blank[keep - 1]):
        column = table.column(keep - 1)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        if len(column) and pc.max(pc.utf8_length(pc.utf8_trim_whitespace(column))).as_py():
            break
        keep -= 1
    return table if keep == table.num_columns else table.select(list(range(keep)))


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:160]
