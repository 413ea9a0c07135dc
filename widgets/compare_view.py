"""The model comparison: what changes if the new model replaces the old one.

A headline ("412 leads become MQLs, 97 stop being MQLs: 1,023 → 1,338"), the counts and rates,
MQLs by source before and after, the rule differences in words, and the changed leads in a table
that filters by change and sorts fast at any size (:class:`widgets.changed_leads_model.ChangedLeadsModel`).
Data in through :meth:`CompareView.set_comparison`; the export is a request, not a file write.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QPushButton, QSplitter, QTableView, QTableWidget,
                               QTableWidgetItem, QToolButton, QVBoxLayout, QWidget)

from scoring.handoff.compare import ENTERED, LEFT, SCORE_CHANGED, ModelComparison
from widgets.changed_leads_model import CHANGE_FILTERS, ChangedLeadsModel

__all__ = ["CompareView", "SOURCE_HEADERS"]

SOURCE_HEADERS = ("Source", "Leads", "Before", "After", "Enter", "Leave")
_SOURCE_TIPS = ("The source value (spellings that differ only in case and spaces are merged)",
                "Leads from this source", "MQLs under the old model", "MQLs under the new model",
                "Leads that become MQLs", "Leads that stop being MQLs")
_FILTER_TEXT = {"all": "All changed", "entered": "Become MQLs", "left": "Stop being MQLs",
                "score": "Score only"}
_FILTER_CODE = {"entered": ENTERED, "left": LEFT, "score": SCORE_CHANGED}


def _int_item(value: int) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.DisplayRole, int(value))       # sorts as a number
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class CompareView(QWidget):
    """The comparison of two models on the open lead list.

    Signals
    -------
    exportRequested(): the user asked to export the changed leads
    """

    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self._comparison: ModelComparison | None = None
        layout = QVBoxLayout(self)
        self.headline = QLabel(objectName="compareHeadline", wordWrap=True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.headline.setFont(font)
        self.details = QLabel(objectName="compareDetails", wordWrap=True)
        self.note = QLabel(objectName="compareNote", wordWrap=True)
        self.note.setStyleSheet("color: #8a5300;")
        self.note.setVisible(False)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.note)

        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="compareSplitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.source_title = QLabel("By source", objectName="compareSourceTitle")
        self.sources = QTableWidget(0, len(SOURCE_HEADERS), objectName="compareSources")
        self.sources.setHorizontalHeaderLabels(SOURCE_HEADERS)
        for j, tip in enumerate(_SOURCE_TIPS):
            self.sources.horizontalHeaderItem(j).setToolTip(tip)
        self.sources.setWordWrap(False)
        self.sources.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sources.verticalHeader().setVisible(False)
        header = self.sources.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.sources.setSortingEnabled(True)
        self.differences = QListWidget(objectName="compareDifferences")
        self.differences.setWordWrap(True)
        left_layout.addWidget(self.source_title)
        left_layout.addWidget(self.sources, 3)
        left_layout.addWidget(QLabel("What differs in the new model", objectName="compareDifferencesTitle"))
        left_layout.addWidget(self.differences, 2)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        chips = QHBoxLayout()
        self.filter_buttons: dict[str, QToolButton] = {}
        self._filter_group = QButtonGroup(self)
        for kind in CHANGE_FILTERS:
            button = QToolButton(objectName=f"compareFilter_{kind}", checkable=True)
            button.setText(_FILTER_TEXT[kind])
            button.setChecked(kind == "all")
            button.clicked.connect(lambda _=False, k=kind: self.set_change_filter(k))
            self._filter_group.addButton(button)
            self.filter_buttons[kind] = button
            chips.addWidget(button)
        chips.addStretch(1)
        self.export_button = QPushButton("Export changes…", objectName="compareExportButton")
        self.export_button.setEnabled(False)
        self.export_button.setAutoDefault(False)         # Enter in a dialog does not export
        self.export_button.clicked.connect(self.exportRequested)
        chips.addWidget(self.export_button)
        self.model = ChangedLeadsModel(self)
        self.table = QTableView(objectName="compareChangedLeads")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorClearable(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.verticalHeader().setVisible(False)
        self.shown = QLabel(objectName="compareShown")
        right_layout.addLayout(chips)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.shown)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([420, 680])
        layout.addWidget(splitter, 1)
        self.set_message("No comparison yet.")

    # -- data in ------------------------------------------------------------------------------
    def set_message(self, text: str) -> None:
        """Show ``text`` instead of a comparison (while the other model scores, say)."""
        self._comparison = None
        self.headline.setText(text)
        self.details.clear()
        self.note.setVisible(False)
        self.sources.setRowCount(0)
        self.differences.clear()
        self.model.set_comparison(None)
        self.export_button.setEnabled(False)
        self._update_counts()

    def set_comparison(self, comparison: ModelComparison, contacts: pd.DataFrame | None = None,
                       note: str = "") -> None:
        """Show ``comparison``; ``contacts`` has one row per changed lead (comparison order),
        ``note`` says anything the user should know (rules that could not run, say)."""
        self._comparison = comparison
        c = comparison
        self.headline.setText(c.headline())
        self.details.setText(
            f"Old: {c.old_model.name or 'Untitled model'} (threshold {c.old_model.threshold:g})  →  "
            f"New: {c.new_model.name or 'Untitled model'} (threshold {c.new_model.threshold:g}).  "
            f"MQL rate {c.rate_before:.1%} → {c.rate_after:.1%} of {c.n_leads:,} leads; "
            f"{c.stayed_mql:,} MQLs under both, {c.stayed_out:,} under neither.")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._fill_sources(c)
        self.differences.clear()
        self.differences.addItems([d.text for d in c.differences]
                                  or ["Nothing: the two models have the same rules and threshold."])
        self.model.set_comparison(c, contacts)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnsToContents()
        self.export_button.setEnabled(c.n_changed > 0)
        self._update_counts()

    def comparison(self) -> ModelComparison | None:
        return self._comparison

    def set_change_filter(self, kind: str) -> None:
        """Show all changed leads, or those that ``"entered"``, ``"left"`` or kept their status."""
        self.model.set_change_filter(kind)
        self.filter_buttons[kind].setChecked(True)
        self._update_counts()

    # -- internals ----------------------------------------------------------------------------
    def _fill_sources(self, c: ModelComparison) -> None:
        self.sources.setSortingEnabled(False)
        frame = c.by_source
        self.source_title.setText(f"MQLs by {c.source_column}, before and after" if c.source_column
                                  else "By source: tag a source column to see this")
        self.sources.setRowCount(0 if frame is None else len(frame))
        if frame is not None:
            for r, row in enumerate(frame.itertuples(index=False)):
                self.sources.setItem(r, 0, QTableWidgetItem(str(row.source)))
                for j, value in enumerate((row.leads, row.mqls_before, row.mqls_after,
                                           row.entered, row.left), start=1):
                    self.sources.setItem(r, j, _int_item(value))
        # the comparison's order (most changes first) until the user clicks a header
        self.sources.horizontalHeader().setSortIndicatorClearable(True)
        self.sources.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.sources.setSortingEnabled(True)
        self.sources.setCurrentItem(None)

    def _update_counts(self) -> None:
        c = self._comparison
        for kind, button in self.filter_buttons.items():
            count = None if c is None else (c.n_changed if kind == "all" else c.count(_FILTER_CODE[kind]))
            button.setText(_FILTER_TEXT[kind] + ("" if count is None else f" ({count:,})"))
            button.setEnabled(c is not None and (kind == "all" or bool(count)))
        if c is None:
            self.shown.clear()
            return
        self.shown.setText(f"Showing {self.model.visible_count():,} of {c.n_changed:,} changed leads")
