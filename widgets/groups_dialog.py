"""Score groups and their caps: "Fit (capped at 50)", "Engagement (no cap)", and new groups.

A group's cap limits its subtotal: with a fit cap of 50, fit rules worth 70 add 50. The dialog
shows the model's groups (fit and engagement always), lets the user cap each one and add groups,
and returns them; the app makes that one undoable model edit.
"""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from scoring.model.definition import ENGAGEMENT, FIT, Group
from widgets.theme import set_themed_style

__all__ = ["GroupsDialog", "group_title"]


def group_title(name: str) -> str:
    """"buying_intent" -> "Buying intent"."""
    return name.replace("_", " ").capitalize()


def _key(text: str) -> str:
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


class GroupsDialog(QDialog):
    """Edit the caps of the model's score groups and add new groups.

    ``groups()`` gives the result (each group keeps what the file said beyond name and cap).
    """

    def __init__(self, groups: tuple[Group, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsDialog")
        self.setWindowTitle("Score groups")
        self._groups = list(groups)
        names = [g.name for g in self._groups]
        for name in (FIT, ENGAGEMENT):
            if name not in names:
                self._groups.insert(0 if name == FIT else 1, Group(name))
        intro = QLabel("A cap limits what a group adds to the score: with fit capped at 50, fit "
                       "rules worth 70 add 50.", wordWrap=True)
        self.grid = QGridLayout()
        self.grid.addWidget(QLabel("<b>Group</b>"), 0, 0)
        self.grid.addWidget(QLabel("<b>Cap</b>"), 0, 1, 1, 2)
        self.caps: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}
        for group in self._groups:
            self._add_row(group)
        self.new_name = QLineEdit(objectName="newGroupName", placeholderText="New group, e.g. Intent")
        self.add_button = QPushButton("Add group", objectName="addGroupButton")
        self.add_button.setEnabled(False)
        self.message = QLabel(objectName="groupsMessage", wordWrap=True)
        set_themed_style(self.message, "color: {bad};")
        self.message.hide()
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.grid)
        layout.addLayout(adding)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.new_name.textChanged.connect(self._on_name_changed)
        self.new_name.returnPressed.connect(self._on_add_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def _add_row(self, group: Group) -> None:
        row = self.grid.rowCount()
        capped = QCheckBox("capped at", objectName=f"cap_{group.name}")
        capped.setChecked(group.cap is not None)
        value = QDoubleSpinBox(objectName=f"capValue_{group.name}", minimum=0, maximum=100_000, decimals=1)
        value.setValue(group.cap if group.cap is not None else 50.0)
        value.setEnabled(group.cap is not None)
        capped.toggled.connect(value.setEnabled)
        self.grid.addWidget(QLabel(group_title(group.name)), row, 0)
        self.grid.addWidget(capped, row, 1)
        self.grid.addWidget(value, row, 2)
        self.caps[group.name] = (capped, value)

    def _on_name_changed(self, text: str) -> None:
        key = _key(text)
        taken = key in self.caps or key == "gates"
        self.add_button.setEnabled(bool(key) and not taken)
        self.message.setText(f"There is already a group “{group_title(key)}”." if key and taken else "")
        self.message.setVisible(bool(key) and taken)

    def _on_add_clicked(self) -> None:
        key = _key(self.new_name.text())
        if not key or key in self.caps or key == "gates":
            return
        group = Group(key)
        self._groups.append(group)
        self._add_row(group)
        self.new_name.clear()

    def groups(self) -> tuple[Group, ...]:
        """The groups with the caps chosen, in order (fit, engagement, then the others)."""
        out = []
        for group in self._groups:
            capped, value = self.caps[group.name]
            out.append(Group(group.name, float(value.value()) if capped.isChecked() else None, group.extra))
        return tuple(out)

    @classmethod
    def edit(cls, parent: QWidget | None, groups: tuple[Group, ...]) -> tuple[Group, ...] | None:
        """Show the dialog modally; the groups, or None when cancelled."""
        dialog = cls(groups, parent)
        return dialog.groups() if dialog.exec() == QDialog.DialogCode.Accepted else None
