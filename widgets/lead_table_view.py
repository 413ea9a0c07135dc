"""The lead table with its filter chips (All / MQLs / Not MQLs / Blocked) and a search box."""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QLineEdit,
                               QTableView, QToolButton, QVBoxLayout, QWidget)

from scoring.column_types import ColumnType
from widgets.lead_table_model import ROW_FILTERS, LeadTableModel
from widgets.theme import set_themed_style

__all__ = ["LeadTableView", "CHIP_LABELS", "SEARCH_DELAY_MS"]

#: The chip of each row filter.
CHIP_LABELS = {"all": "All", "mql": "MQLs", "not_mql": "Not MQLs", "blocked": "Blocked"}
_CHIP_TIPS = {"all": "Every lead in the list", "mql": "Leads that qualify as MQLs",
              "not_mql": "Leads that do not qualify (yet)",
              "blocked": "Leads a gate rule keeps out, whatever their score"}
#: Typing pauses this long before the table filters (searching a million rows takes a moment).
SEARCH_DELAY_MS = 200
_CHIP_STYLE = """
QToolButton {{ border: 1px solid {chip_border}; border-radius: 11px; padding: 3px 10px; background: palette(base); }}
QToolButton:checked {{ background: {accent}; color: white; border-color: {accent}; }}
QToolButton:disabled {{ color: palette(mid); }}
"""
_SAMPLE_ROWS = 60              # column widths come from the header and this many rows
_MIN_WIDTH, _MAX_WIDTH = 56, 280


class LeadTableView(QWidget):
    """Filter chips with counts, a debounced search box, and the lead table.

    Attributes
    ----------
    model : the :class:`LeadTableModel` shown
    table : the QTableView; ``chips`` : filter kind -> chip; ``search`` : the search box

    Signals
    -------
    leadSelected(int)
        The frame row of the selected lead, or -1 when no lead is selected.
    """

    leadSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadTableView")
        self.model = LeadTableModel(self)
        self.chips: dict[str, QToolButton] = {}
        self._chip_group = QButtonGroup(self)
        self._chip_group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 2)
        bar.setSpacing(6)
        for kind in ROW_FILTERS:
            chip = QToolButton(objectName=f"chip_{kind}", checkable=True, toolTip=_CHIP_TIPS[kind])
            set_themed_style(chip, _CHIP_STYLE)
            chip.clicked.connect(lambda _=False, k=kind: self.set_row_filter(k))
            self._chip_group.addButton(chip)
            bar.addWidget(chip)
            self.chips[kind] = chip
        self.chips["all"].setChecked(True)
        bar.addStretch(1)
        self.search = QLineEdit(objectName="leadSearch", placeholderText="Search all columns…",
                                clearButtonEnabled=True)
        self.search.setToolTip("Show leads with this text in any column (not case-sensitive)")
        self.search.setMinimumWidth(120)         # narrow windows shrink it, wide ones widen it
        self.search.setMaximumWidth(360)
        bar.addWidget(self.search, 3)

        self.table = QTableView(objectName="leadTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        rows.hide()
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.setDefaultSectionSize(120)
        header.setHighlightSections(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._apply_search)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.rowsFiltered.connect(self._on_model_rows_filtered)
        self._last_emitted = -1
        self._fit_pending = False
        self._on_model_reset()

    # -- data ---------------------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame | None, types: dict[str, ColumnType] | None = None,
                  number_formats: dict | None = None) -> None:
        """Show a new (or re-typed) lead list; None shows an empty table. ``number_formats``:
        how number columns are shown (currency, percent), as in ``LeadTable.number_formats``."""
        self.model.set_frame(frame, types, number_formats)
        self._fit_pending = True           # fitted when shown, or at once by the first scores
        QTimer.singleShot(0, self, self._fit_if_pending)

    def set_scores(self, total, fit, engagement, mql, blocked) -> None:
        """New scores for every lead (see :meth:`LeadTableModel.set_scores`). The first scores
        of a list sort it by score, best first, unless the user chose a sort."""
        first = not self.model.has_scores
        self.model.set_scores(total, fit, engagement, mql, blocked, sort_by_score=True)
        if first and total is not None:
            self._fit_columns()
            self._sync_sort_indicator()
        self._update_chips()

    def set_row_filter(self, kind: str) -> None:
        """Show all leads, MQLs, not MQLs or blocked ones (a kind of ``ROW_FILTERS``)."""
        self.model.set_row_filter(kind)
        self._update_chips()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_palette(self.palette())      # MQL rows follow light and dark
        super().changeEvent(event)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_frame_row(self) -> int:
        """The frame row of the selected lead, or -1."""
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return -1
        return self.model.frame_row(selected[0].row())

    # -- internals ----------------------------------------------------------------------------
    def _fit_if_pending(self) -> None:
        if self._fit_pending:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """Column widths from the header and rows spread over the list, never from every row."""
        self._fit_pending = False
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        count = self.model.rowCount()
        rows = sorted(set(np.linspace(0, count - 1, min(count, _SAMPLE_ROWS)).astype(int).tolist()))
        for column in range(self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = header.horizontalAdvance(title) + 28        # room for the sort arrow
            texts = {self.model.display_text(row, column) or "" for row in rows}
            width = max([width] + [metrics.horizontalAdvance(text) + 16 for text in texts])
            self.table.setColumnWidth(column, max(_MIN_WIDTH, min(width, _MAX_WIDTH)))

    def _update_chips(self) -> None:
        counts = self.model.filter_counts()
        scored = self.model.has_scores
        for kind, chip in self.chips.items():
            chip.setText(f"{CHIP_LABELS[kind]} · {counts[kind]:,}")
            chip.setEnabled(kind == "all" or scored)
        shown = self.model.row_filter() if scored else "all"
        if not self.chips[shown].isChecked():
            self.chips[shown].setChecked(True)

    def _sync_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        sort = self.model.sort_column()
        with QSignalBlocker(header):       # the indicator follows the model; no second sort
            if sort is None:
                header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
            else:
                header.setSortIndicator(*sort)
        header.viewport().update()

    def _apply_search(self) -> None:
        self._debounce.stop()
        self.model.set_search(self.search.text())

    def _on_search_text_changed(self, text: str) -> None:
        if text:
            self._debounce.start()
        else:                               # the clear button shows every lead at once
            self._apply_search()

    def _on_model_reset(self) -> None:
        has_frame = self.model.total_count() > 0 or self.model.columnCount() > 0
        for chip in self.chips.values():
            chip.setVisible(has_frame)
        self.search.setEnabled(has_frame)
        self._sync_sort_indicator()
        self._update_chips()
        self._on_selection_changed()

    def _on_model_rows_filtered(self, _visible: int, _total: int) -> None:
        self._update_chips()
        self._on_selection_changed()

    def _on_selection_changed(self, *_args) -> None:
        row = self.current_frame_row()
        if row != self._last_emitted:
            self._last_emitted = row
            self.leadSelected.emit(row)
