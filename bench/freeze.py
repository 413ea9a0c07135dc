"""How long the GUI thread stays unresponsive while an action runs: the freeze meter.

A ``FreezeMeter`` is a context manager. A precise ``QTimer`` ticks every ``TICK_MS`` on the GUI
thread while the block runs (and the block waits in an event loop for the action to finish); the
longest gap between two ticks is the longest time a user's click or repaint would have waited.
Work done synchronously inside the block counts too: leaving the block closes the last gap.

``with_stacks=True`` adds a watchdog thread that, while the GUI thread has not ticked for
``STALL_MS``, records where it is (its Python stack), so a freeze can be traced to its cause
without guessing. Stacks are a diagnostic; the figure is ``longest_ms``.

    with FreezeMeter() as meter:
        window.lead_view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        wait_until_sorted()
    print(meter.longest_ms)
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections import Counter

from PySide6.QtCore import QObject, Qt, QTimer

__all__ = ["FreezeMeter", "TICK_MS", "STALL_MS"]

TICK_MS = 10     # the timer's interval: gaps are measured to about this resolution
STALL_MS = 100   # with stacks: the GUI thread is sampled once it has not ticked for this long
_OWN_CODE = f'File "{os.path.dirname(os.path.abspath(__file__))}{os.sep}'   # the benchmarks' frames


class FreezeMeter(QObject):
    """The longest gap between GUI-thread timer ticks while the ``with`` block runs.

    Attributes
    ----------
    longest_ms : the longest gap, in milliseconds (0 before the block ran)
    ticks : how many times the timer fired
    long_gaps : ``(seconds into the block when the gap ended, gap in ms)`` of every gap of at
        least ``STALL_MS``, in order
    stalls : with stacks, ``Counter`` of GUI-thread stacks (innermost frames last) seen during
        stalls, one count per sample (``STALL_MS // 2`` apart)
    """

    def __init__(self, parent: QObject | None = None, *, with_stacks: bool = False) -> None:
        super().__init__(parent)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest_ms = 0.0
        self.ticks = 0
        self.long_gaps: list[tuple[float, float]] = []
        self._entered = 0.0
        self.stalls: Counter[str] = Counter()
        self._with_stacks = with_stacks
        self._watchdog: threading.Thread | None = None
        self._stop = threading.Event()
        self._gui_thread = threading.get_ident()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self.longest_ms = max(self.longest_ms, gap)
        if gap >= STALL_MS:
            self.long_gaps.append((now - self._entered, gap))
        self._last = now
        self.ticks += 1

    def __enter__(self) -> "FreezeMeter":
        self.longest_ms, self.ticks = 0.0, 0
        self.long_gaps = []
        self.stalls.clear()
        self._gui_thread = threading.get_ident()
        self._last = self._entered = time.perf_counter()
        self._timer.start()
        if self._with_stacks:
            self._stop.clear()
            self._watchdog = threading.Thread(target=self._watch, name="freeze-watchdog", daemon=True)
            self._watchdog.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._tick()                   # work done in the block itself is a gap too
        self._timer.stop()
        if self._watchdog is not None:
            self._stop.set()
            self._watchdog.join()
            self._watchdog = None

    def _watch(self) -> None:
        while not self._stop.wait(STALL_MS / 2000):
            if (time.perf_counter() - self._last) * 1000 < STALL_MS:
                continue
            frames = sys._current_frames()
            frame = frames.get(self._gui_thread)
            if frame is None:
                continue
            stack = _stack(frame)
            if not stack:      # waiting in the event loop: Qt's own work, or a worker held the GIL
                others = [_stack(f) for ident, f in frames.items()
                          if ident not in (self._gui_thread, threading.get_ident())]
                stack = "(GUI thread in the event loop; other threads:)\n" + "\n".join(s for s in others if s)
            self.stalls[stack] += 1

    def worst_stacks(self, n: int = 3) -> list[tuple[str, int]]:
        """The ``n`` GUI-thread stacks sampled most often during stalls, with their counts."""
        return self.stalls.most_common(n)


def _stack(frame) -> str:
    """The innermost frames of ``frame``'s stack outside the benchmark's own code, outermost first."""
    lines = [line for line in traceback.format_stack(frame)
             if _OWN_CODE not in line and "<frozen" not in line]
    return "".join(lines[-10:])
