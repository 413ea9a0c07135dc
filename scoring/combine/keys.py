"""Match keys: which row of another file belongs to which lead, and what the match looks like.

Keys are compared as texts: an ``id`` as its cell text with outer spaces trimmed; an ``email``
trimmed and case-folded (``scoring.emails``); a ``name`` as person + company normalised as the
duplicate finder does (``scoring.names``). An empty or missing key matches nothing. Both sides are
hashed together by Arrow into one code per distinct key, so every later step is integer work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scoring.combine.errors import CombineError
from scoring.emails import fold_texts
from scoring.model.recipe import MatchKey
from scoring.names import normalise_name_texts
from scoring.reading import LeadTable

__all__ = ["KeyMatch", "MatchPreview", "key_texts", "match_keys", "check_columns"]

_SEP = "\x1f"


def check_columns(table: LeadTable, columns, label: str, what: str = "column") -> None:
    """Raise ``CombineError`` naming ``label`` (a file name) and the first column it lacks."""
    for column in columns:
        if column not in table.types:
            shown = ", ".join(f"'{c}'" for c in list(table.types)[:8])
            more = "…" if len(table.types) > 8 else ""
            raise CombineError(f"{label} has no {what} '{column}' (its columns: {shown}{more}); "
                               "choose one of its columns")


def _null_blank(texts: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(texts, ""), pa.nulls(len(texts), pa.string()), texts)


def _cell_texts(table: LeadTable, column: str) -> pa.Array:
    """The column's cell texts, trimmed; null where the typed value is missing."""
    texts = table.raw.column(column)
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    missing = table.frame[column].isna().to_numpy(bool)
    trimmed = pc.utf8_trim_whitespace(texts.cast(pa.string()))
    if missing.any():
        trimmed = pc.if_else(pa.array(missing), pa.nulls(len(trimmed), pa.string()), trimmed)
    return _null_blank(trimmed)


def key_texts(table: LeadTable, columns: tuple[str, ...], by: str) -> pa.Array:
    """One comparable key text per row of ``table`` (null: no key)."""
    if by == "id":
        return _cell_texts(table, columns[0])
    if by == "email":
        return _null_blank(fold_texts(_cell_texts(table, columns[0])))
    parts = [normalise_name_texts(_cell_texts(table, c)) for c in columns]
    person = pc.binary_join_element_wise(*parts[:-1], " ", null_handling="skip") if len(parts) > 2 \
        else parts[0]
    person = _null_blank(person)
    return pc.binary_join_element_wise(person, parts[-1], _SEP)      # null when either is null


@dataclass(frozen=True)
class MatchPreview:
    """How the rows of a file match the leads, as the user sees it before accepting."""

    file: str
    leads: int
    matched_leads: int
    rows: int
    unmatched_rows: int
    multi_leads: int

    def text(self) -> str:
        """"7,412 of 8,000 leads matched; 23 rows of deals.csv match no lead; 12 leads match more
        than one row"."""
        parts = [f"{self.matched_leads:,} of {self.leads:,} leads matched"]
        row = "row" if self.unmatched_rows == 1 else "rows"
        parts.append(f"{self.unmatched_rows:,} {row} of {self.file} match no lead"
                     if self.unmatched_rows else f"every row of {self.file} matches a lead")
        if self.multi_leads:
            lead = "lead matches" if self.multi_leads == 1 else "leads match"
            parts.append(f"{self.multi_leads:,} {lead} more than one row")
        return "; ".join(parts)


@dataclass
class KeyMatch:
    """Leads and rows of one file coded by key.

    Attributes
    ----------
    lead_codes : per lead, the code of its key (-1: no key)
    row_codes : per row of the file, the code of its key (-1: no key)
    n_codes : how many distinct keys both sides hold
    rows_per_code : how many rows of the file carry each key
    preview : the match in numbers
    """

    lead_codes: np.ndarray
    row_codes: np.ndarray
    n_codes: int
    rows_per_code: np.ndarray
    preview: MatchPreview

    @property
    def matched(self) -> np.ndarray:
        """Per lead, True when at least one row of the file matches it."""
        counts = np.append(self.rows_per_code, 0)
        return counts[self.lead_codes] > 0


def match_keys(leads: LeadTable, rows: LeadTable, key: MatchKey, *, leads_label: str,
               file_label: str) -> KeyMatch:
    """Code both sides by ``key``; raises ``CombineError`` for a missing key column, keys that
    never match, or (matching by id) an id that several leads share while several rows of the
    file carry it too (many leads to one row, such as leads to their account, is fine)."""
    check_columns(leads, key.leads, leads_label, "key column")
    check_columns(rows, key.file, file_label, "key column")
    left = key_texts(leads, key.leads, key.by)
    right = key_texts(rows, key.file, key.by)
    encoded = pc.dictionary_encode(pa.concat_arrays([left, right]))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    n_codes = len(encoded.dictionary)
    lead_codes, row_codes = codes[:len(left)], codes[len(left):]
    rows_per_code = np.bincount(row_codes[row_codes >= 0], minlength=n_codes)
    counts = np.append(rows_per_code, 0)[lead_codes]
    leads_per_code = np.bincount(lead_codes[lead_codes >= 0], minlength=n_codes)
    matched_leads = int(np.count_nonzero(counts))
    unmatched_rows = int(np.count_nonzero(np.append(leads_per_code, 0)[row_codes] == 0))
    preview = MatchPreview(file_label, len(lead_codes), matched_leads, len(row_codes),
                           unmatched_rows, int(np.count_nonzero(counts > 1)))
    lead_cols = " + ".join(f"'{c}'" for c in key.leads)
    file_cols = " + ".join(f"'{c}'" for c in key.file)
    many_to_many = (leads_per_code > 1) & (rows_per_code > 1)
    if key.by == "id" and many_to_many.any():
        code = int(np.argmax(np.where(many_to_many, leads_per_code, 0)))
        raise CombineError(
            f"{leads_label}'s column {lead_cols} holds the same id on several leads "
            f"('{_shown(encoded.dictionary[code])}' on {int(leads_per_code[code]):,} leads) and {file_label} "
            f"has {int(rows_per_code[code]):,} rows with it, so those rows cannot be given to one lead each; "
            "match by a column that is unique per lead")
    if matched_leads == 0:
        example_left = _first(left)
        example_right = _first(right)
        seen = (f" (leads have e.g. '{example_left}', {file_label} has e.g. '{example_right}')"
                if example_left is not None and example_right is not None else "")
        raise CombineError(f"no lead matches a row of {file_label}: {leads_label}'s column {lead_cols} "
                           f"and {file_label}'s column {file_cols} share no value{seen}; "
                           "choose other key columns")
    return KeyMatch(lead_codes, row_codes, n_codes, rows_per_code, preview)


def _first(texts: pa.Array) -> str | None:
    valid = pc.drop_null(texts)
    return _shown(valid[0]) if len(valid) else None


def _shown(scalar) -> str:
    text = str(scalar.as_py() if hasattr(scalar, "as_py") else scalar).replace(_SEP, " · ")
    return text if len(text) <= 40 else text[:39] + "…"
