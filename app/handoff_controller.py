"""File > Hand off to sales…: the export dialog plus new-only or all MQLs, the ledger, owners and a
summary before anything is written; then the hand-off in a worker.

The engine writes the file and the ledger together (``scoring.handoff.handoff.hand_off``). Owner
rules typed in the dialog are saved in the model (one undoable step) and used for this hand-off.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QVBoxLayout, QWidget)

from app.document import Document
from app.error_dialog import show_error
from app.exporting import ExportDialog
from app.ledger_files import LEDGER_FILTER, current_ledger, remember_ledger
from app.tasks import Task, TaskRunner
from scoring.errors import LeadbenchError
from scoring.handoff.export import ExportOptions
from scoring.handoff.handoff import HandoffOutcome, HandoffPlan, hand_off, plan_handoff
from scoring.handoff.ledger import Ledger
from scoring.model.definition import OwnerRules
from widgets.owner_rules_form import OwnerRulesForm
from widgets.progress_strip import ProgressStrip

__all__ = ["HandoffController", "HandoffDialog", "plan_for"]

Planner = Callable[[str], HandoffPlan]


def plan_for(doc: Document, ledger_path: str) -> HandoffPlan:
    """The hand-off plan of the open list against the ledger at ``ledger_path`` (which may not exist)."""
    path = Path(ledger_path)
    if not path.exists():
        return plan_handoff(doc.table, doc.result, None)
    with Ledger(path, create=False) as ledger:
        return plan_handoff(doc.table, doc.result, ledger)


class HandoffDialog(ExportDialog):
    """The export dialog with the hand-off's own choices above it."""

    def __init__(self, doc: Document, suggested: str, ledger: str, planner: Planner,
                 parent: QWidget | None = None) -> None:
        super().__init__(doc, suggested, parent)
        self._plan: HandoffPlan | None = None
        self._planner = planner
        self.setObjectName("handoffDialog")
        self.setWindowTitle("Hand off to sales")
        self.form.which_buttons["mql"].parentWidget().hide()      # always MQLs; the choice is below
        self.new_only = QRadioButton(objectName="handoffNewOnly", checked=True)
        self.all_mqls = QRadioButton(objectName="handoffAll")
        group = QButtonGroup(self)
        group.addButton(self.new_only)
        group.addButton(self.all_mqls)
        self.new_only.toggled.connect(lambda _on: self._update_hint())
        self.summary = QLabel(objectName="handoffSummary", wordWrap=True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.ledger_edit = QLineEdit(ledger, objectName="handoffLedger")
        self.ledger_edit.setToolTip("The ledger records every hand-off, so the next one sends only new MQLs")
        self.ledger_edit.editingFinished.connect(self._replan)
        browse = QPushButton("Choose…", objectName="handoffLedgerBrowse")
        browse.clicked.connect(self._browse_ledger)
        box = QGroupBox("Hand-off")
        inner = QVBoxLayout(box)
        inner.addWidget(self.summary)
        inner.addWidget(self.new_only)
        inner.addWidget(self.all_mqls)
        ledger_row = QHBoxLayout()
        ledger_row.addWidget(QLabel("Ledger:"))
        ledger_row.addWidget(self.ledger_edit, 1)
        ledger_row.addWidget(browse)
        inner.addLayout(ledger_row)
        self.owners = OwnerRulesForm([str(c) for c in doc.table.frame.columns])
        self.owners.set_rules(doc.model.owners)
        self.owners.changed.connect(self._update_hint)
        top = QHBoxLayout()
        top.addWidget(box, 3)
        top.addWidget(self.owners, 2)
        self.layout().insertLayout(0, top)
        self.resize(900, 780)
        self._replan()

    @property
    def ledger(self) -> str:
        return self.ledger_edit.text().strip()

    @property
    def plan(self) -> HandoffPlan | None:
        return self._plan

    def new_only_chosen(self) -> bool:
        return self.new_only.isChecked()

    def owner_rules(self) -> OwnerRules:
        return self.owners.rules()

    def _browse_ledger(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Ledger of hand-offs", self.ledger, LEDGER_FILTER,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.ledger_edit.setText(path)
            self._replan()

    def _replan(self) -> None:
        self._plan, problem = None, ""
        if not self.ledger:
            problem = "Choose a ledger file: it records what went to sales."
        else:
            try:
                self._plan = self._planner(self.ledger)
            except LeadbenchError as exc:
                problem = str(exc)
        plan = self._plan
        self.new_only.setText(f"Only MQLs not handed off before ({plan.n_new:,})" if plan else "Only new MQLs")
        self.all_mqls.setText(f"All current MQLs ({len(plan.mql_rows):,})" if plan else "All current MQLs")
        self.summary.setText(plan.summary() if plan else problem)
        self._update_hint()

    def _update_hint(self) -> None:
        super()._update_hint()
        plan = getattr(self, "_plan", None)
        if plan is None or not hasattr(self, "new_only"):
            return
        n = plan.n_new if self.new_only.isChecked() else len(plan.mql_rows)
        rules = self.owners.rules()
        capped = rules.cap is not None and rules.assigns
        text = (f"Hands off {'up to ' if capped else ''}{n:,} lead{'s' if n != 1 else ''} and records them "
                "in the ledger; the file and the ledger change together or not at all. ")
        self.hint.setText(text + self.hint.text())

    def _accept(self) -> None:
        if self._plan is None:
            show_error(self, "Choose a ledger", self.summary.text() or "Choose a ledger file.")
            return
        super()._accept()


class HandoffController(QObject):
    """Runs one hand-off at a time in a worker, with progress and Cancel in the window's strip.

    Signals
    -------
    handedOff(object): the ``HandoffOutcome`` of a hand-off just made
    """

    handedOff = Signal(object)

    def __init__(self, window, doc: Document, progress: ProgressStrip) -> None:
        super().__init__(window)
        self._window, self._doc, self._progress = window, doc, progress
        self._runner = TaskRunner(self)
        self._runner.progress.connect(progress.set_fraction)
        self._runner.finished.connect(progress.finish)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(
            lambda message, details: show_error(window, "Hand-off failed", message, details))
        progress.cancelRequested.connect(self._runner.cancel)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def wait(self, msecs: int = 30_000) -> bool:
        return self._runner.wait(msecs)

    def hand_off(self) -> None:
        """Open the dialog; on Save, hand off in a worker."""
        doc = self._doc
        if doc.table is None or doc.result is None:
            return
        source = Path(doc.table.source or "leads")
        ledger = current_ledger(doc)
        suggested = str(source.with_name(f"{source.stem} for sales {doc.result.as_of:%Y-%m-%d}.xlsx"))
        dialog = HandoffDialog(doc, suggested, str(ledger or ""), lambda path: plan_for(doc, path), self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        owners = dialog.owner_rules()
        if owners != doc.model.owners:
            doc.edit_model(replace(doc.model, owners=owners), "Change owners")
        self.start(dialog.ledger, dialog.path, dialog.options(), new_only=dialog.new_only_chosen(), owners=owners)

    def start(self, ledger: str, path: str, options: ExportOptions | None = None, *, new_only: bool = True,
              owners: OwnerRules | None = None) -> None:
        """Hand off the open list's MQLs to ``path``, recorded in ``ledger``."""
        doc = self._doc
        remember_ledger(doc, ledger)
        self._progress.start(f"Handing off to {Path(path).name}…")
        self._runner.start(Task(hand_off, doc.table, doc.result, ledger, path, options, new_only=new_only,
                                owners=owners))

    def _on_runner_succeeded(self, outcome: HandoffOutcome) -> None:
        where = outcome.files[0].name if outcome.files else ""
        self._window.statusBar().showMessage(f"{outcome.summary()} to {where}", 10000)
        self.handedOff.emit(outcome)
