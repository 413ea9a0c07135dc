"""The numbers behind a fired rule, as a person reads them: "Revenue € 1,234.56 ≥ € 1,000".

The explanation of a lead shows, under a rule on a number column, the lead's value and the
rule's bound in the column's own currency or as a percentage (``LeadTable.number_formats``).
"""

from __future__ import annotations

import math

from scoring.model.definition import Compound, Condition, Predicate
from scoring.reading.numbers import currency_text

__all__ = ["number_detail"]

_SYMBOLS = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "=", "ne": "≠"}
_HOLDS = {"gt": lambda x, v: x > v, "gte": lambda x, v: x >= v, "lt": lambda x, v: x < v,
          "lte": lambda x, v: x <= v, "eq": lambda x, v: x == v, "ne": lambda x, v: x != v}


def number_detail(when: Predicate, table, row: int) -> str:
    """The number comparisons of ``when`` that hold for lead ``row``, in words ("" for none).

    Only conditions that are not negated are described (a ``not`` says what the lead is not),
    each when it holds for this lead, so the text is always true of the lead.
    """
    parts = [_text(c, table, row) for c in _plain(when)]
    return "; ".join(p for p in parts if p)


def _plain(pred: Predicate):
    if isinstance(pred, Condition):
        yield pred
    elif isinstance(pred, Compound) and pred.mode != "not":
        for item in pred.items:
            yield from _plain(item)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(condition: Condition, table, row: int) -> str:
    types = getattr(table, "types", {})
    ctype = types.get(condition.column)
    if ctype is None or not ctype.is_numeric or (condition.op not in _SYMBOLS and condition.op != "between"):
        return ""
    value = _number(table.frame[condition.column].iat[row])
    if value is None:
        return ""
    fmt = getattr(table, "number_formats", {}).get(condition.column)
    shown = currency_text(value, fmt)
    if condition.op == "between":
        bounds = condition.value if isinstance(condition.value, (tuple, list)) else ()
        low, high = (_number(b) for b in bounds) if len(bounds) == 2 else (None, None)
        if low is None or high is None or not low <= value <= high:
            return ""
        return (f"{condition.column} {shown} between {currency_text(low, fmt)} and "
                f"{currency_text(high, fmt)}")
    bound = _number(condition.value)
    if bound is None or not _HOLDS[condition.op](value, bound):
        return ""
    return f"{condition.column} {shown} {_SYMBOLS[condition.op]} {currency_text(bound, fmt)}"
