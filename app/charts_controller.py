"""Feeds the charts from the document: prepares the tagged columns once per table and tags, and
recomputes the chart tables (all in ``scoring``) after every score."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from app.commands import ReplaceModel
from app.document import Document
from scoring.analytics import prepare_category, prepare_dates
from scoring.column_types import ColumnTag
from scoring.conversion import conversion_by_source
from scoring.distribution import score_histogram
from scoring.errors import LeadbenchError
from scoring.outcome import guess_won_values, outcome_to_bool
from scoring.timeline import mqls_over_time
from widgets.charts import ChartsPanel

__all__ = ["ChartsController"]

log = logging.getLogger(__name__)


class ChartsController(QObject):
    def __init__(self, doc: Document, panel: ChartsPanel) -> None:
        super().__init__(panel)
        self._doc, self._panel = doc, panel
        self._key = None
        self._source = self._dates = self._outcome = None
        doc.scored.connect(self.refresh)
        panel.histogram.thresholdDragged.connect(
            lambda value: doc.edit_model(doc.model.with_threshold(value), merge_key="threshold"))
        panel.histogram.thresholdDragFinished.connect(lambda _v: self._seal())

    def _seal(self) -> None:
        stack = self._doc.undo_stack
        if stack.count() and isinstance(stack.command(stack.count() - 1), ReplaceModel):
            stack.command(stack.count() - 1).seal()

    def _prepare(self) -> None:
        """Prepared source, created date and outcome columns, rebuilt when the table or tags change."""
        table, model = self._doc.table, self._doc.model
        tags = tuple(model.tagged(t) for t in (ColumnTag.SOURCE, ColumnTag.CREATED, ColumnTag.OUTCOME))
        key = (id(table), tags)
        if key == self._key:
            return
        self._key = key
        source, created, outcome = (c if c in table.frame.columns else None for c in tags)
        self._source = prepare_category(table.frame[source], merge_variants=True) if source else None
        self._dates = None
        if created and table.types.get(created) and table.types[created].is_temporal:
            self._dates = prepare_dates(table.frame[created])
        self._outcome = None
        if outcome:
            series = table.frame[outcome]
            won_values = guess_won_values(series)
            if won_values or str(table.types.get(outcome)) in ("date", "datetime"):
                self._outcome = outcome_to_bool(series, won_values)

    def refresh(self) -> None:
        result, table = self._doc.result, self._doc.table
        panel = self._panel
        if result is None or table is None or not panel.isVisible():
            return                         # hidden charts are refreshed when they are shown
        try:
            self._prepare()
            panel.histogram.set_histogram(
                score_histogram(result.total, result.mql, self._doc.model.threshold), self._doc.model.threshold)
            if self._source is not None:
                won, known = self._outcome if self._outcome is not None else (None, None)
                panel.sources.set_conversion(conversion_by_source(self._source, result.mql, won=won, known=known))
            else:
                panel.sources.set_conversion(None)
            panel.timeline.set_timeline(mqls_over_time(self._dates, result.mql) if self._dates else None)
        except LeadbenchError as exc:       # e.g. no dates at all in the tagged column
            log.info("charts not drawn: %s", exc)
