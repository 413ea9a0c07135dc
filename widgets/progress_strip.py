"""A slim progress indicator with a Cancel button, for the status bar."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

__all__ = ["ProgressStrip"]


class ProgressStrip(QWidget):
    """Shows what is running ("Loading Leads.csv…"), how far it is, and a Cancel button.

    Signals
    -------
    cancelRequested(): the user pressed Cancel (or Esc while the strip has focus)
    """

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressStrip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(objectName="progressLabel")
        self.bar = QProgressBar(objectName="progressBar", minimum=0, maximum=1000)
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel", objectName="progressCancel")
        self.cancel_button.clicked.connect(self.cancelRequested)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str, cancellable: bool = True) -> None:
        """Show ``text`` with the bar at zero; ``cancellable=False`` hides Cancel (work that the
        next click supersedes, such as sorting a big list)."""
        self.label.setText(text)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.setVisible(cancellable)
        self.show()

    def set_fraction(self, fraction: float) -> None:
        self.bar.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def finish(self) -> None:
        self.hide()
