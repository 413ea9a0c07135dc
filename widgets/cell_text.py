"""How much of a cell the widgets show.

A lead list can hold a cell of megabytes (a pasted e-mail thread, a broken export). Measuring
and painting such a text takes Qt tens of seconds on the GUI thread, and nobody reads it in a
table cell, so every widget shows at most ``CELL_CHARS`` characters of a value and an ellipsis.
The values themselves are never cut: rules, search, export and "treat as missing" see them whole.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["CELL_CHARS", "clipped", "clipped_array"]

CELL_CHARS = 1000
_ELLIPSIS = "…"


def clipped(text: str, limit: int = CELL_CHARS) -> str:
    """``text``, or its first ``limit - 1`` characters and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def clipped_array(strings: pa.Array, limit: int = CELL_CHARS) -> pa.Array:
    """``strings`` with every value longer than ``limit`` clipped (the same array when none is)."""
    if not len(strings):
        return strings
    # bytes first: no text is longer in characters than in bytes, and byte lengths need no decoding
    if (pc.max(pc.binary_length(strings)).as_py() or 0) <= limit:
        return strings
    long = pc.greater(pc.utf8_length(strings), limit)
    if not pc.any(long).as_py():
        return strings
    kind = strings.type                      # string or large_string: the pieces must match
    short = pc.binary_join_element_wise(pc.utf8_slice_codeunits(strings, 0, limit - 1),
                                        pa.scalar(_ELLIPSIS, kind), pa.scalar("", kind))
    return pc.if_else(long, short, strings)
