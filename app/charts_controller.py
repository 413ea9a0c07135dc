"""Feeds the charts from the document: prepares the tagged columns once per table and tags, and
recomputes the chart tables (all in ``scoring``) after every score. The charts' edits (threshold
line, stage order, spend, band edges) become undoable model edits; the granularity is a view
choice kept here; "Save PNG…" and "Export CSV…" go to ``app.chart_files``."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject

from app.analytics_inputs import AnalyticsInputs
from app.chart_files import ChartFiles
from app.document import Document
from scoring.errors import LeadbenchError
from scoring.insight.conversion import conversion_by_source, cost_per_source
from scoring.insight.distribution import fit_engagement_grid, score_histogram
from scoring.insight.funnel import funnel
from scoring.insight.stages import guess_stage_order
from scoring.insight.timeline import mqls_over_time
from widgets.charts import TOP_SOURCES, ChartsPanel

__all__ = ["ChartsController"]

log = logging.getLogger(__name__)


class ChartsController(QObject):
    def __init__(self, doc: Document, panel: ChartsPanel, inputs: AnalyticsInputs) -> None:
        super().__init__(panel)
        self._doc, self._panel = doc, panel
        self.inputs = inputs
        self.granularity: str | None = None
        self.files = ChartFiles(panel, self._protected_files, self._start_folder)
        doc.scored.connect(self.refresh)
        panel.histogram.thresholdDragged.connect(
            lambda value: doc.edit_model(doc.model.with_threshold(value), merge_key="threshold"))
        panel.histogram.thresholdDragFinished.connect(lambda _v: doc.end_merge())
        panel.timeline.granularityChosen.connect(self._on_timeline_granularity)
        panel.sources.mergeSpellingsChosen.connect(self._on_merge_spellings)
        panel.funnel.stageOrderEdited.connect(self._on_funnel_order)
        panel.cost.spendEdited.connect(
            lambda spend: self._edit(spend=tuple(spend), text="Change spend per source"))
        panel.grid.edges.bandEdgesEdited.connect(self._on_grid_edges)
        panel.savePngRequested.connect(self.save_png)
        panel.exportCsvRequested.connect(self.export_csv)

    # -- intents ------------------------------------------------------------------------------
    def _edit(self, text: str, merge_key: str | None = None, **changes) -> None:
        doc = self._doc
        doc.edit_model(doc.model.with_analysis(**changes), text=text, merge_key=merge_key)

    def _on_timeline_granularity(self, granularity: str | None) -> None:
        self.granularity = granularity
        self.refresh()

    def _on_merge_spellings(self, merge: bool) -> None:
        self.inputs.merge_sources = merge        # a view choice, like the granularity
        self.refresh()

    def _on_funnel_order(self, order: tuple) -> None:
        self._edit(stage_order=tuple(order), text="Change funnel stages")

    def _on_grid_edges(self, axis: str, edges) -> None:
        field = "fit_bands" if axis == "fit" else "engagement_bands"
        if edges is None:                  # "Automatic": one step of its own
            self._edit(text=f"Use automatic {axis} band edges", **{field: None})
            return
        self._edit(text=f"Change {axis} band edges", merge_key=field, **{field: tuple(edges)})

    def save_png(self, chart_id: str) -> Path | None:
        chart = self._panel.chart(chart_id)
        return self.files.save_png(chart.render_target(), chart.title)

    def export_csv(self, chart_id: str) -> Path | None:
        chart = self._panel.chart(chart_id)
        return self.files.export_csv(chart.numbers_frame(), chart.title)

    def _protected_files(self) -> list[str]:
        table = self._doc.table
        return [p for p in (table.source if table else None, self._doc.model_path) if p]

    def _start_folder(self) -> str | None:
        table = self._doc.table
        return str(Path(table.source).parent) if table is not None and table.source else None

    # -- refresh ------------------------------------------------------------------------------
    def refresh(self) -> None:
        result, table = self._doc.result, self._doc.table
        panel = self._panel
        if result is None or table is None or not panel.isVisible():
            return                         # hidden charts are refreshed when they are shown
        inputs = self.inputs
        inputs.update()
        model = self._doc.model
        outcome = inputs.outcome
        won = outcome.won if outcome else None
        known = outcome.known if outcome else None
        for draw in (self._histogram, self._sources, self._timeline, self._grid, self._funnel,
                     self._cost):
            try:
                draw(result, model, won, known)
            except LeadbenchError as exc:   # e.g. no dates at all in the tagged column
                log.info("chart not drawn: %s", exc)

    def _histogram(self, result, model, _won, _known) -> None:
        self._panel.histogram.set_histogram(score_histogram(result.total, result.mql, model.threshold),
                                            model.threshold)

    def _sources(self, result, _model, won, known) -> None:
        source = self.inputs.source
        self._panel.sources.set_conversion(
            None if source is None else conversion_by_source(source, result.mql, won=won, known=known,
                                                             top=TOP_SOURCES))

    def _timeline(self, result, _model, _won, _known) -> None:
        dates = self.inputs.dates
        self._panel.timeline.set_timeline(
            mqls_over_time(dates, result.mql, self.granularity) if dates is not None else None)

    def _grid(self, result, model, _won, _known) -> None:
        bands = model.analysis
        self._panel.grid.set_grid(
            fit_engagement_grid(result.fit, result.engagement, result.mql,
                                fit_edges=bands.fit_bands, engagement_edges=bands.engagement_bands,
                                fit_cap=model.group("fit").cap,
                                engagement_cap=model.group("engagement").cap),
            custom_fit=bands.fit_bands is not None,
            custom_engagement=bands.engagement_bands is not None)

    def _funnel(self, result, model, _won, _known) -> None:
        chart, stage = self._panel.funnel, self.inputs.stage
        if stage is None:
            chart.set_stage_values(None, ())
            chart.set_funnel(None)
            return
        values = self.inputs.stage_values
        order = model.analysis.stage_order
        if order is None:
            order = guess_stage_order(v for v, _n in values)
        chart.set_stage_values(values, order)
        chart.set_funnel(funnel(stage, result.mql, order))

    def _cost(self, result, model, won, known) -> None:
        chart, source = self._panel.cost, self.inputs.source
        if source is None:
            chart.set_sources(None, ())
            chart.set_cost(None)
            return
        labels = [label for label, _leads in self.inputs.source_values]
        spend = model.analysis.spend
        chart.set_sources(labels, spend)
        if not spend:
            chart.set_cost(None, "Type what you spent on each source (in the list on the left) "
                                 "to see cost per lead, per MQL and per won lead.")
            return
        chart.set_cost(cost_per_source(source, result.mql, dict(spend), won=won, known=known,
                                       amount=self.inputs.amount))
