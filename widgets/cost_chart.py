"""Cost per source: the user types what each source cost; bars of cost per MQL and per lead, and
a table with cost per won lead and revenue per MQL when the outcome and an amount are tagged.

``SpendEditor`` lists the tagged source column's values (plus any the model has spend for that
this list lacks); typing a number sets that source's spend, clearing it removes it.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from scoring.insight.analytics import merge_key
from widgets.chart_frame import MUTED_STYLE, ChartFrame, make_plot, short_label
from widgets.table_fill import filling
from widgets.theme import set_themed_style

__all__ = ["SpendEditor", "CostChart", "parse_amount"]

_VALUE = Qt.ItemDataRole.UserRole
_MONEY_NOISE = re.compile(r"[\s,'$€£¥₹]")


def parse_amount(text: str) -> float | None:
    """A typed amount ("12,000", "$1 500", "850.5") as a float; None for an empty cell.

    Raises ValueError when the text is not an amount of 0 or more.
    """
    cleaned = _MONEY_NOISE.sub("", text or "")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _money(value) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


class SpendEditor(QWidget):
    """Spend per source value, typed by the user.

    Signals
    -------
    spendEdited(tuple): ``((source, amount), ...)`` for every source with a spend, top to bottom
    """

    spendEdited = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spendEditor")
        self.table = QTableWidget(0, 2, objectName="spendTable")
        self.table.setHorizontalHeaderLabels(["Source", "Spend"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, 90)
        self.table.setEditTriggers(QTableWidget.EditTrigger.DoubleClicked
                                   | QTableWidget.EditTrigger.EditKeyPressed
                                   | QTableWidget.EditTrigger.AnyKeyPressed)
        self.message = QLabel("Type what you spent on each source.", objectName="spendMessage",
                              wordWrap=True)
        set_themed_style(self.message, MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.setMaximumWidth(260)
        self.table.itemChanged.connect(self._on_item_changed)
        self._spend: dict[str, float] = {}

    def set_sources(self, sources, spend) -> None:
        """The source values (most leads first) and the model's spend ``((source, amount), ...)``."""
        spend = dict(spend)
        keys = {merge_key(s) for s in sources}
        rows = list(sources) + [s for s in spend if merge_key(s) not in keys]
        by_key = {merge_key(s): v for s, v in spend.items()}
        if self.sources() == tuple(rows) and self._spend == spend:
            return
        self._spend = spend
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(rows))
            for r, source in enumerate(rows):
                name = QTableWidgetItem(source if source in sources else f"{source} (not in this list)")
                name.setData(_VALUE, source)
                name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, 0, name)
                amount = spend.get(source, by_key.get(merge_key(source)))
                cell = QTableWidgetItem("" if amount is None else f"{amount:,.2f}".rstrip("0").rstrip("."))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, 1, cell)

    def sources(self) -> tuple[str, ...]:
        return tuple(self.table.item(r, 0).data(_VALUE) for r in range(self.table.rowCount()))

    def spend(self) -> tuple[tuple[str, float], ...]:
        """What the cells say now (unreadable cells left out)."""
        out = []
        for r in range(self.table.rowCount()):
            try:
                amount = parse_amount(self.table.item(r, 1).text())
            except ValueError:
                continue
            if amount is not None:
                out.append((self.table.item(r, 0).data(_VALUE), amount))
        return tuple(out)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 1:
            return
        try:
            parse_amount(item.text())
        except ValueError:
            self.message.setText(f"“{item.text()}” is not an amount: type a number such as 12000.")
            set_themed_style(self.message, "color: {bad};")
            return
        self.message.setText("Type what you spent on each source.")
        set_themed_style(self.message, MUTED_STYLE)
        spend = self.spend()
        self._spend = dict(spend)
        self.spendEdited.emit(spend)


_COLUMNS = (("source", "Source", str), ("spend", "Spend", _money), ("leads", "Leads", "{:,}".format),
            ("mqls", "MQLs", "{:,}".format), ("cost_per_lead", "Per lead", _money),
            ("cost_per_mql", "Per MQL", _money), ("won", "Won", "{:,}".format),
            ("cost_per_won", "Per won", _money), ("revenue", "Revenue", _money),
            ("revenue_per_mql", "Revenue/MQL", _money),
            ("return_on_spend", "Return", "{:.1f}×".format))


class CostChart(ChartFrame):
    """Cost per MQL (wide bars) and per lead (narrow bars) per source, with the numbers.

    Signals are those of :class:`ChartFrame` and ``spendEdited(tuple)`` of ``editor``.
    """

    spendEdited = Signal(tuple)

    def __init__(self) -> None:
        self.editor = SpendEditor()
        self.plot = make_plot()
        self.plot.setLabel("left", "Cost")
        self.table = QTableWidget(objectName="costTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.table, 2)
        super().__init__("Cost per source", body, "cost", side=self.editor)
        self.setObjectName("costChart")
        self.per_mql = self.plot.paint_bars(pg.BarGraphItem(x=[], height=[], width=0.8, pen=None),
                                            "chart_mql")
        self.per_lead = self.plot.paint_bars(pg.BarGraphItem(x=[], height=[], width=0.4, pen=None),
                                             "chart_other")
        self.plot.addItem(self.per_mql)
        self.plot.addItem(self.per_lead)
        self.plot.set_themed_title("<span style='color:{chart_mql}'>■</span> per MQL &nbsp; "
                                   "<span style='color:{chart_other}'>■</span> per lead")
        self.editor.spendEdited.connect(self.spendEdited)
        self.set_cost(None)

    def set_sources(self, sources, spend) -> None:
        """The tagged source column's values (None: no source tagged, editor hidden)."""
        self.editor.setVisible(sources is not None)
        if sources is not None:
            self.editor.set_sources(sources, spend)

    def set_cost(self, frame: pd.DataFrame | None, message: str = "") -> None:
        if frame is None or frame.empty:
            self.show_empty(message or "Tag a source or channel column (Columns tab) to see cost "
                                       "per source.")
            return
        x = np.arange(len(frame))
        self.per_mql.setOpts(x=x, height=np.nan_to_num(frame["cost_per_mql"].to_numpy(float)), width=0.8)
        self.per_lead.setOpts(x=x, height=np.nan_to_num(frame["cost_per_lead"].to_numpy(float)), width=0.4)
        self.plot.getAxis("bottom").setTicks([[(i, short_label(s)) for i, s in enumerate(frame["source"])]])
        with filling(self.table):
            columns = [c for c in _COLUMNS if c[0] in frame.columns]
            self.table.setColumnCount(len(columns))
            self.table.setHorizontalHeaderLabels([c[1] for c in columns])
            self.table.setRowCount(len(frame))
            for r, row in enumerate(frame.to_dict("records")):
                for c, (key, _label, fmt) in enumerate(columns):
                    value = row[key]
                    text = "—" if isinstance(value, float) and not np.isfinite(value) else fmt(value)
                    item = QTableWidgetItem(text)
                    if key != "source":
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
        self.show_chart(frame)
