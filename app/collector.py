"""Python's cycle collector runs on the GUI thread only.

Left automatic, the collector runs on whichever thread happens to allocate when a threshold is
crossed: often a worker scoring or exporting. If the garbage it finds holds Qt objects (a closed
dialog, a window caught in a reference cycle), their C++ destructors run on that worker, which
takes Qt's lock on signal connections and then waits for Python's lock; the GUI thread, holding
Python's lock, meanwhile waits for Qt's to delete an object of its own. Neither moves again: the
window froze for good (seen in the test suite, with both stacks in gdb).

``install()`` turns the automatic collector off and collects on the GUI thread instead, from a
timer, with the same generation thresholds the automatic collector uses. Every ``TaskRunner`` calls
it before its first worker starts, so no worker ever collects.
"""

from __future__ import annotations

import gc
import threading

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer

__all__ = ["install", "installed", "collect_due", "INTERVAL_MS"]

INTERVAL_MS = 500
_INSTALLED: list["_Collector"] = []


def collect_due() -> int:
    """Collect the oldest generation whose count is over its threshold, as the automatic
    collector would (nothing when none is); the number of objects found unreachable.

    Call on the GUI thread only.
    """
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            return gc.collect(generation)
    return 0


class _Collector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._timer = QTimer(self, interval=INTERVAL_MS)
        self._timer.timeout.connect(collect_due)
        self._timer.start()


def installed() -> bool:
    """Whether the automatic collector is off because this module collects instead."""
    return bool(_INSTALLED) and not gc.isenabled()


def install() -> None:
    """Collect on the GUI thread from now on (once per application; call on the GUI thread)."""
    app = QCoreApplication.instance()
    if app is None or threading.current_thread() is not threading.main_thread():
        return
    if _INSTALLED and shiboken6.isValid(_INSTALLED[0]) and _INSTALLED[0].parent() is app:
        return
    gc.disable()
    _INSTALLED[:] = [_Collector(app)]
