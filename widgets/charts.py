"""Live charts (pyqtgraph): score distribution with a draggable threshold, conversion by source,
MQLs over time, the fit x engagement grid, and (from their own modules) the funnel and cost per
source. Plot items are made once and updated with ``setOpts``/``setData``.

The widgets take the small tables computed by ``scoring`` (score_histogram, conversion_by_source,
mqls_over_time, fit_engagement_grid, funnel, cost_per_source) and emit what the user intends (a
threshold drag, a granularity, band edges, save a chart); they never compute scores or write files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHeaderView, QScrollArea,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from widgets.band_editor import BandEdgeEditor
from widgets.cost_chart import CostChart
from widgets.funnel_chart import FunnelChart

from widgets.table_fill import filling
from widgets.chart_frame import ChartFrame, make_plot, short_label
from widgets.theme import colour, follow_palette

__all__ = ["ScoreHistogramChart", "SourceChart", "TimelineChart", "GridChart", "ChartsPanel",
           "CHART_IDS", "GRANULARITY_CHOICES", "TOP_SOURCES"]


class ScoreHistogramChart(ChartFrame):
    """Signals
    -------
    thresholdDragged(float): while the threshold line is dragged
    thresholdDragFinished(float): the line was released
    """

    thresholdDragged = Signal(float)
    thresholdDragFinished = Signal(float)

    def __init__(self) -> None:
        self.plot = make_plot()
        super().__init__("Score distribution", self.plot, "histogram")
        self.setObjectName("scoreHistogram")
        self.plot.setLabel("bottom", "Total score")
        self.plot.setLabel("left", "Leads")
        self.others = self.plot.paint_bars(pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=None),
                                           "chart_other")
        self.mqls = self.plot.paint_bars(pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], pen=None),
                                         "chart_mql")
        self.plot.addItem(self.others)
        self.plot.addItem(self.mqls)
        self.line = self.plot.paint_line(pg.InfiniteLine(angle=90, movable=True,
                                                         label="threshold {value:g}",
                                                         labelOpts={"position": 0.92}),
                                         "chart_line")
        self.plot.addItem(self.line)
        self.line.sigDragged.connect(lambda line: self.thresholdDragged.emit(round(line.value(), 1)))
        self.line.sigPositionChangeFinished.connect(
            lambda line: self.thresholdDragFinished.emit(round(line.value(), 1)))
        legend = self.plot.add_themed_legend(above=True)      # the threshold label never covers it
        legend.addItem(self.mqls, "MQLs")
        legend.addItem(self.others, "Not MQLs")

    def set_histogram(self, frame: pd.DataFrame | None, threshold: float) -> None:
        if frame is None or frame.empty:
            self.show_empty("Open a lead list to see how scores are spread.")
            return
        left, right = frame["left"].to_numpy(), frame["right"].to_numpy()
        mqls, others = frame["mqls"].to_numpy(), frame["non_mqls"].to_numpy()
        self.mqls.setOpts(x0=left, x1=right, y0=np.zeros(len(left)), y1=mqls)
        self.others.setOpts(x0=left, x1=right, y0=mqls, y1=mqls + others)
        if not self.line.moving:          # setValue emits no sigDragged: no edit echo
            self.line.setValue(threshold)
        self.show_chart(frame)


#: Sources drawn and listed one by one; the rest are folded into "Other" by the caller.
TOP_SOURCES = 12


class SourceChart(ChartFrame):
    """Leads and MQLs per source as horizontal bars, most leads at the top (names read in full
    beside their bars), with the numbers in a table below, every column in view.

    Signals
    -------
    mergeSpellingsChosen(bool): whether sources that differ only in case and spaces count as one
    """

    mergeSpellingsChosen = Signal(bool)

    def __init__(self) -> None:
        body = QWidget()
        self.plot = make_plot()
        self.plot.showGrid(x=True, y=False, alpha=0.2)
        self.plot.setLabel("bottom", "Leads")
        self.table = QTableWidget(objectName="sourceTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.table, 2)
        super().__init__("Conversion by source", body, "sources")
        self.setObjectName("sourceChart")
        self.merge_spellings = QCheckBox("Merge spellings", objectName="mergeSpellingsBox", checked=True)
        self.merge_spellings.setToolTip("Count sources that differ only in case and spaces "
                                        "(“google”, “Google ”) as one")
        self.merge_spellings.toggled.connect(self.mergeSpellingsChosen)
        self.add_control(self.merge_spellings)
        self.leads = self.plot.paint_bars(pg.BarGraphItem(x0=[], x1=[], y=[], height=0.8, pen=None),
                                          "chart_other")
        self.mqls = self.plot.paint_bars(pg.BarGraphItem(x0=[], x1=[], y=[], height=0.45, pen=None),
                                         "chart_mql")
        self.plot.addItem(self.leads)
        self.plot.addItem(self.mqls)
        legend = self.plot.add_themed_legend(above=True)
        legend.addItem(self.leads, "Leads")
        legend.addItem(self.mqls, "MQLs")

    def set_conversion(self, frame: pd.DataFrame | None) -> None:
        """Show ``conversion_by_source``'s frame (folded to the top sources by the caller)."""
        if frame is None:
            self.show_empty("Tag a source or channel column (Columns tab) to see conversion by source.")
            return
        n = len(frame)
        y = np.arange(n)[::-1].astype(float)                 # the biggest source at the top
        leads, mqls = frame["leads"].to_numpy(float), frame["mqls"].to_numpy(float)
        self.leads.setOpts(x0=np.zeros(n), x1=leads, y=y, height=0.8)
        self.mqls.setOpts(x0=np.zeros(n), x1=mqls, y=y, height=0.45)
        names = [short_label(s, 22) for s in frame["source"]]
        axis = self.plot.getAxis("left")
        axis.setTicks([list(zip(y, names))])
        metrics = QFontMetrics(self.plot.font())
        axis.setWidth(min(180, 14 + max((metrics.horizontalAdvance(t) for t in names), default=20)))
        self.plot.setYRange(-0.6, max(n - 0.4, 0.4), padding=0)
        self.plot.setXRange(0, max(float(leads.max()) if n else 1.0, 1.0) * 1.05, padding=0)
        with filling(self.table):
            columns = [("source", "Source", str), ("leads", "Leads", "{:,}".format),
                       ("mqls", "MQLs", "{:,}".format), ("mql_rate", "Lead → MQL", "{:.1%}".format),
                       ("mql_won_rate", "MQL → won", "{:.1%}".format),
                       ("non_mql_won_rate", "Other → won", "{:.1%}".format)]
            columns = [c for c in columns if c[0] in frame.columns]
            self.table.setColumnCount(len(columns))
            self.table.setHorizontalHeaderLabels([c[1] for c in columns])
            self.table.setRowCount(len(frame))
            for r, row in enumerate(frame.itertuples(index=False)):
                values = row._asdict()
                for c, (key, _label, fmt) in enumerate(columns):
                    value = values[key]
                    text = "—" if isinstance(value, float) and np.isnan(value) else fmt(value)
                    item = QTableWidgetItem(text)
                    if key != "source":
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()          # (after filling, which restores modes)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # every row in view (the caller folds beyond the top sources): no scrolling inside
        rows = self.table.verticalHeader().defaultSectionSize() * len(frame)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + rows + 6)
        self.show_chart(frame)


