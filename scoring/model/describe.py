"""Rules and conditions in plain English ("Job title contains any of vp, director").

Pure functions (no Qt): the rule list, the rule editor's suggested names, the explanation panel
and the audit report all describe rules the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from scoring.model.definition import Condition, Predicate, Rule
from scoring.model.operators import OPERATORS

__all__ = ["describe_predicate", "describe_rule", "describe_value", "column_label", "column_labels",
           "short_rule_name", "short_column_label", "SHORT_NAME_LIMIT"]

_MAX_ITEMS = 4
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def column_label(column: str) -> str:
    """A column name as people read it: ``"job_title"`` -> ``"Job title"``.

    Only lower-case snake_case names change; names someone already wrote for people
    ("Lead Source", "IsConverted", "E-mail") are kept as they are.
    """
    if not _IDENTIFIER.match(column):
        return column
    words = column.replace("_", " ")
    return words[:1].upper() + words[1:]


def column_labels(columns: Iterable[str]) -> dict[str, str]:
    """``{column: column_label(column)}`` for ``columns``, ready for ``labels=``."""
    return {c: column_label(c) for c in columns}


def describe_value(cond: Condition, max_items: int | None = _MAX_ITEMS) -> str:
    """The condition's value as text: "vp, director", "50 and 500", "30 days", "" for none.

    Lists longer than ``max_items`` show their first values and how many more there are
    (``None``: every value, for documents such as an export's Model sheet).
    """
    value = cond.value
    kind = OPERATORS[cond.op].value_kind if cond.op in OPERATORS else "text"
    if kind == "none" or value is None:
        return ""
    if kind == "number_pair" and isinstance(value, (tuple, list)) and len(value) == 2:
        return f"{_fmt(value[0])} and {_fmt(value[1])}"
    if isinstance(value, (tuple, list)):
        items = [_fmt(v) for v in value]
        if max_items is None or len(items) <= max_items:
            return ", ".join(items)
        return ", ".join(items[:max_items]) + f" (+{len(items) - max_items} more)"
    if kind == "days":
        return f"{_fmt(value)} days"
    return _fmt(value)


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)


def _condition(cond: Condition, labels: Mapping[str, str] | None, max_items: int | None) -> str:
    column = labels.get(cond.column, cond.column) if labels else cond.column
    op = OPERATORS.get(cond.op)
    label = op.label if op else cond.op
    value = describe_value(cond, max_items)
    if "…" in label:
        return f"{column} {label.replace('…', value.replace(' days', ''))}"
    return f"{column} {label}" + (f" {value}" if value else "")


def describe_predicate(pred: Predicate, labels: Mapping[str, str] | None = None,
                       max_items: int | None = _MAX_ITEMS) -> str:
    """A condition or compound in plain English.

    Parameters
    ----------
    pred : Condition or Compound
    labels : optional ``{column: label}`` to show instead of raw column names (see
        ``column_labels``); columns missing from it keep their names.
    max_items : list values shown before "(+3 more)"; None shows them all

    Returns
    -------
    str
        "Job title contains any of vp, director and Country is one of US"; nested compounds
        are bracketed: "Size is more than 50 or (Title contains vp and Seen is ...)".
    """
    if isinstance(pred, Condition):
        return _condition(pred, labels, max_items)
    if pred.mode == "not":
        return f"not ({describe_predicate(pred.items[0], labels, max_items)})"
    joiner = " and " if pred.mode == "all" else " or "
    parts = [describe_predicate(p, labels, max_items) if isinstance(p, Condition)
             else f"({describe_predicate(p, labels, max_items)})" for p in pred.items]
    return joiner.join(parts)


def describe_rule(rule: Rule, labels: Mapping[str, str] | None = None) -> str:
    """One sentence: "Senior title: +15 fit when job_title contains any of vp, director"."""
    when = describe_predicate(rule.when, labels)
    if rule.kind == "require":
        return f"{rule.name}: an MQL must have {when}"
    if rule.kind == "disqualify":
        return f"{rule.name}: never an MQL when {when}"
    sign = "+" if rule.points >= 0 else "−"
    decay = ""
    if rule.decay is not None:
        since = (labels or {}).get(rule.decay.date_column, rule.decay.date_column)
        decay = f", halving every {_fmt(rule.decay.half_life_days)} days since {since}"
    return f"{rule.name}: {sign}{_fmt(abs(rule.points))} {rule.group} when {when}{decay}"


# -- short names -------------------------------------------------------------------------------

#: A generated rule name is at most this long; the full condition is the rule's description.
SHORT_NAME_LIMIT = 40
_QUESTION = re.compile(r"^\s*(?:what|which|how|when|where|why|do|did|does|are|is|have|has|was|were)\b"
                       r"(?:\s+(?:is|are|was|were|do|did|does|you|your|the|a|an|have|has))*\s+", re.I)
_FILLER = frozenset("current your you the a an of".split())
_SYMBOLS = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "before": "before", "after": "after"}
_FIXED = {"is_true": "yes", "is_false": "no", "is_empty": "empty", "not_empty": "filled",
          "is_free_mail": "free-mail", "not_free_mail": "business address", "matches": "pattern"}


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def short_column_label(label: str, limit: int = 24) -> str:
    """A column label short enough for a rule name: a question header keeps its subject
    (``"What is your current occupation"`` -> ``"Occupation"``), a long one is cut with "…"."""
    text = " ".join(str(label).split())
    if len(text) > limit and _QUESTION.match(text):
        words = [w for w in _QUESTION.sub("", text).split() if w.casefold() not in _FILLER]
        if words:
            text = " ".join(words)
            text = text[:1].upper() + text[1:]
    return _clip(text, limit)


def _short_value(value) -> str:
    if isinstance(value, (tuple, list)):
        if not value:
            return ""
        first = _clip(_fmt(value[0]), 24)
        return first + (f" +{len(value) - 1}" if len(value) > 1 else "")
    return _clip(_fmt(value), 24)


def _short_condition(cond: Condition, labels: Mapping[str, str] | None) -> str:
    column = short_column_label(labels.get(cond.column, cond.column) if labels else cond.column)
    op, value = cond.op, cond.value
    if op in _FIXED:
        return f"{column}: {_FIXED[op]}"
    if op == "between" and isinstance(value, (tuple, list)) and len(value) == 2:
        return f"{column} {_fmt(value[0])}–{_fmt(value[1])}"
    if op in _SYMBOLS:
        return f"{column} {_SYMBOLS[op]} {_short_value(value)}"
    if op == "starts_with":
        return f"{column}: {_short_value(value)}…"
    if op == "ends_with":
        return f"{column}: …{_short_value(value)}"
    if op == "within_days":
        return f"{column}: last {_fmt(value)} days"
    if op == "older_than_days":
        return f"{column}: over {_fmt(value)} days ago"
    negative = op in ("ne", "not_in", "not_contains")
    return f"{column}: {'not ' if negative else ''}{_short_value(value)}"


def short_rule_name(pred: Predicate | None, labels: Mapping[str, str] | None = None,
                    limit: int = SHORT_NAME_LIMIT) -> str:
    """A short name for a rule made from its condition: the column and the values, abbreviated
    with a count ("Occupation: Working Professional +1", "Page views ≥ 10", "Employees
    50–5,000"); :func:`describe_predicate` gives the full condition."""
    if pred is None:
        return ""
    if isinstance(pred, Condition):
        return _clip(_short_condition(pred, labels), limit)
    if pred.mode == "not":
        return _clip(f"Not {short_rule_name(pred.items[0], labels, limit)}", limit)
    first = short_rule_name(pred.items[0], labels, limit) if pred.items else ""
    more = len(pred.items) - 1
    joiner = "and" if pred.mode == "all" else "or"
    return _clip(first + (f" {joiner} {more} more" if more > 0 else ""), limit)
