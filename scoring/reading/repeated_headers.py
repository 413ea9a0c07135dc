"""Header rows repeated inside a list: exports joined one under another (``cat jan.csv feb.csv``,
or sheets pasted together) carry the header again at each join. Such a row is no lead, and its
words in a column of numbers or dates would make the whole column text; the loader leaves them out
and says how many. So that a list without a header keeps a lead that comes twice, the header's
words must stand out among the values (a column of numbers, dates or addresses under a name).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scoring.reading.arrow_texts import cell_lengths, take_rows
from scoring.reading.placeholders import placeholder_mask

__all__ = ["drop_repeated_headers"]

_EVIDENCE_ROWS = 2_000


def drop_repeated_headers(raw: pa.Table) -> tuple[pa.Table, int]:
    """``raw`` (cell texts) without the rows that repeat the header, and how many there were.

    A row repeats the header when every cell is its column's name (ignoring case and spaces; a
    column named "Column 3" for want of a header takes an empty cell, "Email (2)" takes "Email").
    Only rows whose first cell is the first name are looked at: a big list costs one comparison.
    """
    if raw.num_rows == 0 or raw.num_columns < 2:
        return raw, 0
    first = raw.column(0)
    if not pa.types.is_string(first.type):
        return raw, 0
    name = raw.column_names[0]
    size = len(name.encode())
    lengths = cell_lengths(first)                 # (cells of the header's length, give or take spaces)
    near = np.flatnonzero((lengths >= size) & (lengths <= size + 8))
    if len(near) == 0:
        return raw, 0
    texts = take_rows(first, near)
    found = pc.equal(pc.utf8_lower(pc.utf8_trim_whitespace(texts)), name.lower())
    candidates = near[pc.fill_null(found, False).to_numpy(zero_copy_only=False)]
    if len(candidates) == 0:
        return raw, 0
    rows = raw.take(pa.array(candidates)).to_pylist()
    repeated = [r for r, row in zip(candidates, rows)
                if all(_is_header_cell(row[name], name) for name in raw.column_names)]
    if not repeated or not _stands_out(raw, repeated):
        return raw, 0
    keep = np.ones(raw.num_rows, bool)
    keep[repeated] = False
    return raw.filter(pa.array(keep)), len(repeated)


def _stands_out(raw: pa.Table, repeated: list[int]) -> bool:
    """Whether the header words stand out among the values: some column holds numbers, dates or
    addresses (a digit or an @ in nine cells of ten) under a name with neither. Without that, rows
    like the header may be leads like the first (a list whose first row is no header)."""
    others = np.setdiff1d(np.arange(min(raw.num_rows, _EVIDENCE_ROWS + len(repeated))), repeated)
    sample = raw.take(pa.array(others[:_EVIDENCE_ROWS]))
    for name in raw.column_names:
        if re.search(r"[\d@]", name):
            continue
        cells = pc.utf8_trim_whitespace(sample.column(name))
        filled = pc.fill_null(pc.greater(pc.utf8_length(cells), 0), False)
        marked = pc.fill_null(pc.match_substring_regex(cells, r"[\d@]"), False)
        n = pc.sum(filled).as_py() or 0
        hits = pc.sum(pc.and_(filled, marked)).as_py() or 0
        if n - hits and hits >= 2:       # cells saying "no value" ("-", "TBD") do not count
            others = pc.unique(cells.filter(pc.and_(filled, pc.invert(marked))))
            blanks = others.filter(pa.array(placeholder_mask(others)))
            if len(blanks):
                n -= pc.sum(pc.is_in(cells, value_set=blanks).cast(pa.int64())).as_py() or 0
        if n >= 2 and hits >= 0.9 * n:
            return True
    return False


def _is_header_cell(cell, name: str) -> bool:
    text = " ".join(str(cell or "").split()).lower()
    name = name.lower()
    if text == name:
        return True
    if not text:
        return re.fullmatch(r"column \d+", name) is not None
    return re.fullmatch(re.escape(text) + r" \(\d+\)", name) is not None
