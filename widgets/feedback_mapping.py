"""Sales feedback as a form: which columns hold the id, status and reason, and what each status
means (accepted, rejected, converted, won, or left out), with a preview line.

A pure form: the dialog gives it the returned list's columns and, for the chosen status column,
each status with its count and guessed outcome; it hands back the columns and the mapping.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from scoring.handoff.feedback import STATUS_LABELS
from widgets.cell_text import clipped

__all__ = ["FeedbackMappingForm"]


class FeedbackMappingForm(QWidget):
    """Signals
    -------
    columnsChanged(): the id, status or reason column changed (the dialog lists the new statuses)
    mappingChanged(): an outcome was changed
    """

    columnsChanged = Signal()
    mappingChanged = Signal()

    def __init__(self, columns: list[str], guessed: dict[str, str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackMapping")
        self.id_combo = QComboBox(objectName="feedbackIdColumn")
        self.status_combo = QComboBox(objectName="feedbackStatusColumn")
        self.reason_combo = QComboBox(objectName="feedbackReasonColumn")
        self.reason_combo.addItem("(none)", None)
        for combo in (self.id_combo, self.status_combo, self.reason_combo):
            for name in columns:
                combo.addItem(name, name)
        for combo, key in ((self.id_combo, "id"), (self.status_combo, "status"), (self.reason_combo, "reason")):
            if guessed.get(key) is not None:
                combo.setCurrentIndex(combo.findData(guessed[key]))
            combo.currentIndexChanged.connect(lambda _i: self.columnsChanged.emit())
        self.table = QTableWidget(0, 3, objectName="feedbackStatuses")
        self.table.setHorizontalHeaderLabels(["Sales wrote", "Leads", "Means"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.preview = QLabel(objectName="feedbackPreview", wordWrap=True)
        form = QFormLayout()
        form.addRow("Lead id or email:", self.id_combo)
        form.addRow("Status:", self.status_combo)
        form.addRow("Reason:", self.reason_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("What each status means (change any that Leadbench placed wrongly):"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.preview)

    def columns(self) -> tuple[str | None, str | None, str | None]:
        return self.id_combo.currentData(), self.status_combo.currentData(), self.reason_combo.currentData()

    def set_statuses(self, statuses: list[tuple[str, int, str]]) -> None:
        """Each status text with its number of rows and its outcome (a key of ``STATUS_LABELS``)."""
        self.table.setRowCount(len(statuses))
        for row, (text, count, outcome) in enumerate(statuses):
            said = QTableWidgetItem(clipped(text))
            said.setData(Qt.ItemDataRole.UserRole, text)
            number = QTableWidgetItem(f"{count:,}")
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, said)
            self.table.setItem(row, 1, number)
            combo = QComboBox(objectName=f"feedbackOutcome_{row}")
            for key, label in STATUS_LABELS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(combo.findData(outcome))
            combo.currentIndexChanged.connect(lambda _i: self.mappingChanged.emit())
            self.table.setCellWidget(row, 2, combo)

    def mapping(self) -> dict[str, str]:
        """Status text -> outcome ("" leaves the status out)."""
        out = {}
        for row in range(self.table.rowCount()):
            text = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            out[text] = self.table.cellWidget(row, 2).currentData()
        return out

    def set_outcome(self, text: str, outcome: str) -> None:
        """Set the outcome of one status (as the user would with its combo)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == text:
                combo = self.table.cellWidget(row, 2)
                combo.setCurrentIndex(combo.findData(outcome))

    def set_preview(self, text: str) -> None:
        self.preview.setText(text)
