"""The lead table with its filter chips (All / MQLs / Not MQLs / Blocked) and a search box."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QLineEdit,
                               QTableView, QToolButton, QVBoxLayout, QWidget)

from widgets.lead_table_model import ROW_FILTERS, LeadTableModel

__all__ = ["LeadTableView"]

_CHIP_LABELS = {"all": "All", "mql": "MQLs", "not_mql": "Not MQLs", "blocked": "Blocked"}
_CHIP_STYLE = """
QToolButton { border: 1px solid #c9ced6; border-radius: 11px; padding: 3px 10px; background: palette(base); }
QToolButton:checked { background: #2f6fdb; color: white; border-color: #2f6fdb; }
"""


class LeadTableView(QWidget):
    """Signals
    -------
    leadSelected(int): the frame row of the current lead, or -1 when none
    """

    leadSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadTableView")
        self.model = LeadTableModel(self)
        self.chips: dict[str, QToolButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        for kind in ROW_FILTERS:
            chip = QToolButton(objectName=f"chip_{kind}", checkable=True)
            chip.setStyleSheet(_CHIP_STYLE)
            chip.clicked.connect(lambda _=False, k=kind: self.set_row_filter(k))
            group.addButton(chip)
            bar.addWidget(chip)
            self.chips[kind] = chip
        self.chips["all"].setChecked(True)
        bar.addStretch(1)
        self.search = QLineEdit(objectName="leadSearch", placeholderText="Search all columns…",
                                clearButtonEnabled=True)
        self.search.setMinimumWidth(220)
        bar.addWidget(self.search)

        self.table = QTableView(objectName="leadTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setDefaultSectionSize(120)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(lambda: self.model.set_search(self.search.text()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.modelReset.connect(self._update_chips)
        self.model.rowsFiltered.connect(lambda _v, _t: self._update_chips())
        self.model.layoutChanged.connect(self._emit_current)
        self._last_emitted = -1
        self._update_chips()

    # -- data ---------------------------------------------------------------------------------
    def set_frame(self, frame, types=None) -> None:
        self.model.set_frame(frame, types)
        self._fit_columns()
        self._emit_current()

    def set_scores(self, total, fit, engagement, mql, blocked) -> None:
        first = not self.model.has_scores
        self.model.set_scores(total, fit, engagement, mql, blocked)
        if first:
            self._fit_columns()
            self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self._update_chips()

    def set_row_filter(self, kind: str) -> None:
        self.model.set_row_filter(kind)
        self.chips[kind].setChecked(True)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_frame_row(self) -> int:
        index = self.table.currentIndex()
        return self.model.frame_row(index.row()) if index.isValid() else -1

    # -- internals ----------------------------------------------------------------------------
    def _fit_columns(self) -> None:
        """Column widths from the header and the first rows (never from all rows)."""
        metrics = self.table.fontMetrics()
        rows = min(self.model.rowCount(), 50)
        for column in range(self.model.columnCount()):
            texts = [str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")]
            texts += [self.model.index(r, column).data() or "" for r in range(rows)]
            width = max(metrics.horizontalAdvance(t) for t in texts) + 24
            self.table.setColumnWidth(column, max(48, min(width, 260)))

    def _update_chips(self) -> None:
        counts = self.model.filter_counts()
        for kind, chip in self.chips.items():
            chip.setText(f"{_CHIP_LABELS[kind]} · {counts[kind]:,}")
            chip.setEnabled(kind == "all" or self.model.has_scores)

    def _on_current_changed(self, current, _previous) -> None:
        self._emit_current()

    def _emit_current(self) -> None:
        row = self.current_frame_row()
        if row != self._last_emitted:
            self._last_emitted = row
            self.leadSelected.emit(row)
