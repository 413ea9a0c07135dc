"""Rules and conditions in plain English ("Job title contains any of vp, director")."""

from __future__ import annotations

from scoring.model import Compound, Condition, Predicate, Rule
from scoring.operators import OPERATORS

__all__ = ["describe_predicate", "describe_rule", "describe_value"]

_MAX_ITEMS = 4


def describe_value(cond: Condition) -> str:
    value = cond.value
    kind = OPERATORS[cond.op].value_kind if cond.op in OPERATORS else "text"
    if kind == "none" or value is None:
        return ""
    if kind == "number_pair" and isinstance(value, (tuple, list)) and len(value) == 2:
        return f"{_fmt(value[0])} and {_fmt(value[1])}"
    if isinstance(value, (tuple, list)):
        items = [_fmt(v) for v in value]
        shown = ", ".join(items[:_MAX_ITEMS])
        return shown + (f" (+{len(items) - _MAX_ITEMS} more)" if len(items) > _MAX_ITEMS else "")
    if kind == "days":
        return f"{_fmt(value)} days"
    return _fmt(value)


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)


def _label(cond: Condition) -> str:
    op = OPERATORS.get(cond.op)
    label = op.label if op else cond.op
    value = describe_value(cond)
    if "…" in label:
        return f"{cond.column} {label.replace('…', value.replace(' days', ''))}"
    return f"{cond.column} {label}" + (f" {value}" if value else "")


def describe_predicate(pred: Predicate) -> str:
    if isinstance(pred, Condition):
        return _label(pred)
    if pred.mode == "not":
        return f"not ({describe_predicate(pred.items[0])})"
    joiner = " and " if pred.mode == "all" else " or "
    parts = [describe_predicate(p) if isinstance(p, Condition) else f"({describe_predicate(p)})"
             for p in pred.items]
    return joiner.join(parts)


def describe_rule(rule: Rule) -> str:
    """One sentence: "Senior title: +15 fit when job_title contains any of vp, director"."""
    when = describe_predicate(rule.when)
    if rule.kind == "require":
        return f"{rule.name}: an MQL must have {when}"
    if rule.kind == "disqualify":
        return f"{rule.name}: never an MQL when {when}"
    sign = "+" if rule.points >= 0 else "−"
    decay = (f", halving every {_fmt(rule.decay.half_life_days)} days since {rule.decay.date_column}"
             if rule.decay else "")
    return f"{rule.name}: {sign}{_fmt(abs(rule.points))} {rule.group} when {when}{decay}"
