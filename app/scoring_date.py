"""The scoring date in the window: the bar beside the threshold and the stale-dates notice.

The date is part of the model (``Model.as_of``; None follows today), so choosing it is one
undoable edit and it is saved with the model; the document scores with it, and the charts,
back-test, export, report and explain panel all read the scores it made.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject

from app.document import Document
from scoring.insight.recency import DateSpan, date_span, staleness
from widgets.scoring_date import ScoringDateBar, StaleDatesNotice

__all__ = ["ScoringDateController"]


class ScoringDateController(QObject):
    def __init__(self, doc: Document, bar: ScoringDateBar, notice: StaleDatesNotice) -> None:
        super().__init__(doc)
        self._doc, self._bar, self._notice = doc, bar, notice
        self._span: tuple[str | None, DateSpan] | None = None   # (created tag, its span) for this table
        bar.dateEdited.connect(self.set_scoring_date)
        notice.useLatestRequested.connect(self.use_latest)
        doc.tableChanged.connect(self._on_table_changed)
        doc.modelChanged.connect(self.refresh)

    def set_scoring_date(self, day: date | None) -> None:
        """Score as of ``day`` as one undoable edit; None ("Today") follows the calendar, except on
        a list with a date of its own (the sample), where today is written down."""
        if day is None and self._doc.list_as_of is not None:
            day = date.today()
        self._doc.edit_model(self._doc.model.with_as_of(day))

    def use_latest(self) -> None:
        span = self.span()
        if span is not None and span.latest is not None:
            self.set_scoring_date(span.latest)

    def span(self) -> DateSpan | None:
        """The dates of the list (its created-date column when tagged), worked out once per table."""
        doc = self._doc
        if doc.table is None:
            return None
        created = doc.model.tagged("created")
        if self._span is None or self._span[0] != created:
            self._span = (created, date_span(doc.table, created))
        return self._span[1]

    def _on_table_changed(self) -> None:
        self._span = None
        self.refresh()

    def refresh(self) -> None:
        doc, span = self._doc, self.span()
        self._bar.set_scoring_date(doc.as_of, is_today=doc.as_of == date.today())
        latest = span.latest if span is not None else None
        where = (f"in {span.columns[0]}" if len(span.columns) == 1 else "in the list") if span else ""
        self._bar.set_latest(latest, where)
        self._notice.show_notice(staleness(span, doc.as_of) if span is not None else None, latest)
