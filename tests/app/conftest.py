"""Application tests: INI settings redirected to a temporary folder, never the user's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.main_window import MainWindow

from app.settings import configure_application


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))     # autosaves stay in the test
    configure_application()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    QSettings().clear()
    yield tmp_path / "settings"
    QSettings().clear()


@pytest.fixture
def window(qtbot):
    """A shown 1280x800 main window with no document; closing it never asks to save."""
    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda w: w.doc.undo_stack.setClean())
    w.resize(1280, 800)
    w.show()
    return w
