"""File > Export qualified leads…: a small dialog, then the engine's export in a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QRadioButton, QVBoxLayout,
                               QWidget)

from app import settings
from app.document import Document
from app.error_dialog import show_error
from app.tasks import Task, TaskRunner
from scoring.export import export_leads

__all__ = ["ExportController", "ExportDialog"]

EXPORT_FILTER = "Excel workbook (*.xlsx);;CSV file (*.csv)"


class ExportDialog(QDialog):
    """Which leads, and where (the file's suffix picks CSV or XLSX)."""

    def __init__(self, n_mql: int, n_rows: int, suggested: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export leads")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.mql_radio = QRadioButton(f"MQLs only ({n_mql:,})", objectName="exportMqlRadio")
        self.all_radio = QRadioButton(f"All leads ({n_rows:,}), with scores", objectName="exportAllRadio")
        self.mql_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.mql_radio)
        group.addButton(self.all_radio)
        which = QVBoxLayout()
        which.addWidget(self.mql_radio)
        which.addWidget(self.all_radio)
        form.addRow("Leads:", which)
        self.path_edit = QLineEdit(suggested, objectName="exportPath")
        browse = QPushButton("Browse…", objectName="exportBrowse")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow("Save to:", row)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def which(self) -> str:
        return "mql" if self.mql_radio.isChecked() else "all"

    @property
    def path(self) -> str:
        return self.path_edit.text().strip()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export leads", self.path, EXPORT_FILTER)
        if path:
            self.path_edit.setText(path)

    def _accept(self) -> None:
        if Path(self.path).suffix.lower() not in (".csv", ".xlsx"):
            show_error(self, "Choose a file type", "End the file name with .xlsx (Excel) or .csv.")
            return
        self.accept()


class ExportController(QObject):
    """Runs one export at a time in a worker; the engine writes atomically.

    Signals
    -------
    started(str), progress(float), finished(), exported(str): the path written
    """

    started = Signal(str)
    progress = Signal(float)
    finished = Signal()
    exported = Signal(str)

    def __init__(self, parent_widget: QWidget, doc: Document) -> None:
        super().__init__(parent_widget)
        self._parent, self._doc = parent_widget, doc
        self._runner = TaskRunner(self)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self.finished)
        self._runner.succeeded.connect(lambda path: self.exported.emit(str(path)))
        self._runner.failed.connect(
            lambda message, details: show_error(self._parent, "Export failed", message, details))

    def export(self) -> None:
        doc = self._doc
        if doc.table is None or doc.result is None:
            return
        source = Path(doc.table.source or "leads")
        folder = settings.read(settings.LAST_DIR) or str(source.parent)
        suggested = str(Path(folder) / f"{source.stem}_mqls.xlsx")
        dialog = ExportDialog(int(doc.result.n_mql), doc.table.n_rows, suggested, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start(dialog.path, dialog.which)

    def start(self, path: str, which: str) -> None:
        self.started.emit(f"Exporting to {Path(path).name}…")
        self._runner.start(Task(export_leads, self._doc.table, self._doc.result, path, which=which))

    def cancel(self) -> None:
        self._runner.cancel()
