"""Comparing the current model with another model file or with its last saved version.

The other model is scored in a worker on the document's lead list, with its own column settings
applied (:func:`app.document.derive_table` on the base table), and compared with the current
scores (:func:`scoring.handoff.compare.compare_results`). The result shows in a non-modal dialog holding
a :class:`widgets.compare_view.CompareView`; its "Export changes…" asks for a file and writes it in
a worker. Problems are plain message boxes, never a traceback.

Direction: a model file is the candidate ("what changes if we adopt it": current → file); the
saved version is where the edits started (saved → current).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QVBoxLayout, QWidget)

from app import settings
from app.document import Document, derive_table, runnable_model
from app.error_dialog import show_error
from app.model_io import MODEL_FILTER
from app.tasks import Task, TaskRunner
from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer, ScoreResult
from scoring.handoff.compare import ModelComparison, compare_results, export_comparison
from scoring.handoff.export import check_target, default_columns
from scoring.model.definition import Model
from scoring.model.model_file import load_model
from scoring.reading import LeadTable
from widgets.compare_view import CompareView

__all__ = ["CompareController", "CompareDialog", "CompareOutcome", "score_and_compare",
           "EXPORT_FILTER", "XLSX_FILTER", "CSV_FILTER"]

XLSX_FILTER = "Excel workbook with a summary (*.xlsx)"
CSV_FILTER = "CSV file (*.csv)"
EXPORT_FILTER = f"{XLSX_FILTER};;{CSV_FILTER}"
NEVER_SAVED = ("This model has not been saved yet, so there is no saved version to compare with. "
               "Save it (File > Save model), make your changes, then compare.")


@dataclass(frozen=True)
class CompareOutcome:
    """What the worker hands back: the comparison, the changed leads' contact columns, and the
    rules of the other model that could not run on this list."""

    comparison: ModelComparison
    contacts: pd.DataFrame
    problems: list[str]


def score_and_compare(base: LeadTable, table: LeadTable, current: ScoreResult, other_model: Model,
                      as_of: date | None, *, other_is_new: bool,
                      on_progress: Callable[[float], None] | None = None,
                      is_cancelled: Callable[[], bool] | None = None) -> CompareOutcome:
    """Score ``other_model`` on ``base`` (with its column settings) and compare (worker thread).

    Parameters
    ----------
    base : the lead list as loaded
    table : the list as the current model scores it (``doc.table``); it labels the comparison
    current : the current scores
    other_model : the model to compare with; rules that cannot run on the list are left out
    as_of : the date "within N days" and decay count from
    other_is_new : True: current → other (a candidate); False: other → current (the saved version)
    """
    other_table = derive_table(base, other_model)
    model, problems = runnable_model(other_model, other_table)
    other = Scorer(other_table, as_of=as_of).score(model, on_progress=on_progress,
                                                   is_cancelled=is_cancelled)
    old, new = (current, other) if other_is_new else (other, current)
    comparison = compare_results(table, old, new)
    contacts = table.frame[default_columns(table, current.model)].take(comparison.rows).reset_index(drop=True)
    return CompareOutcome(comparison, contacts, problems)


class CompareDialog(QDialog):
    """A non-modal window holding the comparison view and a status line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setModal(False)
        self.resize(1200, 760)
        layout = QVBoxLayout(self)
        self.view = CompareView(self)
        layout.addWidget(self.view, 1)
        self.status = QLabel(objectName="compareStatus")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)


