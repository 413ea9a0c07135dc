"""Reading delimited text files (CSV, TSV, TXT) into columns of cell texts with pyarrow.

pyarrow's CSV parser is multi-threaded and several times faster than a Python parser; we sniff
the encoding, delimiter and header row from the first bytes with the standard csv module, then let
pyarrow read every column as text (typing happens afterwards, see column_typing).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring.errors import LoadError
from scoring.reading.arrow_texts import binary_as_text, is_ascii
from scoring.reading.footer import MAX_FOOTER, footer_note, footer_rows, reads_like_footer
from scoring.reading.encoding import MIXED_ENCODING, detect_encoding, is_binary, is_wide_text
from scoring.reading.headers import find_header_row, unique_names
from scoring.reading.ragged import ProgressReader, read_ragged, text_codec
from scoring.reading.numbers import DELIMITER_KEY
from scoring.reading.wrapped import WRAPPED_NOTE, looks_wrapped, unwrap

__all__ = ["read_text_table", "sniff_delimiter", "ends_inside_quotes", "MAX_COLUMNS"]

_HEAD_BYTES = 256 * 1024
_DELIMITERS = [",", ";", "\t", "|"]
_BLOCK = 4 << 20
_MAX_BLOCK = 1 << 30             # a row longer than this is refused (pyarrow reads it in one block)
_MAX_LINE = 16 << 20             # a first line longer than this is not a header
_TAIL_BYTES = 4096
#: Excel's limit; a file with more columns is not a lead list (or its separator was misread)
MAX_COLUMNS = 16_384
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
#: the first line Excel reads as the field separator to use ("sep=;"), written by some exports
_SEPARATOR_HINT = re.compile(r'\A"?sep=([^\r\n"])"?[ \t]*\r?\n', re.IGNORECASE)
#: a cell holding ="text", Excel's formula for a literal text (with "" for a quote inside)
_FORMULA_TEXT = r'^="((?:[^"]|"")*)"$'
_FORMULA_LOOK = 1000             # rows in which a column must show such a cell
_MIXED_NOTE = "Some characters were not valid UTF-8 and were read as Windows-1252."


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


def _read_head(handle, path: Path, size: int) -> bytes:
    """The first ``_HEAD_BYTES`` of the file, or more when its first line is longer (a very wide
    header); refuses a file whose first ``_MAX_LINE`` bytes hold no line break."""
    head = handle.read(_HEAD_BYTES)
    if b"\n" in head or b"\r" in head or size <= len(head):
        return head
    parts = [head]
    read = len(head)
    while read < size:
        if read >= _MAX_LINE:
            raise LoadError(path, f"its first {_MAX_LINE >> 20} MB hold no line break, so it is not a "
                            "list with one lead per line", "Check that it is a CSV export of your "
                            "leads; if it is, export it again (its line breaks may have been lost).")
        more = handle.read(1 << 20)
        if not more:
            break
        parts.append(more)
        read += len(more)
        if b"\n" in more or b"\r" in more:
            parts.append(handle.read(_HEAD_BYTES))   # a few rows after the header, for sniffing
            break
    return b"".join(parts)


def read_text_table(path: Path, *, on_progress: Callable[[float], None] | None = None,
                    is_cancelled: Callable[[], bool] | None = None,
                    data: bytes | None = None) -> tuple[pa.Table, list[str]]:
    """Every column of a delimited text file as text, and warnings for the user.

    ``data``: the file's bytes already in memory (an unwrapped file); ``path`` then only names it.
    """
    if data is not None:
        size, opener = len(data), lambda: io.BytesIO(data)
    else:
        size, opener = os.path.getsize(path), lambda: open(path, "rb")
    with opener() as handle:
        head = _read_head(handle, path, size)
    if not head.strip(b"\r\n\t ,;|\xef\xbb\xbf"):
        raise LoadError(path, "the file is empty", "Export the lead list again and check it has rows.")
    encoding, bom = detect_encoding(head)
    if not bom and is_wide_text(head):
        raise LoadError(path, "its text encoding cannot be read (UTF-16 or UTF-32 without a "
                        "byte-order mark)", "Save it again from Excel as “CSV UTF-8”, or as .xlsx.")
    if is_binary(head, encoding):
        kind, advice = _binary_kind(head)
        raise LoadError(path, f"this is not a text table (it looks like {kind})", advice)
    warnings: list[str] = []
    if encoding == "cp1252":
        encoding = MIXED_ENCODING
        warnings.append(_MIXED_NOTE if _UTF8_SEQUENCE.search(head) else
                        "The file is not UTF-8; it was read as Windows-1252 (Western European).")
    text = _decode_head(head, encoding, bom)
    hint = _SEPARATOR_HINT.match(text)
    delimiter = hint.group(1) if hint else sniff_delimiter(text)
    rows = _sample_rows(text, delimiter)
    inner = looks_wrapped(text, rows, sniff_delimiter) if data is None else None
    if inner is not None:
        with opener() as handle:
            source = ProgressReader(handle, size, on_progress, is_cancelled)
            unwrapped = unwrap(io.BufferedReader(source, 1 << 20), text_codec(encoding, bom),
                               delimiter, is_cancelled=is_cancelled)
        table, more = read_text_table(path, is_cancelled=is_cancelled, data=unwrapped)
        return table, [WRAPPED_NOTE, *warnings, *(w for w in more if w not in warnings)]
    # Excel's "sep=;" first line names the separator; it is no title row above the header
    header_at = find_header_row(rows[1:]) + 1 if hint else find_header_row(rows)
    if header_at >= len(rows):
        raise LoadError(path, "no table was found in the file", "Check that it holds a list of leads.")
    data_widths = Counter(len(r) for r in rows[header_at + 1:] if any(c.strip() for c in r))
    width = max(len(rows[header_at]), data_widths.most_common(1)[0][0] if data_widths else 0)
    if width > MAX_COLUMNS:
        raise LoadError(path, f"its header row has {width:,} columns; Leadbench reads at most "
                        f"{MAX_COLUMNS:,} (as many as Excel)", "Check that the file is a lead list "
                        "with one lead per line, or keep only the columns you need and save it again.")
    names = unique_names(rows[header_at], width)
    if width < 2 and len(rows) > 1 and not any(delimiter in line for line in text.splitlines()[:5]):
        warnings.append("Only one column was found; the file may use an unusual separator.")
    if header_at > bool(hint):
        above = header_at - bool(hint)
        warnings.append(f"Skipped {above} line{'s' if above > 1 else ''} above the header row.")

    skipped: list[str] = []

    def on_invalid(row) -> str:
        skipped.append(row.text)
        return "skip"

    quoted_newlines = any("\n" in cell or "\r" in cell for row in rows for cell in row)
    block = {"size": _BLOCK}

    def read(enc: str, newlines_in_values: bool) -> pa.Table:
        read_opts = pacsv.ReadOptions(column_names=names, skip_rows=header_at + 1,
                                      block_size=block["size"],
                                      encoding="utf8" if enc == "utf-8" else enc)
        parse_opts = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines_in_values,
                                        invalid_row_handler=on_invalid, ignore_empty_lines=True)
        # read as bytes, checked as UTF-8 after (binary_as_text): the parse 5-7% faster
        convert_opts = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.binary()),
                                            strings_can_be_null=False,
                                            quoted_strings_can_be_null=False)
        with opener() as handle:
            source = ProgressReader(handle, size, on_progress, is_cancelled)
            try:
                table = pacsv.read_csv(source, read_options=read_opts, parse_options=parse_opts,
                                       convert_options=convert_opts)
            except pa.ArrowInvalid as exc:
                if "skip initial" not in str(exc):
                    raise
                # the header is the last line and has no line break: a list without leads
                return pa.table({name: pa.array([], pa.string()) for name in names})
        return pa.Table.from_arrays([binary_as_text(c) for c in table.columns], names=table.column_names)

    def read_all(enc: str) -> pa.Table:
        # Parsing is a third faster when no quoted field holds a line break; when the sample
        # shows none but rows come out broken, read again allowing them.
        try:
            table = read(enc, quoted_newlines)
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc) or block["size"] > size:
                raise
            # a row longer than a block (a huge notes cell): read again in one block
            if size > _MAX_BLOCK:
                raise LoadError(path, "one of its rows is longer than "
                                f"{_MAX_BLOCK >> 20} MB", "Check that it is a CSV export of your "
                                "leads, or remove the very long cells and save it again.") from None
            skipped.clear()
            block["size"] = size + 1
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
        warnings.append(_MIXED_NOTE)
        table = read_all(encoding)
    tail = _tail(opener, size)
    if skipped and width > 1 and encoding != "utf-16" and _is_footer(tail, skipped, delimiter):
        warnings.append(footer_note(skipped))
        skipped.clear()                   # (the parser left them out already)
    if skipped:
        cut_off = _is_cut_off(tail, skipped[-1], encoding, bom, opener)
        if cut_off:
            warnings.append(_cut_off_note(skipped[-1]))
        if len(skipped) > int(cut_off):
            table, uneven = read_ragged(path, codec=text_codec(encoding, bom), delimiter=delimiter,
                                        header_at=header_at, names=names, drop_last=cut_off,
                                        on_progress=on_progress, is_cancelled=is_cancelled,
                                        opener=opener)
            warnings.append(_uneven_warning(uneven, width, table.num_columns))
    elif table.num_rows and ends_inside_quotes(tail, encoding, delimiter):
        last = table.slice(table.num_rows - 1).to_pylist()[0]
        table = table.slice(0, table.num_rows - 1)
        warnings.append(_cut_off_note(delimiter.join(v or "" for v in last.values())))
    table = _drop_empty_trailing(table, header_blank=[not str(c).strip() for c in rows[header_at]])
    table = _without_inner_marks(table)
    table, texts = _formula_texts(table)
    if texts:
        warnings.append(f"Cells written as =\"…\" (a formula that keeps Excel from changing them) were "
                        f"read as their text in {', '.join(f'“{n}”' for n in texts)}.")
    # the separator is evidence of how numbers are written (";" where the comma is the decimal mark)
    return table.replace_schema_metadata({DELIMITER_KEY: delimiter.encode()}), warnings


_SIGNATURES = [(b"\x89PNG", "an image"), (b"\xff\xd8\xff", "an image"), (b"GIF8", "an image"),
               (b"%PDF", "a PDF document"), (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file")]


def _binary_kind(head: bytes) -> tuple[str, str]:
    """What a binary file seems to be, and what to do, for the message refusing it."""
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head[:65536]:
            return ("an Excel workbook with a .csv name",
                    "Rename it to .xlsx, or open it in Excel and save it as CSV.")
        return "a zip archive", "Open a CSV, TSV or Excel file of leads (unzip the archive first)."
    if head.startswith(b"PAR1"):
        return "a Parquet file with a .csv name", "Rename it to .parquet and open it."
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind, "Open a CSV, TSV or Excel file of leads."
    return "a binary file", "Open a CSV, TSV or Excel file of leads."


def _is_footer(tail: bytes, skipped: list[str], delimiter: str) -> bool:
    """True when the rows the parser skipped (one field where the table has several) are the
    lines after the file's last blank line: a report's footer (see ``scoring.reading.footer``)."""
    lines = tail.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    fields = [0 if not line.strip() else len((_sample_rows(line, delimiter, 2) or [[0, 0]])[0])
              for line in lines[-(MAX_FOOTER + 1):]]
    n = footer_rows(fields)
    return (bool(n) and n == len(skipped) and reads_like_footer(skipped)
            and [line.strip() for line in lines[-n:]] == [row.strip() for row in skipped])


def _cut_off_note(row: str) -> str:
    return ("The file seems cut off: its last row was incomplete and was left out "
            f"({row[:60]!r}). Export the list again to get every lead.")


def _tail(opener, size: int) -> bytes:
    with opener() as handle:
        handle.seek(max(0, size - _TAIL_BYTES))
        return handle.read()


def ends_inside_quotes(tail: bytes, encoding: str, delimiter: str) -> bool:
    """True when the file stops inside a quoted field (no final line break, and the last line
    opens a quote it never closes): a download or copy that was interrupted."""
    if encoding == "utf-16" or tail.endswith((b"\n", b"\r")):
        return False
    line = tail.replace(b"\r", b"\n").rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    quoted, at_start, i = False, True, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if line[i + 1:i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif at_start and char == '"':
            quoted = True
        at_start = not quoted and char == delimiter
        i += 1
    return quoted


def _is_cut_off(tail: bytes, last_skipped: str, encoding: str, bom: int, opener) -> bool:
    """True when the file ends in the middle of ``last_skipped`` (no final line break, or an
    unclosed quote)."""
    if encoding == "utf-16":
        with opener() as handle:
            little = handle.read(2) == b"\xff\xfe"
        tail = tail[len(tail) % 2:]
        text = tail.decode("utf-16-le" if little else "utf-16-be", errors="replace")
    else:
        text = tail.decode("utf-8", errors="replace")
    ends_open = not text.endswith(("\n", "\r")) or last_skipped.count('"') % 2 == 1
    last_line = last_skipped.replace("\r\n", "\n").split("\n")[-1][-200:]
    return ends_open and text.rstrip("\r\n").endswith(last_line.rstrip("\r\n")[-40:])


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


def _without_inner_marks(table: pa.Table) -> pa.Table:
    """The table without the byte-order marks of files joined one under another (``cat a.csv
    b.csv``, each saved as "CSV UTF-8"): each lands at the start of a cell of the first column,
    where it hid the repeated header row and would stay in a value."""
    if not table.num_columns or not pa.types.is_string(table.schema.field(0).type):
        return table
    first = table.column(0)
    if all(is_ascii(chunk) for chunk in first.chunks) or not pc.any(pc.starts_with(first, "\ufeff")).as_py():
        return table
    return table.set_column(0, table.column_names[0], pc.replace_substring_regex(first, "^\ufeff", ""))


def _formula_texts(table: pa.Table) -> tuple[pa.Table, list[str]]:
    """The table with cells written ="0123" read as the text Excel shows (0123), in the
    columns where such cells come within the first rows (exports write them to keep the leading
    zeros of codes and phone numbers); and those columns' names."""
    found = []
    for i, name in enumerate(table.column_names):
        column = table.column(i)
        if not pc.any(pc.starts_with(column.slice(0, _FORMULA_LOOK), '="')).as_py():
            continue
        wrapped = pc.match_substring_regex(column, _FORMULA_TEXT)
        inner = pc.replace_substring(pc.replace_substring_regex(column, _FORMULA_TEXT, r"\1"), '""', '"')
        table = table.set_column(i, name, pc.if_else(wrapped, inner, column))
        found.append(name)
    return table, found


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:160]
