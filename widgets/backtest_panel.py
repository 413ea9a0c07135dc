"""Back-testing against real outcomes: which outcome values mean won, metrics at the threshold,
the threshold table, what converts (attribute insight), and rules suggested from the data that
the user accepts one by one.

The panel shows what ``scoring.insight.backtest``, ``scoring.insight.conversion`` and ``scoring.insight.suggest``
computed; it emits intents (use a threshold, map outcome values, choose columns, suggest rules,
accept a suggestion) and never changes the model itself.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QStackedLayout, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from scoring.evaluate.explain import format_points
from scoring.model.describe import describe_predicate
from widgets.attribute_insight import AttributeInsightView
from widgets.outcome_mapping import OutcomeMappingEditor
from widgets.table_fill import filling
from widgets.theme import colour, follow_palette, hex_colour, set_themed_style

__all__ = ["BacktestPanel", "TARGETS"]

#: The threshold recommender's targets: (key, label, unit of the value box).
TARGETS = (("precision", "An MQL-to-won rate of at least", "%"),
           ("per_month", "At most this many MQLs a month", "MQLs"))


def _pct(value) -> str:
    return "—" if value is None or (isinstance(value, float) and not math.isfinite(value)) else f"{value:.1%}"


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(text: str, right: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class BacktestPanel(QWidget):
    """Signals
    -------
    thresholdChosen(float): use this threshold (from the threshold table)
    suggestRequested(): propose rules from the data
    suggestionAccepted(object): add this Rule to the model
    wonValuesEdited(object): the outcome values that mean won (tuple), or None for the guess
    openValuesEdited(object): the outcome values that mean still open (tuple), or None for the guess
    attributeColumnsChosen(tuple): the columns to show in "What converts"
    thresholdTargetChosen(str, float): recommend a threshold for this target: "precision" (a
        share, 0.4 for 40%) or "per_month" (MQLs a month)
    """

    thresholdChosen = Signal(float)
    thresholdTargetChosen = Signal(str, float)
    suggestRequested = Signal()
    suggestionAccepted = Signal(object)
    wonValuesEdited = Signal(object)
    openValuesEdited = Signal(object)
    attributeColumnsChosen = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backtestPanel")
        self._suggestions = ()
        self._shown: tuple | None = None          # (summary, outcome note) in the summary line
        self._current_row: int | None = None      # the threshold in use, in the threshold table
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True, objectName="backtestEmpty")
        set_themed_style(self.empty, "color: {muted}; font-size: 14px;")
        self.summary = QLabel(objectName="backtestSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.thresholds = _table(["Threshold", "MQLs", "Per month", "Precision", "Recall"], "thresholdTable")
        self.use_button = QPushButton("Use this threshold", objectName="useThresholdButton")
        self.target_kind = QComboBox(objectName="targetKind")
        for key, label, _unit in TARGETS:
            self.target_kind.addItem(label, key)
        self.target_value = QDoubleSpinBox(objectName="targetValue", decimals=0, minimum=1,
                                           maximum=1_000_000, value=40, suffix=" %")
        self.target_kind.currentIndexChanged.connect(self._on_target_kind_changed)
        self.recommend_button = QPushButton("Recommend a threshold", objectName="recommendButton")
        self.recommend_button.clicked.connect(self._on_recommend_clicked)
        self.pick_label = QLabel(objectName="pickLabel", wordWrap=True)
        self.pick_label.hide()
        self.table_note = QLabel(objectName="thresholdNote", wordWrap=True)
        set_themed_style(self.table_note, "color: {muted};")
        self.table_note.hide()
        self._pick_row: int | None = None
        self.deciles = _table(["Decile", "Leads", "Won", "Conversion", "Scores"], "decileTable")
        self.suggest_button = QPushButton("Suggest rules from the data", objectName="suggestButton")
        self.suggestions = _table(["Proposed rule", "Points", "Leads", "Conversion", "Lift"], "suggestionTable")
        self.accept_button = QPushButton("Add this rule", objectName="acceptSuggestionButton")
        self.suggest_note = QLabel(objectName="suggestNote", wordWrap=True)
        set_themed_style(self.suggest_note, "color: {muted};")

        thresholds_page = QWidget()
        thresholds_layout = QVBoxLayout(thresholds_page)
        thresholds_layout.setContentsMargins(4, 4, 4, 4)
        target_row = QHBoxLayout()
        target_row.addWidget(QLabel("Target:"))
        target_row.addWidget(self.target_kind)
        target_row.addWidget(self.target_value)
        target_row.addWidget(self.recommend_button)
        target_row.addStretch(1)
        thresholds_layout.addLayout(target_row)
        thresholds_layout.addWidget(self.pick_label)
        thresholds_layout.addWidget(QLabel("Or pick a threshold by MQL volume or precision:"))
        thresholds_layout.addWidget(self.thresholds, 1)
        thresholds_layout.addWidget(self.table_note)
        thresholds_layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignLeft)
        deciles_page = QWidget()
        deciles_layout = QVBoxLayout(deciles_page)
        deciles_layout.setContentsMargins(4, 4, 4, 4)
        deciles_layout.addWidget(QLabel("Conversion by score decile (1 = the highest scores):"))
        deciles_layout.addWidget(self.deciles, 1)
        suggest_page = QWidget()
        suggest_layout = QVBoxLayout(suggest_page)
        suggest_layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        buttons.addWidget(self.suggest_button)
        buttons.addWidget(self.accept_button)
        buttons.addStretch(1)
        suggest_layout.addLayout(buttons)
        suggest_layout.addWidget(self.suggestions, 1)
        suggest_layout.addWidget(self.suggest_note)
        self.attributes = AttributeInsightView()
        self.tabs = QTabWidget(objectName="backtestTabs")
        self.tabs.addTab(thresholds_page, "Thresholds")
        self.tabs.addTab(deciles_page, "Score deciles")
        self.tabs.addTab(self.attributes, "What converts")
        self.tabs.addTab(suggest_page, "Suggested rules")
        holder = QWidget()
        self.stack = QStackedLayout(holder)
        self.stack.addWidget(self.summary)
        self.stack.addWidget(self.empty)
        self.mapping = OutcomeMappingEditor()
        self.mapping.hide()
        top = QHBoxLayout()
        top.addWidget(self.mapping)
        top.addWidget(holder, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addLayout(top)
        outer.addWidget(self.tabs, 1)
        self.mapping.wonValuesEdited.connect(self.wonValuesEdited)
        self.mapping.openValuesEdited.connect(self.openValuesEdited)
        self.attributes.attributeColumnsChosen.connect(self.attributeColumnsChosen)

        self.use_button.clicked.connect(self._on_use_clicked)
        self.thresholds.itemDoubleClicked.connect(lambda _i: self._on_use_clicked())
        self.suggest_button.clicked.connect(self.suggestRequested)
        self.accept_button.clicked.connect(self._on_accept_clicked)
        self.suggestions.itemDoubleClicked.connect(lambda _i: self._on_accept_clicked())
        self.thresholds.itemSelectionChanged.connect(self._update_buttons)
        self.suggestions.itemSelectionChanged.connect(self._update_buttons)
        follow_palette(self, self._recolour)
        self.set_summary(None)

    # -- data in ------------------------------------------------------------------------------
    def set_summary(self, summary, outcome_note: str = "",
                    empty_message: str = "Tag an outcome column (won / converted) in the Columns tab "
                                         "to check the model against real results.") -> None:
        if summary is None:
            self.empty.setText(empty_message)
            self.stack.setCurrentWidget(self.empty)
            self.tabs.hide()
            self._shown = None
            return
        self.stack.setCurrentIndex(0)
        self.tabs.show()
        self._shown = (summary, outcome_note)
        self._write_summary()
        with filling(self.thresholds):
            self._fill_thresholds(summary)
        with filling(self.deciles):
            self._fill_deciles(summary.deciles)
        self._update_buttons()

    def _write_summary(self) -> None:
        summary, outcome_note = self._shown
        m = summary.metrics
        per_month = (f" (~{m.mqls / summary.months:,.0f} a month)" if summary.months else "")
        self.summary.setText(
            f"<p><b>At threshold {summary.threshold:g}:</b> {m.mqls:,} MQLs{per_month} · "
            f"precision <b>{_pct(m.precision)}</b> (MQLs that were won) · recall <b>{_pct(m.recall)}</b> "
            f"(won leads that were MQLs) · lift <b>{m.lift:.2f}×</b> over the base rate {_pct(m.base_rate)}"
            f"<br>Score quality (ROC AUC): <b>{summary.auc:.3f}</b> — 0.5 is a coin toss, 1.0 is perfect."
            + (f"<br><span style='color:{hex_colour('muted')}'>{outcome_note}</span>" if outcome_note
               else "") + "</p>")

    def _recolour(self) -> None:
        """The palette switched: rewrite what has colours baked in."""
        if self._shown is not None:
            self._write_summary()
        self._mark_current_row()

    def set_outcome(self, column: str | None, values=(), won_values=(), *, is_date: bool = False,
                    guessed: bool = True, open_values=(), left_out: int = 0) -> None:
        """The outcome mapping editor: ``column``'s ``(value, leads)`` pairs with ``won_values``
        ticked and ``open_values`` half-ticked; None hides it (no outcome column tagged)."""
        self.mapping.setVisible(column is not None)
        if column is not None:
            self.mapping.set_outcome(column, values, won_values, is_date=is_date, guessed=guessed,
                                     open_values=open_values, left_out=left_out)

    def set_attributes(self, frame, available=(), chosen=(), message: str = "") -> None:
        """"What converts": ``attribute_insight``'s frame and the columns on offer."""
        if tuple(available) != self.attributes.offered() or \
                tuple(chosen) != self.attributes.chosen():
            self.attributes.set_columns(available, chosen)
        self.attributes.set_insight(frame, message)

    def set_suggestions(self, report) -> None:
        with filling(self.suggestions):
            self._fill_suggestions(report)

    def _fill_suggestions(self, report) -> None:
        self._suggestions = tuple(report.suggestions) if report is not None else ()
        table = self.suggestions
        table.setRowCount(len(self._suggestions))
        for r, s in enumerate(self._suggestions):
            name = _cell(s.rule.name, right=False)
            name.setToolTip(describe_predicate(s.rule.when))
            table.setItem(r, 0, name)
            table.setItem(r, 1, _cell(format_points(s.rule.points)))
            table.setItem(r, 2, _cell(f"{s.leads:,}"))
            table.setItem(r, 3, _cell(_pct(s.conversion_rate)))
            table.setItem(r, 4, _cell(f"{s.lift:.2f}×"))
        if report is None:
            self.suggest_note.setText("")
        else:
            skipped = list(report.skipped)
            note = f"{len(self._suggestions)} proposals from {report.settled:,} leads with a known outcome."
            if skipped:
                note += " Left out: " + "; ".join(skipped[:4]) + ("…" if len(skipped) > 4 else "")
            self.suggest_note.setText(note)
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        self.suggest_button.setEnabled(not busy)
        self.suggest_button.setText("Suggesting…" if busy else "Suggest rules from the data")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.scroll_to_current()

    # -- internals ----------------------------------------------------------------------------
    def _fill_thresholds(self, summary) -> None:
        frame = summary.table
        table = self.thresholds
        table.setRowCount(len(frame))
        self._current_row = self._pick_row = None
        pick = getattr(summary, "pick", None)
        for r, row in enumerate(frame.to_dict("records")):
            threshold = float(row["threshold"])
            table.setItem(r, 0, _cell(f"{threshold:g}"))
            table.item(r, 0).setData(Qt.ItemDataRole.UserRole, threshold)
            table.setItem(r, 1, _cell(f"{int(row['mqls']):,}"))
            per_month = row.get("mqls_per_month")
            table.setItem(r, 2, _cell("—" if per_month is None or not math.isfinite(per_month)
                                      else f"{per_month:,.0f}"))
            table.setItem(r, 3, _cell(_pct(row.get("precision"))))
            table.setItem(r, 4, _cell(_pct(row.get("recall"))))
            if abs(threshold - summary.threshold) < 1e-9:
                self._current_row = r
            if pick is not None and abs(threshold - pick.threshold) < 1e-9:
                self._pick_row = r
        # without a created date every "Per month" would be "—": say why once instead
        no_months = not summary.months
        table.setColumnHidden(2, no_months)
        self.table_note.setText("MQLs per month need a created-date column: tag one in the Columns "
                                "tab." if no_months else "")
        self.table_note.setVisible(no_months)
        self._show_pick(pick)
        if self._current_row is not None:
            self._mark_current_row()
        if self._pick_row is not None:
            table.selectRow(self._pick_row)
        self.scroll_to_current()

    def scroll_to_current(self) -> None:
        """Bring the recommended threshold, else the one in use, to the middle of the table (again
        once the table has its size: a table not yet shown cannot scroll)."""
        self._scroll_now()
        QTimer.singleShot(0, self, self._scroll_now)

    def _scroll_now(self) -> None:
        row = self._pick_row if self._pick_row is not None else self._current_row
        if row is not None and row < self.thresholds.rowCount():
            self.thresholds.scrollToItem(self.thresholds.item(row, 0),
                                         QAbstractItemView.ScrollHint.PositionAtCenter)

    def show_pick_problem(self, message: str) -> None:
        """The recommender could not answer (no created date for a per-month target...)."""
        self.pick_label.setText(message)
        set_themed_style(self.pick_label, "color: {bad};")
        self.pick_label.show()

    def _show_pick(self, pick) -> None:
        if pick is None:
            self.pick_label.hide()
            return
        detail = (f"{pick.mqls:,} MQLs" + (f" (~{pick.mqls_per_month:,.0f} a month)"
                                           if math.isfinite(pick.mqls_per_month) else "")
                  + f" · precision {_pct(pick.precision)} · recall {_pct(pick.recall)}")
        self.pick_label.setText(f"{pick.message} {detail}. Select it below and click "
                                "“Use this threshold” to apply it.")
        set_themed_style(self.pick_label, "" if pick.met else "color: {warn};")
        self.pick_label.show()

    def _on_target_kind_changed(self, _index: int) -> None:
        per_month = self.target_kind.currentData() == "per_month"
        self.target_value.setSuffix(" MQLs" if per_month else " %")
        self.target_value.setMaximum(1_000_000 if per_month else 100)
        self.target_value.setValue(100 if per_month else 40)

    def _on_recommend_clicked(self) -> None:
        kind = self.target_kind.currentData()
        value = self.target_value.value()
        self.thresholdTargetChosen.emit(kind, value / 100 if kind == "precision" else value)

    def _mark_current_row(self) -> None:
        """Highlight the threshold in use in the scheme's "current row" colour."""
        row, table = self._current_row, self.thresholds
        if row is None or row >= table.rowCount():
            return
        for c in range(table.columnCount()):
            item = table.item(row, c)
            if item is not None:
                item.setBackground(colour("current_row"))

    def _fill_deciles(self, frame) -> None:
        table = self.deciles
        table.setRowCount(len(frame))
        for r, row in enumerate(frame.to_dict("records")):
            values = list(row.values())
            table.setItem(r, 0, _cell(str(values[0])))
            table.setItem(r, 1, _cell(f"{row.get('leads', 0):,.0f}"))
            table.setItem(r, 2, _cell(f"{row.get('won', 0):,.0f}"))
            table.setItem(r, 3, _cell(_pct(row.get("conversion_rate", row.get("won_rate")))))
            low, high = row.get("min_score"), row.get("max_score")
            table.setItem(r, 4, _cell("" if low is None else f"{low:.1f} to {high:.1f}"))

    def _update_buttons(self) -> None:
        self.use_button.setEnabled(bool(self.thresholds.selectedItems()))
        self.accept_button.setEnabled(bool(self.suggestions.selectedItems()))

    def _on_use_clicked(self) -> None:
        items = self.thresholds.selectedItems()
        if items:
            self.thresholdChosen.emit(float(self.thresholds.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)))

    def _on_accept_clicked(self) -> None:
        items = self.suggestions.selectedItems()
        if items:
            self.suggestionAccepted.emit(self._suggestions[items[0].row()].rule)
