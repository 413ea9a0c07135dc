"""The tagged columns prepared for analytics (source, created date, outcome), built once per
table and tags and shared by the charts and the back-test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.document import Document
from scoring.analytics import PreparedCategory, PreparedDates, prepare_category, prepare_dates
from scoring.column_types import ColumnTag
from scoring.outcome import guess_won_values, outcome_to_bool

__all__ = ["AnalyticsInputs", "Outcome"]


@dataclass(frozen=True)
class Outcome:
    column: str
    won_values: tuple
    won: np.ndarray
    known: np.ndarray

    def note(self) -> str:
        values = ", ".join(map(str, self.won_values)) if self.won_values else "a filled date"
        return f"Outcome: “{self.column}”; won means {values}."


class AnalyticsInputs:
    """``source``, ``dates`` and ``outcome`` of the document's table (None when not tagged)."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._key = None
        self.source: PreparedCategory | None = None
        self.dates: PreparedDates | None = None
        self.outcome: Outcome | None = None

    def update(self) -> None:
        table, model = self._doc.table, self._doc.model
        tags = tuple(model.tagged(t) for t in (ColumnTag.SOURCE, ColumnTag.CREATED, ColumnTag.OUTCOME))
        key = (id(table), tags)
        if table is None or key == self._key:
            return
        self._key = key
        source, created, outcome = (c if c in table.frame.columns else None for c in tags)
        self.source = prepare_category(table.frame[source], merge_variants=True) if source else None
        self.dates = None
        if created and table.types[created].is_temporal:
            self.dates = prepare_dates(table.frame[created])
        self.outcome = None
        if outcome:
            series = table.frame[outcome]
            won_values = guess_won_values(series)
            if won_values or table.types[outcome].is_temporal:
                won, known = outcome_to_bool(series, won_values)
                self.outcome = Outcome(outcome, tuple(sorted(won_values, key=str)), won, known)
