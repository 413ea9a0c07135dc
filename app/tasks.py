"""Run engine functions on a worker thread, with progress, cancel and results on the GUI thread.

A ``Task`` wraps any ``scoring`` callable that accepts keyword-only ``on_progress`` and
``is_cancelled``. The worker never emits Python objects across threads (PySide has had
reference-count races there): it stores its outcome on the task and emits one argument-less
``done`` signal. A ``TaskRunner`` living on the GUI thread runs one task at a time, polls progress
with a timer, and re-emits everything as ordinary GUI-thread signals. Starting a new task cancels
the current one; results of tasks that are no longer current are dropped.

Follow-up work that the user is not waiting for (column profiles, duplicate search) starts with
``start(task, after_ms=FOLLOW_UP_MS)``: the window first paints what was asked for, without
sharing the interpreter with a worker. Such runners share one worker thread
(``follow_up_pool()``), so follow-up work runs one task at a time: on two cores the window keeps a
core beside the work the user is waiting for, instead of three busy workers starving the GUI
thread. ``wait_all`` and ``cancel_all`` reach every live runner (closing the window, the
screenshot path and benchmarks use them).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import weakref
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from app import collector
from app.logs import write_error
from scoring.errors import Cancelled, LeadbenchError

__all__ = ["Task", "TaskRunner", "FOLLOW_UP_MS", "wait_all", "cancel_all", "busy", "follow_up_pool"]

log = logging.getLogger(__name__)
_POLL_MS = 50   # progress is shown at most 20 times a second
FOLLOW_UP_MS = 150  # follow-up work waits until the window has painted the new state
_RUNNERS: "weakref.WeakSet[TaskRunner]" = weakref.WeakSet()
_FOLLOW_UP_POOL: list[QThreadPool] = []


def follow_up_pool() -> QThreadPool:
    """The one worker thread that runs follow-up work (profiles, data quality, accounts)."""
    if not _FOLLOW_UP_POOL or not shiboken6.isValid(_FOLLOW_UP_POOL[0]):
        pool = QThreadPool(QCoreApplication.instance())      # lives as long as the application
        pool.setMaxThreadCount(1)
        # one thread for the application's life: it never expires
        pool.setExpiryTimeout(-1)
        _FOLLOW_UP_POOL[:] = [pool]
    return _FOLLOW_UP_POOL[0]


def _runners(within: QObject | None) -> list["TaskRunner"]:
    """The live runners, or those that ``within`` owns (directly or through its children)."""
    found = []
    for runner in list(_RUNNERS):
        if not shiboken6.isValid(runner):          # its window was deleted
            _RUNNERS.discard(runner)
            continue
        owner = runner.parent()
        while within is not None and owner is not None and owner is not within:
            owner = owner.parent()
        if within is None or owner is within:
            found.append(runner)
    return found


def wait_all(msecs: int = 30_000, within: QObject | None = None) -> bool:
    """Block until the tasks of every runner (of ``within``) are done; held-back ones start now."""
    deadline = time.monotonic() + msecs / 1000
    ok = True
    for runner in _runners(within):
        left = max(0, int((deadline - time.monotonic()) * 1000))
        ok = runner.wait(left) and ok
    return ok


def busy(within: QObject | None = None) -> bool:
    """Whether any runner (of ``within``) has a task running or held back."""
    return any(runner.busy for runner in _runners(within))


def cancel_all(within: QObject | None = None) -> None:
    """Cancel the current task of every runner (of ``within``); late results are dropped."""
    for runner in _runners(within):
        runner.cancel()


class _Done(QObject):
    done = Signal()


class Task(QRunnable):
    """A cancellable call of ``fn(*args, on_progress=..., is_cancelled=..., **kwargs)``.

    After it ran, ``outcome`` is "succeeded" (``result`` holds the value), "failed" (``message``
    for the user, ``details`` for a bug report; empty for expected errors) or "cancelled".
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Done()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._stop = threading.Event()
        self.progress = 0.0
        self.outcome: str | None = None
        self.result: Any = None
        self.message = ""
        self.details = ""
        self.seconds = 0.0

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def _report(self, fraction: float) -> None:
        self.progress = float(fraction)

    def run(self) -> None:  # worker thread: never touch a widget or emit Python objects here
        started = time.perf_counter()
        try:
            self.result = self._fn(*self._args, on_progress=self._report,
                                   is_cancelled=self._stop.is_set, **self._kwargs)
            self.outcome = "cancelled" if self._stop.is_set() else "succeeded"
        except Cancelled:
            self.outcome = "cancelled"
        except LeadbenchError as exc:
            self.outcome, self.message = "failed", str(exc)
        except MemoryError:
            self.outcome = "failed"
            self.message = ("There is not enough memory for this. Close other programs, or split the "
                            "list into smaller files.")
        except Exception as exc:  # unexpected: reported with details, never swallowed
            name = getattr(self._fn, "__name__", self._fn)
            log.exception("task %s failed", name)
            where = write_error(exc, context=f"task {name}")
            self.outcome = "failed"
            self.message = f"Something went wrong: {exc}"
            self.details = traceback.format_exc() + (f"\n(also written to {where})" if where else "")
        self.seconds = time.perf_counter() - started
        self.signals.done.emit()

    def release(self) -> None:
        """Let go of the function, its arguments and its result (on the GUI thread, once handled).

        A pool keeps every task it ran until the pool itself goes (so that no task is destroyed
        on a worker thread); without this, each one kept its list and its scores alive too.
        """
        self._fn = self._args = self._kwargs = self.result = None

    def run_here(self) -> None:
        """Run synchronously on the calling thread (for work shorter than a frame)."""
        self.run()


