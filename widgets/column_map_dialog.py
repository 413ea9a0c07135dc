"""Which list column each of a model's missing columns runs on: proposed, confirmed or changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from scoring.evaluate.column_map import ColumnProposal

__all__ = ["ColumnMapDialog", "UNMAPPED"]

#: The choice that leaves a model column unmapped (its rules stay switched off on this list).
UNMAPPED = "(not on this list)"


class ColumnMapDialog(QDialog):
    """One row per model column the list lacks: the model column, a choice of list columns
    (the candidates best first, then leaving it unmapped) and why the chosen one fits.

    Two model columns cannot take one list column: OK is disabled and the rows are named.
    :meth:`mapping` gives the choices (model column -> list column).
    """

    def __init__(self, proposals: Sequence[ColumnProposal], list_name: str = "this list",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMapDialog")
        self.setWindowTitle("Map the model's columns")
        self._proposals = list(proposals)
        intro = QLabel(objectName="columnMapIntro", wordWrap=True)
        intro.setText(f"The model names {len(self._proposals)} column"
                      f"{'s' if len(self._proposals) != 1 else ''} that {list_name} does not have. "
                      "Choose the column each one is called here; its rules then run on it. The "
                      "choice is kept with this list, not in the model.")
        self.table = QTableWidget(len(self._proposals), 3, objectName="columnMapTable")
        self.table.setHorizontalHeaderLabels(["Model column", "Column in this list", "Why"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.combos: list[QComboBox] = []
        for row, proposal in enumerate(self._proposals):
            name = QTableWidgetItem(proposal.model_column
                                    + (" (tag only)" if proposal.optional else ""))
            self.table.setItem(row, 0, name)
            combo = QComboBox(objectName=f"columnMapChoice{row}")
            for candidate in proposal.candidates:
                combo.addItem(candidate.column, candidate.column)
            combo.addItem(UNMAPPED, None)
            chosen = combo.findData(proposal.proposed) if proposal.proposed else -1
            combo.setCurrentIndex(chosen if chosen >= 0 else combo.count() - 1)
            combo.currentIndexChanged.connect(lambda _i, r=row: self._on_choice_changed(r))
            self.table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
            self.table.setItem(row, 2, QTableWidgetItem())
            self._show_reason(row)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.warning = QLabel(objectName="columnMapWarning", wordWrap=True, visible=False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Run the rules on these columns")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(760, 120 + 34 * min(len(self._proposals), 12))
        self._check()

    @property
    def proposals(self) -> list[ColumnProposal]:
        return list(self._proposals)

    def mapping(self) -> dict[str, str]:
        """The chosen list column of every mapped model column."""
        return {p.model_column: combo.currentData() for p, combo in zip(self._proposals, self.combos)
                if combo.currentData() is not None}

    def choose(self, model_column: str, list_column: str | None) -> None:
        """Pick ``list_column`` (None: leave unmapped) for ``model_column``, as the user would."""
        for proposal, combo in zip(self._proposals, self.combos):
            if proposal.model_column == model_column:
                combo.setCurrentIndex(combo.findData(list_column) if list_column is not None
                                      else combo.count() - 1)

    def _show_reason(self, row: int) -> None:
        proposal, combo = self._proposals[row], self.combos[row]
        column = combo.currentData()
        candidate = next((c for c in proposal.candidates if c.column == column), None)
        if candidate is None:
            text = ("its rules stay switched off on this list" if proposal.candidates
                    else "no column of this list fits its rules")
        else:
            text = ", ".join(candidate.reasons)
        item = self.table.item(row, 2)
        item.setText(text)
        item.setToolTip(text)

    def _on_choice_changed(self, row: int) -> None:
        self._show_reason(row)
        self._check()

    def _check(self) -> None:
        taken = Counter(self.mapping().values())
        twice = [column for column, n in taken.items() if n > 1]
        if twice:
            users = [p.model_column for p, c in zip(self._proposals, self.combos)
                     if c.currentData() == twice[0]]
            self.warning.setText(f"“{twice[0]}” is chosen for {' and '.join(users)}: a list column "
                                 "can stand for one model column only.")
        self.warning.setVisible(bool(twice))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not twice)