class CompareController(QObject):
    """File > Compare with model… and Compare with last saved version.

    Signals
    -------
    compared(object): a comparison is shown (the ``ModelComparison``)
    exported(str): the path of an export of the changed leads just written
    """

    compared = Signal(object)
    exported = Signal(str)

    def __init__(self, parent_widget: QWidget, doc: Document) -> None:
        super().__init__(parent_widget)
        self._parent, self._doc = parent_widget, doc
        self.dialog: CompareDialog | None = None
        self._table: LeadTable | None = None
        self._shown: CompareOutcome | None = None
        self._export_path = ""
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(self._on_runner_failed)
        self._exporter = TaskRunner(self)
        self._exporter.succeeded.connect(self._on_exporter_succeeded)
        self._exporter.failed.connect(self._on_exporter_failed)

    @property
    def busy(self) -> bool:
        return self._runner.busy or self._exporter.busy

    def cancel(self) -> None:
        """Stop a comparison or export under way (the window is closing)."""
        self._runner.cancel()
        self._exporter.cancel()

    def can_compare(self) -> bool:
        """A lead list is open and scored."""
        return self._doc.table is not None and self._doc.result is not None

    def can_compare_with_saved(self) -> bool:
        """For enabling the action: scores exist and the model has a saved file on disk."""
        path = self._doc.model_path
        return self.can_compare() and bool(path) and Path(path).is_file()

    # -- starting a comparison ----------------------------------------------------------------
    def compare_with_file(self, path: str | None = None) -> None:
        """Compare the current model with a model file (asks for one when ``path`` is None or
        empty, so an action's ``triggered(bool)`` may call this directly)."""
        if not self._check_scored():
            return
        if not isinstance(path, str) or not path:
            path, _ = QFileDialog.getOpenFileName(self._parent, "Compare with model",
                                                  settings.read(settings.LAST_DIR), MODEL_FILTER)
            if not path:
                return
        model = self._load(path)
        if model is not None:
            self._start(model, other_is_new=True,
                        title=f"Compare: current model → {Path(path).name}",
                        waiting=f"Scoring the list under {Path(path).name}…")

    def compare_with_saved(self) -> None:
        """Compare the last saved version of the model (its file on disk) with the current one."""
        if not self._check_scored():
            return
        path = self._doc.model_path
        if not path:
            self._message("Nothing to compare with", NEVER_SAVED)
            return
        if not Path(path).is_file():
            self._message("Nothing to compare with",
                          f"The saved version {Path(path).name} is no longer in {Path(path).parent}. "
                          "Save the model again, or compare with another model file.")
            return
        model = self._load(path)
        if model is not None:
            self._start(model, other_is_new=False,
                        title=f"Compare: saved version ({Path(path).name}) → current model",
                        waiting="Scoring the list under the saved version…")

    def _check_scored(self) -> bool:
        if self.can_compare():
            return True
        self._message("Nothing to compare yet", "Open a lead list first: models are compared on the "
                                                "leads of the open list.")
        return False

    def _load(self, path: str) -> Model | None:
        try:
            return load_model(path)
        except LeadbenchError as exc:
            self._message("Cannot compare", str(exc))
        except OSError as exc:
            self._message("Cannot compare", f"Cannot read {Path(path).name}: {exc.strerror or exc}.")
        return None

    def _start(self, model: Model, *, other_is_new: bool, title: str, waiting: str) -> None:
        doc = self._doc
        dialog = self._ensure_dialog()
        dialog.setWindowTitle(title)
        dialog.view.set_message(waiting)
        dialog.status.clear()
        self._shown = None
        dialog.show()
        dialog.raise_()
        self._table = doc.table
        base = doc.base_table if doc.base_table is not None else doc.table
        self._runner.start(Task(score_and_compare, base, doc.table, doc.result,
                                doc.mapped_model(model),          # the list's column mapping too
                                doc.as_of, other_is_new=other_is_new))

    def _ensure_dialog(self) -> CompareDialog:
        if self.dialog is None:
            self.dialog = CompareDialog(self._parent)
            self.dialog.view.exportRequested.connect(self.export_changes)
        return self.dialog

    def _on_runner_succeeded(self, outcome: CompareOutcome) -> None:
        view = self.dialog.view
        if self._doc.table is not self._table:      # another list was opened meanwhile
            view.set_message("The lead list changed while comparing. Compare again.")
            return
        note = ""
        if outcome.problems:
            count = len(outcome.problems)
            note = (f"{count} rule{'s' if count > 1 else ''} of the other model cannot run on this "
                    f"list and {'were' if count > 1 else 'was'} left out: {outcome.problems[0]}"
                    + (f" (and {count - 1} more)" if count > 1 else ""))
        self._shown = outcome
        view.set_comparison(outcome.comparison, outcome.contacts, note)
        self.compared.emit(outcome.comparison)

    def _on_runner_failed(self, message: str, _details: str) -> None:
        if self.dialog is not None:
            self.dialog.view.set_message("The comparison could not be made.")
        self._message("Cannot compare", message)

    # -- export -------------------------------------------------------------------------------
    def export_changes(self, path: str | None = None) -> None:
        """Write the changed leads of the comparison shown (asks where when ``path`` is None)."""
        outcome = self._shown
        if outcome is None or self._table is None:
            return
        if path is None:
            source = Path(self._table.source or "leads")
            folder = settings.read(settings.LAST_DIR) or str(source.parent)
            path, chosen = QFileDialog.getSaveFileName(
                self.dialog, "Export changes", str(Path(folder) / f"{source.stem} changes.xlsx"),
                EXPORT_FILTER, XLSX_FILTER)
            if not path:
                return
            if Path(path).suffix.lower() not in (".csv", ".xlsx"):
                path += ".csv" if chosen == CSV_FILTER else ".xlsx"
        try:
            check_target(path, self._table.source)
        except LeadbenchError as exc:
            self._message("Choose another file", str(exc), self.dialog)
            return
        self._export_path = path
        self.dialog.status.setText(f"Exporting {outcome.comparison.n_changed:,} changed leads to "
                                   f"{Path(path).name}…")
        self._exporter.start(Task(export_comparison, self._table, outcome.comparison, path,
                                  columns=list(outcome.contacts.columns)))

    def _on_exporter_succeeded(self, _path) -> None:
        self.dialog.status.setText(f"Wrote {Path(self._export_path).name}")
        self.exported.emit(self._export_path)

    def _on_exporter_failed(self, message: str, _details: str) -> None:
        self.dialog.status.clear()
        self._message("Cannot export the changes", message, self.dialog)

    def _message(self, title: str, text: str, parent: QWidget | None = None) -> None:
        show_error(parent or self._parent, title, text)       # a plain message, no details
