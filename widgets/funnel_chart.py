"""The funnel: all leads, MQLs, then the stage values the user orders, with step conversion.

``StageOrderEditor`` lists the stage column's values with their counts: ticked values are funnel
steps, top to bottom; move them with the buttons or by dragging. ``FunnelChart`` draws the steps as
horizontal bars (made once, updated with ``setOpts``) with the numbers beside them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from widgets.table_fill import filling
from widgets.chart_frame import MUTED_STYLE, ChartFrame, make_plot, short_label
from widgets.theme import set_themed_style

__all__ = ["StageOrderEditor", "FunnelChart"]

_VALUE = Qt.ItemDataRole.UserRole


def _pct(value) -> str:
    return "—" if value is None or not np.isfinite(value) else f"{value:.1%}"


def _short_pct(rate: float) -> str:
    """A whole percentage, unless rounding would claim all or none of the leads (99.7% stays)."""
    text = f"{rate:.0%}"
    return f"{rate:.1%}" if (text == "100%" and rate < 1) or (text == "0%" and rate > 0) else text


class StageOrderEditor(QWidget):
    """The stage values after MQL, in funnel order.

    Signals
    -------
    stageOrderEdited(tuple): the ticked values, earliest stage first
    """

    stageOrderEdited = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageOrderEditor")
        self.list = QListWidget(objectName="stageList")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setToolTip("Tick the stages that come after MQL; drag or use the arrows to order them")
        self.up_button = QPushButton("▲", objectName="stageUpButton", toolTip="Earlier in the funnel")
        self.down_button = QPushButton("▼", objectName="stageDownButton", toolTip="Later in the funnel")
        for button in (self.up_button, self.down_button):
            button.setFixedWidth(32)
        hint = QLabel("Stages after MQL, in order:")
        set_themed_style(hint, MUTED_STYLE)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setMaximumWidth(200)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.list.itemChanged.connect(lambda _item: self._emit())
        self.list.model().rowsMoved.connect(lambda *_args: self._emit())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._update_buttons()

    def set_values(self, values, order) -> None:
        """Show the column's ``values`` (``(value, leads)`` pairs, most leads first) with the
        ``order`` ticked and on top. Nothing changes when the list already shows them."""
        counts = {str(v): int(n) for v, n in values}
        order = tuple(o for o in order if o in counts) + tuple(o for o in order if o not in counts)
        if set(self.values()) == set(counts) | set(order) and self.order() == order:
            return
        with QSignalBlocker(self.list):
            self.list.clear()
            rest = [v for v in counts if v not in order]
            for value in (*order, *rest):
                leads = counts.get(value)
                text = f"{value}  ({leads:,})" if leads is not None else f"{value}  (not in this list)"
                item = QListWidgetItem(text)
                item.setData(_VALUE, value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
                item.setCheckState(Qt.CheckState.Checked if value in order else Qt.CheckState.Unchecked)
                self.list.addItem(item)
        self._update_buttons()

    def values(self) -> tuple[str, ...]:
        """Every value in the list, top to bottom."""
        return tuple(self.list.item(i).data(_VALUE) for i in range(self.list.count()))

    def order(self) -> tuple[str, ...]:
        """The ticked values, top to bottom."""
        return tuple(self.list.item(i).data(_VALUE) for i in range(self.list.count())
                     if self.list.item(i).checkState() == Qt.CheckState.Checked)

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        with QSignalBlocker(self.list):
            item = self.list.takeItem(row)
            self.list.insertItem(target, item)
            self.list.setCurrentRow(target)
        self._update_buttons()
        self._emit()

    def _emit(self) -> None:
        self.stageOrderEdited.emit(self.order())

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)


_COLUMNS = (("step", "Step"), ("leads", "Leads"), ("mqls", "MQLs"), ("step_rate", "Step rate"),
            ("overall_rate", "Of all"))


class FunnelChart(ChartFrame):
    """Leads, MQLs and the ordered stages as bars, top to bottom, with step conversion.

    Signals are those of :class:`ChartFrame` and ``stageOrderEdited(tuple)`` of ``editor``.
    """

    stageOrderEdited = Signal(tuple)

    def __init__(self) -> None:
        self.editor = StageOrderEditor()
        self.plot = make_plot()
        self.plot.showGrid(x=True, y=False, alpha=0.2)
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "Leads")
        self.table = QTableWidget(0, len(_COLUMNS), objectName="funnelTable")
        self.table.setHorizontalHeaderLabels([c[1] for c in _COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.plot.getAxis("left").setWidth(150)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.table, 2)
        super().__init__("Funnel", body, "funnel", side=self.editor)
        self.setObjectName("funnelChart")
        self.leads = self.plot.paint_bars(pg.BarGraphItem(x0=[], y=[], width=[], height=0.7, pen=None),
                                          "chart_other")
        self.mqls = self.plot.paint_bars(pg.BarGraphItem(x0=[], y=[], width=[], height=0.35, pen=None),
                                         "chart_mql")
        self.plot.addItem(self.leads)
        self.plot.addItem(self.mqls)
        self.editor.stageOrderEdited.connect(self.stageOrderEdited)
        self.set_funnel(None)

    def set_stage_values(self, values, order) -> None:
        """The stage column's ``(value, leads)`` pairs and the model's order; None hides the editor."""
        self.editor.setVisible(values is not None)
        if values is not None:
            self.editor.set_values(values, order)

    def set_funnel(self, frame: pd.DataFrame | None, message: str = "") -> None:
        if frame is None:
            self.show_empty(message or "Tag a stage or status column (Columns tab) to see the funnel.")
            return
        y = np.arange(len(frame), dtype=float)
        zeros = np.zeros(len(frame))
        self.leads.setOpts(x0=zeros, y=y, width=frame["leads"].to_numpy(float), height=0.7)
        self.mqls.setOpts(x0=zeros, y=y, width=frame["mqls"].to_numpy(float), height=0.35)
        ticks = [(float(i), f"{short_label(step, 13)} {_short_pct(rate)}" if i and np.isfinite(rate)
                  else short_label(step, 13))
                 for i, (step, rate) in enumerate(zip(frame["step"], frame["step_rate"]))]
        self.plot.getAxis("left").setTicks([ticks])
        self.plot.setYRange(-0.6, len(frame) - 0.4, padding=0)
        self.plot.setXRange(0, max(1.0, float(frame["leads"].max())), padding=0.02)
        with filling(self.table):
            self.table.setRowCount(len(frame))
            for r, row in enumerate(frame.itertuples(index=False)):
                values = row._asdict()
                for c, (key, _label) in enumerate(_COLUMNS):
                    value = values[key]
                    text = (str(value) if key == "step" else f"{int(value):,}" if key in ("leads", "mqls")
                            else _pct(value))
                    item = QTableWidgetItem(text)
                    if key != "step":
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
        self.show_chart(frame)
