"""The line that says where a file went: "Wrote 2,421 leads to …/exports/mqls.xlsx" [Open folder]."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from widgets.theme import set_themed_style

__all__ = ["WrittenNote", "short_path"]


def short_path(path: str | Path, parts: int = 2) -> str:
    """The last ``parts`` parts of ``path`` after "…/" ("…/exports/mqls.xlsx"); a short path whole."""
    p = Path(path)
    tail = p.parts[-parts:]
    return str(p) if len(p.parts) <= parts + 1 else "…/" + "/".join(tail)


class WrittenNote(QWidget):
    """After an export or a report: what was written where, with a button to open its folder.
    Hidden until :meth:`show_written`; the ✕ hides it again.

    Signals
    -------
    openFolderRequested(str): open the folder holding this file (the app does; widgets never
        open files)
    """

    openFolderRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("writtenNote")
        self.path = ""
        self.label = QLabel(objectName="writtenLabel")
        set_themed_style(self.label, "color: {good}; font-weight: 600;")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("Open folder", objectName="openFolderButton")
        self.open_button.clicked.connect(lambda: self.openFolderRequested.emit(self.path))
        close = QToolButton(objectName="writtenClose", text="✕", autoRaise=True)
        close.setToolTip("Hide this note")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.open_button)
        layout.addWidget(close)
        self.hide()

    def show_written(self, text: str, path: str) -> None:
        """Show ``text`` (which names the file) for ``path``; its full path is in the tooltip."""
        self.path = str(path)
        self.label.setText(text)
        self.label.setToolTip(str(path))
        self.show()
