"""Outcome columns: which cell values mean "won" (converted, customer, closed-won...).

A lead list's outcome column comes in many spellings: 1/0, yes/no, TRUE/FALSE, Won/Lost,
"Closed - Converted"/"Closed - Not Converted", a lifecycle stage such as "Customer", or a date
(a close date: filled means won). :func:`guess_won_values` proposes the won values, the user may
correct them, and :func:`outcome_to_bool` turns the column into two bool arrays the back-test
works on: ``won`` and ``known`` (the outcome is settled for that lead).

Values are compared by a normal form: text stripped, inner spaces collapsed and case-folded;
whole numbers as integers (so ``1``, ``1.0`` and ``"1"`` are the same value); booleans as
"true"/"false".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["WON_WORDS", "LOST_WORDS", "OPEN_WORDS", "normal_value", "guess_won_values",
           "guess_lost_values", "guess_open_values", "outcome_to_bool", "outcome_states"]

#: Normal forms that mean the lead was won.
WON_WORDS = frozenset({
    "1", "true", "yes", "y", "won", "win", "closed won", "closed - won", "closed-won", "closedwon",
    "closed - converted", "converted", "customer", "paying customer", "client", "sale", "sold",
    "purchased", "success", "successful", "deal won",
})
#: Normal forms that mean the lead was lost (settled, but not won).
LOST_WORDS = frozenset({
    "0", "false", "no", "n", "lost", "loss", "closed lost", "closed - lost", "closed-lost",
    "closedlost", "closed - not converted", "not converted", "unqualified", "disqualified",
    "rejected", "failure", "failed", "deal lost", "churned",
})

#: Normal forms that mean the deal is still open: neither won nor lost yet.
OPEN_WORDS = frozenset({
    "open", "opened", "engaging", "engaged", "prospecting", "prospect", "in progress", "pending",
    "new", "working", "contacted", "attempted to contact", "nurture", "nurturing", "qualification",
    "qualifying", "discovery", "demo", "demo scheduled", "evaluation", "proposal", "proposal sent",
    "proposal/price quote", "negotiation", "negotiation/review", "in negotiation", "needs analysis",
    "value proposition", "id. decision makers", "perception analysis", "pipeline", "active",
    "open - not contacted", "working - contacted", "on hold", "waiting", "follow up", "follow-up",
})

_SPACES = re.compile(r"\s+")


def normal_value(value) -> str:
    """The comparison form of one cell value (see the module docstring)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return _SPACES.sub(" ", str(value)).strip().casefold()


def _distinct(series: pd.Series) -> tuple[np.ndarray, list]:
    """Codes per row (-1 for missing) and the distinct non-missing values."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(np.int64), list(series.cat.categories)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), list(uniques)


def _is_temporal(series: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(series.dtype)


def guess_won_values(series: pd.Series) -> set:
    """The values of ``series`` that look like "won", as they appear in the column.

    Parameters
    ----------
    series : the outcome column (any dtype the loader produces)

    Returns
    -------
    set
        The won values (``{1}``, ``{"Yes"}``, ``{True}``, ``{"Closed - Converted", "Customer"}``...);
        empty when nothing looks like a win, and always empty for a date column, where
        :func:`outcome_to_bool` treats every filled date as won.
    """
    if _is_temporal(series):
        return set()
    _codes, values = _distinct(series)
    return {_plain(v) for v in values if normal_value(v) in WON_WORDS}


def guess_lost_values(series: pd.Series) -> set:
    """The values of ``series`` that look like "lost" (settled without a win); see
    :func:`guess_won_values`."""
    if _is_temporal(series):
        return set()
    _codes, values = _distinct(series)
    return {_plain(v) for v in values if normal_value(v) in LOST_WORDS}


def guess_open_values(series: pd.Series) -> set:
    """The values of ``series`` that look like a deal still open ("Engaging", "Prospecting",
    "Open", "Negotiation"...); empty for a date column."""
    if _is_temporal(series):
        return set()
    _codes, values = _distinct(series)
    return {_plain(v) for v in values if normal_value(v) in OPEN_WORDS}


def outcome_states(series: pd.Series, won_values: Iterable, open_values: Iterable = (), *,
                   unmatched: np.ndarray | None = None,
                   closed: pd.Series | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Three states, as ``(won, known)``: won; lost (known, not won); still open (not known).

    Parameters
    ----------
    series : the outcome column (a stage, a won flag, or a won date: a filled date is won, an
        empty one lost)
    won_values : values that mean won; ``open_values``: values that mean still open. Any other
        filled value is lost.
    unmatched : optional bool per lead, True where the lead matched no row of the file the
        outcome came from (a joined deals file): such a lead is lost, not open, since it never
        became a deal
    closed : optional close-date column from the same file: a deal that is not won and has no
        close date is still open

    A missing outcome (no value, and not ``unmatched``) is not settled, as in
    :func:`outcome_to_bool`.
    """
    if _is_temporal(series):
        won = series.notna().to_numpy(bool)
        known = np.ones(len(series), bool)
    else:
        codes, values = _distinct(series)
        keys = [normal_value(v) for v in values]
        won_keys = {normal_value(v) for v in won_values}
        open_keys = {normal_value(v) for v in open_values} - won_keys
        won = np.array([k in won_keys for k in keys] + [False], bool)[codes]
        known = np.array([k not in open_keys for k in keys] + [False], bool)[codes]
    if closed is not None:
        known &= won | closed.notna().to_numpy(bool)
    if unmatched is not None:
        unmatched = np.asarray(unmatched, bool)
        won = won & ~unmatched
        known = known | unmatched
    return won, known


def _plain(value):
    """numpy scalars as plain Python values (JSON-able, readable in messages)."""
    return value.item() if isinstance(value, np.generic) else value


def outcome_to_bool(series: pd.Series, won_values: Iterable,
                    lost_values: Iterable | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Turn an outcome column into ``(won, known)`` bool arrays.

    Parameters
    ----------
    series : the outcome column
    won_values : the values that mean won (compared by :func:`normal_value`, so ``"yes"`` also
        matches ``"Yes "``). Ignored for a date column: a filled date means won.
    lost_values : optional; when given, only won and lost values count as settled, and other
        values (open deals: "Engaging", "Prospecting") are left out of conversion rates.
        Without it every filled cell is settled.

    Returns
    -------
    won : bool per lead
    known : bool per lead, False where the outcome is missing or still open
    """
    if _is_temporal(series):
        won = series.notna().to_numpy(bool)
        return won, np.ones(len(series), bool)
    codes, values = _distinct(series)
    keys = [normal_value(v) for v in values]
    won_keys = {normal_value(v) for v in won_values}
    # one entry per distinct value, plus a trailing False for missing (code -1)
    won_of = np.array([k in won_keys for k in keys] + [False], bool)
    won = won_of[codes]
    if lost_values is None:
        known = codes >= 0
    else:
        lost_keys = {normal_value(v) for v in lost_values}
        known_of = np.array([k in won_keys or k in lost_keys for k in keys] + [False], bool)
        known = known_of[codes]
    return won, known
