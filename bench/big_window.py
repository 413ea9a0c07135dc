"""The window on the big list (10M leads; 2M with ``--quick``): the longest GUI-thread freeze of
each thing a user does, measured with ``bench.freeze.FreezeMeter``.

Runs in a process of its own (``python -m bench.big_window LEADS``) so that its peak memory is the
window's alone; ``bench.bench_window`` starts it and reads the one ``RESULT {json}`` line it
prints. Steps, in a real ``MainWindow`` (offscreen): open the file and wait until it is scored and
its follow-up work (profiles, data quality, accounts) is done; sort by score and by a text column;
search, clear the search, show MQLs only; scroll to the end and back; edit a rule's points and
wait for the re-score. Every step waits in an event loop, never blocking the GUI thread itself.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app import tasks  # noqa: E402
from app.settings import configure_application  # noqa: E402
from bench.bench_score import MODEL  # noqa: E402
from bench.freeze import FreezeMeter  # noqa: E402

__all__ = ["run_steps", "STEPS", "TEXT_COLUMN", "SEARCH_TEXT"]

#: what each step does, as the summary names it
STEPS = ("open", "sort_score", "sort_text", "search", "clear_search", "mql_filter", "scroll",
         "rule_edit")
TEXT_COLUMN = "email"          # mostly distinct texts: the slowest column to sort
SEARCH_TEXT = "schmidt"
_SETTLE_MS = 400               # idle this long (no task running) before a step counts as done
_TIMEOUT_S = 900


def _pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait_idle(window, until=lambda: True) -> None:
    """Run the event loop until ``until()`` holds and no task of the window ran for _SETTLE_MS."""
    deadline = time.monotonic() + _TIMEOUT_S
    quiet_since = None
    while time.monotonic() < deadline:
        _pause(20)
        if tasks.busy(within=window) or not until():
            quiet_since = None
            continue
        quiet_since = quiet_since or time.monotonic()
        if (time.monotonic() - quiet_since) * 1000 >= _SETTLE_MS:
            return
    raise TimeoutError("the window did not finish within the benchmark's time limit")


def _repaint(window) -> None:
    window.lead_view.table.viewport().repaint()
    QApplication.processEvents()


def _column(window, name: str) -> int:
    model = window.lead_view.model
    return next(c for c in range(model.columnCount())
                if model.headerData(c, Qt.Orientation.Horizontal) == name)


def _open(window, path) -> None:
    scored = []
    started = time.perf_counter()
    window.doc.scored.connect(lambda: scored.append(True))
    window.loader.loaded.connect(lambda _loaded: print(
        f"  (the file was read and scored on the worker after {time.perf_counter() - started:.1f} s)",
        file=sys.stderr, flush=True))
    window.open_file(str(path))
    _wait_idle(window, lambda: bool(scored))
    _repaint(window)


def _sort(window, column: int, order: Qt.SortOrder) -> None:
    view = window.lead_view
    view.table.sortByColumn(column, order)        # what a click on the header does
    _wait_idle(window, lambda: not view.model.busy and view.model.sort_column() == (column, order))
    _repaint(window)


def _search(window, text: str) -> None:
    view = window.lead_view
    view.search.setText(text)
    view.search.returnPressed.emit()
    _wait_idle(window, lambda: not view.model.busy and view.model.search_text() == text)
    _repaint(window)


def _row_filter(window, kind: str) -> None:
    view = window.lead_view
    view.chips[kind].click()
    _wait_idle(window, lambda: not view.model.busy and view.model.row_filter() == kind)
    _repaint(window)


def _scroll(window) -> None:
    bar = window.lead_view.table.verticalScrollBar()
    for value in (bar.maximum(), bar.maximum() // 2, bar.maximum() // 3, 0):
        bar.setValue(value)
        _repaint(window)
        _pause(30)


def _edit_rule(window) -> None:
    doc = window.doc
    model = doc.model
    rule = model.rules[3]
    scored = []
    doc.scored.connect(lambda: scored.append(True))
    doc.edit_model(model.with_rule(3, replace(rule, points=rule.points + 5)))
    _wait_idle(window, lambda: bool(scored) and not window.lead_view.model.busy)
    _repaint(window)


def run_steps(window, path, *, with_stacks: bool = False) -> dict[str, dict]:
    """Every step on ``path`` in ``window``: per step its longest freeze (ms), seconds and the
    rows shown after it; with ``with_stacks`` also the GUI-thread stacks seen while frozen."""
    view = window.lead_view
    actions = {
        "open": lambda: _open(window, path),
        "sort_score": lambda: _sort(window, 0, Qt.SortOrder.AscendingOrder),
        "sort_text": lambda: _sort(window, _column(window, TEXT_COLUMN), Qt.SortOrder.AscendingOrder),
        "search": lambda: _search(window, SEARCH_TEXT),
        "clear_search": lambda: _search(window, ""),
        "mql_filter": lambda: _row_filter(window, "mql"),
        "scroll": lambda: _scroll(window),
        "rule_edit": lambda: (_sort(window, 0, Qt.SortOrder.DescendingOrder), _edit_rule(window)),
    }
    out = {}
    for step in STEPS:
        meter = FreezeMeter(with_stacks=with_stacks)
        started = time.perf_counter()
        with meter:
            actions[step]()
        out[step] = {"freeze_ms": meter.longest_ms, "seconds": time.perf_counter() - started,
                     "rows": view.model.rowCount(), "stacks": meter.worst_stacks()}
        gaps = ", ".join(f"{ms:.0f} ms at {at:.1f} s" for at, ms in meter.long_gaps[:8])
        print(f"  {step:<13} longest freeze {meter.longest_ms:7.1f} ms, {out[step]['seconds']:6.1f} s, "
              f"{out[step]['rows']:,} rows shown" + (f" (freezes over 100 ms: {gaps})" if gaps else ""),
              file=sys.stderr, flush=True)
        if with_stacks:
            for stack, count in meter.worst_stacks():
                print(f"    {count} samples in:\n{stack}", file=sys.stderr, flush=True)
    return out


def main(argv: list[str]) -> None:
    from app.main_window import MainWindow

    configure_application()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.doc.open_model(MODEL, None)
    _wait_idle(window)
    steps = run_steps(window, argv[0], with_stacks="--stacks" in argv)
    window.doc.undo_stack.setClean()
    tasks.cancel_all(window)
    window.close()
    app.processEvents()
    print("RESULT " + json.dumps({step: {k: v for k, v in figures.items() if k != "stacks"}
                                  for step, figures in steps.items()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
