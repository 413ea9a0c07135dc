"""Data-quality findings for the audit report: placeholder values, email addresses, duplicates.

Functions
---------
placeholder_values(table, markers) : cells such as "Select" or "--" that stand for "no value"
email_column(table, model) : the column holding contact emails (tagged, typed or by header)
email_quality(series, column) : invalid and free-mail addresses in an email column
duplicate_findings(frame, email_column, types) : leads sharing an email address

The email and duplicate checks delegate to ``scoring.emails`` and ``scoring.handoff.duplicates``, so the
report and the window's Data quality panel count the same addresses and the same duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import DEFAULT_MISSING_MARKERS, ColumnTag, ColumnType
from scoring.emails import email_domain, free_mail_mask, valid_email_mask
from scoring.handoff.duplicates import find_duplicates
from scoring.reading.placeholders import PLACEHOLDER_WORDS, is_placeholder, placeholder_key
from scoring.reading.tagging import guess_tags

__all__ = ["Placeholder", "EmailFindings", "DuplicateFindings", "PLACEHOLDER_WORDS",
           "placeholder_values", "email_column", "email_quality", "duplicate_findings"]

_MAX_PLACEHOLDER_CHARS = 24
EXAMPLES = 5


@dataclass(frozen=True)
class Placeholder:
    """``count`` cells of ``column`` read ``value`` (its most common spelling), a text that means
    "not filled in"; ``treated_as_missing`` when the loader or the model already ignores it."""

    column: str
    value: str
    count: int
    treated_as_missing: bool


@dataclass(frozen=True)
class EmailFindings:
    """Email addresses of ``column``: ``filled`` cells, ``invalid`` ones that are not an address,
    ``free_mail`` ones at a free-mail provider (gmail, yahoo, outlook…), with a few examples of
    invalid texts and the commonest free-mail domains."""

    column: str
    filled: int
    invalid: int
    free_mail: int
    invalid_examples: tuple[str, ...]
    free_domains: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DuplicateFindings:
    """Leads that share a normalised email address (case and spaces ignored): ``groups`` sets of
    duplicates holding ``extra_rows`` leads beyond the first of each, and the largest groups.
    ``by`` names what they share, in words ("email address (column “email”)")."""

    by: str
    groups: int
    extra_rows: int
    largest: tuple[tuple[str, int], ...]


def _distinct_counts(column: pa.ChunkedArray) -> tuple[list, np.ndarray]:
    """The distinct short texts of a column of cell texts and how often each occurs."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(array.type):
        indices = array.indices.to_numpy(zero_copy_only=False)
        valid = ~np.asarray(array.is_null().to_numpy(zero_copy_only=False), bool)
        counts = np.bincount(indices[valid].astype(np.int64), minlength=len(array.dictionary))
        return array.dictionary.to_pylist(), counts
    short = pc.less_equal(pc.utf8_length(array), _MAX_PLACEHOLDER_CHARS)
    counted = pc.value_counts(array.filter(pc.fill_null(short, False)))
    return counted.field("values").to_pylist(), counted.field("counts").to_numpy(zero_copy_only=False)


def placeholder_values(table, markers: Iterable[str] = ()) -> list[Placeholder]:
    """Cells that say "not filled in" ("Select", "--", "Unknown", "n/a"), per column and value.

    Parameters
    ----------
    table : a ``LeadTable`` (its original cell texts are read, so values already turned into
        missing cells are found too)
    markers : the extra missing-value markers in use (the model's), also reported

    Returns
    -------
    list of Placeholder
        Most cells first; ``treated_as_missing`` tells whether Leadbench already ignores it.
    """
    folded_markers = {m.strip().casefold() for m in markers}
    ignored = folded_markers | {m for m in DEFAULT_MISSING_MARKERS}
    cells = table.cells
    out = []
    for name in cells.column_names:
        # in a column of numbers or dates, a text such as "-" is a missing cell already
        typed = table.types.get(name) in (ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.DATE,
                                          ColumnType.DATETIME)
        values, counts = _distinct_counts(cells.column(name))
        found: dict[str, list] = {}
        for value, count in zip(values, counts):
            if value is None or not count or not value.strip():
                continue
            folded = value.strip().casefold()
            key = placeholder_key(value)
            if folded in folded_markers or is_placeholder(value):
                entry = found.setdefault(key or folded, [value, 0, 0, typed or folded in ignored])
                entry[1] += int(count)
                if count > entry[2]:
                    entry[0], entry[2] = value, int(count)
        out += [Placeholder(str(name), v, n, treated) for v, n, _best, treated in found.values()]
    return sorted(out, key=lambda p: (-p.count, p.column))


def email_column(table, model) -> str | None:
    """The email column: tagged in the model, else the first column typed email, else by header."""
    columns = list(table.frame.columns)
    tagged = model.tagged(ColumnTag.EMAIL)
    if tagged in columns:
        return tagged
    typed = [c for c in columns if table.types.get(c) == ColumnType.EMAIL]
    if typed:
        return typed[0]
    return guess_tags(columns, table.types).get(str(ColumnTag.EMAIL))


def email_quality(series: pd.Series, column: str | None = None) -> EmailFindings:
    """Invalid and free-mail addresses in an email column (missing and blank cells are not
    counted); what is valid and free-mail is ``scoring.emails``'s definition."""
    texts = series.dropna().astype("str").str.strip()
    texts = texts[texts != ""]
    distinct = texts.value_counts(sort=False)
    values = pd.Series(distinct.index, dtype="str")
    valid = valid_email_mask(values)
    free = free_mail_mask(values)
    domains = email_domain(values)
    counts = distinct.to_numpy()
    invalid_texts = distinct[~valid].sort_values(ascending=False, kind="stable")
    free_by_domain = pd.Series(counts[free], index=domains.to_numpy(object)[free], dtype=np.int64)
    top_free = free_by_domain.groupby(level=0).sum().sort_values(ascending=False, kind="stable")
    return EmailFindings(str(column if column is not None else series.name), int(counts.sum()),
                         int(counts[~valid].sum()), int(counts[free].sum()),
                         tuple(str(t) for t in invalid_texts.index[:EXAMPLES]),
                         tuple((str(d), int(n)) for d, n in top_free.head(EXAMPLES).items()))


def duplicate_findings(frame: pd.DataFrame, email: str | None,
                       types: Mapping[str, ColumnType] | None = None) -> DuplicateFindings | None:
    """Leads sharing a valid email address (case and surrounding spaces ignored); None without
    an email column. ``types`` is accepted for callers that have it (not needed)."""
    if email is None or email not in frame.columns:
        return None
    found = find_duplicates(frame, email=email)
    largest = found.groups.sort_values("size", ascending=False, kind="stable").head(EXAMPLES)
    return DuplicateFindings(f"email address (column “{email}”)", found.n_groups,
                             found.n_left_out,
                             tuple((str(k), int(n)) for k, n in zip(largest["key"], largest["size"])))
