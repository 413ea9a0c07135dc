"""The lead table's sorts, filters and searches of big lists, on a worker.

``TableRows`` is the ``widgets.lead_table_model.RowsWorker`` the window gives its lead table: one
``TaskRunner`` (``app.tasks``), so a newer sort, filter or search cancels the pending one and only
the newest result reaches the table. It says what runs through ``started``/``progress``/
``finished`` (the window's progress strip shows it, without a Cancel button: the view already
shows the previous rows, and the next click supersedes).
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from app.tasks import Task, TaskRunner

__all__ = ["TableRows"]

log = logging.getLogger(__name__)


class TableRows(QObject):
    """Signals
    -------
    started(str): a row computation began ("Sorting 10,000,000 leads…")
    progress(float): fraction done
    finished(): it ended (done, failed or superseded)
    failed(str): it failed, with this message for the user
    """

    started = Signal(str)
    progress = Signal(float)
    finished = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = TaskRunner(self)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self.finished)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(self._on_runner_failed)
        self._done: Callable[[Any], None] | None = None

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def run(self, job: Callable[..., Any], done: Callable[[Any], None], text: str) -> None:
        """Run ``job`` on the worker, then ``done(result)`` here (``done(None)`` if it failed);
        a pending job is cancelled and its ``done`` never called."""
        self._done = done
        self._runner.start(Task(job))       # cancels the pending one (its "finished" comes first)
        self.started.emit(text)

    def wait(self, msecs: int = 30_000) -> bool:
        return self._runner.wait(msecs)

    def _on_runner_succeeded(self, result: Any) -> None:
        done, self._done = self._done, None
        if done is not None:
            done(result)

    def _on_runner_failed(self, message: str, _details: str) -> None:
        log.warning("sorting or filtering the lead table failed: %s", message)
        done, self._done = self._done, None
        if done is not None:
            done(None)
        self.failed.emit(message)
