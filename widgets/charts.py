"""Live charts (pyqtgraph): score distribution with a draggable threshold, conversion by source,
and MQLs over time. Plot items are made once and updated with ``setOpts``/``setData``.

The widgets take the small tables computed by ``scoring`` (score_histogram, conversion_by_source,
mqls_over_time) and emit what the user intends (a threshold drag); they never compute scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QStackedLayout, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

__all__ = ["ScoreHistogramChart", "SourceChart", "TimelineChart", "GridChart", "ChartsPanel"]

MQL_COLOUR = "#3a9d5d"
OTHER_COLOUR = "#b8c2cf"
LINE_COLOUR = "#d1495b"


def _tab_separated(frame: pd.DataFrame) -> str:
    """The table as tab-separated text, for pasting into a spreadsheet (no file involved)."""
    lines = ["\t".join(map(str, frame.columns))]
    lines += ["\t".join("" if pd.isna(v) else str(v) for v in row)
              for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def _short(label, limit: int = 9) -> str:
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plot() -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.showGrid(x=False, y=True, alpha=0.2)
    plot.setMenuEnabled(False)
    plot.getPlotItem().setMouseEnabled(x=False, y=False)
    plot.getPlotItem().hideButtons()
    return plot


class _ChartFrame(QWidget):
    """A title, a chart or an explanation of what is missing, and "Copy numbers"."""

    def __init__(self, title: str, body: QWidget) -> None:
        super().__init__()
        self._numbers = ""
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: 600;")
        self.copy_button = QPushButton("Copy numbers")
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(self._numbers))
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.copy_button)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setStyleSheet("color: #6b7280;")
        holder = QWidget()
        self.stack = QStackedLayout(holder)
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(holder, 1)

    def show_empty(self, message: str) -> None:
        self.empty.setText(message)
        self.stack.setCurrentWidget(self.empty)
        self.copy_button.setEnabled(False)

    def show_chart(self, numbers: pd.DataFrame) -> None:
        self._numbers = _tab_separated(numbers)
        self.stack.setCurrentIndex(0)
        self.copy_button.setEnabled(True)

    def numbers(self) -> str:
        return self._numbers


class ScoreHistogramChart(_ChartFrame):
    """Signals
    -------
    thresholdDragged(float): while the threshold line is dragged
    thresholdDragFinished(float): the line was released
    """

    thresholdDragged = Signal(float)
    thresholdDragFinished = Signal(float)

    def __init__(self) -> None:
        self.plot = _plot()
        super().__init__("Score distribution", self.plot)
        self.setObjectName("scoreHistogram")
        self.plot.setLabel("bottom", "Total score")
        self.plot.setLabel("left", "Leads")
        self.others = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], brush=OTHER_COLOUR, pen=None)
        self.mqls = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], brush=MQL_COLOUR, pen=None)
        self.plot.addItem(self.others)
        self.plot.addItem(self.mqls)
        self.line = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen(LINE_COLOUR, width=2),
                                    label="threshold {value:g}",
                                    labelOpts={"position": 0.92, "color": LINE_COLOUR})
        self.plot.addItem(self.line)
        self.line.sigDragged.connect(lambda line: self.thresholdDragged.emit(round(line.value(), 1)))
        self.line.sigPositionChangeFinished.connect(
            lambda line: self.thresholdDragFinished.emit(round(line.value(), 1)))
        legend = self.plot.addLegend(offset=(-10, 10))
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


class SourceChart(_ChartFrame):
    """Leads and MQLs per source as bars (most leads first) with the numbers beside them."""

    def __init__(self) -> None:
        body = QWidget()
        self.plot = _plot()
        self.plot.setLabel("left", "Leads")
        self.table = QTableWidget(objectName="sourceTable")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.table, 2)
        super().__init__("Conversion by source", body)
        self.setObjectName("sourceChart")
        self.leads = pg.BarGraphItem(x=[], height=[], width=0.8, brush=OTHER_COLOUR, pen=None)
        self.mqls = pg.BarGraphItem(x=[], height=[], width=0.5, brush=MQL_COLOUR, pen=None)
        self.plot.addItem(self.leads)
        self.plot.addItem(self.mqls)

    def set_conversion(self, frame: pd.DataFrame | None, limit: int = 8) -> None:
        if frame is None:
            self.show_empty("Tag a source or channel column (Columns tab) to see conversion by source.")
            return
        shown = frame.head(limit)
        x = np.arange(len(shown))
        self.leads.setOpts(x=x, height=shown["leads"].to_numpy(), width=0.8)
        self.mqls.setOpts(x=x, height=shown["mqls"].to_numpy(), width=0.5)
        axis = self.plot.getAxis("bottom")
        axis.setTicks([[(i, _short(s)) for i, s in enumerate(shown["source"])]])
        columns = [("source", "Source", str), ("leads", "Leads", "{:,}".format),
                   ("mqls", "MQLs", "{:,}".format), ("mql_rate", "Lead→MQL", "{:.1%}".format),
                   ("mql_won_rate", "MQL→won", "{:.1%}".format),
                   ("non_mql_won_rate", "Other→won", "{:.1%}".format)]
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
        self.show_chart(frame)


class TimelineChart(_ChartFrame):
    """Leads and MQLs per period of the created date."""

    def __init__(self) -> None:
        self.plot = _plot()
        super().__init__("MQLs over time", self.plot)
        self.setObjectName("timelineChart")
        self.plot.setAxisItems({"bottom": pg.DateAxisItem()})
        self.plot.setLabel("left", "Leads")
        self.leads = self.plot.plot([], [], pen=pg.mkPen(OTHER_COLOUR, width=2), name="Leads",
                                    symbol="o", symbolSize=4, symbolBrush=OTHER_COLOUR)
        self.mqls = self.plot.plot([], [], pen=pg.mkPen(MQL_COLOUR, width=2), name="MQLs",
                                   symbol="o", symbolSize=4, symbolBrush=MQL_COLOUR)
        legend = self.plot.addLegend(offset=(-10, 10))
        legend.addItem(self.leads, "Leads")
        legend.addItem(self.mqls, "MQLs")

    def set_timeline(self, frame: pd.DataFrame | None) -> None:
        if frame is None or frame.empty:
            self.show_empty("Tag a created-date column (Columns tab) to see MQLs over time.")
            return
        seconds = frame["period_start"].to_numpy("datetime64[s]").astype(np.int64).astype(float)
        self.leads.setData(seconds, frame["leads"].to_numpy(float))
        self.mqls.setData(seconds, frame["mqls"].to_numpy(float))
        self.plot.setTitle(f"per {frame.attrs.get('granularity', 'period')}", size="9pt")
        self.show_chart(frame)


def _band_labels(labels, edges, what: str) -> list[str]:
    """"A (fit ≥ 37.5)" ... "D (fit < 12.5)": the best band first."""
    low, mid, high = edges
    bounds = [f"≥ {high:g}", f"≥ {mid:g}", f"≥ {low:g}", f"< {low:g}"]
    return [f"{label}  ({what} {bound})" for label, bound in zip(labels, bounds)]


class GridChart(_ChartFrame):
    """Fit bands (rows A-D) x engagement bands (columns 1-4): leads and MQLs per cell, shaded by
    the cell's MQL share."""

    def __init__(self) -> None:
        self.table = QTableWidget(4, 4, objectName="gridTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        super().__init__("Fit × engagement", self.table)
        self.setObjectName("gridChart")

    def set_grid(self, grid) -> None:
        if grid is None:
            self.show_empty("Open a lead list to see fit against engagement.")
            return
        fit, eng = grid.fit_edges, grid.engagement_edges
        self.table.setVerticalHeaderLabels(_band_labels(grid.fit_labels, fit, "fit"))
        self.table.setHorizontalHeaderLabels(_band_labels(grid.engagement_labels, eng, "eng."))
        rates = grid.mql_rate
        for r in range(4):
            for c in range(4):
                leads, mqls = int(grid.leads[r, c]), int(grid.mqls[r, c])
                item = QTableWidgetItem(f"{leads:,} leads\n{mqls:,} MQLs")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                rate = rates[r, c]
                shade = 0 if not np.isfinite(rate) else int(40 + 160 * rate)
                item.setBackground(pg.mkBrush(58, 157, 93, shade if leads else 0))
                self.table.setItem(r, c, item)
        self.show_chart(grid.to_frame())


class ChartsPanel(QWidget):
    """The three charts together. Signals are those of ``histogram``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartsPanel")
        self.histogram = ScoreHistogramChart()
        self.sources = SourceChart()
        self.timeline = TimelineChart()
        self.grid = GridChart()
        top = QHBoxLayout()
        top.addWidget(self.histogram, 1)
        top.addWidget(self.timeline, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.sources, 3)
        bottom.addWidget(self.grid, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(bottom, 1)
        self.grid.set_grid(None)
        self.histogram.set_histogram(None, 0)
        self.sources.set_conversion(None)
        self.timeline.set_timeline(None)

