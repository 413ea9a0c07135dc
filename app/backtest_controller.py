"""Feeds the back-test panel: metrics and the threshold table after every score (while shown),
rules suggested from the data in a worker, and the panel's intents as undoable model edits."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject

from app.analytics_inputs import AnalyticsInputs
from app.document import Document
from app.error_dialog import show_error
from app.tasks import Task, TaskRunner
from scoring.backtest import backtest_summary
from scoring.column_types import ColumnType
from scoring.errors import LeadbenchError
from scoring.suggest import suggest_rules
from widgets.backtest_panel import BacktestPanel

__all__ = ["BacktestController", "suggestion_columns"]

log = logging.getLogger(__name__)
MAX_SUGGESTION_COLUMNS = 10
_USABLE = (ColumnType.CATEGORY, ColumnType.BOOLEAN, ColumnType.INTEGER, ColumnType.NUMBER)
# who a lead is, not what they are like: no rule should be learnt from these
_IDENTITY = re.compile(r"name|\be-?mail\b|phone|mobile|address|company|account|\bid\b|_id$|number$|uuid",
                       re.I)


def suggestion_columns(table, exclude: set[str], limit: int = MAX_SUGGESTION_COLUMNS) -> list[str]:
    """Columns worth proposing rules from: categories, yes/no and numbers, fullest first."""
    frame = table.frame
    candidates = [c for c, t in table.types.items() if t in _USABLE and c not in exclude
                  and not _IDENTITY.search(str(c)) and frame[c].notna().mean() >= 0.3
                  and _varies(frame[c])]
    return sorted(candidates, key=lambda c: -frame[c].notna().mean())[:limit]


def _varies(series) -> bool:
    """At least two values, and the most common one below 98% of the filled cells."""
    shares = series.value_counts(normalize=True)
    return len(shares) > 1 and shares.iloc[0] <= 0.98


class BacktestController(QObject):
    def __init__(self, doc: Document, panel: BacktestPanel, inputs: AnalyticsInputs) -> None:
        super().__init__(panel)
        self._doc, self._panel, self._inputs = doc, panel, inputs
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(panel.set_suggestions)
        self._runner.failed.connect(lambda message, details: show_error(
            panel, "Cannot suggest rules", message, details))
        self._runner.finished.connect(lambda: panel.set_busy(False))
        doc.scored.connect(self.refresh)
        doc.tableChanged.connect(lambda: panel.set_suggestions(None))
        panel.thresholdChosen.connect(lambda value: doc.edit_model(doc.model.with_threshold(value)))
        panel.suggestionAccepted.connect(
            lambda rule: doc.edit_model(doc.model.with_rules(doc.model.rules + (rule,))))
        panel.suggestRequested.connect(self.suggest)

    def refresh(self) -> None:
        doc, panel = self._doc, self._panel
        if doc.result is None or doc.table is None or not panel.isVisible():
            return
        self._inputs.update()
        outcome = self._inputs.outcome
        if outcome is None:
            panel.set_summary(None)
            return
        result = doc.result
        months = self._inputs.dates.span_months if self._inputs.dates is not None else None
        try:
            summary = backtest_summary(result.total, result.mql, outcome.won, known=outcome.known,
                                       blocked=result.blocked, threshold=doc.model.threshold,
                                       source=self._inputs.source, months=months or None)
        except LeadbenchError as exc:
            panel.set_summary(None, empty_message=str(exc))
            return
        panel.set_summary(summary, outcome.note())

    def suggest(self) -> None:
        doc, outcome = self._doc, self._inputs.outcome
        if doc.table is None or outcome is None:
            return
        exclude = {outcome.column, *(c for c, s in doc.model.columns if s.tag in ("outcome", "stage"))}
        columns = [doc.table.frame[c] for c in suggestion_columns(doc.table, exclude)]
        if not columns:
            show_error(self._panel, "Cannot suggest rules",
                       "This list has no category, yes/no or number columns to learn from.")
            return
        self._panel.set_busy(True)
        self._runner.start(Task(suggest_rules, columns, outcome.won, known=outcome.known))
