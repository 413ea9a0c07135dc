"""Choosing how a column's cells are written (a date order, a pattern), with a live preview.

The dialog knows nothing of dates: it shows the choices it is given (automatic first, a pattern
the user types last), asks for a preview whenever the choice changes, and shows the preview it
is sent: the first cells and what they read as, how many would not read (with examples) and a
note. A number format (decimal and thousands marks) can use it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from widgets.cell_text import clipped
from widgets.theme import colour, set_themed_style

__all__ = ["FormatDialog", "FormatPreview", "AUTOMATIC", "PATTERN"]

AUTOMATIC = ""           # the choice "found from the values"
PATTERN = "\x00pattern"  # the choice "a pattern I type"
_TYPING_MS = 250


@dataclass(frozen=True)
class FormatPreview:
    """How a column reads with one choice.

    rows : the first filled cells and what each reads as (None: it does not read)
    checked : how many filled cells were read; bad : how many of them did not read
    bad_examples : a few cells that did not read
    message : what the reading found ("Read as DD/MM/YYYY HH:mm; times converted to UTC from Z")
    error : why the choice cannot be used (a pattern without a year); accepting is then refused
    partial : only the first ``checked`` filled cells were read (a long column)
    """

    rows: tuple[tuple[str, str | None], ...] = ()
    checked: int = 0
    bad: int = 0
    bad_examples: tuple[str, ...] = ()
    message: str = ""
    error: str = ""
    partial: bool = False


class FormatDialog(QDialog):
    """Pick how a column's cells are written and see the first values read before accepting.

    Parameters
    ----------
    title : the window title ("Read “Created” as dates")
    question : the line above the choices ("How are the dates written?")
    choices : (value, label) pairs offered between "Automatic" and "A pattern I type"
    pattern_help : what can be typed in a pattern, shown under the pattern box
    what : what a read cell is, for the summary ("dates")

    Signals
    -------
    previewRequested(str)
        The choice changed: ``AUTOMATIC`` (""), a choice's value, or the typed pattern. Answer
        with :meth:`set_preview`.
    """

    previewRequested = Signal(str)

    def __init__(self, title: str, question: str, choices, *, pattern_help: str = "",
                 what: str = "values", current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formatDialog")
        self.setWindowTitle(title)
        self._what = what
        self._error = ""
        self.choice_combo = QComboBox(objectName="formatChoice")
        self.choice_combo.addItem("Automatic (found from the values)", AUTOMATIC)
        for value, label in choices:
            self.choice_combo.addItem(label, value)
        self.choice_combo.addItem("A pattern I type…", PATTERN)
        self.pattern_edit = QLineEdit(objectName="formatPattern", placeholderText="e.g. DD.MM.YYYY HH:mm",
                                      clearButtonEnabled=True)
        self.pattern_help = QLabel(pattern_help, objectName="formatPatternHelp", wordWrap=True)
        set_themed_style(self.pattern_help, "color: {muted}; font-size: 11px;")
        self.table = QTableWidget(0, 2, objectName="formatPreviewTable")
        self.table.setHorizontalHeaderLabels(["In the file", "Reads as"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(objectName="formatSummary", wordWrap=True)
        self.message = QLabel(objectName="formatMessage", wordWrap=True)
        set_themed_style(self.message, "color: {muted};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use this format")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        pattern_box = QVBoxLayout()
        pattern_box.setSpacing(2)
        pattern_box.addWidget(self.pattern_edit)
        pattern_box.addWidget(self.pattern_help)
        form = QFormLayout()
        form.addRow(question, self.choice_combo)
        form.addRow("Pattern:", pattern_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("How the first cells read:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 460)

        self._typing = QTimer(self, singleShot=True, interval=_TYPING_MS)
        self._typing.timeout.connect(self._request)
        self.choice_combo.currentIndexChanged.connect(lambda _i: self._on_choice_changed())
        self.pattern_edit.textChanged.connect(lambda _t: self._typing.start())
        self._select(current)

    # -- data in ------------------------------------------------------------------------------
    def set_preview(self, preview: FormatPreview) -> None:
        """Show how the column reads with the current choice."""
        self._error = preview.error
        self.table.setRowCount(len(preview.rows))
        bad_colour = colour("warn")
        for row, (text, read) in enumerate(preview.rows):
            cell = QTableWidgetItem(clipped(text, 200))
            shown = QTableWidgetItem(read if read is not None else f"not {self._singular()}")
            if read is None:
                shown.setForeground(bad_colour)
            self.table.setItem(row, 0, cell)
            self.table.setItem(row, 1, shown)
        self.summary.setText(self._summary_text(preview))
        self.message.setText(preview.message)
        self.message.setVisible(bool(preview.message))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not preview.error)

    def choice(self) -> str | None:
        """The chosen format: None for automatic, else a choice's value or the typed pattern."""
        value = self.choice_combo.currentData()
        if value == PATTERN:
            return self.pattern_edit.text().strip() or None
        return value or None

    # -- inside -------------------------------------------------------------------------------
    def _select(self, current: str | None) -> None:
        index = self.choice_combo.findData(current or AUTOMATIC)
        if index < 0:
            index = self.choice_combo.findData(PATTERN)
            self.pattern_edit.setText(current or "")
        self.choice_combo.setCurrentIndex(index)
        self._on_choice_changed()

    def _on_choice_changed(self) -> None:
        typed = self.choice_combo.currentData() == PATTERN
        self.pattern_edit.setEnabled(typed)
        self.pattern_help.setEnabled(typed)
        if typed:
            self.pattern_edit.setFocus()
        self._request()

    def _request(self) -> None:
        value = self.choice_combo.currentData()
        if value == PATTERN:
            value = self.pattern_edit.text().strip()
            if not value:
                self.set_preview(FormatPreview(error="Type a pattern, e.g. DD.MM.YYYY HH:mm"))
                return
        self.previewRequested.emit(value)

    def _singular(self) -> str:
        return {"dates": "a date", "numbers": "a number"}.get(self._what, "readable")

    def _summary_text(self, p: FormatPreview) -> str:
        if p.error:
            return p.error
        where = f"the first {p.checked:,} filled cells" if p.partial else f"the {p.checked:,} filled cells"
        if not p.checked:
            return "The column has no filled cells."
        if not p.bad:
            return f"All of {where} read as {self._what}."
        shown = ", ".join(f"“{clipped(e, 40)}”" for e in p.bad_examples)
        return (f"{p.bad:,} of {where} would not read as {self._what} and would become empty"
                + (f", e.g. {shown}." if shown else "."))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.pattern_edit.hasFocus():
            self._typing.stop()
            self._request()
            return
        super().keyPressEvent(event)
