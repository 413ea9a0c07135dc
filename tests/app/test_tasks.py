import threading

from app.tasks import Task, TaskRunner
from scoring.errors import Cancelled, LoadError


def _count(n, *, on_progress, is_cancelled):
    for i in range(n):
        if is_cancelled():
            raise Cancelled
        on_progress((i + 1) / n)
    return n * 2


def test_runner_reports_result_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    with qtbot.waitSignal(runner.succeeded) as blocker:
        runner.start(Task(_count, 5))
    assert blocker.args == [10]
    assert runner.last.progress == 1.0 and not runner.busy


def test_cancel_drops_the_late_result(qtbot):
    gate = threading.Event()

    def slow(*, on_progress, is_cancelled):
        gate.wait(5)
        return "late"

    runner = TaskRunner()
    results = []
    runner.succeeded.connect(results.append)
    with qtbot.waitSignal(runner.cancelled):
        runner.start(Task(slow))
        runner.cancel()
    gate.set()
    with qtbot.waitSignal(runner.succeeded):
        runner.start(Task(_count, 1))
    assert results == [2]


def test_expected_errors_have_no_details_and_unexpected_ones_do(qtbot):
    def bad_file(*, on_progress, is_cancelled):
        raise LoadError("/x/leads.csv", "the file is empty", "Export it again.")

    def bug(*, on_progress, is_cancelled):
        raise KeyError("oops")

    runner = TaskRunner()
    with qtbot.waitSignal(runner.failed) as blocker:
        runner.start(Task(bad_file))
    assert blocker.args == ["Cannot open leads.csv: the file is empty. Export it again.", ""]
    with qtbot.waitSignal(runner.failed) as blocker:
        runner.start(Task(bug))
    message, details = blocker.args
    assert "Something went wrong" in message and "KeyError" in details


def test_run_here_is_synchronous():
    task = Task(_count, 3)
    task.run_here()
    assert task.outcome == "succeeded" and task.result == 6