class TaskRunner(QObject):
    """Runs one task at a time on its own pool; everything it emits is on the GUI thread.

    Signals
    -------
    progress(float): fraction done of the current task
    succeeded(object): the current task's result
    failed(str, str): a message for the user and technical details
    cancelled(): the current task stopped because it was cancelled
    finished(): the current task ended, whatever the outcome (emitted before the above)
    """

    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None, threads: int = 1,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        collector.install()                  # no worker may run Python's cycle collector
        if pool is None:                     # a pool of its own (``pool``: shared, e.g. follow-up work)
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
        self._pool = pool
        self._task: Task | None = None
        self._timer = QTimer(self, interval=_POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._deferred = QTimer(self, singleShot=True)
        self._deferred.timeout.connect(self.start_deferred)
        self._held: Task | None = None        # started with after_ms, not yet on the pool
        self.last: Task | None = None
        _RUNNERS.add(self)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, task: Task, after_ms: int = 0) -> Task:
        """Run ``task`` (cancelling the current one); ``after_ms`` delays the start on the GUI
        thread (the runner is busy meanwhile, and a cancel drops it before it ran)."""
        self.cancel()
        self._task = task
        task.signals.done.connect(self._on_task_done)
        self._timer.start()
        if after_ms > 0:
            self._held = task
            self._deferred.start(after_ms)
        else:
            self._pool.start(task)
        return task

    @Slot()
    def start_deferred(self) -> None:
        """Start a task held back by ``after_ms`` now (nothing if none is waiting)."""
        task, self._held = self._held, None
        self._deferred.stop()
        if task is not None:
            self._pool.start(task)

    def cancel(self) -> None:
        """Stop the current task (its late result is dropped)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            task.signals.done.disconnect(self._on_task_done)
            if task is self._held:              # never ran
                task.release()
            else:                               # let go of it once its worker is done with it
                task.signals.done.connect(task.release)
            self._timer.stop()
            self._deferred.stop()
            self._held = None
            self.finished.emit()
            self.cancelled.emit()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the current task ran (a held-back one starts now)."""
        self.start_deferred()
        return self._pool.waitForDone(msecs)

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self._task is not None:
            self.progress.emit(self._task.progress)

    @Slot()
    def _on_task_done(self) -> None:
        task = self._task
        if task is None or task.outcome is None:   # a cancelled task's late signal, or not done
            return
        self._task = None
        self._timer.stop()
        self.last = task
        self.finished.emit()
        if task.outcome == "succeeded":
            self.succeeded.emit(task.result)
        elif task.outcome == "failed":
            self.failed.emit(task.message, task.details)
        else:
            self.cancelled.emit()
        task.release()
