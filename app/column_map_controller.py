"""Running a model made for another list: the column mapping dialog and where the mapping is kept.

When the open model reads columns the list does not have, and the list has columns that could
be them, the window offers the mapping dialog once for that list and model (later through the
"Map columns…" button beside the note on skipped rules). The mapping chosen is stored with the
list (``app.settings.column_map``, keyed by the list's path) and applied by the document when
it scores; the model file is never changed, so it stays portable.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from app import settings
from app.document import Document
from scoring.evaluate.column_map import ColumnProposal, missing_columns, model_columns, propose_mapping
from widgets.column_map_dialog import ColumnMapDialog

__all__ = ["ColumnMapController"]


class ColumnMapController(QObject):
    """Signals
    -------
    dialogOpened(object): the mapping dialog opened (tests answer it)
    """

    dialogOpened = Signal(object)

    def __init__(self, window: QWidget, doc: Document, button: QPushButton) -> None:
        super().__init__(window)
        self._window, self._doc, self._button = window, doc, button
        self._offered: set = set()
        self._dialog: ColumnMapDialog | None = None
        button.clicked.connect(self.open_dialog)
        doc.problemsChanged.connect(lambda _problems: self.refresh())
        doc.columnMapChanged.connect(self.refresh)

    def proposals(self) -> list[ColumnProposal]:
        """The model's columns this list lacks, with the current mapping kept as the choice."""
        doc = self._doc
        if doc.base_table is None:
            return []
        return propose_mapping(doc.model, doc.base_table, keep=doc.column_map)

    def refresh(self) -> None:
        doc = self._doc
        missing = missing_columns(doc.model, doc.base_table) if doc.base_table is not None else []
        unmapped = [m for m in missing if m not in doc.column_map]
        self._button.setVisible(bool(unmapped))
        key = (id(doc.base_table), tuple(model_columns(doc.model)))
        if not unmapped or self._dialog is not None or key in self._offered:
            return
        self._offered.add(key)
        proposals = self.proposals()
        if any(p.proposed for p in proposals if p.model_column in unmapped):
            self.open_dialog()

    def open_dialog(self) -> None:
        """Show the mapping dialog (non-blocking); OK applies and stores the mapping."""
        proposals = self.proposals()
        if not proposals or self._dialog is not None:
            return
        source = self._doc.base_table.source
        name = f"“{Path(source).name}”" if source else "this list"
        dialog = ColumnMapDialog(proposals, name, self._window)
        dialog.finished.connect(lambda code: self._on_dialog_finished(dialog, code))
        self._dialog = dialog
        dialog.open()
        self.dialogOpened.emit(dialog)

    def _on_dialog_finished(self, dialog: ColumnMapDialog, code: int) -> None:
        self._dialog = None
        dialog.deleteLater()
        if code != QDialog.DialogCode.Accepted or self._doc.base_table is None:
            return
        asked = {p.model_column for p in dialog.proposals}
        mapping = {**{k: v for k, v in self._doc.column_map.items() if k not in asked},
                   **dialog.mapping()}                  # other models' columns stay mapped
        settings.set_column_map(self._doc.base_table.source, mapping)
        self._doc.set_column_map(mapping)
