"""Run a pure engine function on the thread pool, with progress, cancel and a result signal.

The function is any ``scoring`` callable that accepts keyword-only ``on_progress`` and
``is_cancelled``. Its signals object is created on the GUI thread, so emits from the worker arrive
queued. The owner keeps the current task; a result from a task that is no longer current is dropped
by the owner (``Task.token`` helps compare).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from scoring.errors import Cancelled, LeadbenchError

__all__ = ["Task", "TaskSignals", "start_task"]

log = logging.getLogger(__name__)
_tokens = itertools.count(1)
_PROGRESS_INTERVAL = 0.05  # seconds: at most ~20 progress signals a second


class TaskSignals(QObject):
    """Signals
    -------
    progress(float): fraction done, 0..1
    succeeded(object): the function's return value
    failed(str, str): a message for the user, and technical details (empty for expected errors)
    cancelled(): the task stopped because it was cancelled
    finished(): always emitted last
    """

    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """A cancellable unit of work; see the module docstring."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps a reference while it cares about the task
        self.signals = TaskSignals()
        self.token = next(_tokens)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._stop = threading.Event()
        self._last_progress = 0.0
        self.seconds = 0.0

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def _report(self, fraction: float) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_progress >= _PROGRESS_INTERVAL:
            self._last_progress = now
            self.signals.progress.emit(float(fraction))

    def run(self) -> None:  # worker thread: never touch a widget here
        started = time.perf_counter()
        try:
            out = self._fn(*self._args, on_progress=self._report, is_cancelled=self._stop.is_set,
                           **self._kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except LeadbenchError as exc:
            self.signals.failed.emit(str(exc), "")
        except MemoryError:
            self.signals.failed.emit("There is not enough memory for this file. Close other programs, "
                                     "or split the list into smaller files.", traceback.format_exc())
        except Exception as exc:  # unexpected: reported with details, never swallowed
            log.exception("task %s failed", getattr(self._fn, "__name__", self._fn))
            self.signals.failed.emit(f"Something went wrong: {exc}", traceback.format_exc())
        else:
            self.seconds = time.perf_counter() - started
            if self._stop.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.succeeded.emit(out)
        finally:
            self.signals.finished.emit()


def start_task(task: Task, pool: QThreadPool | None = None) -> Task:
    (pool or QThreadPool.globalInstance()).start(task)
    return task
