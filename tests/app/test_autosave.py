"""Unsaved work survives a crash: autosave, kill the process for real, restore on the next start."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtWidgets import QMessageBox

from app.autosave import find_recoveries
from app.main_window import MainWindow
from app.paths import data_dir
from tests.conftest import ROOT

CRASHING_SESSION = textwrap.dedent("""
    import os, signal, sys
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
    window.autosaver.save_now()                                   # the one-minute timer fired
    print("autosaved", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)                          # a crash: no clean shutdown
""")


def test_a_killed_session_is_offered_back_and_restored(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", CRASHING_SESSION], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == -9 and "autosaved" in run.stdout, run.stderr[-2000:]
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
    window.autosaver.save_now()
    assert window.autosaver.file.exists()
    window.doc.undo_stack.setClean()
    assert not window.autosaver.file.exists()
