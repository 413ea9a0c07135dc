"""The first-launch page: what Leadbench does, open a list or try the sample, recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QSize, Qt, Signal
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)
from widgets.theme import set_themed_style

__all__ = ["EmptyState"]


class EmptyState(QWidget):
    """The page shown before any lead list is open.

    It never opens anything itself: the app picks the file and loads it. Dropping files is
    handled by the window; this page only says it can be done.

    Signals
    -------
    openRequested()
        "Open a lead list…" was pressed.
    sampleRequested()
        "Try the sample data" was pressed.
    recentFileActivated(str)
        A recent file was clicked (or chosen with Enter); its full path.
    """

    openRequested = Signal()
    sampleRequested = Signal()
    recentFileActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        title = QLabel("Leadbench", objectName="emptyTitle")
        title.setStyleSheet("font-size: 28px; font-weight: 700;")
        line = QLabel("Find the leads worth handing to sales: load a lead list, score it with rules "
                      "you can read, export the MQLs.", objectName="emptyLine", wordWrap=True)
        set_themed_style(line, "font-size: 15px; color: {heading};")
        self.open_button = QPushButton("Open a lead list…", objectName="emptyOpenButton")
        self.sample_button = QPushButton("Try the sample data", objectName="emptySampleButton")
        for button in (self.open_button, self.sample_button):
            button.setMinimumHeight(44)
            button.setMinimumWidth(210)
            button.setStyleSheet("font-size: 14px;")
        self.open_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        hint = QLabel("or drop a CSV, Excel or Parquet file here · everything stays on this computer",
                      objectName="emptyHint")
        set_themed_style(hint, "color: {muted};")
        self.recent_title = QLabel("Recent files", objectName="emptyRecentTitle")
        self.recent_title.setStyleSheet("font-weight: 600; margin-top: 16px;")
        self.recent = QListWidget(objectName="emptyRecentList")
        self.recent.setCursor(Qt.CursorShape.PointingHandCursor)
        # every recent file on one full row: long folders are shortened in the middle, never
        # scrolled sideways, and the list is as tall as its rows (set from the items' own height)
        self.recent.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.recent.setWordWrap(False)
        self.recent.setUniformItemSizes(True)
        self._last_emit = ("", QElapsedTimer())
        column = QVBoxLayout()
        column.addStretch(1)
        for widget in (title, line):
            column.addWidget(widget)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addWidget(hint)
        column.addWidget(self.recent_title)
        column.addWidget(self.recent)
        column.addStretch(2)
        box = QWidget()
        box.setLayout(column)
        box.setMaximumWidth(640)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 3)
        outer.addStretch(1)
        self.open_button.clicked.connect(self.openRequested)
        self.sample_button.clicked.connect(self.sampleRequested)
        self.recent.itemClicked.connect(self._on_recent_chosen)
        self.recent.itemActivated.connect(self._on_recent_chosen)
        self.set_recent_files([])

    def set_recent_files(self, paths: list[str]) -> None:
        """The recently opened lead lists, newest first (the list hides when there are none)."""
        self.recent.clear()
        row_height = self.recent.fontMetrics().height() + 10
        for path in paths:
            item = QListWidgetItem(f"{Path(path).name}    —    {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            item.setSizeHint(QSize(0, row_height))
            self.recent.addItem(item)
        rows = min(len(paths), 8)
        frame = 2 * self.recent.frameWidth()
        self.recent.setFixedHeight(frame + rows * row_height + 2)
        self.recent.setVisible(bool(paths))
        self.recent_title.setVisible(bool(paths))

    def _on_recent_chosen(self, item: QListWidgetItem) -> None:
        """Emit once per gesture: a double-click (click + activate) must not open the file twice."""
        path = item.data(Qt.ItemDataRole.UserRole)
        last_path, timer = self._last_emit
        if path == last_path and timer.isValid() and timer.elapsed() < QApplication.doubleClickInterval():
            return
        timer.start()
        self._last_emit = (path, timer)
        self.recentFileActivated.emit(path)
