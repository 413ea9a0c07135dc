"""Fixtures for the hostile-input suite: the command line run in-process, peak memory measured in
a fresh interpreter, and the real window with its error dialogs captured instead of shown.

The files themselves come from ``tests/hostile/generators.py`` (made in each test's folder) and
``../shared/data``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hostile import generators as g


@pytest.fixture
def cli(capsys):
    """``run(*args) -> (exit code, stdout, stderr lines)`` of ``leadbench``; never a traceback."""
    from app.cli.main import main

    def run(*args) -> tuple[int, str, list[str]]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "Traceback" not in out
        return code, out, err.strip().splitlines()
    return run


@pytest.fixture
def plain_model(tmp_path) -> Path:
    """A model with no rules (it fits any list)."""
    return g.write_model(tmp_path, "plain.json", g.model_dict([]))


_PEAK = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from scoring.errors import LoadError
from scoring.reading import load_leads
started = time.perf_counter()
try:
    table = load_leads(sys.argv[1])
    outcome = f"loaded {{table.n_rows}} x {{table.frame.shape[1]}}"
except LoadError as exc:
    outcome = str(exc)
print(json.dumps({{"outcome": outcome, "seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


@pytest.fixture(scope="session")
def peak_memory():
    """``measure(path) -> dict(outcome, seconds, peak_mb, baseline_mb)``: load_leads in a fresh
    interpreter; ``baseline_mb`` is the same interpreter's peak loading a three-line file."""
    script = textwrap.dedent(_PEAK.format(root=str(ROOT)))
    cache: dict = {}

    def run(path: Path) -> dict:
        done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    def measure(path: Path) -> dict:
        if "baseline" not in cache:
            small = Path(path).parent / "baseline.csv"
            small.write_text("name,email\nAnn,a@x.co\n", encoding="utf-8")
            cache["baseline"] = run(small)["peak_mb"]
        return {**run(path), "baseline_mb": cache["baseline"]}
    return measure


# -- the window ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def _one_window(qapp, tmp_path_factory):
    """One real MainWindow for a test module (a window per case would pile up: every window's
    themed widgets filter every event of the application). Settings and autosaves live in a
    temporary folder; errors it would show are recorded instead of opening modal dialogs, and
    any QMessageBox answers at once, so nothing can block."""
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtWidgets import QMessageBox

    import app.loading
    import app.model_io
    from app.main_window import MainWindow
    from app.settings import configure_application

    folder = tmp_path_factory.mktemp("window")
    shown: list[tuple[str, str]] = []

    def capture(_parent, title, message, details=""):
        shown.append((title, message))

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder / "data"))
        configure_application()
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder / "settings"))
        QSettings().clear()
        patch.setattr(app.loading, "show_error", capture)
        patch.setattr(app.model_io, "show_error", capture)
        for name in ("critical", "warning", "information"):
            patch.setattr(QMessageBox, name, lambda *a, _n=name, **k: shown.append((_n, a[2]))
                          or QMessageBox.StandardButton.Ok)
        patch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
        window = MainWindow()
        window.resize(1100, 700)
        window.show()
        yield window, shown
        window.loader.cancel()
        window.loader.wait(30_000)
        window.doc.undo_stack.setClean()
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QSettings().clear()


@pytest.fixture
def window(_one_window, qtbot):
    """The module's window, idle, with no errors recorded yet."""
    window, shown = _one_window
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=30_000)
    shown.clear()
    return window


@pytest.fixture
def shown_errors(_one_window) -> list[tuple[str, str]]:
    """(title, message) of every error the window showed during the test."""
    return _one_window[1]
