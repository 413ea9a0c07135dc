"""File > Import sales feedback…: read the list sales returned, map its statuses, record it in the ledger.

The file loads in a worker (any lead-list format); the dialog guesses the id, status and reason
columns and what each status means, previews what would be recorded (and which ids were never
handed off), and the import runs in a worker as one ledger transaction.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QVBoxLayout, QWidget

from app import settings
from app.document import Document
from app.error_dialog import show_error
from app.ledger_files import current_ledger
from app.loading import FILE_FILTER
from app.tasks import Task, TaskRunner
from scoring.errors import LeadbenchError
from scoring.handoff.feedback import FeedbackImport, guess_feedback_columns, guess_status, import_feedback, \
    read_feedback
from scoring.handoff.ledger import Ledger
from scoring.reading import load_leads
from widgets.feedback_mapping import FeedbackMappingForm
from widgets.progress_strip import ProgressStrip

__all__ = ["FeedbackController", "FeedbackDialog", "read_returned_list"]


def read_returned_list(path: str, *, on_progress=None, is_cancelled=None) -> pd.DataFrame:
    """The returned list's cells as sales typed them (the worker's job)."""
    table = load_leads(path, on_progress=on_progress, is_cancelled=is_cancelled)
    return table.raw.to_pandas()


class FeedbackDialog(QDialog):
    """Columns, what each status means, and a preview of what the import records."""

    def __init__(self, frame: pd.DataFrame, ledger: Path, file: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackDialog")
        self.setWindowTitle(f"Import sales feedback from {Path(file).name}")
        self._frame, self._ledger, self._file = frame, ledger, file
        self._found: FeedbackImport | None = None
        columns = [str(c) for c in frame.columns]
        self.form = FeedbackMappingForm(columns, guess_feedback_columns(columns))
        self.form.columnsChanged.connect(self._on_columns_changed)
        self.form.mappingChanged.connect(self._preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 560)
        self._on_columns_changed()

    def choices(self) -> dict:
        id_column, status, reason = self.form.columns()
        return {"id_column": id_column, "status_column": status, "reason_column": reason,
                "mapping": self.form.mapping()}

    def _on_columns_changed(self) -> None:
        _id, status, _reason = self.form.columns()
        statuses = []
        if status is not None:
            texts = self._frame[status].astype("str").str.strip()
            counts = texts[texts.notna() & (texts != "")].value_counts()
            statuses = [(str(text), int(n), guess_status(text)) for text, n in counts.items()]
        self.form.set_statuses(statuses)
        self._preview()

    def _preview(self) -> None:
        choices = self.choices()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            with Ledger(self._ledger, create=False) as ledger:
                self._found = read_feedback(self._frame, ledger, file=self._file, **choices)
        except LeadbenchError as exc:
            self._found = None
            self.form.set_preview(str(exc))
            ok.setEnabled(False)
            return
        self.form.set_preview(self._found.summary())
        ok.setEnabled(not self._found.rows.empty)


class FeedbackController(QObject):
    """Loads a returned list, asks how to read it, and imports it.

    Signals
    -------
    imported(object): the ``FeedbackImport`` just recorded
    """

    imported = Signal(object)

    def __init__(self, window, doc: Document, progress: ProgressStrip) -> None:
        super().__init__(window)
        self._window, self._doc, self._progress = window, doc, progress
        self._path = ""
        self._loader = TaskRunner(self)
        self._loader.progress.connect(progress.set_fraction)
        self._loader.finished.connect(progress.finish)
        self._loader.succeeded.connect(self._on_loader_succeeded)
        self._loader.failed.connect(lambda message, details: show_error(window, "Cannot read the feedback",
                                                                        message, details))
        self._importer = TaskRunner(self)
        self._importer.succeeded.connect(self._on_importer_succeeded)
        self._importer.failed.connect(lambda message, details: show_error(window, "Cannot import the feedback",
                                                                          message, details))
        progress.cancelRequested.connect(self._loader.cancel)

    def wait(self, msecs: int = 30_000) -> bool:
        return self._loader.wait(msecs) and self._importer.wait(msecs)

    def import_feedback(self) -> None:
        """Ask for the returned list, then read it."""
        if self._ledger() is None:
            return
        path, _ = QFileDialog.getOpenFileName(self._window, "Import sales feedback",
                                              settings.read(settings.LAST_DIR), FILE_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Read the returned list at ``path`` in a worker; the dialog follows."""
        if self._ledger() is None:
            return
        self._path = path
        self._progress.start(f"Reading {Path(path).name}…")
        self._loader.start(Task(read_returned_list, path))

    def _ledger(self) -> Path | None:
        ledger = current_ledger(self._doc)
        if ledger is None or not ledger.exists():
            show_error(self._window, "No hand-offs yet", "This model has no hand-off ledger yet, so there is "
                       "nothing to match feedback with: File > Hand off to sales… makes the first hand-off.")
            return None
        return ledger

    def _on_loader_succeeded(self, frame: pd.DataFrame) -> None:
        ledger = self._ledger()
        if ledger is None:
            return
        dialog = FeedbackDialog(frame, ledger, self._path, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._importer.start(Task(import_feedback, frame, ledger, file=self._path, **dialog.choices()))

    def _on_importer_succeeded(self, done: FeedbackImport) -> None:
        self._window.statusBar().showMessage(done.summary(), 12000)
        self.imported.emit(done)
