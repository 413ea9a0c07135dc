"""The strip that tells what reading a lead list changed or noticed, under the scoring date.

A load leaves notes the user must hear: rows left out (a report's footer, the header repeated
where lists were joined, a row cut off at the end), lines skipped above the header, the encoding
used, a ".xls" that was really a web page. ``LoadNotesNotice`` shows the first of them, "Show all"
opens the rest in place, and the close button hides the strip until the next list. Column notes
stay in the Columns panel; the strip counts the columns that have one.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from widgets.theme import set_themed_style

__all__ = ["LoadNotesNotice"]

_SHOWN = 2                       # notes shown before "Show all"


class LoadNotesNotice(QFrame):
    """A notice strip with a load's notes; hidden when there are none or the user closed it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loadNotesNotice")
        self.label = QLabel(objectName="loadNotesText", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more_button = QToolButton(objectName="loadNotesMore", text="Show all")
        self.more_button.setCheckable(True)
        self.close_button = QToolButton(objectName="loadNotesClose", text="✕")
        self.close_button.setToolTip("Hide these notes until the next list")
        self.close_button.setAccessibleName("Hide the notes on reading the list")
        buttons = QVBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        buttons.addWidget(self.more_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addLayout(buttons)
        set_themed_style(self, "QFrame#loadNotesNotice {{ background: {notice_bg}; border-radius: 3px; }}"
                               " QLabel {{ color: {notice_fg}; }}")
        self.more_button.toggled.connect(lambda _on: self._show())
        self.close_button.clicked.connect(lambda: self.setVisible(False))
        self._title, self._notes, self._columns = "", [], []
        self.setVisible(False)

    def show_notes(self, file_name: str, notes: list[str], columns: list[str]) -> None:
        """Show the notes of reading ``file_name`` and the names of the ``columns`` with a note
        of their own; nothing to say hides the strip."""
        self._title, self._notes, self._columns = file_name, list(notes), list(columns)
        self.more_button.setChecked(False)
        self._show()
        self.setVisible(bool(self._notes or self._columns))

    def _show(self) -> None:
        lines = self._notes if self.more_button.isChecked() else self._notes[:_SHOWN]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        if self._columns:
            names = ", ".join(f"“{html.escape(c)}”" for c in self._columns[:6])
            more = f" and {len(self._columns) - 6} more" if len(self._columns) > 6 else ""
            items += (f"<li>{len(self._columns)} column{'s' if len(self._columns) > 1 else ''} "
                      f"{'have notes' if len(self._columns) > 1 else 'has a note'} ({names}{more}): "
                      "see the Columns tab.</li>")
        self.label.setText(f"<b>Reading {html.escape(self._title)}</b>"
                           f"<ul style='margin: 0 0 0 -24px'>{items}</ul>")
        self.more_button.setVisible(len(self._notes) > _SHOWN)
        self.more_button.setText("Show fewer" if self.more_button.isChecked() else
                                 f"Show all ({len(self._notes)})")
