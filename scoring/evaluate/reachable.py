"""Which rules a lead could still match: the explanation suggests only those.

A lead's *fit* is who it is: its title, its industry, the size of its company. A lead whose
``job_title`` is "VP Sales" will not become a manager, and a company of 300 people will not be an
enterprise of 5,000 because a lead scores short. So a rule of a fit-like group (any group but the
changing ones in :data:`CHANGING_GROUPS`) whose condition fails on a value the lead *has* is out
of reach; a value the lead lacks may still be filled in, and what it *does* (engagement: visits,
downloads, a demo) can still change. Compound conditions follow logic: ``all`` is out of reach
when one part is, ``any`` when every part is, ``not`` when its part is settled the other way.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Model, Predicate

__all__ = ["CHANGING_GROUPS", "out_of_reach"]

#: Groups that score what a lead does, which can still change.
CHANGING_GROUPS = frozenset({"engagement", "behaviour", "behavior", "activity", "intent", "interest"})


def out_of_reach(model: Model, table, row: int, *, as_of: date | None = None,
                 rules: list[int] | None = None) -> set[int]:
    """Indices of the scoring rules (among ``rules``, default all) the lead at ``row`` cannot come
    to match by what it does: see the module docstring."""
    indices = range(len(model.rules)) if rules is None else rules
    wanted = [i for i in indices if model.rules[i].group.casefold() not in CHANGING_GROUPS]
    if not wanted:
        return set()
    columns = sorted({c for i in wanted for c in _columns(model.rules[i].when)} & set(table.frame.columns))
    lead = SimpleNamespace(frame=table.frame[columns].iloc[[row]].reset_index(drop=True),
                           types={c: table.types[c] for c in columns})
    one = Scorer(lead, as_of=as_of)
    return {i for i in wanted if _settled(one, set(columns), model.rules[i].when, True)}


def _settled(one: Scorer, columns: set[str], pred: Predicate, want: bool) -> bool:
    """True when ``pred`` cannot come to be ``want`` for the one lead ``one`` scores."""
    if isinstance(pred, Condition):
        if pred.column not in columns:
            return False
        try:
            filled = not bool(one.prepared(pred.column).missing[0])
            return filled and bool(one.mask(pred)[0]) != want
        except ValueError:                   # a condition the engine refuses decides nothing
            return False
    if pred.mode == "not":
        return _settled(one, columns, pred.items[0], not want)
    every = (pred.mode == "all") != want        # all->True or any->False: one part decides
    parts = [_settled(one, columns, p, want) for p in pred.items]
    return all(parts) if every else any(parts)


def _columns(pred: Predicate) -> set[str]:
    if isinstance(pred, Condition):
        return {pred.column}
    out: set[str] = set()
    for item in pred.items:
        out |= _columns(item)
    return out
