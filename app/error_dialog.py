"""Errors shown to the user: a plain message, never a traceback, with details one click away.

``install_excepthook`` catches any unexpected exception that reaches the Qt event loop, logs it, and
shows it in an ``ErrorDialog`` with a "Copy details" button, so the window stays usable.
"""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app.logs import write_error

__all__ = ["ErrorDialog", "show_error", "install_excepthook", "set_unattended", "unattended"]

_UNATTENDED = "leadbench-unattended"

log = logging.getLogger("leadbench")


class ErrorDialog(QDialog):
    """A message for the user plus optional technical details (hidden until asked for)."""

    def __init__(self, title: str, message: str, details: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.message_label = QLabel(message, objectName="errorMessage", wordWrap=True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        self.details = QPlainTextEdit(details, objectName="errorDetails", readOnly=True)
        self.details.setVisible(False)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        if details:
            toggle = QPushButton("Show details", objectName="showDetailsButton")
            toggle.setCheckable(True)
            toggle.toggled.connect(self.details.setVisible)
            toggle.toggled.connect(lambda on: toggle.setText("Hide details" if on else "Show details"))
            copy = QPushButton("Copy details", objectName="copyDetailsButton")
            copy.clicked.connect(self.copy_details)
            buttons.addButton(toggle, QDialogButtonBox.ButtonRole.ActionRole)
            buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(f"{self.message_label.text()}\n\n{self.details.toPlainText()}")


def set_unattended(app: QApplication) -> None:
    """Nobody is at the window (``gui --screenshot``): errors go to stderr, no dialog waits."""
    app.setProperty(_UNATTENDED, True)


def unattended() -> bool:
    """Whether the window runs unattended (see ``set_unattended``): never open a modal dialog."""
    app = QApplication.instance()
    return bool(app is not None and app.property(_UNATTENDED))


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    """Show ``message`` in an ``ErrorDialog`` (on stderr when the window runs unattended)."""
    if unattended():
        print(f"leadbench: {message}", file=sys.stderr)
        return
    ErrorDialog(title, message, details, parent).exec()


def install_excepthook() -> None:
    """Route uncaught exceptions to the log and an error dialog instead of a crash."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", details)
        where = write_error(exc.with_traceback(tb) if exc is not None else exc_type(), context="window")
        if where:
            details += f"\n(also written to {where})"

        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_error(QApplication.activeWindow(), "Unexpected error",
                   "Something went wrong, but your work is safe. If it happens again, "
                   f"please report it with the details below.\n\n{exc_type.__name__}: {exc}", details)

    sys.excepthook = hook
