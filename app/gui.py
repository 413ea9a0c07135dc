"""Start the window: ``leadbench gui [FILE] [--model M] [--screenshot PNG]``."""

from __future__ import annotations

import logging
import locale
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

import resources
from app import settings, tasks
from app.appearance import Appearance
from app.error_dialog import install_excepthook, set_unattended
from app.main_window import MainWindow

__all__ = ["run_gui"]

log = logging.getLogger(__name__)


def _has_display() -> bool:
    """Whether Qt can open a window here (a platform plugin was chosen, or a display exists)."""
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(file: str | None = None, model: str | None = None, screenshot: str | None = None,
            size: tuple[int, int] = (1280, 800), theme: str | None = None) -> int:
    """Open the window (and optionally a lead list and a model); returns the exit status.

    With ``screenshot``, loads and scores, renders the window to that PNG and exits (status 0 on
    success, 2 when the file or model could not be opened). ``theme`` ("system", "light" or
    "dark") overrides the colours chosen in View > Appearance for this run.
    """
    settings.configure_application()
    if not _has_display() and not screenshot:
        print("leadbench: no display found to open the window on. Run it on a desktop session, or "
              "use 'leadbench score' and 'leadbench profile' in a terminal.", file=sys.stderr)
        return 2
    if screenshot and not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Qt adopts the system locale; dates in lead files carry English month names and AM/PM
    # whatever the desktop's language, and strptime reads those only in the C locale
    locale.setlocale(locale.LC_TIME, "C")
    QGuiApplication.setApplicationDisplayName("Leadbench")
    QGuiApplication.setDesktopFileName("leadbench")
    app.setWindowIcon(QIcon(str(resources.ICONS_DIR / "leadbench.svg")))
    install_excepthook()
    if screenshot:
        set_unattended(app)
    Appearance.of(app).set_scheme(theme or settings.read(settings.COLOR_SCHEME))
    window = MainWindow()
    window.actions.schemes()[Appearance.of(app).scheme].setChecked(True)
    window.resize(QSize(*size))
    if not screenshot:
        window.restore_geometry()
        if window.offer_recovery():
            file = model = None          # the restored work replaces what was asked for
    if model and not window.model_files.open(model):
        if screenshot:
            return 2
    window.show()
    if file:
        if not window.open_file(file):
            if screenshot:
                return 2
    if screenshot:
        return _screenshot(app, window, screenshot, bool(file))
    return app.exec()


def _screenshot(app: QApplication, window, path: str, wait_for_scores: bool) -> int:
    """Render the window to ``path`` once the list is scored; 2 when the list did not load."""
    status = {"code": 1}

    def grab() -> None:
        tasks.wait_all(within=window)
        app.processEvents()
        if wait_for_scores and window.doc.table is None:
            status["code"] = 2
            if "failed" not in status:
                print("leadbench: the lead list did not load; no screenshot written", file=sys.stderr)
            app.quit()
            return
        ok = window.grab().save(path)
        status["code"] = 0 if ok else 2
        if not ok:
            print(f"leadbench: cannot write the screenshot {path}", file=sys.stderr)
        app.quit()

    def on_scored() -> None:
        window.doc.scored.disconnect(on_scored)
        QTimer.singleShot(200, grab)

    def on_failed(message: str) -> None:     # before the error dialog opens: say it here instead
        status["failed"] = message
        print(f"leadbench: {message}", file=sys.stderr)
        status["code"] = 2
        app.quit()

    if wait_for_scores:
        window.doc.scored.connect(on_scored)
        window.loader.failed.connect(on_failed)
        window.loader.finished.connect(lambda: window.loader.busy or window.doc.result is not None
                                       or QTimer.singleShot(500, grab))
    else:
        QTimer.singleShot(200, grab)
    QTimer.singleShot(120_000, app.quit)   # never hang a script
    app.exec()
    if "failed" in status:
        return 2
    if status["code"] == 0:
        print(f"Screenshot written to {Path(path).resolve()}")
    return status["code"]
