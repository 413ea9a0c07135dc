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


def test_a_held_back_task_starts_after_the_delay_and_a_cancel_drops_it(qtbot):
    started = []

    def note(*, on_progress, is_cancelled):
        started.append(True)
        return "ran"

    runner = TaskRunner()
    runner.start(Task(note), after_ms=200)
    assert runner.busy and not started                      # held on the GUI thread
    runner.cancel()
    qtbot.wait(300)
    assert not started and not runner.busy
    with qtbot.waitSignal(runner.succeeded, timeout=2000) as blocker:
        runner.start(Task(note), after_ms=50)
    assert blocker.args == ["ran"] and started == [True]


def test_wait_all_starts_held_back_work_and_reaches_only_the_owner_s_runners(qtbot):
    from PySide6.QtCore import QObject

    from app.tasks import cancel_all, wait_all

    window, other = QObject(), QObject()
    mine, theirs = TaskRunner(QObject(window)), TaskRunner(other)   # owned through a child too
    gate = threading.Event()

    def blocked(*, on_progress, is_cancelled):
        gate.wait(5)
        return "theirs"

    mine.start(Task(_count, 2), after_ms=60_000)
    theirs.start(Task(blocked))
    assert wait_all(5000, within=window)        # did not start or wait for the other's task
    assert mine.last is None and mine.busy      # ran, its result is delivered by the event loop
    with qtbot.waitSignal(mine.succeeded) as blocker:
        pass
    assert blocker.args == [4]
    cancel_all(within=window)
    assert theirs.busy
    cancel_all(within=other)
    assert not theirs.busy
    gate.set()
    assert wait_all(5000)


def _make_cycles(n, *, on_progress, is_cancelled):
    for _ in range(n):
        a, b = [], []
        a.append(b)
        b.append(a)             # garbage only the cycle collector can free
    return n


def test_the_cycle_collector_never_runs_on_a_worker(qtbot):
    # a collection on a worker destroys Qt objects caught in cycles there, and froze the window
    import gc

    threads = []

    def note(phase, info):
        if phase == "start":
            threads.append(threading.current_thread().name)

    runner = TaskRunner()
    gc.callbacks.append(note)
    try:
        with qtbot.waitSignal(runner.succeeded, timeout=20_000):
            runner.start(Task(_make_cycles, 200_000))     # crosses the first threshold hundreds of times
        assert threads == [] or set(threads) == {threading.main_thread().name}
        qtbot.waitUntil(lambda: len(threads) > 0, timeout=5_000)     # collected, on the GUI thread
    finally:
        gc.callbacks.remove(note)
    assert set(threads) == {threading.main_thread().name}
    assert not gc.isenabled()


class _Big:
    """A result that can be watched with a weak reference."""


def test_a_delivered_or_cancelled_result_is_not_kept(qtbot):
    # the pool keeps every task it ran; a task kept its list and scores alive with it
    import gc
    import weakref

    gate = threading.Event()

    def make(wait, *, on_progress, is_cancelled):
        if wait:
            gate.wait(5)
        return _Big()

    runner = TaskRunner()
    got = []
    runner.succeeded.connect(lambda big: got.append(weakref.ref(big)))
    with qtbot.waitSignal(runner.succeeded):
        runner.start(Task(make, False))
    slow = runner.start(Task(make, True))
    runner.cancel()                     # still running: its result comes later, to nobody
    gate.set()
    qtbot.waitUntil(lambda: slow.outcome is not None and slow.result is None, timeout=5_000)
    gc.collect()
    assert got[0]() is None
