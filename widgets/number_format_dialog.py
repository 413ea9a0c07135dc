"""Choosing how a column writes its numbers: the decimal and thousands marks, with a preview
of the column's own values read that way.

A pure dialog: it takes the column's name, a few of its cell texts and the format Leadbench
detected, and hands back the marks the user chose (:meth:`NumberFormatDialog.marks`); the app
saves them in the model's column settings. Built as a preview frame (:class:`NumberPreview`)
inside a small dialog, so another per-column format (dates) can share the frame.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from scoring.reading.numbers import (DECIMAL_MARKS, THOUSANDS_MARKS, NumberFormat, currency_text,
                                     format_from_marks, parse_numbers)
from widgets.cell_text import clipped
from widgets.theme import colour, set_themed_style

__all__ = ["NumberFormatDialog", "NumberPreview", "PREVIEW_ROWS"]

#: At most this many of the column's values are previewed.
PREVIEW_ROWS = 12
_NOT_A_NUMBER = "not a number in this format"


class NumberPreview(QWidget):
    """The marks as two combos and the column's values read with them.

    Signals
    -------
    marksChanged(str decimal, str thousands): the user picked other marks
    """

    marksChanged = Signal(str, str)

    def __init__(self, samples: list[str], detected: NumberFormat | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numberPreview")
        self._samples = list(samples[:PREVIEW_ROWS])
        self._detected = detected
        self.decimal_combo = QComboBox(objectName="decimalMark")
        for mark, label in DECIMAL_MARKS.items():
            self.decimal_combo.addItem(label, mark)
        self.thousands_combo = QComboBox(objectName="thousandsMark")
        for mark, label in THOUSANDS_MARKS.items():
            self.thousands_combo.addItem(label, mark)
        self.table = QTableWidget(0, 2, objectName="numberPreviewTable")
        self.table.setHorizontalHeaderLabels(["In the file", "Read as"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(objectName="numberPreviewSummary", wordWrap=True)
        form = QFormLayout()
        form.addRow("Decimal mark:", self.decimal_combo)
        form.addRow("Thousands mark:", self.thousands_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.decimal_combo.activated.connect(self._on_decimal_activated)
        self.thousands_combo.activated.connect(lambda _i: self._on_marks_changed())
        fmt = detected or NumberFormat()
        self.set_marks(fmt.decimal, fmt.thousands)

    def set_marks(self, decimal: str, thousands: str) -> None:
        """Show these marks and the values read with them."""
        self.decimal_combo.setCurrentIndex(max(0, self.decimal_combo.findData(decimal)))
        self.thousands_combo.setCurrentIndex(max(0, self.thousands_combo.findData(thousands)))
        self._refresh()

    def marks(self) -> tuple[str, str]:
        """The chosen (decimal, thousands) marks."""
        return self.decimal_combo.currentData(), self.thousands_combo.currentData()

    def format(self) -> NumberFormat:
        """The chosen marks with the detected currency and percent."""
        decimal, thousands = self.marks()
        return format_from_marks(decimal, thousands, self._detected)

    def _on_decimal_activated(self, _index: int) -> None:
        decimal, thousands = self.marks()
        if thousands == decimal:           # a mark cannot be both: take the other one for thousands
            self.thousands_combo.setCurrentIndex(self.thousands_combo.findData("." if decimal == "," else ","))
        self._on_marks_changed()

    def _on_marks_changed(self) -> None:
        self._refresh()
        self.marksChanged.emit(*self.marks())

    def _refresh(self) -> None:
        decimal, thousands = self.marks()
        valid = thousands != decimal
        self.thousands_combo.setToolTip("" if valid else "The decimal mark cannot also separate thousands")
        fmt = self.format() if valid else None
        values = parse_numbers(pa.array(self._samples, pa.string()), fmt)[0] if fmt else np.full(
            len(self._samples), np.nan)
        self.table.setRowCount(len(self._samples))
        bad = 0
        for row, (text, value) in enumerate(zip(self._samples, values)):
            shown = QTableWidgetItem(clipped(text))
            if np.isnan(value):
                bad += 1
                read = QTableWidgetItem(_NOT_A_NUMBER)
                read.setForeground(colour("warn"))
            else:
                read = QTableWidgetItem(currency_text(value, fmt))
                read.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, shown)
            self.table.setItem(row, 1, read)
        if not valid:
            self.summary.setText("Choose another thousands mark: the decimal mark cannot also separate thousands.")
        elif not self._samples:
            self.summary.setText("This column has no values to preview.")
        elif bad:
            self.summary.setText(f"{bad} of these {len(self._samples)} values are not numbers in this "
                                 "format; such values are treated as missing.")
        else:
            self.summary.setText(f"All {len(self._samples)} values shown are numbers in this format.")


class NumberFormatDialog(QDialog):
    """How one column writes its numbers: marks chosen with a preview, or back to the detected ones.

    After ``exec()`` returns Accepted, :meth:`marks` is the (decimal, thousands) pair to save, or
    None to go back to what Leadbench detects. ``note``: what the column's note says (how a value
    such as "1.200" was read, values that were not numbers).
    """

    def __init__(self, column: str, samples: list[str], detected: NumberFormat | None,
                 set_by_user: tuple[str | None, str | None] | None = None, note: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numberFormatDialog")
        self.setWindowTitle(f"Number format of {column}")
        self._reset = False
        title = QLabel(f"How “{clipped(column, 80)}” writes its numbers", objectName="numberFormatTitle")
        title.setStyleSheet("font-weight: 600;")
        found = QLabel(objectName="numberFormatDetected", wordWrap=True)
        if detected is not None:
            found.setText(f"Leadbench read: {detected.describe()}"
                          + (" (as you set it)" if set_by_user else ""))
        else:
            found.setText("Leadbench did not read this column as numbers.")
        set_themed_style(found, "color: {muted};")
        self.note = QLabel(note[:1].upper() + note[1:] + "." if note else "", objectName="numberFormatNote",
                           wordWrap=True)
        self.note.setVisible(bool(note))
        set_themed_style(self.note, "color: {warn};")
        self.preview = NumberPreview(samples, detected, self)
        if set_by_user is not None:
            base = detected or NumberFormat()
            self.preview.set_marks(set_by_user[0] or base.decimal,
                                   set_by_user[1] if set_by_user[1] is not None else base.thousands)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.detect_button = QPushButton("Detect automatically", objectName="numberFormatDetect")
        self.detect_button.setToolTip("Forget the marks set here and read the column as Leadbench detects it")
        self.detect_button.setEnabled(set_by_user is not None)
        buttons.addButton(self.detect_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.detect_button.clicked.connect(self._on_detect)
        self.preview.marksChanged.connect(self._on_marks_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(found)
        layout.addWidget(self.note)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self._on_marks_changed()
        self.resize(440, 420)

    def marks(self) -> tuple[str, str] | None:
        """The chosen marks, or None when the user asked to detect them again."""
        return None if self._reset else self.preview.marks()

    def _on_marks_changed(self, *_marks) -> None:
        decimal, thousands = self.preview.marks()
        self.ok_button.setEnabled(decimal != thousands)

    def _on_detect(self) -> None:
        self._reset = True
        self.accept()
