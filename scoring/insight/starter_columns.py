"""Which columns a starting model may learn from, and why the others are left out.

A column is worth scoring when it says what a lead is like or what it did *before* the outcome
was known. Left out, each with a reason in plain words:

- the outcome itself, and columns that merely restate it: by name (a stage, status, close date,
  amount or revenue, known only after the sale; a column tagged as stage, amount or outcome), by
  value (values such as "Closed by Horizzon" or "Lost to EINS"), and by how perfectly they
  predict the outcome on their own (a one-column ROC AUC of at least :data:`LEAK_AUC` on the
  leads the model is fitted on);
- who the lead is rather than what it is like: names, e-mail addresses, phone numbers,
  companies, ids (by name, or because almost every lead has its own value);
- free text, dates (recency rules are added by hand: they need a day to count from), columns
  that are almost always empty or almost always the same.

:func:`screen_columns` returns the usable columns and a :class:`LeftOut` note for every other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.column_types import ColumnTag, ColumnType
from scoring.insight.analytics import PreparedCategory

__all__ = ["LeftOut", "screen_columns", "column_auc", "LEAK_AUC", "USABLE_TYPES"]

#: A column that alone ranks leads this well (ROC AUC) restates the outcome.
LEAK_AUC = 0.95
#: Column types a starting model can make rules on.
USABLE_TYPES = (ColumnType.CATEGORY, ColumnType.BOOLEAN, ColumnType.INTEGER, ColumnType.NUMBER)
_MIN_FILL = 0.05
_MAX_TOP_SHARE = 0.99
_ID_SHARE = 0.9

# words of a header that mean "known only after the sale"
_AFTER_SALE = {"stage", "status", "won", "lost", "closed", "outcome", "result", "results",
               "revenue", "amount", "churn", "churned", "converted", "opportunity", "deal",
               "lifecycle", "disposition", "invoice", "payment"}
_AFTER_SALE_PAIRS = {("close", "date"), ("closing", "date"), ("customer", "since"),
                     ("won", "date"), ("sale", "date")}
# words of a header that say who the lead is
_IDENTITY = {"name", "firstname", "lastname", "fullname", "email", "mail", "phone", "mobile",
             "telephone", "address", "street", "id", "uuid", "guid", "zip", "postcode"}
_IDENTITY_WHOLE = {"company", "organisation", "organization", "account", "employer", "firm",
                   "website", "url", "linkedin", "companywebsite", "linkedinurl"}
# words in cell values that restate a sale's end
_VALUE_WORDS = re.compile(r"\b(closed|won|lost|churned)\b", re.I)
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class LeftOut:
    """A column the starting model does not use; ``leaky`` when it restates the outcome."""

    column: str
    reason: str
    leaky: bool = False

    def text(self) -> str:
        return f"{self.column}: {self.reason}"


def _words(header: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(_CAMEL.sub(" ", str(header)).casefold()) if w]


def _after_sale_name(header: str) -> str | None:
    words = _words(header)
    pairs = set(zip(words, words[1:]))
    hit = next((w for w in words if w in _AFTER_SALE), None)
    if hit is None and pairs & _AFTER_SALE_PAIRS:
        hit = " ".join(sorted(pairs & _AFTER_SALE_PAIRS)[0])
    return hit


def _identity_name(header: str) -> bool:
    """"Lead Number", "Prospect ID", "first_name", "Work Email", "Company" (not "Number of
    employees", "email_clicks" or "Company size"): the last word names the lead."""
    words = _words(header)
    if not words:
        return False
    return (words[-1] in _IDENTITY or "".join(words) in _IDENTITY | _IDENTITY_WHOLE
            or words[-1] in ("number", "no") and len(words) > 1)


def column_auc(column: PreparedCategory, won: np.ndarray, known: np.ndarray) -> float:
    """How well ``column`` alone ranks the settled leads: the ROC AUC of each value's conversion
    rate (the best any rule set on this column alone could do on these leads)."""
    codes = column.codes[known]
    leads = np.bincount(codes, minlength=column.n_codes).astype(np.float64)
    wins = np.bincount(codes, weights=won[known], minlength=column.n_codes)
    losses = leads - wins
    n_won, n_lost = wins.sum(), losses.sum()
    if not n_won or not n_lost:
        return float("nan")
    # leads of one value share a score: count per value, lowest rate first (ties count half)
    order = np.argsort((wins + 0.5) / (leads + 1.0), kind="stable")
    lost_below = np.concatenate([[0.0], np.cumsum(losses[order])[:-1]])
    return float((wins[order] * (lost_below + 0.5 * losses[order])).sum() / (n_won * n_lost))


def _leaky_values(series: pd.Series) -> list[str]:
    """Values of a text column that name the end of a sale ("Closed by Horizzon", "Lost to EINS")."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return []
    values = (series.cat.categories if isinstance(series.dtype, pd.CategoricalDtype)
              else pd.unique(series.dropna()))
    return [str(v) for v in values if _VALUE_WORDS.search(str(v))][:3]


def screen_columns(table, outcome: str, *, prepared: Mapping[str, PreparedCategory],
                   won: np.ndarray, known: np.ndarray, tags: Mapping[str, str] | None = None,
                   chosen: Sequence[str] | None = None) -> tuple[list[str], list[LeftOut]]:
    """The columns worth scoring, and why each other column is left out.

    Parameters
    ----------
    table : the lead list (``frame`` and ``types``)
    outcome : the outcome column (always left out)
    prepared : column -> its codes (:mod:`scoring.insight.starter_levels`), for the usable types
    won, known : the outcome on the leads the model is fitted on (others ``known`` False)
    tags : tag -> column (stage, amount and outcome columns restate the outcome)
    chosen : the columns the user named; they are used as given (only the outcome and columns
        of a type no rule can score are refused), and leaky-looking ones are noted

    Returns
    -------
    (columns to use, in list order; the columns left out with their reasons)
    """
    tags = dict(tags or {})
    after_tags = {tags.get(str(t)): str(t) for t in (ColumnTag.STAGE, ColumnTag.AMOUNT, ColumnTag.OUTCOME)}
    after_tags.pop(None, None)
    frame = table.frame
    use, out = [], []
    for column in (chosen if chosen is not None else list(frame.columns)):
        if column == outcome:
            out.append(LeftOut(column, "the outcome itself", True))
            continue
        note = _screen(table, column, prepared, won, known, after_tags)
        if chosen is not None:
            if note is not None and not note.leaky:
                if ColumnType(table.types[column]) not in USABLE_TYPES:
                    out.append(note)
                    continue
            if note is not None and note.leaky:
                out.append(LeftOut(column, f"used as asked, but it looks leaky: {note.reason}", True))
            use.append(column)
        elif note is None:
            use.append(column)
        else:
            out.append(note)
    return use, out


def _screen(table, column: str, prepared, won, known, after_tags) -> LeftOut | None:
    series = table.frame[column]
    ctype = ColumnType(table.types[column])
    filled = int(series.notna().sum())
    if filled < _MIN_FILL * max(len(series), 1):
        return LeftOut(column, f"almost always empty ({filled:,} of {len(series):,} leads filled)")
    top = series.value_counts(normalize=True, dropna=False)     # filled or not varies too
    if len(top) < 2 or top.iloc[0] > _MAX_TOP_SHARE:
        return LeftOut(column, "almost always the same value")
    if column in after_tags:
        return LeftOut(column, f"the list's {after_tags[column]} column: known only after the "
                               "outcome, so it restates it", True)
    word = _after_sale_name(column)
    if word is not None:
        return LeftOut(column, f"its name says it is known only after the sale ({word!r}), so it "
                               "restates the outcome", True)
    if ctype == ColumnType.EMAIL or (ctype != ColumnType.BOOLEAN and _identity_name(column)):
        return LeftOut(column, "says who the lead is, not what it is like (a name, address or id)")
    if ctype.is_temporal:
        return LeftOut(column, "a date: recency rules need a day to count from; add them by hand")
    distinct = series.nunique()
    if ctype in (ColumnType.CATEGORY, ColumnType.TEXT) and filled >= 50 and distinct >= _ID_SHARE * filled:
        words = series.dropna().astype(str).head(200).str.contains(r"\s", regex=True).mean()
        if words < 0.2:                     # single tokens: codes, not sentences
            return LeftOut(column, "almost every lead has its own value, like an id")
    if ctype not in USABLE_TYPES:
        return LeftOut(column, f"free text ({distinct:,} different values)")
    values = _leaky_values(series)
    if values:
        shown = ", ".join(f"'{v}'" for v in values)
        return LeftOut(column, f"its values restate the outcome ({shown})", True)
    col = prepared.get(column)
    if col is not None and known.any():
        auc = column_auc(col, won, known)
        if np.isfinite(auc) and auc >= LEAK_AUC:
            return LeftOut(column, f"predicts the outcome almost perfectly on its own (ROC AUC "
                                   f"{auc:.2f}): a column filled in after the sale restates it", True)
    return None
