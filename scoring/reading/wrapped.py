"""Files whose every whole row is one quoted field (``"name,email,score"`` on each line).

Some CRM and marketing-tool exports (and CSVs saved again by a program that took each line for
one value) wrap each line in quotes and double the quotes inside. Read as CSV, such a file is one
column whose values are the real rows. Leadbench unwraps it: when every line of the sample is a
single quoted field, and the fields' contents split the same way into two or more columns, the
contents are read as the table (with a note saying so). A genuine one-column list whose values
hold commas ("Acme, Inc") is left alone: its header does not split like its values.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Callable

from scoring.errors import Cancelled

__all__ = ["looks_wrapped", "unwrap", "WRAPPED_NOTE"]

WRAPPED_NOTE = ("Each row of the file was one quoted field (“a,b,c”); Leadbench read the fields "
                "inside the quotes as the columns.")
_BATCH = 50_000


def looks_wrapped(text: str, rows: list[list[str]], sniff: Callable[[str], str]) -> str | None:
    """The delimiter inside the quotes when every sampled row is one quoted field, else None.

    ``text`` is the decoded start of the file, ``rows`` its rows as already split (one field
    each when wrapped), ``sniff`` finds a delimiter in text.
    """
    filled = [r for r in rows if any(c.strip() for c in r)]
    if len(filled) < 2 or any(len(r) != 1 for r in filled):
        return None
    lines = [line for line in text.splitlines() if line.strip()][:len(filled)]
    if not lines or not all(line.lstrip().startswith('"') and line.rstrip().endswith('"')
                            for line in lines[:-1]):
        return None
    inner = "\n".join(r[0] for r in filled)
    delimiter = sniff(inner)
    widths = [len(r) for r in csv.reader(io.StringIO(inner, newline=""), delimiter=delimiter)]
    width, count = Counter(widths).most_common(1)[0]
    if width < 2 or widths[0] != width or count < 0.8 * len(widths):
        return None
    return delimiter


def unwrap(stream, codec: str, delimiter: str, *, is_cancelled=None) -> bytes:
    """The rows' contents as UTF-8 CSV text, one line per row (a binary stream in, read once).

    ``delimiter`` is the one the wrapped file was read with (a row that, unlike the others, has
    several fields keeps them, joined by it)."""
    text = io.TextIOWrapper(stream, encoding=codec, newline="", errors="replace")
    out = io.StringIO()
    for i, row in enumerate(csv.reader(text, delimiter=delimiter, strict=False)):
        if i % _BATCH == 0 and is_cancelled is not None and is_cancelled():
            raise Cancelled()
        if row:
            out.write(delimiter.join(row))
            out.write("\n")
    return out.getvalue().encode("utf-8")
