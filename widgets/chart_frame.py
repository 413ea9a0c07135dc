"""The frame every chart sits in: a title, controls, the chart or an explanation of what is
missing, and "Copy numbers", "Save PNG…" and "Export CSV…".

The frame never writes a file: the two save buttons emit the chart's id, and the app asks for a
path, renders :meth:`ChartFrame.render_target` and writes :meth:`ChartFrame.numbers_frame`.
"""

from __future__ import annotations

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton, QStackedLayout,
                               QVBoxLayout, QWidget)

__all__ = ["ChartFrame", "make_plot", "tab_separated", "short_label", "MQL_COLOUR", "OTHER_COLOUR",
           "LINE_COLOUR", "MUTED_STYLE"]

MQL_COLOUR = "#3a9d5d"
OTHER_COLOUR = "#b8c2cf"
LINE_COLOUR = "#d1495b"
MUTED_STYLE = "color: #6b7280;"


def tab_separated(frame: pd.DataFrame) -> str:
    """The table as tab-separated text, for pasting into a spreadsheet (no file involved)."""
    lines = ["\t".join(map(str, frame.columns))]
    lines += ["\t".join("" if pd.isna(v) else str(v) for v in row)
              for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def short_label(label, limit: int = 9) -> str:
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_plot() -> pg.PlotWidget:
    """A white plot without mouse zoom, context menu or the "A" button."""
    plot = pg.PlotWidget(background="w")
    plot.showGrid(x=False, y=True, alpha=0.2)
    plot.setMenuEnabled(False)
    plot.getPlotItem().setMouseEnabled(x=False, y=False)
    plot.getPlotItem().hideButtons()
    return plot


class ChartFrame(QWidget):
    """A titled chart with its numbers.

    Parameters
    ----------
    title : shown above the chart, and the default file name of its PNG and CSV
    body : the chart (and any table beside it); replaced by the empty message when there is
        nothing to show
    chart_id : names the chart in the save intents ("histogram", "sources", ...)
    side : optional editor shown beside the body and kept while the body is empty (the spend
        editor stays usable before there is anything to chart)

    Signals
    -------
    savePngRequested(str): save the chart as a picture (the chart id)
    exportCsvRequested(str): export the chart's numbers (the chart id)
    """

    savePngRequested = Signal(str)
    exportCsvRequested = Signal(str)

    def __init__(self, title: str, body: QWidget, chart_id: str, side: QWidget | None = None) -> None:
        super().__init__()
        self.title, self.chart_id = title, chart_id
        self._numbers = pd.DataFrame()
        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-weight: 600;")
        self.copy_button = QPushButton("Copy numbers")
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(self.numbers()))
        self.png_button = QPushButton("Save PNG…")
        self.png_button.clicked.connect(lambda: self.savePngRequested.emit(self.chart_id))
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.clicked.connect(lambda: self.exportCsvRequested.emit(self.chart_id))
        for button in (self.copy_button, self.png_button, self.csv_button):
            button.setObjectName(f"{chart_id}{button.text().split()[0].strip('…')}Button")
        self.controls = QHBoxLayout()
        self.controls.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addLayout(self.controls)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        top.addWidget(self.png_button)
        top.addWidget(self.csv_button)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setStyleSheet(MUTED_STYLE)
        self.body = body
        self.holder = QWidget()
        self.stack = QStackedLayout(self.holder)
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        if side is not None:
            middle.addWidget(side)
        middle.addWidget(self.holder, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(middle, 1)

    def add_control(self, widget: QWidget) -> None:
        """Put a small control (a granularity box) in the title row."""
        self.controls.addWidget(widget)

    def show_empty(self, message: str) -> None:
        self.empty.setText(message)
        self.stack.setCurrentWidget(self.empty)
        self._numbers = pd.DataFrame()
        for button in (self.copy_button, self.png_button, self.csv_button):
            button.setEnabled(False)

    def show_chart(self, numbers: pd.DataFrame) -> None:
        self._numbers = numbers
        self.stack.setCurrentIndex(0)
        for button in (self.copy_button, self.png_button, self.csv_button):
            button.setEnabled(True)

    @property
    def has_chart(self) -> bool:
        return self.stack.currentIndex() == 0

    def numbers(self) -> str:
        """The chart's numbers as tab-separated text ("" while empty)."""
        return tab_separated(self._numbers) if self.has_chart else ""

    def numbers_frame(self) -> pd.DataFrame:
        """The chart's numbers, one row per bar, point or cell (empty while there is no chart)."""
        return self._numbers.copy()

    def render_target(self) -> QWidget:
        """The widget a saved picture shows: the chart and its table, without the buttons."""
        return self.holder
