"""Answering modal dialogs in window tests (a modal dialog blocks in exec())."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

__all__ = ["when_dialog_opens"]


def when_dialog_opens(callback):
    """Run ``callback(dialog)`` on the next modal dialog."""
    def poll(tries: int = 0) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None and tries < 200:
            QTimer.singleShot(20, lambda: poll(tries + 1))
            return
        callback(dialog)
    QTimer.singleShot(0, poll)