class TimelineChart(ChartFrame):
    """Leads and MQLs per period of the created date, with a granularity box (Automatic first).

    Signals
    -------
    granularityChosen(object): "day", "week", "month" or "quarter", or None for automatic
    """

    granularityChosen = Signal(object)

    def __init__(self) -> None:
        self.plot = make_plot()
        super().__init__("MQLs over time", self.plot, "timeline")
        self.setObjectName("timelineChart")
        self.granularity = QComboBox(objectName="granularityBox")
        for text, value in GRANULARITY_CHOICES:
            self.granularity.addItem(text, value)
        self.granularity.setToolTip("How long each point of the chart is")
        self.granularity.currentIndexChanged.connect(
            lambda i: self.granularityChosen.emit(self.granularity.itemData(i)))
        self.add_control(self.granularity)
        self.plot.setAxisItems({"bottom": pg.DateAxisItem()})
        self.plot.setLabel("left", "Leads")
        self.leads = self.plot.paint_curve(self.plot.plot([], [], name="Leads", symbol="o",
                                                          symbolSize=4), "chart_other")
        self.mqls = self.plot.paint_curve(self.plot.plot([], [], name="MQLs", symbol="o",
                                                         symbolSize=4), "chart_mql")
        legend = self.plot.add_themed_legend(above=True)
        legend.addItem(self.leads, "Leads")
        legend.addItem(self.mqls, "MQLs")

    def chosen_granularity(self) -> str | None:
        return self.granularity.currentData()

    def set_timeline(self, frame: pd.DataFrame | None) -> None:
        self.granularity.setEnabled(frame is not None)
        if frame is None or frame.empty:
            self.show_empty("Tag a created-date column (Columns tab) to see MQLs over time.")
            return
        seconds = frame["period_start"].to_numpy("datetime64[s]").astype(np.int64).astype(float)
        self.leads.setData(seconds, frame["leads"].to_numpy(float))
        self.mqls.setData(seconds, frame["mqls"].to_numpy(float))
        used = frame.attrs.get("granularity", "period")
        auto = " (automatic)" if self.chosen_granularity() is None else ""
        self.plot.set_themed_title(f"per {used}{auto}".replace("{", "{{").replace("}", "}}"))
        self.show_chart(frame)


#: What the granularity box offers: (text, value); None is automatic.
GRANULARITY_CHOICES = (("Automatic", None), ("Day", "day"), ("Week", "week"), ("Month", "month"),
                       ("Quarter", "quarter"))


def _band_labels(labels, edges, what: str) -> list[str]:
    """"A (fit ≥ 37.5)" ... "D (fit < 12.5)": the best band first (as many as there are bands)."""
    if not edges:
        return [f"{labels[0]}  (every {what} score)"]
    bounds = [f"≥ {e:g}" for e in reversed(edges)] + [f"< {edges[0]:g}"]
    return [f"{label}  ({what} {bound})" for label, bound in zip(labels, bounds)]


