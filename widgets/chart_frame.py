"""The frame every chart sits in: a title, controls, the chart or an explanation of what is
missing, and "Copy numbers", "Save PNG…" and "Export CSV…".

The frame never writes a file: the two save buttons emit the chart's id, and the app asks for a
path, renders :meth:`ChartFrame.render_target` and writes :meth:`ChartFrame.numbers_frame`.

Plots come from :func:`make_plot`, a :class:`ThemedPlot`: its background, axes, title and legend,
and the colours of the items registered with it (bars, curves, lines, by ``widgets.theme`` name),
follow the light or dark palette and are re-applied in place when it switches.
"""

from __future__ import annotations

import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton, QStackedLayout,
                               QVBoxLayout, QWidget)

from widgets.theme import COLOURS, follow_palette, hex_colour, set_themed_style

__all__ = ["ChartFrame", "ThemedPlot", "make_plot", "tab_separated", "short_label", "MUTED_STYLE"]

#: A ``set_themed_style`` template for secondary text.
MUTED_STYLE = "color: {muted};"


def tab_separated(frame: pd.DataFrame) -> str:
    """The table as tab-separated text, for pasting into a spreadsheet (no file involved)."""
    lines = ["\t".join(map(str, frame.columns))]
    lines += ["\t".join("" if pd.isna(v) else str(v) for v in row)
              for row in frame.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def short_label(label, limit: int = 9) -> str:
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ThemedPlot(pg.PlotWidget):
    """A PlotWidget in the palette's chart colours (``chart_bg``, ``chart_axis``, ``chart_text``).

    Items are coloured by meaning through :meth:`paint_bars`, :meth:`paint_curve` and
    :meth:`paint_line`, the title and legend through :meth:`set_themed_title` and
    :meth:`add_themed_legend`; :meth:`restyle` re-applies every colour to the same items when the
    palette switches between light and dark (nothing is re-created, the data stays).
    """

    def __init__(self) -> None:
        super().__init__()
        self._painted: list[tuple[str, object, str, float]] = []     # (kind, item, colour, width)
        self._title: tuple[str, str] | None = None
        self.restyle()
        follow_palette(self, self.restyle)

    def paint_bars(self, item: pg.BarGraphItem, name: str) -> pg.BarGraphItem:
        """Fill ``item``'s bars with the colour that means ``name``, now and after a switch."""
        return self._paint("bars", item, name)

    def paint_curve(self, item: pg.PlotDataItem, name: str, width: float = 2) -> pg.PlotDataItem:
        """Draw ``item``'s line and point symbols in the colour that means ``name``."""
        return self._paint("curve", item, name, width)

    def paint_line(self, item: pg.InfiniteLine, name: str, width: float = 2) -> pg.InfiniteLine:
        """Draw ``item`` (and its label) in the colour that means ``name``."""
        return self._paint("line", item, name, width)

    def set_themed_title(self, template: str, size: str = "9pt") -> None:
        """The title in the chart text colour; ``{chart_mql}``-style placeholders in ``template``
        are filled with the scheme's colours (literal braces doubled)."""
        self._title = (template, size)
        self._apply_title()

    def add_themed_legend(self, *, above: bool = False, **options) -> pg.LegendItem:
        """``addLegend(**options)`` with its text in the chart text colour. ``above``: one row in
        a strip above the plotted area, where no bar, curve or line label can cover it."""
        plot_item = self.getPlotItem()
        legend = plot_item.addLegend(**({"colCount": 4} if above else options))
        if above:
            left, _top, right, bottom = plot_item.getContentsMargins()
            plot_item.setContentsMargins(left, 26, right, bottom)
            legend.layout.setContentsMargins(0, 0, 0, 0)
            legend.setParentItem(plot_item)
            legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, 2))
        self._apply_legend()
        return legend

    def setAxisItems(self, axisItems=None) -> None:
        """PlotItem.setAxisItems, with the new axes in the scheme's colours."""
        self.getPlotItem().setAxisItems(axisItems)
        self.restyle()

    def restyle(self) -> None:
        """Apply the current scheme's colours to the background, axes, title, legend and items."""
        self.setBackground(hex_colour("chart_bg"))
        axis_pen, text = pg.mkPen(hex_colour("chart_axis")), hex_colour("chart_text")
        for axis in (self.getAxis(side) for side in ("left", "bottom", "right", "top")):
            axis.setPen(axis_pen)
            axis.setTextPen(text)
        for kind, item, name, width in self._painted:
            self._apply(kind, item, name, width)
        self._apply_title()
        self._apply_legend()

    def _paint(self, kind: str, item, name: str, width: float = 2):
        self._painted.append((kind, item, name, width))
        self._apply(kind, item, name, width)
        return item

    @staticmethod
    def _apply(kind: str, item, name: str, width: float) -> None:
        value = hex_colour(name)
        if kind == "bars":
            item.setOpts(brush=value)
        elif kind == "curve":
            item.setPen(pg.mkPen(value, width=width))
            item.setSymbolPen(value)
            item.setSymbolBrush(value)
        else:
            item.setPen(pg.mkPen(value, width=width))
            if getattr(item, "label", None) is not None:
                item.label.setColor(value)

    def _apply_title(self) -> None:
        if self._title is not None:
            template, size = self._title
            text = template.format(**{name: hex_colour(name) for name in COLOURS})
            self.getPlotItem().setTitle(text, color=hex_colour("chart_text"), size=size)

    def _apply_legend(self) -> None:
        legend = self.getPlotItem().legend
        if legend is None:
            return
        legend.setLabelTextColor(hex_colour("chart_text"))
        for sample, label in legend.items:
            label.setText(label.text)          # setLabelTextColor alone keeps the old text colour
            sample.update()


def make_plot() -> ThemedPlot:
    """A plot in the palette's chart colours without mouse zoom, context menu or the "A" button."""
    plot = ThemedPlot()
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
        set_themed_style(self.empty, MUTED_STYLE)
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
