"""Ask which sheet of a workbook holds the leads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from scoring.reading.sheet_reader import biggest_sheet

__all__ = ["SheetDialog"]


class SheetDialog(QDialog):
    """A list of sheets with their sizes; empty sheets are shown but cannot be chosen."""

    def __init__(self, file_name: str, sheets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sheetDialog")
        self.setWindowTitle("Choose a sheet")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{file_name} has several sheets. Which one holds the leads?",
                                wordWrap=True))
        self.sheet_list = QListWidget(objectName="sheetList")
        biggest, chosen = biggest_sheet(list(sheets)), None
        for info in sheets:
            rows = f"{info.rows:,} rows" if info.rows else "empty"
            item = QListWidgetItem(f"{info.name}    ({rows})")
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            if not info.rows:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            elif info.name == biggest:
                chosen = item
            self.sheet_list.addItem(item)
        if chosen is not None:           # the biggest table, not a short "Read me" before it
            self.sheet_list.setCurrentItem(chosen)
        self.sheet_list.itemDoubleClicked.connect(self.accept)
        layout.addWidget(self.sheet_list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def selected_sheet(self) -> str | None:
        item = self.sheet_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @classmethod
    def choose(cls, parent: QWidget | None, file_name: str, sheets) -> str | None:
        dialog = cls(file_name, sheets, parent)
        return dialog.selected_sheet() if dialog.exec() == QDialog.DialogCode.Accepted else None
