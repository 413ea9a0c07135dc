"""The recipe that brings other files into a lead list, and the account roll-up: model values.

A model may name *sources*: other files (a deals export, an activity log) whose rows match leads
by a key. A source brings columns (a lookup: one row per lead, or the first / latest / an
aggregate when a lead matches several) and defines new lead columns from its rows (aggregates:
count, latest, earliest, sum, mean, max, distinct). The engine that applies a recipe is
``scoring.combine``; this module holds only the frozen values and their JSON form, so the model
file (``model_file``) can save them.

JSON form (``"sources"`` and ``"accounts"`` in the model file)::

    "sources": [
      {"name": "deals", "path": "deals.csv",
       "match": {"by": "id", "leads": ["mql_id"], "file": ["mql_id"]},
       "columns": ["won_date", "deal_stage"], "many": "latest", "order_by": "won_date"},
      {"name": "activity", "path": "events.xlsx", "sheet": "Log",
       "match": {"by": "email", "leads": ["email"], "file": ["contact"]},
       "aggregates": [{"name": "Email clicks, last 30 days", "fn": "count",
                       "where": {"column": "event", "op": "eq", "value": "click"},
                       "within_days": 30, "date_column": "when"}]}],
    "accounts": {"by": "company", "column": "company", "score": "sum", "threshold": 120}

``path`` is relative to the model file's folder when the file lies beside or below it
(``load_model`` resolves it, ``save_model`` writes it so).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

__all__ = ["MATCH_KINDS", "MANY_POLICIES", "AGGREGATE_FUNCTIONS", "ACCOUNT_SCORES", "ACCOUNT_BY",
           "MatchKey", "Aggregate", "Source", "AccountRollup", "replace_source_path"]

#: how rows match: the same id; the same email address (trimmed, case-folded); the same person
#: and company (normalised as the duplicate finder does: ``scoring.names``)
MATCH_KINDS = ("id", "email", "name")
#: a lead matching several rows of a lookup takes the first, the latest by a date column, or an
#: aggregate (numbers summed, dates the latest, other values the distinct ones joined by ", ")
MANY_POLICIES = ("first", "latest", "aggregate")
#: new lead columns from many rows per lead
AGGREGATE_FUNCTIONS = ("count", "latest", "earliest", "sum", "mean", "max", "distinct")
#: an account's score from its leads' scores
ACCOUNT_SCORES = ("sum", "average", "max", "top3")
ACCOUNT_BY = ("company", "domain")


@dataclass(frozen=True)
class MatchKey:
    """How a lead matches a row of the other file.

    ``leads`` and ``file`` name the key column(s) on each side: one column for ``id`` and
    ``email``; for ``name`` the person column(s) then the company column (``("name", "company")``
    or ``("first", "last", "company")``).
    """

    by: str
    leads: tuple[str, ...]
    file: tuple[str, ...]

    def describe(self) -> str:
        left, right = " + ".join(self.leads), " + ".join(self.file)
        same = left if left == right else f"{left} = {right}"
        return {"id": f"same {same}", "email": f"same email address ({same})",
                "name": f"same person and company ({same})"}.get(self.by, same)


@dataclass(frozen=True)
class Aggregate:
    """A new lead column from the rows that match each lead.

    ``fn``: ``count`` rows (no column), ``latest`` / ``earliest`` date, ``sum`` / ``mean`` /
    ``max`` of a number, ``distinct`` number of values. ``where``: an optional condition on the
    file's columns (a model ``Predicate``: ``event is click``); ``within_days`` with
    ``date_column``: only rows dated within that many days up to the scoring date.
    """

    name: str
    fn: str
    column: str | None = None
    where: Any = None                  # Predicate | None (a Condition or Compound)
    within_days: float | None = None
    date_column: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Source:
    """One other file and what it brings to the leads (see the module docstring)."""

    name: str
    path: str
    match: MatchKey
    sheet: str | None = None
    columns: tuple[str, ...] = ()
    many: str = "first"
    order_by: str | None = None
    aggregates: tuple[Aggregate, ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class AccountRollup:
    """Leads grouped into accounts: by a company ``column`` or by the email ``column``'s domain
    (free-mail domains never form an account); the account score is the ``score`` (sum, average,
    max, top3 average) of its leads' scores; an account at or above ``threshold`` is a Marketing
    Qualified Account."""

    by: str = "company"
    column: str | None = None
    score: str = "sum"
    threshold: float = 100.0
    extra: tuple[tuple[str, Any], ...] = ()


def replace_source_path(sources: tuple[Source, ...], name: str, path: str) -> tuple[Source, ...]:
    """The sources with the one named ``name`` pointed at ``path`` (unknown names: unchanged)."""
    return tuple(replace(s, path=str(path)) if s.name == name else s for s in sources)
