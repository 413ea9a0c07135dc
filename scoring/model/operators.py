"""The operator registry: one record per operator drives validation, evaluation and the rule
builder's menus.

Every operator works on a ``PreparedColumn`` (see ``scoring.evaluate.prepared``) and returns a boolean mask.
Text operators are evaluated once per distinct value and gathered through category codes. Text
comparisons ignore case and surrounding spaces; numbers compare numerically (``eq`` with "10" on a
number column compares with 10.0); dates compare as days, with ``before``/``after`` taking an ISO
date and ``within_days``/``older_than_days`` counting back from the scorer's ``as_of`` date (dates
after ``as_of`` are neither within the last N days nor older than N days). On a date-and-time
column, comparisons with a date take whole days ("is 2026-10-30" matches any time that day;
"is after 2026-10-30" starts the next day).

Missing values: a missing value matches only ``is_empty``. So ``ne``, ``not_in`` and
``not_contains`` do *not* match missing values ("country is not US" does not pick leads with no
country). The compound ``not`` is plain logical negation of its child's mask, so
``not (country is US)`` *does* match leads with no country: use it when that is what you mean.

Email addresses (text and email columns, no value): ``is_free_mail`` matches a valid address at
a free-mail provider (gmail, yahoo, outlook/hotmail/live, aol, icloud, proton, gmx, …);
``not_free_mail`` ("is a business address") matches a filled, valid address whose domain is not
on that list. Missing cells and texts that are not an address match neither. What "valid" means
and the provider list live in ``scoring.emails``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType as T
from scoring.emails import business_folded, free_mail_folded
from scoring.errors import ModelError
from scoring.model.regex_match import regex_lut

__all__ = ["Operator", "OPERATORS", "operators_for", "value_kind_for", "normalise_value",
           "parse_date_value", "VALUE_KINDS"]

VALUE_KINDS = ("none", "text", "text_list", "number", "number_pair", "days", "date", "regex")

TEXT = frozenset({T.CATEGORY, T.TEXT, T.EMAIL})
NUMERIC = frozenset({T.INTEGER, T.NUMBER})
TEMPORAL = frozenset({T.DATE, T.DATETIME})
ANY = frozenset(T)
ORDERED = NUMERIC | TEMPORAL


@dataclass(frozen=True)
class Operator:
    """One operator.

    Attributes
    ----------
    key : the name in model files ("contains_any")
    label : what the rule builder shows ("contains any of")
    value_kind : which value editor fits (one of VALUE_KINDS)
    types : the column types it applies to
    on_text : for text columns, a function (normalised distinct values: pd.Series[str], value) -> bool array
    on_values : for other columns, a function (values: ndarray, value, as_of_days) -> bool array
    """

    key: str
    label: str
    value_kind: str
    types: frozenset
    on_text: Callable[[pd.Series, Any], np.ndarray] | None = None
    on_values: Callable[[np.ndarray, Any, float], np.ndarray] | None = None


def _norm(value: Any) -> str:
    return str(value).strip().casefold()


def _in(cats: pd.Series, value) -> np.ndarray:
    return cats.isin([_norm(v) for v in value]).to_numpy(bool)


def _contains_any(cats: pd.Series, value) -> np.ndarray:
    out = np.zeros(len(cats), bool)
    for v in value:
        out |= cats.str.contains(_norm(v), regex=False).to_numpy(bool)
    return out


def _regex(cats: pd.Series, pattern: str) -> np.ndarray:
    return regex_lut(cats, pattern)         # RE2: linear time, no catastrophic backtracking


def _cmp(fn: Callable[[np.ndarray, Any], np.ndarray]) -> Callable:
    def run(values: np.ndarray, value, _as_of: float) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return fn(values, value)
    return run


_REGISTRY = [
    Operator("eq", "is", "text", ANY,
             on_text=lambda c, v: (c == _norm(v)).to_numpy(bool),
             on_values=_cmp(lambda x, v: x == v)),
    Operator("ne", "is not", "text", ANY,
             on_text=lambda c, v: (c != _norm(v)).to_numpy(bool),
             on_values=_cmp(lambda x, v: x != v)),
    Operator("in", "is one of", "text_list", TEXT | NUMERIC, on_text=_in,
             on_values=_cmp(lambda x, v: np.isin(x, np.asarray(v, float)))),
    Operator("not_in", "is none of", "text_list", TEXT | NUMERIC,
             on_text=lambda c, v: ~_in(c, v),
             on_values=_cmp(lambda x, v: ~np.isin(x, np.asarray(v, float)))),
    Operator("contains", "contains", "text", TEXT,
             on_text=lambda c, v: c.str.contains(_norm(v), regex=False).to_numpy(bool)),
    Operator("not_contains", "does not contain", "text", TEXT,
             on_text=lambda c, v: ~c.str.contains(_norm(v), regex=False).to_numpy(bool)),
    Operator("contains_any", "contains any of", "text_list", TEXT, on_text=_contains_any),
    Operator("starts_with", "starts with", "text", TEXT,
             on_text=lambda c, v: c.str.startswith(_norm(v)).to_numpy(bool)),
    Operator("ends_with", "ends with", "text", TEXT,
             on_text=lambda c, v: c.str.endswith(_norm(v)).to_numpy(bool)),
    Operator("matches", "matches pattern", "regex", TEXT, on_text=_regex),
    Operator("is_empty", "is empty", "none", ANY),
    Operator("not_empty", "is not empty", "none", ANY),
    Operator("gt", "is more than", "number", ORDERED, on_values=_cmp(lambda x, v: x > v)),
    Operator("gte", "is at least", "number", ORDERED, on_values=_cmp(lambda x, v: x >= v)),
    Operator("lt", "is less than", "number", ORDERED, on_values=_cmp(lambda x, v: x < v)),
    Operator("lte", "is at most", "number", ORDERED, on_values=_cmp(lambda x, v: x <= v)),
    Operator("between", "is between", "number_pair", ORDERED,
             on_values=_cmp(lambda x, v: (x >= v[0]) & (x <= v[1]))),
    Operator("is_true", "is yes", "none", frozenset({T.BOOLEAN}),
             on_values=_cmp(lambda x, _v: x == 1)),
    Operator("is_false", "is no", "none", frozenset({T.BOOLEAN}),
             on_values=_cmp(lambda x, _v: x == 0)),
    Operator("within_days", "is within the last … days", "days", TEMPORAL,
             on_values=lambda x, v, as_of: _within(x, v, as_of)),
    Operator("older_than_days", "is more than … days ago", "days", TEMPORAL,
             on_values=lambda x, v, as_of: _older(x, v, as_of)),
    Operator("before", "is before", "date", TEMPORAL, on_values=_cmp(lambda x, v: x < v)),
    Operator("after", "is after", "date", TEMPORAL, on_values=_cmp(lambda x, v: x > v)),
    # valid addresses at (or, business: not at) a free-mail provider; see scoring.emails
    Operator("is_free_mail", "is a free-mail address", "none", frozenset({T.TEXT, T.EMAIL}),
             on_text=lambda c, _v: free_mail_folded(c)),
    Operator("not_free_mail", "is a business address", "none", frozenset({T.TEXT, T.EMAIL}),
             on_text=lambda c, _v: business_folded(c)),
]


def _within(day: np.ndarray, days: float, as_of: float) -> np.ndarray:
    """Dates in the last ``days`` days up to ``as_of`` (future dates are not "within")."""
    with np.errstate(invalid="ignore"):
        return (day >= as_of - days) & (day <= as_of)


def _older(day: np.ndarray, days: float, as_of: float) -> np.ndarray:
    """Dates more than ``days`` days before ``as_of``."""
    with np.errstate(invalid="ignore"):
        return day < as_of - days


OPERATORS: dict[str, Operator] = {op.key: op for op in _REGISTRY}

def operators_for(column_type: T | str) -> list[Operator]:
    """The operators that apply to a column of ``column_type``, in menu order."""
    column_type = T(column_type)
    return [op for op in OPERATORS.values() if column_type in op.types]


_DATE_VALUE_OPS = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "before", "after"})


def value_kind_for(op_key: str, column_type: T | str) -> str:
    """The value editor an operator needs on a column of ``column_type``.

    Mostly ``OPERATORS[op_key].value_kind``; but comparisons on date columns take a date ("date"),
    ``eq``/``ne`` on number columns take a number, and ``between`` on dates takes two dates
    ("date_pair", the only kind outside VALUE_KINDS).
    """
    column_type = T(column_type)
    kind = OPERATORS[op_key].value_kind
    if column_type in TEMPORAL and op_key in _DATE_VALUE_OPS:
        return "date"
    if column_type in TEMPORAL and op_key == "between":
        return "date_pair"
    if column_type in NUMERIC and kind == "text":
        return "number"
    return kind


def parse_date_value(value: Any) -> float:
    """An ISO date (or date/datetime) as days since 1970-01-01; raises ValueError."""
    if isinstance(value, datetime):
        stamp = pd.Timestamp(value)
    elif isinstance(value, date):
        stamp = pd.Timestamp(value)
    else:
        stamp = pd.Timestamp(date.fromisoformat(str(value).strip()[:10]))
    return stamp.value / 86_400e9


_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def normalise_value(op: Operator, value: Any, column_type: T) -> Any:
    """The operator's value converted for a column of ``column_type``; raises ModelError naming
    the field 'value' when it does not fit (the caller adds the rule name)."""
    kind = op.value_kind
    try:
        if kind == "none":
            return None
        if column_type in TEMPORAL and op.key in ("eq", "ne", "gt", "gte", "lt", "lte", "before",
                                                  "after"):
            return parse_date_value(value)
        if column_type in TEMPORAL and op.key == "between":
            low, high = value
            return (parse_date_value(low), parse_date_value(high))
        if kind == "days":
            days = float(value)
            if days < 0:
                raise ValueError("a number of days cannot be negative")
            return days
        if column_type == T.BOOLEAN and op.key in ("eq", "ne"):
            text = _norm(value)
            if text not in _TRUE | _FALSE:
                raise ValueError(f"{value!r} is not yes or no")
            return 1.0 if text in _TRUE else 0.0
        if column_type in NUMERIC:
            if kind == "number_pair":
                low, high = (float(v) for v in value)
                return (min(low, high), max(low, high))
            if kind == "text_list":
                return tuple(float(v) for v in _as_list(value))
            return float(value)
        if kind == "number_pair":
            low, high = (float(v) for v in value)
            return (min(low, high), max(low, high))
        if kind == "text_list":
            return tuple(str(v) for v in _as_list(value))
        if kind == "regex":
            re.compile(str(value))
            return str(value)
        if isinstance(value, (list, tuple, dict)) or value is None:
            raise ValueError("expected one value")
        return str(value)
    except re.error as exc:
        raise ModelError(f"the pattern {value!r} is not a valid regular expression ({exc})",
                         field="value") from None
    except (TypeError, ValueError) as exc:
        raise ModelError(f"{value!r} does not fit '{op.key}' on a {column_type} column ({exc})",
                         field="value") from None


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        return [v for v in (p.strip() for p in value.split(",")) if v]
    raise TypeError("expected a list of values")
