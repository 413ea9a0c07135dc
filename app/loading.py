"""Opening lead files from the window: sheet choice, a background load with progress and cancel.

A failed or cancelled load leaves the current document untouched and says why in plain words.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.error_dialog import show_error
from app.sheet_dialog import SheetDialog
from app.tasks import Task, TaskRunner
from scoring.errors import LeadbenchError
from scoring.profiling import profile_table
from scoring.reading import LeadTable, list_sheets
from scoring.reading import load_leads

__all__ = ["LoadController", "load_and_profile", "SPREADSHEET_SUFFIXES", "FILE_FILTER"]

log = logging.getLogger(__name__)

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
FILE_FILTER = ("Lead lists (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.xlsb *.ods);;"
               "CSV and text (*.csv *.tsv *.txt);;Spreadsheets (*.xlsx *.xlsm *.xls *.xlsb *.ods);;"
               "All files (*)")


def load_and_profile(path: str, sheet: str | None, missing_values: tuple[str, ...], *,
                     on_progress=None, is_cancelled=None) -> tuple[LeadTable, list]:
    """Load a lead file and profile its columns (the worker's whole job)."""
    report = on_progress or (lambda _f: None)
    table = load_leads(path, sheet=sheet, missing_values=missing_values,
                       on_progress=lambda f: report(0.9 * f), is_cancelled=is_cancelled)
    profiles = profile_table(table)
    report(1.0)
    return table, profiles


class LoadController(QObject):
    """Runs one load at a time; a new load cancels the previous one.

    Signals
    -------
    started(str): a load of this file began
    progress(float): fraction done
    loaded(object, list): the table and its column profiles
    finished(): the load ended (loaded, failed or cancelled)
    """

    started = Signal(str)
    progress = Signal(float)
    loaded = Signal(object, list)
    finished = Signal()

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._parent = parent_widget
        self._runner = TaskRunner(self)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self.finished)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(self._on_runner_failed)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def open(self, path: str, missing_values: tuple[str, ...] = (), sheet: str | None = None) -> bool:
        """Start loading ``path`` (asking for a sheet when a workbook has several); False if not started."""
        if Path(path).suffix.lower() in SPREADSHEET_SUFFIXES and sheet is None:
            try:
                sheets = list_sheets(path)
            except LeadbenchError as exc:
                show_error(self._parent, "Cannot open the file", str(exc))
                return False
            filled = [s for s in sheets if s.rows > 0]
            if len(filled) > 1:
                sheet = SheetDialog.choose(self._parent, Path(path).name, sheets)
                if sheet is None:
                    return False
        self.started.emit(path)
        self._runner.start(Task(load_and_profile, path, sheet, tuple(missing_values)))
        return True

    def cancel(self) -> None:
        self._runner.cancel()

    def wait(self, msecs: int = 60_000) -> bool:
        return self._runner.wait(msecs)

    def _on_runner_succeeded(self, out) -> None:
        table, profiles = out
        table.load_seconds = self._runner.last.seconds
        self.loaded.emit(table, profiles)

    def _on_runner_failed(self, message: str, details: str) -> None:
        show_error(self._parent, "Cannot open the file", message, details)
