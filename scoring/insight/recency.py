"""How recent a list's dates are, measured against the scoring date.

Recency rules ("within the last 30 days"), decay and the ``after``/``before`` operators count from
the scoring date. A list exported in 2018 and scored today finds nothing recent, and every recency
rule silently matches no lead. ``date_span`` finds the list's latest date (in the created-date
column when one is tagged, else across every date column) and ``staleness`` says, in one sentence,
when all of those dates lie more than ``STALE_DAYS`` before the scoring date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from scoring.reading.profiling import min_max

__all__ = ["DateSpan", "date_span", "staleness", "STALE_DAYS"]

STALE_DAYS = 90


@dataclass(frozen=True)
class DateSpan:
    """The dates a list holds: ``columns`` looked at, the ``earliest`` and ``latest`` day (None: no date)."""

    columns: tuple[str, ...]
    earliest: date | None
    latest: date | None


def date_span(table, created: str | None = None) -> DateSpan:
    """The span of ``created`` when it is a date column of ``table``, else of all its date columns."""
    temporal = [c for c, t in table.types.items() if t.is_temporal]
    columns = [created] if created in temporal else temporal
    low = high = None
    for column in columns:
        first, last = min_max(table.frame[column])      # NaT skipped, without copying the column
        if pd.isna(last):
            continue
        first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
        low = first if low is None else min(low, first)
        high = last if high is None else max(high, last)
    return DateSpan(tuple(columns), low, high)


def staleness(span: DateSpan, as_of: date, days: int = STALE_DAYS) -> str | None:
    """A sentence when every date of ``span`` lies more than ``days`` before ``as_of``, else None.

    "Every date in created lies before 3 Mar 2018, 3,198 days before the scoring date (1 Dec
    2026): rules on recent activity match no lead."
    """
    if span.latest is None or (as_of - span.latest).days <= days:
        return None
    where = f"in {span.columns[0]}" if len(span.columns) == 1 else "in the list's date columns"
    gap = (as_of - span.latest).days
    return (f"Every date {where} is on or before {span.latest:%-d %b %Y}, {gap:,} days before the "
            f"scoring date ({as_of:%-d %b %Y}): rules on recent activity match no lead.")
