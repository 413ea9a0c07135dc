"""The tagged columns prepared for analytics (source, created date, stage, amount, outcome),
built once per table and tags and shared by the charts and the back-test.

The outcome also depends on the model's won values (``Model.analysis.won_values``; None means
the guess from ``scoring.insight.outcome``), so it is rebuilt when the user changes the mapping, without
preparing the other columns again. Columns for "What converts" are prepared on first use and kept
for the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.document import Document
from scoring.insight.analytics import (PreparedCategory, PreparedDates, prepare_attribute, prepare_category,
                                       prepare_dates)
from scoring.column_types import ColumnTag
from scoring.value_text import value_text
from scoring.insight.outcome import guess_open_values, guess_won_values, outcome_states

__all__ = ["AnalyticsInputs", "Outcome"]

_TAGS = (ColumnTag.SOURCE, ColumnTag.CREATED, ColumnTag.OUTCOME, ColumnTag.STAGE, ColumnTag.AMOUNT)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


@dataclass(frozen=True)
class Outcome:
    """The outcome column as ``won``/``known`` per lead, and how it was read.

    ``values`` are the column's distinct values with their lead counts (most first; empty for a
    date column), ``guessed`` says the won values are the guess, not the user's mapping.
    """

    column: str
    won_values: tuple
    won: np.ndarray
    known: np.ndarray
    values: tuple = ()
    is_date: bool = False
    guessed: bool = True
    open_values: tuple = ()

    @property
    def n_won(self) -> int:
        return int((self.won & self.known).sum())

    def note(self) -> str:
        if self.is_date:
            values = "a filled date"
        else:
            values = ", ".join(map(value_text, self.won_values)) if self.won_values else "nothing"
        how = " (guessed)" if self.guessed and not self.is_date else ""
        return f"Outcome: “{self.column}”; won means {values}{how}."


def _values_by_count(column: PreparedCategory | None) -> tuple:
    """``(label, leads)`` of a prepared column, most leads first, without the empty cells."""
    if column is None:
        return ()
    counts = column.counts()
    return tuple((column.labels[c], int(counts[c])) for c in np.argsort(-counts, kind="stable")
                 if c != column.missing_code and counts[c])


class AnalyticsInputs:
    """``source``, ``dates``, ``stage``, ``amount`` and ``outcome`` of the document's table
    (None when not tagged or not usable); ``source_values`` and ``stage_values`` list the
    values with their lead counts, most first."""

    def __init__(self, doc: Document, unmatched_for=None) -> None:
        self._doc = doc
        # column -> per lead, True where the joined file that brought it matched no row (or None)
        self._unmatched_for = unmatched_for
        self._key = None
        self._outcome_key = None
        self._outcome_values: tuple = ()
        self._attributes: dict[str, PreparedCategory] = {}
        self.source: PreparedCategory | None = None
        self.dates: PreparedDates | None = None
        self.stage: PreparedCategory | None = None
        self.amount: np.ndarray | None = None
        self.outcome: Outcome | None = None
        self.stage_values: tuple = ()
        self.source_values: tuple = ()
        self.merge_sources = True     # "google" and "Google " count as one source

    def update(self) -> None:
        table, model = self._doc.table, self._doc.mapped_model()     # tags on mapped columns
        if table is None:
            return
        tags = tuple(model.tagged(t) for t in _TAGS)
        key = (id(table), tags, self.merge_sources)
        if key != self._key:
            self._key = key
            self._outcome_key = None
            self._attributes = {}
            self._prepare(table, tags)
        self._update_outcome(table, tags[2], model.analysis.won_values, model.analysis.open_values)

    def _prepare(self, table, tags) -> None:
        frame = table.frame
        source, created, _outcome, stage, amount = (c if c in frame.columns else None for c in tags)
        self.source = (prepare_category(frame[source], merge_variants=self.merge_sources)
                       if source else None)
        self.dates = None
        if created and table.types[created].is_temporal:
            self.dates = prepare_dates(frame[created])
        self.stage = prepare_category(frame[stage], merge_variants=True) if stage else None
        self.stage_values = _values_by_count(self.stage)
        self.source_values = _values_by_count(self.source)
        self.amount = None
        if amount and pd.api.types.is_numeric_dtype(frame[amount].dtype) \
                and not pd.api.types.is_bool_dtype(frame[amount].dtype):
            self.amount = frame[amount].to_numpy(np.float64, na_value=np.nan)

    def _update_outcome(self, table, column, won_values, open_values=None) -> None:
        column = column if column in table.frame.columns else None
        key = (column, won_values, open_values)
        if key == self._outcome_key:
            return
        if column != (self._outcome_key or (None,))[0] or self._outcome_key is None:
            self._outcome_values = ()
            if column is not None and not table.types[column].is_temporal:
                counts = table.frame[column].value_counts(sort=True, dropna=True)
                self._outcome_values = tuple((_plain(v), int(n)) for v, n in counts.items() if n)
        self._outcome_key = key
        self.outcome = None
        if column is None:
            return
        series = table.frame[column]
        is_date = table.types[column].is_temporal
        guessed = won_values is None
        values = tuple(sorted(guess_won_values(series), key=str)) if guessed else tuple(won_values)
        still_open = tuple(guess_open_values(series)) if open_values is None else tuple(open_values)
        unmatched = self._unmatched_for(column) if self._unmatched_for is not None else None
        won, known = outcome_states(series, values, still_open, unmatched=unmatched)
        self.outcome = Outcome(column, values, won, known, self._outcome_values, is_date, guessed, still_open)

    def attribute(self, column: str) -> PreparedCategory | None:
        """``column`` prepared for "What converts" (numbers in quartile bins); kept per table."""
        table = self._doc.table
        if table is None or column not in table.frame.columns:
            return None
        if column not in self._attributes:
            self._attributes[column] = prepare_attribute(table.frame[column], name=column)
        return self._attributes[column]
