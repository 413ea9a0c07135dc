"""Cell texts that stand for "no value": "Select", "--", "—", "n/a", "(blank)", "Unknown", "TBD".

A CRM's form leaves "Select" where nobody chose; a report writes "-" or "—" in an empty cell, a
pivot table "(blank)", an analytics export "(not set)". The data-quality report lists them so a
user can treat them as missing (``scoring.report.quality``); typing reads a column of numbers or
dates with such cells among them as numbers or dates, the placeholders missing
(``scoring.reading.column_typing``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["PLACEHOLDER_WORDS", "placeholder_key", "is_placeholder", "placeholder_mask"]

#: Cell texts (case-folded, without surrounding dashes, brackets and dots) that mean "not filled in".
PLACEHOLDER_WORDS = frozenset({
    "select", "please select", "select one", "choose", "choose one", "please choose", "n/a", "na",
    "n.a", "none", "null", "nil", "nan", "unknown", "not provided", "not specified", "not available",
    "not known", "undefined", "tbd", "tba", "#n/a", "blank", "empty", "no value", "missing", "not set",
})
_EDGE = " \t-–—_()[]<>.*?"
_MAX_MARKS = 5                   # a text of only dashes, dots and brackets ("-", "--", "(--)")
_LONGEST = 24                    # characters of the longest placeholder looked at


def placeholder_key(text: str) -> str:
    """The text case-folded, without surrounding spaces, dashes, brackets and dots."""
    return text.strip().casefold().strip(_EDGE)


def is_placeholder(text: str) -> bool:
    """True when ``text`` says "not filled in": a word of ``PLACEHOLDER_WORDS`` (in any case, in
    brackets or between dashes) or a few dashes, dots or brackets alone."""
    key = placeholder_key(text)
    return key in PLACEHOLDER_WORDS or (not key and 0 < len(text.strip()) <= _MAX_MARKS)


def placeholder_mask(values: pa.Array) -> np.ndarray:
    """``is_placeholder`` of each of a column's distinct texts; False for a missing one. Only
    short texts without a digit are looked at one by one (a column of numbers has few)."""
    candidates = pc.and_(pc.less_equal(pc.utf8_length(values), _LONGEST),
                         pc.invert(pc.match_substring_regex(values, r"\d")))
    mask = np.zeros(len(values), bool)
    for i in np.flatnonzero(pc.fill_null(candidates, False).to_numpy(zero_copy_only=False)):
        mask[i] = is_placeholder(values[int(i)].as_py())
    return mask
