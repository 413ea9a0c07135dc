"""Opening lead files from the window: sheet choice, a background load with progress and cancel.

A failed or cancelled load leaves the current document untouched and says why in plain words.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.document import derive_table, runnable_model
from app.error_dialog import show_error, unattended
from app.sheet_dialog import SheetDialog
from app.tasks import Task, TaskRunner
from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer, ScoreResult
from scoring.model.definition import Model
from scoring.reading import LeadTable, list_sheets, load_leads

__all__ = ["LoadController", "Loaded", "FirstScore", "load_for_window", "SPREADSHEET_SUFFIXES",
           "FILE_FILTER"]

log = logging.getLogger(__name__)

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
FILE_FILTER = ("Lead lists (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.xlsb *.ods *.parquet);;"
               "CSV and text (*.csv *.tsv *.txt);;Spreadsheets (*.xlsx *.xlsm *.xls *.xlsb *.ods);;"
               "Parquet (*.parquet);;All files (*)")


@dataclass
class FirstScore:
    """The first scores of a loaded list, computed on the loading thread for ``model``."""

    model: Model
    table: LeadTable          # the loaded table with the model's column settings applied
    scorer: Scorer
    result: ScoreResult
    problems: list[str]
    seconds: float


@dataclass
class Loaded:
    """What a window load hands to the document."""

    table: LeadTable
    as_of: date | None
    first: FirstScore | None


def load_for_window(path: str, sheet: str | None, model: Model, as_of: date | None, *,
                    on_progress=None, is_cancelled=None) -> Loaded:
    """Load a lead file and score it with ``model`` (the worker's whole job).

    ``as_of`` is the list's own scoring date, used when the model has none.

    Scoring here, on the worker, keeps the first preparation of every rule's column (a few
    hundred milliseconds at a million rows) off the GUI thread; the window shows the list scored.
    """
    report = on_progress or (lambda _f: None)
    table = load_leads(path, sheet=sheet, missing_values=tuple(model.missing_values),
                       on_progress=lambda f: report(0.85 * f), is_cancelled=is_cancelled)
    started = time.perf_counter()
    derived = derive_table(table, model)
    runnable, problems = runnable_model(model, derived)
    scorer = Scorer(derived, as_of=model.as_of or as_of)
    scorer.prepare(runnable)                   # the rules' columns, two at a time
    first = None
    try:
        result = scorer.score(runnable, is_cancelled=is_cancelled)
        first = FirstScore(model, derived, scorer, result, problems, time.perf_counter() - started)
    except LeadbenchError as exc:      # the model cannot score this list: the document says why
        log.info("first score skipped: %s", exc)
    report(1.0)
    return Loaded(table, as_of, first)


class LoadController(QObject):
    """Runs one load at a time; a new load cancels the previous one.

    Signals
    -------
    started(str): a load of this file began
    progress(float): fraction done
    loaded(object): a ``Loaded`` (the table, its as-of date and first scores)
    failed(str): the load failed with this message (also shown to the user)
    finished(): the load ended (loaded, failed or cancelled)
    """

    started = Signal(str)
    progress = Signal(float)
    loaded = Signal(object)
    failed = Signal(str)
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

    def open(self, path: str, model: Model, sheet: str | None = None, as_of: date | None = None) -> bool:
        """Start loading ``path`` and scoring it with ``model`` (asking for a sheet when a workbook
        has several); False if not started."""
        if Path(path).suffix.lower() in SPREADSHEET_SUFFIXES and sheet is None:
            try:
                sheets = list_sheets(path)
            except LeadbenchError as exc:
                show_error(self._parent, "Cannot open the file", str(exc))
                return False
            filled = [s for s in sheets if s.rows > 0]
            if len(filled) > 1 and not unattended():      # unattended: the biggest table
                sheet = SheetDialog.choose(self._parent, Path(path).name, sheets)
                if sheet is None:
                    return False
        self.started.emit(path)
        self._runner.start(Task(load_for_window, path, sheet, model, as_of))
        return True

    def cancel(self) -> None:
        self._runner.cancel()

    def wait(self, msecs: int = 60_000) -> bool:
        return self._runner.wait(msecs)

    def _on_runner_succeeded(self, loaded: Loaded) -> None:
        seconds = self._runner.last.seconds
        loaded.table.load_seconds = seconds - (loaded.first.seconds if loaded.first else 0.0)
        self.loaded.emit(loaded)

    def _on_runner_failed(self, message: str, details: str) -> None:
        self.failed.emit(message)
        if not unattended():
            show_error(self._parent, "Cannot open the file", message, details)