class GridChart(ChartFrame):
    """Fit bands (rows A-D) x engagement bands (columns 1-4): leads and MQLs per cell, shaded by
    the cell's MQL share; the band edges are edited below the grid (``edges``).

    Signals are those of ``edges`` (:class:`widgets.band_editor.BandEdgeEditor`).
    """

    def __init__(self) -> None:
        self.table = QTableWidget(4, 4, objectName="gridTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.edges = BandEdgeEditor()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.edges)
        super().__init__("Fit × engagement", body, "grid")
        self.setObjectName("gridChart")
        self._rates = np.full((4, 4), np.nan)
        self._leads = np.zeros((4, 4), int)
        follow_palette(self, self._shade)

    def set_grid(self, grid, *, custom_fit: bool = False, custom_engagement: bool = False) -> None:
        """Show ``grid`` (a FitEngagementGrid, or None); ``custom_*`` say the model sets edges."""
        if grid is None:
            self.show_empty("Open a lead list to see fit against engagement.")
            return
        fit, eng = grid.fit_edges, grid.engagement_edges
        self.edges.set_edges("fit", fit, custom=custom_fit)
        self.edges.set_edges("engagement", eng, custom=custom_engagement)
        rows, columns = grid.leads.shape
        self.table.setRowCount(rows)
        self.table.setColumnCount(columns)
        self.table.setVerticalHeaderLabels(_band_labels(grid.fit_labels, fit, "fit"))
        self.table.setHorizontalHeaderLabels(_band_labels(grid.engagement_labels, eng, "eng."))
        self._rates, self._leads = np.asarray(grid.mql_rate, float), np.asarray(grid.leads, int)
        for r in range(rows):
            for c in range(columns):
                leads, mqls = int(grid.leads[r, c]), int(grid.mqls[r, c])
                item = self.table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.table.setItem(r, c, item)
                item.setText(f"{leads:,} leads\n{mqls:,} MQLs")
        self._shade()
        self.show_chart(grid.to_frame())

    def _shade(self) -> None:
        """Shade each cell by its MQL share in the scheme's heat-map colour (again on a switch)."""
        for r in range(min(self.table.rowCount(), self._rates.shape[0])):
            for c in range(min(self.table.columnCount(), self._rates.shape[1])):
                item = self.table.item(r, c)
                if item is None:
                    continue
                rate = self._rates[r, c]
                shade = 0 if not np.isfinite(rate) or not self._leads[r, c] else int(40 + 160 * rate)
                cell = colour("heatmap")
                cell.setAlpha(shade)
                item.setBackground(QBrush(cell))


#: From this width on, the panel shows two charts to a row.
WIDE_PANEL = 1200
#: The charts by id, as the save intents name them.
CHART_IDS = ("histogram", "timeline", "sources", "grid", "funnel", "cost")


class ChartsPanel(QWidget):
    """Every chart, two to a row, in a scrolling page.

    Signals
    -------
    savePngRequested(str), exportCsvRequested(str): a chart's id (see :data:`CHART_IDS`);
    the threshold drag is on ``histogram``, the editors' intents on ``timeline``,
    ``grid.edges``, ``funnel`` and ``cost``.
    """

    savePngRequested = Signal(str)
    exportCsvRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartsPanel")
        self.histogram = ScoreHistogramChart()
        self.sources = SourceChart()
        self.timeline = TimelineChart()
        self.grid = GridChart()
        self.funnel = FunnelChart()
        self.cost = CostChart()
        page = QWidget(objectName="chartsPage")
        self._rows = QGridLayout(page)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._columns = 0
        for chart in self.charts():
            chart.setMinimumHeight(440 if chart in (self.funnel, self.cost) else
                                   640 if chart is self.sources else 340)
            chart.savePngRequested.connect(self.savePngRequested)
            chart.exportCsvRequested.connect(self.exportCsvRequested)
        self._arrange(1)
        scroll = QScrollArea(objectName="chartsScroll", widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.grid.set_grid(None)
        self.histogram.set_histogram(None, 0)
        self.sources.set_conversion(None)
        self.timeline.set_timeline(None)

    def _arrange(self, columns: int) -> None:
        """Charts two to a row on a wide panel, one to a row on a narrow one."""
        if columns == self._columns:
            return
        self._columns = columns
        for index, chart in enumerate(self.charts()):
            self._rows.removeWidget(chart)
            self._rows.addWidget(chart, index // columns, index % columns)
        for column in range(2):
            self._rows.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:
        self._arrange(2 if event.size().width() >= WIDE_PANEL else 1)
        super().resizeEvent(event)

    def charts(self) -> tuple[ChartFrame, ...]:
        """The charts in :data:`CHART_IDS` order."""
        return (self.histogram, self.timeline, self.sources, self.grid, self.funnel, self.cost)

    def chart(self, chart_id: str) -> ChartFrame:
        return dict(zip(CHART_IDS, self.charts()))[chart_id]
