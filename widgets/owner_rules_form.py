"""Who gets the leads of a hand-off, as a form: reps for round robin, territories, a cap per rep.

A pure form: :meth:`OwnerRulesForm.set_rules` shows a model's
:class:`scoring.model.definition.OwnerRules` and :meth:`OwnerRulesForm.rules` hands back what the
user typed; saving them in the model is the caller's job.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox, QWidget

from scoring.model.definition import OwnerRules

__all__ = ["OwnerRulesForm", "parse_territories", "territories_text"]


def parse_territories(text: str) -> tuple[tuple[str, str], ...]:
    """"US=Ann, CA = Bo" -> (("US", "Ann"), ("CA", "Bo")); pieces without "=" are left out."""
    pairs = []
    for piece in text.split(","):
        if "=" in piece:
            value, rep = piece.split("=", 1)
            if value.strip() and rep.strip():
                pairs.append((value.strip(), rep.strip()))
    return tuple(pairs)


def territories_text(pairs) -> str:
    return ", ".join(f"{value}={rep}" for value, rep in pairs)


class OwnerRulesForm(QGroupBox):
    """Signals
    -------
    changed(): any field changed
    """

    changed = Signal()

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__("Owners", parent)
        self.setObjectName("ownerRules")
        self._extra: tuple = ()
        self.reps_edit = QLineEdit(objectName="ownerReps", placeholderText="e.g. Ann Lee, Bo Chen")
        self.reps_edit.setToolTip("Sales reps who get new leads in turn (round robin), separated by commas")
        self.territory_combo = QComboBox(objectName="ownerTerritoryColumn")
        self.territory_combo.addItem("No territories", None)
        for name in columns:
            self.territory_combo.addItem(name, name)
        self.territories_edit = QLineEdit(objectName="ownerTerritories", placeholderText="e.g. US=Ann Lee, DE=Bo Chen")
        self.territories_edit.setToolTip("Values of the territory column and the rep who covers each")
        self.cap_spin = QSpinBox(objectName="ownerCap", minimum=0, maximum=1_000_000)
        self.cap_spin.setSpecialValueText("no cap")
        self.cap_spin.setToolTip("At most this many new leads per rep per hand-off; the others wait for the next one")
        form = QFormLayout(self)
        form.addRow("Round robin:", self.reps_edit)
        form.addRow("Territory column:", self.territory_combo)
        form.addRow("Territories:", self.territories_edit)
        form.addRow("Cap per rep:", self.cap_spin)
        self.reps_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.territories_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.territory_combo.currentIndexChanged.connect(self._on_territory_changed)
        self.cap_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self._on_territory_changed()

    def set_rules(self, rules: OwnerRules) -> None:
        self.reps_edit.setText(", ".join(rules.reps))
        index = self.territory_combo.findData(rules.territory_column)
        self.territory_combo.setCurrentIndex(max(0, index))
        self.territories_edit.setText(territories_text(rules.territories))
        self.cap_spin.setValue(rules.cap or 0)
        self._extra = rules.extra

    def rules(self) -> OwnerRules:
        reps = tuple(dict.fromkeys(r.strip() for r in self.reps_edit.text().split(",") if r.strip()))
        column = self.territory_combo.currentData()
        pairs = parse_territories(self.territories_edit.text()) if column else ()
        return OwnerRules(reps, column, pairs, self.cap_spin.value() or None, self._extra)

    def _on_territory_changed(self) -> None:
        self.territories_edit.setEnabled(self.territory_combo.currentData() is not None)
        self.changed.emit()
