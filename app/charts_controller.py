"""Feeds the charts from the document: prepares the tagged columns once per table and tags, and
recomputes the chart tables (all in ``scoring``) after every score."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from app.analytics_inputs import AnalyticsInputs
from app.document import Document
from scoring.conversion import conversion_by_source
from scoring.distribution import fit_engagement_grid, score_histogram
from scoring.errors import LeadbenchError
from scoring.timeline import mqls_over_time
from widgets.charts import ChartsPanel

__all__ = ["ChartsController"]

log = logging.getLogger(__name__)


class ChartsController(QObject):
    def __init__(self, doc: Document, panel: ChartsPanel, inputs: AnalyticsInputs) -> None:
        super().__init__(panel)
        self._doc, self._panel = doc, panel
        self.inputs = inputs
        doc.scored.connect(self.refresh)
        panel.histogram.thresholdDragged.connect(
            lambda value: doc.edit_model(doc.model.with_threshold(value), merge_key="threshold"))
        panel.histogram.thresholdDragFinished.connect(lambda _v: doc.end_merge())

    def refresh(self) -> None:
        result, table = self._doc.result, self._doc.table
        panel = self._panel
        if result is None or table is None or not panel.isVisible():
            return                         # hidden charts are refreshed when they are shown
        try:
            inputs = self.inputs
            inputs.update()
            panel.histogram.set_histogram(
                score_histogram(result.total, result.mql, self._doc.model.threshold), self._doc.model.threshold)
            if inputs.source is not None:
                outcome = inputs.outcome
                panel.sources.set_conversion(conversion_by_source(
                    inputs.source, result.mql, won=outcome.won if outcome else None,
                    known=outcome.known if outcome else None))
            else:
                panel.sources.set_conversion(None)
            panel.timeline.set_timeline(mqls_over_time(inputs.dates, result.mql) if inputs.dates else None)
            model = self._doc.model
            panel.grid.set_grid(fit_engagement_grid(
                result.fit, result.engagement, result.mql, fit_cap=model.group("fit").cap,
                engagement_cap=model.group("engagement").cap))
        except LeadbenchError as exc:       # e.g. no dates at all in the tagged column
            log.info("charts not drawn: %s", exc)
