"""The Columns panel's "Number format…": show the column's values in a preview dialog and save
the marks the user picks in the model's column settings (one undoable edit)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QWidget

from app.document import Document
from scoring.reading.numbers import preview_texts
from widgets.number_format_dialog import PREVIEW_ROWS, NumberFormatDialog

__all__ = ["NumberFormatIntents", "user_marks"]


def user_marks(model) -> dict[str, tuple]:
    """Column -> (decimal mark, thousands mark) for every column whose marks the user set."""
    return {column: (s.decimal_mark, s.thousands_mark) for column, s in model.columns
            if s.decimal_mark is not None or s.thousands_mark is not None}


class NumberFormatIntents:
    """Opens the number format dialog for a column and turns its answer into a model edit."""

    def __init__(self, parent: QWidget, doc: Document) -> None:
        self._parent, self._doc = parent, doc

    def dialog_for(self, column: str) -> NumberFormatDialog | None:
        """The dialog for ``column`` of the open list (None when no list holds it)."""
        base = self._doc.base_table
        if base is None or column not in base.types:
            return None
        samples = preview_texts(base.cells.column(column), PREVIEW_ROWS)
        detected = base.number_formats.get(column)
        table = self._doc.table or base
        return NumberFormatDialog(column, samples, table.number_formats.get(column) or detected,
                                  user_marks(self._doc.model).get(column), table.notes.get(column, ""),
                                  self._parent)

    def ask(self, column: str) -> None:
        """Ask how ``column`` writes its numbers; save the answer in the model (undoable)."""
        dialog = self.dialog_for(column)
        if dialog is None or dialog.exec() != QDialog.DialogCode.Accepted:
            return
        marks = dialog.marks() or (None, None)
        model = self._doc.model
        current = model.column_settings(column)
        wanted = replace(current, decimal_mark=marks[0], thousands_mark=marks[1])
        if wanted != current:
            self._doc.edit_model(model.with_column_settings(column, wanted))
