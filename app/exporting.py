"""File > Export qualified leads…: the options dialog, then the engine's export in a worker.

With a duplicates source (the Data quality panel's controller) the dialog offers "Leave out
duplicates" and the export gets its keep mask.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app import settings
from app.document import Document
from app.error_dialog import show_error
from app.tasks import Task, TaskRunner
from scoring.errors import ExportError
from scoring.handoff.export import (CsvOptions, ExportOptions, check_target, default_columns, export_leads,
                                   export_rows)
from widgets.export_options import ExportOptionsForm
from widgets.written_note import short_path

__all__ = ["ExportController", "ExportDialog"]

EXPORT_FILTER = "Excel workbook (*.xlsx);;CSV file (*.csv)"


class ExportDialog(QDialog):
    """Which leads, which columns, order, split, format options, and where to save."""

    def __init__(self, doc: Document, suggested: str, parent: QWidget | None = None, *,
                 duplicates: int | None = None, leave_out: bool = False) -> None:
        """``duplicates``: how many duplicate leads "Leave out duplicates" would leave out (None:
        the option is not offered); ``leave_out``: whether it starts ticked."""
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export leads")
        self._source = doc.table.source
        result, table = doc.result, doc.table
        counts = {"mql": int(result.n_mql), "all": table.n_rows,
                  "not_mql": table.n_rows - int(result.n_mql), "blocked": int(np.count_nonzero(result.blocked))}
        columns = [str(c) for c in table.frame.columns]
        self.form = ExportOptionsForm(columns, default_columns(table, doc.model), counts)
        self.form.set_csv_options(CsvOptions(delimiter=settings.read(settings.EXPORT_DELIMITER),
                                             bom=settings.read(settings.EXPORT_BOM),
                                             line_end="\r\n" if settings.read(settings.EXPORT_CRLF) else "\n",
                                             decimal=_decimal(settings.read(settings.EXPORT_DECIMAL),
                                                              settings.read(settings.EXPORT_DELIMITER))))
        self.form.summary_check.setChecked(settings.read(settings.EXPORT_SUMMARY))
        self.form.set_duplicates(duplicates, leave_out)
        self.path_edit = QLineEdit(suggested, objectName="exportPath")
        self.path_edit.textChanged.connect(self._on_path_changed)
        browse = QPushButton("Browse…", objectName="exportBrowse")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(QLabel("Save to:"))
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.hint = QLabel(objectName="exportHint", wordWrap=True)
        self.hint.setStyleSheet("color: palette(mid);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addLayout(path_row)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.form.changed.connect(self._update_hint)
        self._on_path_changed(self.path)
        self.resize(760, 620)

    @property
    def path(self) -> str:
        return self.path_edit.text().strip()

    def options(self) -> ExportOptions:
        return self.form.options()

    def leave_out_duplicates(self) -> bool:
        return self.form.leave_out_duplicates()

    def _on_path_changed(self, text: str) -> None:
        suffix = Path(text.strip()).suffix.lower()
        self.form.set_format("csv" if suffix == ".csv" else "xlsx")
        self._update_hint()

    def _update_hint(self) -> None:
        options, path = self.form.options(), Path(self.path or "leads.xlsx")
        if options.split_by is None:
            text = f"Writes {path.name}."
        elif options.split_files:
            text = (f"Writes one file per value of “{options.split_by}” beside it: "
                    f"“{path.stem} - <value>{path.suffix}”.")
        else:
            text = f"Writes {path.name} with one sheet per value of “{options.split_by}”."
        if self.form.leave_out_duplicates():
            text += " Duplicates are left out (one lead of each group is kept)."
        self.hint.setText(text + " An existing file of the same name is replaced.")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export leads", self.path, EXPORT_FILTER)
        if path:
            self.path_edit.setText(path)

    def _accept(self) -> None:
        if not self.form.checked_columns():
            show_error(self, "Choose columns", "Tick at least one column to export.")
            return
        try:
            check_target(self.path, self._source)
        except ExportError as exc:
            show_error(self, "Choose another file", str(exc))
            return
        options = self.form.options()
        settings.write(settings.EXPORT_DELIMITER, options.csv.delimiter)
        settings.write(settings.EXPORT_BOM, options.csv.bom)
        settings.write(settings.EXPORT_CRLF, options.csv.line_end == "\r\n")
        settings.write(settings.EXPORT_DECIMAL, options.csv.decimal)
        settings.write(settings.EXPORT_SUMMARY, options.summary)
        self.accept()


class ExportController(QObject):
    """Runs one export at a time in a worker; the engine writes atomically.

    Signals
    -------
    started(str), progress(float), finished(), exported(str): the first path written
    wrote(str, str): what was written, for people ("Wrote 2,421 leads to …/exports/mqls.xlsx"),
        and the first path
    """

    started = Signal(str)
    progress = Signal(float)
    finished = Signal()
    exported = Signal(str)
    wrote = Signal(str, str)

    def __init__(self, parent_widget: QWidget, doc: Document, duplicates=None) -> None:
        """``duplicates`` (optional): a ``DuplicatesController``, or a callable returning the keep
        mask of the current list (None: no duplicates), so the dialog offers "Leave out
        duplicates"."""
        super().__init__(parent_widget)
        self._parent, self._doc, self._duplicates = parent_widget, doc, duplicates
        self._runner = TaskRunner(self)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self.finished)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._count = 0
        self._runner.failed.connect(
            lambda message, details: show_error(self._parent, "Export failed", message, details))

    def export(self) -> None:
        doc = self._doc
        if doc.table is None or doc.result is None:
            return
        source = Path(doc.table.source or "leads")
        folder = settings.read(settings.LAST_DIR) or str(source.parent)
        suggested = str(Path(folder) / f"{source.stem}_mqls.xlsx")
        keep, ticked = self._duplicates_keep()
        count = None if self._duplicates is None else \
            (int(np.count_nonzero(~keep)) if keep is not None else 0)
        dialog = ExportDialog(doc, suggested, self._parent, duplicates=count, leave_out=ticked)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start(dialog.path, dialog.options(),
                   keep=keep if dialog.leave_out_duplicates() else None)

    def _duplicates_keep(self) -> tuple[np.ndarray | None, bool]:
        """The keep mask for the current list (None: no duplicates known) and whether the user
        already asked to leave duplicates out (the Data quality panel's checkbox)."""
        source = self._duplicates
        if source is None:
            return None, False
        if hasattr(source, "duplicates_keep"):
            keep = source.duplicates_keep()
            return keep, keep is not None and source.keep_mask() is not None
        keep = source()
        return keep, keep is not None

    def start(self, path: str, options: ExportOptions, keep: np.ndarray | None = None) -> None:
        """Export in a worker; ``keep`` (bool per lead) leaves out the leads that are False."""
        self.started.emit(f"Exporting to {Path(path).name}…")
        self._count = len(export_rows(self._doc.result, options.which, keep=keep))
        self._runner.start(Task(export_leads, self._doc.table, self._doc.result, path, options,
                                keep=keep))

    def cancel(self) -> None:
        self._runner.cancel()

    def _on_runner_succeeded(self, paths) -> None:
        first = str(paths[0])
        leads = f"{self._count:,} lead{'s' if self._count != 1 else ''}"
        where = (short_path(first) if len(paths) == 1 else
                 f"{len(paths):,} files in {short_path(Path(first).parent, 1)}")
        self.wrote.emit(f"Wrote {leads} to {where}", first)
        self.exported.emit(first)

def _decimal(saved: str, delimiter: str) -> str:
    """The saved decimal mark, if it can go with the saved delimiter (a hand-edited settings
    file must not stop the export dialog from opening)."""
    return saved if saved in (".", ",") and saved != delimiter else "."
