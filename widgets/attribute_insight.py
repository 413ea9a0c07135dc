"""What converts: per value of chosen columns, conversion rate, lift over the base rate and a 95%
interval, sorted by lift; values with too few leads are greyed and say so.

The table shows ``scoring.insight.conversion.attribute_insight``; the column menu emits the columns the
user wants (the app computes).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMenu,
                               QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from widgets.chart_frame import MUTED_STYLE
from widgets.table_fill import filling
from widgets.theme import colour, follow_palette, set_themed_style

__all__ = ["AttributeInsightView"]

_HEADERS = ["Column", "Value", "Leads", "Won", "Conversion", "Lift", "95% interval", "Note"]


def _pct(value) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.1%}"


def _cell(text: str, right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class AttributeInsightView(QWidget):
    """Signals
    -------
    attributeColumnsChosen(tuple): the column names to show, in menu order
    """

    attributeColumnsChosen = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attributeInsight")
        self.columns_button = QToolButton(objectName="attributeColumnsButton", text="Columns…")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.menu)
        self.note = QLabel(objectName="attributeNote", wordWrap=True)
        set_themed_style(self.note, MUTED_STYLE)
        self.table = QTableWidget(0, len(_HEADERS), objectName="attributeTable")
        self.table.setHorizontalHeaderLabels(_HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.columns_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._actions: list[QAction] = []
        self._faint_rows: list[int] = []
        follow_palette(self, self._grey_faint_rows)

    def set_columns(self, available, chosen) -> None:
        """The columns the menu offers and the ones ticked."""
        self.menu.clear()
        self._actions = []
        for name in available:
            action = QAction(str(name), self.menu, checkable=True, checked=name in chosen)
            action.setData(name)
            action.toggled.connect(lambda _on: self.attributeColumnsChosen.emit(self.chosen()))
            self.menu.addAction(action)
            self._actions.append(action)
        self.columns_button.setEnabled(bool(self._actions))

    def offered(self) -> tuple:
        """Every column the menu offers."""
        return tuple(a.data() for a in self._actions)

    def chosen(self) -> tuple:
        return tuple(a.data() for a in self._actions if a.isChecked())

    def set_insight(self, frame, message: str = "") -> None:
        """Show ``attribute_insight``'s frame (None: clear, with ``message``)."""
        if frame is None:
            self.table.setRowCount(0)
            self._faint_rows = []
            self.note.setText(message)
            return
        base = frame.attrs.get("base_rate", math.nan)
        trusted = int(frame["enough"].sum()) if len(frame) else 0
        self.note.setText(f"Base rate {_pct(base)}. {trusted} values with enough leads to trust, "
                          "highest lift first" + (f"; {len(frame) - trusted} with too few leads below."
                                                  if len(frame) > trusted else "."))
        with filling(self.table):
            self._fill(frame)

    def _fill(self, frame) -> None:
        self._faint_rows = []
        self.table.setRowCount(len(frame))
        for r, row in enumerate(frame.to_dict("records")):
            lift = row["lift"]
            cells = [_cell(str(row["column"]), False), _cell(str(row["value"]), False),
                     _cell(f"{int(row['leads']):,}"), _cell(f"{int(row['won']):,}"),
                     _cell(_pct(row["conversion_rate"])),
                     _cell("—" if not math.isfinite(lift) else f"{lift:.2f}×"),
                     _cell(f"{_pct(row['ci_low'])} – {_pct(row['ci_high'])}"),
                     _cell("too few leads to trust" if not row["enough"] else "", False)]
            if not row["enough"]:
                cells[-1].setToolTip(row["note"])
                self._faint_rows.append(r)
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self._grey_faint_rows()

    def _grey_faint_rows(self) -> None:
        """Grey the values with too few leads to trust (again when the palette switches)."""
        grey = colour("faint")
        for r in self._faint_rows:
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setForeground(grey)
