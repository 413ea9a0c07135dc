"""Feeds the back-test panel: the outcome mapping, metrics and the threshold table after every
score (while shown), "What converts" per chosen column, rules suggested from the data in a
worker, and the panel's intents as undoable model edits (threshold, won values, accepted rules)."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from PySide6.QtCore import QObject

from app.analytics_inputs import AnalyticsInputs
from app.document import Document
from app.error_dialog import show_error
from app.tasks import Task, TaskRunner
from scoring.column_types import ColumnTag, ColumnType
from scoring.errors import LeadbenchError
from scoring.insight.backtest import backtest_summary, pick_threshold
from scoring.insight.conversion import attribute_insight
from scoring.insight.suggest import suggest_rules
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
        panel.wonValuesEdited.connect(self._on_won_values)
        panel.openValuesEdited.connect(self._on_open_values)
        panel.attributeColumnsChosen.connect(self._on_attribute_columns)
        panel.thresholdTargetChosen.connect(self._on_target)
        doc.tableChanged.connect(self._forget_columns)
        self._target: tuple[str, float] | None = None       # the recommender's target
        self._attribute_columns: tuple | None = None        # None: the default choice
        self._default_columns: tuple | None = None
        self._insight_key = None

    # -- intents ------------------------------------------------------------------------------
    def _on_won_values(self, values) -> None:
        doc = self._doc
        text = "Use the guessed outcome mapping" if values is None else "Change which outcomes are won"
        doc.edit_model(doc.model.with_analysis(won_values=None if values is None else tuple(values)),
                       text=text)

    def _on_target(self, kind: str, value: float) -> None:
        self._target = (kind, float(value))
        self.refresh()

    def _on_open_values(self, values) -> None:
        doc = self._doc
        text = "Use the guessed open outcomes" if values is None else "Change which outcomes are still open"
        doc.edit_model(doc.model.with_analysis(open_values=None if values is None else tuple(values)),
                       text=text)

    def _on_attribute_columns(self, columns: tuple) -> None:
        self._attribute_columns = tuple(columns)
        self.refresh()

    def _forget_columns(self) -> None:
        self._attribute_columns = None
        self._default_columns = None
        self._insight_key = None
        self._target = None

    def attribute_choices(self) -> tuple[list[str], list[str]]:
        """The columns "What converts" offers and the ones shown (default: the tagged source and
        the columns rules would be suggested from)."""
        doc, outcome = self._doc, self._inputs.outcome
        exclude = {outcome.column} if outcome else set()
        exclude |= {c for c, s in doc.model.columns if s.tag in (ColumnTag.OUTCOME, ColumnTag.STAGE)}
        available = [c for c, t in doc.table.types.items() if t in _USABLE and c not in exclude]
        if self._attribute_columns is not None:
            return available, [c for c in self._attribute_columns if c in available]
        source = doc.model.tagged(ColumnTag.SOURCE)
        key = (id(doc.table), source, frozenset(exclude))
        if self._default_columns is None or self._default_columns[0] != key:
            chosen = [source] if source in available else []
            # looking at every column of a big list takes a while: once per list and tags
            chosen += [c for c in suggestion_columns(doc.table, exclude) if c not in chosen]
            self._default_columns = (key, chosen)
        return available, list(self._default_columns[1])

    def refresh(self) -> None:
        doc, panel = self._doc, self._panel
        if doc.result is None or doc.table is None or not panel.isVisible():
            return
        self._inputs.update()
        outcome = self._inputs.outcome
        if outcome is None:
            panel.set_outcome(None)
            panel.set_summary(None)
            return
        panel.set_outcome(outcome.column, outcome.values, outcome.won_values, is_date=outcome.is_date,
                          guessed=outcome.guessed, open_values=outcome.open_values,
                          left_out=int(len(outcome.known) - outcome.known.sum()))
        self._refresh_attributes(outcome)
        if not outcome.n_won:
            panel.set_summary(None, empty_message=(
                f"No lead counts as won: tick the values of “{outcome.column}” that mean won (on the "
                "left) to check the model against real results."))
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
        problem = None
        if self._target is not None:
            kind, value = self._target
            try:
                summary = replace(summary, pick=pick_threshold(
                    summary.table, target_precision=value if kind == "precision" else None,
                    target_per_month=value if kind == "per_month" else None))
            except LeadbenchError as exc:          # no created date for a per-month target...
                problem = str(exc)
        panel.set_summary(summary, outcome.note())
        if problem:
            panel.show_pick_problem(problem)

    def _refresh_attributes(self, outcome) -> None:
        """"What converts" depends on the outcome and the columns, not the scores: recomputed
        only when one of those changes."""
        available, chosen = self.attribute_choices()
        key = (id(self._doc.table), outcome.column, outcome.won_values, tuple(chosen))
        if key == self._insight_key:
            return
        self._insight_key = key
        if not outcome.n_won:
            self._panel.set_attributes(None, available, chosen, "No lead counts as won yet.")
            return
        if not chosen:
            self._panel.set_attributes(None, available, chosen,
                                       "Choose columns (Columns… on the right) to see which values convert.")
            return
        prepared = [p for p in (self._inputs.attribute(c) for c in chosen) if p is not None]
        self._panel.set_attributes(attribute_insight(prepared, outcome.won, known=outcome.known),
                                   available, chosen)

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
