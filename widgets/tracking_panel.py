"""The Tracking tab: MQLs handed off per week or month against a target, what sales made of them
beside third-party benchmarks, quality by source and by rule, and what changed since the last
hand-off.

A pure view: :meth:`TrackingPanel.set_tracking` and :meth:`TrackingPanel.set_changes` take what
``scoring.handoff.kpi`` and ``scoring.handoff.changes`` computed; the panel emits what the user
intends (another target or period, editing a rule) and computes nothing.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from scoring.handoff.changes import Changes
from scoring.handoff.kpi import BENCHMARK_NOTE, BENCHMARKS, PeriodKpi, QualityLine, Tracking, rate_text
from widgets.cell_text import clipped
from widgets.theme import colour, follow_palette, set_themed_style

__all__ = ["TrackingPanel", "KPI_HEADERS", "CHANGE_KINDS"]

KPI_HEADERS = ["Period", "Handed", "Target", "vs target", "Lead→MQL", "Accepted", "MQL→SQL", "MQL→won"]
_KPI_TIPS = ["Week (Monday to Sunday) or month of the hand-offs' scoring dates", "Leads handed to sales",
             "MQLs to hand off per period", "Handed off minus the target", "MQLs / leads of the list",
             "Acceptance rate: accepted / (accepted + rejected) among the leads sales answered for",
             "Converted (sales-qualified or won) / handed off", "Won / handed off"]
QUALITY_HEADERS = ["", "Answered", "Rejected", "Most common reason"]
CHANGE_KINDS = {"entered": "Entered", "left": "Left", "stayed": "Stayed"}
_STATUS_COLOURS = {"above": "mql_row", "at": "mql_row", "below": "error_bg"}


def _table(name: str, headers: list[str], stretch: tuple[int, ...] = ()) -> QTableWidget:
    """A read-only table; columns in ``stretch`` share the free width (the others fit their text),
    so the table fits the tab without a horizontal scroll bar."""
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(22)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    if stretch:
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setWordWrap(False)
    return table


def _item(text: str, number: bool = False, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(clipped(text))
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tip:
        item.setToolTip(tip)
    return item


class TrackingPanel(QWidget):
    """Signals
    -------
    targetChanged(int): MQLs to hand off per period (0: no target)
    periodChanged(str): "week" or "month"
    ruleEditRequested(str): the user wants to change the points of the rule of this name
    """

    targetChanged = Signal(int)
    periodChanged = Signal(str)
    ruleEditRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trackingPanel")
        self._tracking: Tracking | None = None
        self._changes: Changes | None = None
        self.ledger_label = QLabel(objectName="trackingLedger", wordWrap=True)
        self.period_combo = QComboBox(objectName="trackingPeriod")
        self.period_combo.addItem("Per week", "week")
        self.period_combo.addItem("Per month", "month")
        self.period_combo.currentIndexChanged.connect(lambda _i: self.periodChanged.emit(self.period()))
        self.target_spin = QSpinBox(objectName="trackingTarget", minimum=0, maximum=10_000_000)
        self.target_spin.setSpecialValueText("none")
        self.target_spin.setToolTip("MQLs marketing should hand to sales per period (0: no target)")
        self.target_spin.editingFinished.connect(lambda: self.targetChanged.emit(self.target_spin.value()))
        top = QHBoxLayout()
        top.addWidget(self.ledger_label, 1)
        top.addWidget(self.period_combo)
        top.addWidget(QLabel("Target per period:"))
        top.addWidget(self.target_spin)

        self.kpi_table = _table("trackingKpis", KPI_HEADERS)
        for column, tip in enumerate(_KPI_TIPS):
            self.kpi_table.horizontalHeaderItem(column).setToolTip(tip)
        self.benchmarks = QLabel(objectName="trackingBenchmarks", wordWrap=True)
        set_themed_style(self.benchmarks, "QLabel {{ color: {muted}; }}")
        self.benchmarks.setText("Third-party benchmarks: " + "; ".join(f"{b.name} {b.text}" for b in BENCHMARKS.values())
                                + f". {BENCHMARK_NOTE}")
        self.source_table = _table("trackingBySource", ["Source", *QUALITY_HEADERS[1:]], (0, 3))
        self.rule_table = _table("trackingByRule", ["Rule", *QUALITY_HEADERS[1:]], (0, 3))
        self.rule_table.setToolTip("Double-click a rule to change its points")
        self.rule_table.cellDoubleClicked.connect(self._on_rule_table_double_clicked)
        self.edit_rule_button = QPushButton("Change points…", objectName="trackingEditRule", enabled=False)
        self.edit_rule_button.clicked.connect(self._on_edit_rule_clicked)
        self.rule_table.itemSelectionChanged.connect(
            lambda: self.edit_rule_button.setEnabled(bool(self.rule_table.selectedItems())))
        self.quality_note = QLabel(objectName="trackingQualityNote", wordWrap=True)

        self.changes_label = QLabel(objectName="trackingChangesSummary", wordWrap=True)
        self.changes_combo = QComboBox(objectName="trackingChangesKind")
        for key, label in CHANGE_KINDS.items():
            self.changes_combo.addItem(label, key)
        self.changes_combo.currentIndexChanged.connect(lambda _i: self._fill_changes())
        self.changes_table = _table("trackingChanges", ["Lead", "Score then", "Score now", "Why"], (0, 3))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        kpis = QGroupBox("MQLs handed to sales")
        box = QVBoxLayout(kpis)
        box.addWidget(self.kpi_table, 1)
        box.addWidget(self.benchmarks)
        quality = QGroupBox("Quality: what sales rejects, by source and by rule")
        qbox = QVBoxLayout(quality)
        qbox.addWidget(self.quality_note)
        qbox.setSpacing(4)
        self.quality_tabs = QTabWidget(objectName="trackingQualityTabs")
        self.quality_tabs.addTab(self.source_table, "By source")
        rules_page = QWidget()
        rules = QVBoxLayout(rules_page)
        rules.setContentsMargins(0, 0, 0, 0)
        rules.addWidget(self.rule_table, 1)
        rules.addWidget(self.edit_rule_button, 0, Qt.AlignmentFlag.AlignRight)
        self.quality_tabs.addTab(rules_page, "By rule")
        qbox.addWidget(self.quality_tabs, 1)
        changes = QGroupBox("Since the last hand-off")
        cbox = QVBoxLayout(changes)
        row = QHBoxLayout()
        row.addWidget(self.changes_label, 1)
        row.addWidget(self.changes_combo)
        cbox.addLayout(row)
        cbox.addWidget(self.changes_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="trackingSplitter")
        for part in (kpis, quality, changes):
            splitter.addWidget(part)
        splitter.setSizes([260, 220, 220])
        layout.addWidget(splitter, 1)
        follow_palette(self, self._fill_kpis)
        self.set_tracking(None, "No ledger yet.")

    # -- state --------------------------------------------------------------------------------
    def period(self) -> str:
        return self.period_combo.currentData()

    def set_period(self, by: str) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(by)))
        self.period_combo.blockSignals(False)

    def set_target(self, target: int | None) -> None:
        self.target_spin.blockSignals(True)
        self.target_spin.setValue(target or 0)
        self.target_spin.blockSignals(False)

    def set_tracking(self, tracking: Tracking | None, ledger_text: str) -> None:
        """Show the KPIs and quality of a ledger (None: nothing to show; ``ledger_text`` says why)."""
        self._tracking = tracking
        self.ledger_label.setText(ledger_text)
        self._fill_kpis()
        self._fill_quality(self.source_table, tracking.by_source if tracking else [])
        self._fill_quality(self.rule_table, tracking.by_rule if tracking else [])
        answered = tracking is not None and any(q.answered for q in tracking.by_source)
        self.quality_note.setText("" if answered else "No sales feedback yet: File > Import sales feedback… "
                                                      "reads the list sales returns.")
        self.quality_note.setHidden(answered)

    def set_changes(self, changes: Changes | None, note: str = "") -> None:
        """What changed between the last hand-off and the list as scored now."""
        self._changes = changes
        self.changes_label.setText(note if changes is None else changes.summary())
        for i, (key, label) in enumerate(CHANGE_KINDS.items()):
            count = len(getattr(changes, key)) if changes is not None else None
            self.changes_combo.setItemText(i, label if count is None else f"{label} ({count:,})")
        self._fill_changes()

    # -- filling ------------------------------------------------------------------------------
    def _fill_kpis(self) -> None:
        tracking = self._tracking
        rows: list[PeriodKpi] = []
        if tracking is not None and tracking.periods:
            rows = [*tracking.periods, tracking.total]
        table = self.kpi_table
        table.setRowCount(len(rows))
        for r, p in enumerate(rows):
            versus = "" if p.status is None else f"{p.gap:+,} {p.status}"
            cells = [p.period if p.period != "all" else "All", f"{p.handed:,}",
                     "" if p.target is None else f"{p.target:,}", versus, rate_text(p.lead_to_mql),
                     rate_text(p.acceptance_rate), rate_text(p.mql_to_sql), rate_text(p.mql_to_won)]
            tips = ["", f"{p.handoffs:,} hand-off(s)", "", "", f"{p.mqls:,} MQLs of {p.leads:,} leads",
                    f"{p.accepted:,} accepted, {p.rejected:,} rejected", f"{p.converted:,} converted", f"{p.won:,} won"]
            for c, (text, tip) in enumerate(zip(cells, tips)):
                item = _item(text, c > 0, tip)
                if c == 3 and p.status in _STATUS_COLOURS:
                    item.setBackground(QBrush(colour(_STATUS_COLOURS[p.status])))
                if p.period == "all":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)

    def _fill_quality(self, table: QTableWidget, lines: list[QualityLine]) -> None:
        answered = [q for q in lines if q.answered]
        table.setRowCount(len(answered))
        for r, q in enumerate(answered):
            for c, text in enumerate([q.name, f"{q.answered:,}", rate_text(q.rejection_rate), q.top_reason]):
                table.setItem(r, c, _item(text, c in (1, 2), q.sentence))

    def _fill_changes(self) -> None:
        changes = self._changes
        frame = getattr(changes, self.changes_combo.currentData()) if changes is not None else None
        table = self.changes_table
        if frame is None:
            table.setRowCount(0)
            return
        shown = frame.head(1000)
        table.setRowCount(len(shown))
        for r, row in enumerate(shown.itertuples(index=False)):
            for c, value in enumerate([row.lead_id, row.before, row.after, row.why]):
                text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else \
                    (f"{float(value):.1f}" if c in (1, 2) else str(value))
                table.setItem(r, c, _item(text, c in (1, 2)))

    # -- intents ------------------------------------------------------------------------------
    def _on_rule_table_double_clicked(self, row: int, _column: int) -> None:
        item = self.rule_table.item(row, 0)
        if item is not None:
            self.ruleEditRequested.emit(item.text())

    def _on_edit_rule_clicked(self) -> None:
        rows = {i.row() for i in self.rule_table.selectedItems()}
        if rows:
            self._on_rule_table_double_clicked(min(rows), 0)
