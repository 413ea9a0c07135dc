"""The empty rule list's offer: "Suggest a starting model from <outcome column>".

While the model has no rules and the list has an outcome column (tagged, or guessed from its
header), the rule list offers a suggestion. Asked, the suggestion is made on a worker
(``scoring.insight.starter``), shown with its back-test on leads it was not fitted on, and taken
as one undoable step ("Use the suggested starting model"): the rules and the threshold join the
current model, whose column settings, tags and outcome mapping stay.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from app.analytics_inputs import AnalyticsInputs
from app.document import Document
from app.error_dialog import show_error
from app.tasks import Task, TaskRunner
from scoring.insight.starter import StarterModel, suggest_starting_model
from scoring.model.definition import Model
from scoring.reading.tagging import guess_tags
from widgets.rule_list import RuleListWidget
from widgets.starter_dialog import StarterDialog

__all__ = ["StarterController", "adopt_starter"]

UNDO_TEXT = "Use the suggested starting model"


def adopt_starter(current: Model, starter: StarterModel) -> Model:
    """``current`` with the suggested rules and threshold (its name too, when it has none of its
    own); column settings, missing values and the outcome mapping stay as the user set them."""
    suggested = starter.model
    name = current.name if current.name != Model().name else suggested.name
    model = replace(current, name=name, rules=suggested.rules, threshold=suggested.threshold,
                    description=current.description or suggested.description)
    if model.tagged("outcome") is None:
        for column, settings in suggested.columns:
            model = model.with_column_settings(column, settings)
    return model


class StarterController(QObject):
    """Signals
    -------
    dialogOpened(object): the dialog showing a suggestion (tests answer it)
    """

    dialogOpened = Signal(object)

    def __init__(self, window: QWidget, doc: Document, rule_list: RuleListWidget,
                 inputs: AnalyticsInputs) -> None:
        super().__init__(window)
        self._window, self._doc, self._list, self._inputs = window, doc, rule_list, inputs
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(self._on_runner_failed)
        self._runner.finished.connect(self.refresh)
        rule_list.starterRequested.connect(self.suggest)
        doc.modelChanged.connect(self.refresh)
        doc.tableChanged.connect(self._runner.cancel)       # a suggestion for the old list
        doc.tableChanged.connect(self.refresh)
        self.last: StarterModel | None = None

    def outcome_column(self) -> str | None:
        """The outcome column a suggestion would learn from (None: no list or no outcome)."""
        doc = self._doc
        if doc.table is None:
            return None
        column = doc.mapped_model().tagged("outcome")
        if column not in doc.table.frame.columns:      # not tagged: guessed from the headers
            column = guess_tags(list(doc.table.frame.columns), doc.table.types).get("outcome")
        return column if column in doc.table.frame.columns else None

    def refresh(self) -> None:
        column = None if self._doc.model.rules else self.outcome_column()
        self._list.set_starter_offer(column, busy=self._runner.busy)

    def suggest(self) -> None:
        column = self.outcome_column()
        if column is None or self._runner.busy:
            return
        self._inputs.update()
        outcome = self._inputs.outcome
        won = (outcome.won_values if outcome is not None and outcome.column == column
               and not outcome.is_date else None)
        tags = {s.tag: c for c, s in self._doc.model.columns if s.tag}
        self._runner.start(Task(suggest_starting_model, self._doc.table, column,
                                won_values=won or None, tags=tags or None))
        self.refresh()

    def _on_runner_succeeded(self, starter: StarterModel) -> None:
        self.last = starter
        dialog = StarterDialog(starter, self._window)
        dialog.setModal(True)
        dialog.finished.connect(lambda code: self._on_dialog_finished(dialog, code))
        dialog.open()
        self.dialogOpened.emit(dialog)

    def _on_dialog_finished(self, dialog: StarterDialog, code: int) -> None:
        if code == QDialog.DialogCode.Accepted and not self._doc.model.rules:
            self._doc.edit_model(adopt_starter(self._doc.model, dialog.starter), text=UNDO_TEXT)
        dialog.deleteLater()

    def _on_runner_failed(self, message: str, details: str) -> None:
        show_error(self._window, "Cannot suggest a starting model", message, details)
