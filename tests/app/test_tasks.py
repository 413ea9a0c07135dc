import threading

from app.tasks import Task, start_task
from scoring.errors import Cancelled, LoadError


def _count(n, *, on_progress, is_cancelled):
    for i in range(n):
        if is_cancelled():
            raise Cancelled
        on_progress((i + 1) / n)
    return n * 2


def test_task_reports_progress_and_result(qtbot):
    task = Task(_count, 5)
    seen = []
    task.signals.progress.connect(seen.append)
    with qtbot.waitSignal(task.signals.succeeded) as blocker:
        start_task(task)
    assert blocker.args == [10]
    qtbot.waitUntil(lambda: seen and seen[-1] == 1.0)


def test_task_cancel_emits_cancelled(qtbot):
    gate = threading.Event()

    def slow(*, on_progress, is_cancelled):
        gate.wait(5)
        if is_cancelled():
            raise Cancelled
        return "done"

    task = Task(slow)
    with qtbot.waitSignal(task.signals.cancelled):
        start_task(task)
        task.cancel()
        gate.set()


def test_expected_errors_have_no_details_and_unexpected_ones_do(qtbot):
    def bad_file(*, on_progress, is_cancelled):
        raise LoadError("/x/leads.csv", "the file is empty", "Export it again.")

    def bug(*, on_progress, is_cancelled):
        raise KeyError("oops")

    task = Task(bad_file)
    with qtbot.waitSignal(task.signals.failed) as blocker:
        start_task(task)
    assert blocker.args == ["Cannot open leads.csv: the file is empty. Export it again.", ""]

    task = Task(bug)
    with qtbot.waitSignal(task.signals.failed) as blocker:
        start_task(task)
    message, details = blocker.args
    assert "Something went wrong" in message and "KeyError" in details
