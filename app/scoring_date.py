"""The scoring date in the window: the bar beside the threshold and the stale-dates notice.

The date is part of the model (``Model.as_of``; None follows today), so choosing it is one
undoable edit and it is saved with the model; the document scores with it, and the charts,
back-test, export, report and explain panel all read the scores it made.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject

from app.document import Document
from app.tasks import Task, TaskRunner
from scoring.insight.recency import DateSpan, date_span, staleness
from widgets.scoring_date import ScoringDateBar, StaleDatesNotice

__all__ = ["ScoringDateController", "WORKER_ROWS"]

#: the dates of lists this long are read on a worker (four reductions over ten million dates take
#: a few hundred milliseconds); the bar shows the latest date when they are in
WORKER_ROWS = 200_000


def _span_job(table, created, *, on_progress=None, is_cancelled=None) -> tuple[str | None, DateSpan]:
    return created, date_span(table, created)


class ScoringDateController(QObject):
    def __init__(self, doc: Document, bar: ScoringDateBar, notice: StaleDatesNotice) -> None:
        super().__init__(doc)
        self._doc, self._bar, self._notice = doc, bar, notice
        self._span: tuple[str | None, DateSpan] | None = None   # (created tag, its span) for this table
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._on_span_ready)
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
            self._runner.cancel()
            self._span = (created, date_span(doc.table, created))
        return self._span[1]

    def _known_span(self) -> DateSpan | None:
        """The span when it is known or quick to work out; a big list's is read on a worker
        (None until it is in)."""
        doc = self._doc
        if doc.table is None:
            return None
        created = doc.model.tagged("created")
        if self._span is not None and self._span[0] == created:
            return self._span[1]
        if doc.table.n_rows < WORKER_ROWS:
            return self.span()
        if not self._runner.busy:
            self._runner.start(Task(_span_job, doc.table, created))
        return None

    def _on_span_ready(self, found: tuple[str | None, DateSpan]) -> None:
        if self._doc.table is not None and found[0] == self._doc.model.tagged("created"):
            self._span = found
        self.refresh()

    def _on_table_changed(self) -> None:
        self._span = None
        self._runner.cancel()
        self.refresh()

    def refresh(self) -> None:
        doc, span = self._doc, self._known_span()
        self._bar.set_scoring_date(doc.as_of, is_today=doc.as_of == date.today())
        latest = span.latest if span is not None else None
        where = (f"in {span.columns[0]}" if len(span.columns) == 1 else "in the list") if span else ""
        self._bar.set_latest(latest, where)
        self._notice.show_notice(staleness(span, doc.as_of) if span is not None else None, latest)
