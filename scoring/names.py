"""Person and company names as match keys: the one definition the duplicate finder and the
join of another file (``scoring.combine``) share.

A name is compared after case folding (as the rule operators fold text), with punctuation and
symbols dropped and runs of white space made one space, so "O'Brien" at "Acme, Inc." is the same
as "obrien" at "acme inc". A blank name is no name (null).

Sits just above the shared floor: imports only ``scoring.emails`` (its text folding).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from scoring.emails import fold_texts

__all__ = ["normalise_name_texts"]


def normalise_name_texts(values) -> pa.Array:
    """Each value case-folded, punctuation and symbols removed, white space collapsed; blank or
    missing -> null. Returns an Arrow string array, one entry per value."""
    folded = fold_texts(values)
    words = pc.utf8_trim_whitespace(pc.replace_substring_regex(
        pc.replace_substring_regex(folded, r"[\p{P}\p{S}]+", ""), r"\s+", " "))
    return pc.if_else(pc.equal(words, ""), pa.nulls(len(words), pa.string()), words)
