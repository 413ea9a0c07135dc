"""Unsaved work survives a crash: autosave, kill the process for real, restore on the next start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

from PySide6.QtWidgets import QMessageBox

from app.autosave import find_recoveries
from app.main_window import MainWindow
from app.paths import data_dir
from tests.conftest import ROOT

CRASHING_SESSION = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication
    from app.settings import configure_application
    configure_application()
    app = QApplication(sys.argv[:1])
    from app.main_window import MainWindow
    window = MainWindow()
    loop = QEventLoop()
    window.doc.scored.connect(loop.quit)
    window.actions.open_sample.trigger()
    loop.exec()
    window.doc.edit_model(window.doc.model.with_threshold(33))   # an unsaved change
    print("edited", flush=True)
    app.exec()                          # the user carries on; the test kills this process
""")

#: The autosave must land well within this many seconds of an edit (it used to wait a minute).
SAVED_WITHIN_S = 12.0


def _crash_after_autosave(env) -> tuple[float, subprocess.CompletedProcess | None]:
    """Run CRASHING_SESSION, wait for its autosave file, kill it with SIGKILL; the seconds the
    autosave took after the edit."""
    session = subprocess.Popen([sys.executable, "-c", CRASHING_SESSION], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = session.stdout.readline()
        assert line.strip() == "edited", session.stderr.read()[-2000:]
        edited = time.monotonic()
        file = data_dir() / f"autosave-{session.pid}.json"
        while not file.exists() and time.monotonic() - edited < SAVED_WITHIN_S:
            time.sleep(0.1)
        waited = time.monotonic() - edited
    finally:
        session.kill()                  # a crash: SIGKILL, no clean shutdown
        session.wait(30)
        session.stdout.close()
        session.stderr.close()
    assert session.returncode == -9
    return waited


def test_a_killed_session_is_offered_back_and_restored(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    waited = _crash_after_autosave(env)
    assert waited < SAVED_WITHIN_S, "no autosave within 12 s of the edit"
    recoveries = find_recoveries(data_dir())
    assert len(recoveries) == 1 and recoveries[0].model.threshold == 33

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.doc.undo_stack.setClean())
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        assert window.offer_recovery()
    assert "closed unexpectedly" in asked[0]
    assert window.doc.model.threshold == 33 and window.doc.table.n_rows == 5000
    assert not window.doc.undo_stack.isClean()          # still unsaved: the user decides
    assert find_recoveries(data_dir()) == []            # offered once


def test_clean_close_leaves_no_autosave(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.doc.edit_model(window.doc.model.with_threshold(12))
    qtbot.waitUntil(window.autosaver.file.exists, timeout=10_000)
    window.doc.undo_stack.setClean()
    assert not window.autosaver.file.exists()
    assert not window.autosaver.pending


def test_a_burst_of_edits_is_written_once_after_the_last(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=lambda w: w.doc.undo_stack.setClean())
    for threshold in (20, 21, 22):
        window.doc.edit_model(window.doc.model.with_threshold(threshold))
        assert window.autosaver.pending and not window.autosaver.file.exists()
    qtbot.waitUntil(window.autosaver.file.exists, timeout=10_000)
    assert json.loads(window.autosaver.file.read_text())["model"]["threshold"] == 22
    window.doc.undo_stack.undo()                  # an undo is a change too
    qtbot.waitUntil(lambda: json.loads(window.autosaver.file.read_text())["model"]["threshold"] == 21,
                    timeout=10_000)
