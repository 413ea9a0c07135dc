"""The differences between two scoring models, in plain words.

Threshold and group caps first, then rules added, removed and changed, matched by name (rule order
does not change a score). Used by the model comparison (:mod:`scoring.handoff.compare`): its Summary
sheet, the ``compare`` command and the comparison window all list these sentences.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scoring.model.definition import Model, Rule
from scoring.model.describe import column_labels, describe_predicate, describe_rule

__all__ = ["RuleDifference", "rule_differences"]


@dataclass(frozen=True)
class RuleDifference:
    """One way the new model differs from the old one.

    Attributes
    ----------
    kind : "threshold", "cap", "added", "removed" or "changed"
    name : the rule's (or group's) name; "" for the threshold
    text : one sentence in plain words ("Added Senior title: +15 fit when Job title contains vp")
    """

    kind: str
    name: str
    text: str



def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def _points(rule: Rule) -> str:
    sign = "+" if rule.points >= 0 else "−"
    return f"{sign}{_number(abs(rule.points))}"


def _kind(rule: Rule) -> str:
    return {"require": "a must-have gate", "disqualify": "a disqualifying gate"}.get(
        rule.kind, "a scoring rule")


def _rule_changes(old: Rule, new: Rule, labels) -> list[str]:
    parts = []
    if old.kind != new.kind:
        parts.append(f"now {_kind(new)} (was {_kind(old)})")
    if old.enabled != new.enabled:
        parts.append("turned on" if new.enabled else "turned off")
    if not new.is_gate and not old.is_gate:
        if old.points != new.points:
            parts.append(f"points {_points(old)} → {_points(new)}")
        if old.group != new.group:
            parts.append(f"moved from {old.group} to {new.group}")
    if old.when != new.when:
        parts.append(f"condition now “{describe_predicate(new.when, labels)}” "
                     f"(was “{describe_predicate(old.when, labels)}”)")
    if old.decay != new.decay:
        if new.decay is None:
            parts.append("no longer decays")
        else:
            since = labels.get(new.decay.date_column, new.decay.date_column)
            parts.append(f"points halve every {_number(new.decay.half_life_days)} days since {since}"
                         + (" (was no decay)" if old.decay is None
                            else f" (was every {_number(old.decay.half_life_days)} days since "
                                 f"{labels.get(old.decay.date_column, old.decay.date_column)})"))
    return parts


def _keyed(rules) -> dict[tuple[str, int], Rule]:
    """Rules by (name, occurrence): two rules of one name are matched in order."""
    seen: Counter = Counter()
    out = {}
    for rule in rules:
        out[(rule.name, seen[rule.name])] = rule
        seen[rule.name] += 1
    return out


def rule_differences(old: Model, new: Model, columns=()) -> list[RuleDifference]:
    """How ``new`` differs from ``old``, in plain words: the threshold, group caps, and rules
    added, removed or changed (matched by name; rule order does not change a score).

    Parameters
    ----------
    old, new : the models
    columns : the list's column names, to label columns as people read them
    """
    labels = column_labels(columns) if len(columns) else {}
    out = []
    if old.threshold != new.threshold:
        verb = "raised" if new.threshold > old.threshold else "lowered"
        out.append(RuleDifference("threshold", "", f"MQL threshold {verb} from "
                                  f"{_number(old.threshold)} to {_number(new.threshold)}"))
    groups = [g.name for g in old.groups] + [g.name for g in new.groups if g.name not in
                                             {x.name for x in old.groups}]
    for name in groups:
        before, after = old.group(name).cap, new.group(name).cap
        if before != after:
            if after is None:
                text = f"{name.capitalize()} points no longer capped (were capped at {_number(before)})"
            elif before is None:
                text = f"{name.capitalize()} points now capped at {_number(after)} (were not capped)"
            else:
                text = f"{name.capitalize()} cap {_number(before)} → {_number(after)}"
            out.append(RuleDifference("cap", name, text))
    before, after = _keyed(old.rules), _keyed(new.rules)
    for key, rule in after.items():
        if key not in before:
            out.append(RuleDifference("added", rule.name, f"Added {describe_rule(rule, labels)}"
                                      + ("" if rule.enabled else " (turned off)")))
    for key, rule in before.items():
        if key not in after:
            out.append(RuleDifference("removed", rule.name, f"Removed {describe_rule(rule, labels)}"))
    for key, rule in after.items():
        if key in before and before[key] != rule:
            parts = _rule_changes(before[key], rule, labels)
            if parts:             # only unknown keys from the file differ: nothing that scores
                out.append(RuleDifference("changed", rule.name, f"Changed {rule.name}: " + "; ".join(parts)))
    return out
