"""The rule editor: name, kind, group (or a new one), points, conditions (all of / any of, nested
groups, "not") and optional decay.

The editor builds a new immutable ``Rule`` from the form; it never changes a model itself.
``RuleEditorDialog.edit(...)`` shows it in a dialog and returns the edited rule or None.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QSizePolicy, QVBoxLayout, QWidget)

from scoring.column_types import ColumnType
from scoring.model.definition import ENGAGEMENT, FIT, Condition, Decay, Predicate, Rule
from scoring.model.describe import column_labels, short_rule_name
from widgets.condition_group import ConditionGroup
from widgets.rule_condition_row import ConditionRow, ValueCounts
from widgets.theme import set_themed_style

__all__ = ["RuleEditor", "RuleEditorDialog", "ConditionRow", "group_key", "NEW_GROUP"]

GATES = "gates"
NEW_GROUP = "\x00new group"          # the group box's "New group…" item


def group_key(text: str) -> str:
    """A new group's name as the model keeps it: "Buying intent" -> "buying_intent"."""
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def _group_label(name: str) -> str:
    return name.replace("_", " ").capitalize()
_KINDS = (("score", "Score — add points"), ("require", "Must have (require)"),
          ("disqualify", "Disqualify"))


class RuleEditor(QWidget):
    """A form for one rule.

    Call ``set_columns`` then ``set_rule``; read the result with ``rule()`` (valid when
    ``isValid()``; ``problem()`` says what is missing, as the red line under the form does).

    Signals
    -------
    ruleChanged(object)
        The Rule after every edit that leaves the form valid (not while ``set_rule`` fills it).
    validityChanged(bool)
        After every change: whether the form holds a valid rule.
    """

    ruleChanged = Signal(object)
    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditor")
        self._types: dict[str, ColumnType] = {}
        self._value_counts: ValueCounts = lambda _column: []
        self._name_edited = False
        self._original: Rule | None = None
        self._loading = False

        self.name = QLineEdit(objectName="ruleName", placeholderText="e.g. Senior title")
        self.kind = QComboBox(objectName="ruleKind")
        for key, label in _KINDS:
            self.kind.addItem(label, key)
        self.group = QComboBox(objectName="ruleGroup")
        self.group.addItem("Fit — who they are", FIT)
        self.group.addItem("Engagement — what they did", ENGAGEMENT)
        self.group.addItem("New group…", NEW_GROUP)
        self.new_group = QLineEdit(objectName="ruleNewGroup", placeholderText="e.g. Intent")
        self.new_group.setToolTip("The name of a new score group; give it a cap with Groups… in "
                                  "the rule list")
        self.points = QDoubleSpinBox(objectName="rulePoints", minimum=-1000, maximum=1000, decimals=1)
        self.points.setValue(10)
        self.points.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.points.setMinimumWidth(110)
        self.conditions = ConditionGroup(self._types, self._value_counts)
        self.mode = self.conditions.mode
        self.mode_row = self.conditions.mode_row
        self.add_condition_button = self.conditions.add_condition_button
        self.decay = QCheckBox("Points fade over time", objectName="ruleDecay")
        self.half_life = QDoubleSpinBox(objectName="ruleHalfLife", minimum=0.5, maximum=3650,
                                        decimals=1, suffix=" days")
        self.half_life.setValue(30)
        self.decay_column = QComboBox(objectName="ruleDecayColumn")
        self.decay_details = QWidget(objectName="ruleDecayDetails")
        self.problem_label = QLabel(objectName="ruleProblem", wordWrap=True)
        set_themed_style(self.problem_label, "color: {bad};")

        details = QHBoxLayout(self.decay_details)
        details.setContentsMargins(24, 0, 0, 0)
        details.addWidget(QLabel("halving every"))
        details.addWidget(self.half_life)
        details.addWidget(QLabel("since"))
        details.addWidget(self.decay_column, 1)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("Name:", self.name)
        self.form.addRow("Kind:", self.kind)
        self.form.addRow("Group:", self.group)
        self.form.addRow("New group:", self.new_group)
        self.form.addRow("Points:", self.points)
        box = QGroupBox("Condition", objectName="ruleConditions")
        self.conditions_box = box
        inner = QVBoxLayout(box)
        inner.addWidget(self.conditions)
        inner.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(box, 1)
        layout.addWidget(self.decay)
        layout.addWidget(self.decay_details)
        layout.addWidget(self.problem_label)

        self.name.textEdited.connect(self._on_name_edited)
        for combo in (self.kind, self.group, self.decay_column):
            combo.currentIndexChanged.connect(self._update)
        self.points.valueChanged.connect(self._update)
        self.half_life.valueChanged.connect(self._update)
        self.decay.toggled.connect(self._update)
        self.new_group.textEdited.connect(lambda _t: self._update())
        self.conditions.changed.connect(self._update)

    # -- data in ------------------------------------------------------------------------------
    def set_columns(self, types: dict, value_counts: ValueCounts) -> None:
        """The lead list's columns with their types, and a function giving a column's distinct
        values with counts (most frequent first) for the value picker."""
        self._types = {name: ColumnType(t) for name, t in types.items()}
        self._value_counts = value_counts
        self.conditions.set_columns(self._types, value_counts)
        self._fill_decay_columns()

    def _fill_decay_columns(self) -> None:
        self.decay_column.blockSignals(True)
        self.decay_column.clear()
        for name, ctype in self._types.items():
            if ctype.is_temporal:
                self.decay_column.addItem(name, name)
        self.decay_column.blockSignals(False)

    def set_rule(self, rule: Rule | None, group: str = FIT) -> None:
        """Show ``rule``; None starts a new rule in ``group`` ("gates" starts a Must have)."""
        self._loading = True
        self._original = rule
        self.conditions.clear()
        self.new_group.clear()
        self._name_edited = rule is not None
        self._fill_decay_columns()
        if rule is None:
            self.name.clear()
            self.kind.setCurrentIndex(self.kind.findData("require" if group == GATES else "score"))
            self._select_group(group if group != GATES else FIT)
            self.points.setValue(10)
            self.decay.setChecked(False)
            self.add_condition()
        else:
            self._show_rule(rule)
        self._loading = False
        self._refresh(emit=False)

    def _show_rule(self, rule: Rule) -> None:
        self.name.setText(rule.name)
        self.kind.setCurrentIndex(self.kind.findData(rule.kind))
        self._select_group(rule.group)
        self.points.setValue(rule.points)
        self.conditions.set_predicate(rule.when)
        self.decay.setChecked(rule.decay is not None)
        if rule.decay is not None:
            if self.decay_column.findData(rule.decay.date_column) < 0:
                self.decay_column.addItem(rule.decay.date_column, rule.decay.date_column)
            self.decay_column.setCurrentIndex(self.decay_column.findData(rule.decay.date_column))
            self.half_life.setValue(rule.decay.half_life_days)

    def set_groups(self, groups) -> None:
        """The model's score groups (names), offered besides fit and engagement."""
        for name in groups:
            if name not in (FIT, ENGAGEMENT) and self.group.findData(name) < 0:
                self.group.insertItem(self.group.count() - 1, _group_label(name), name)

    def _select_group(self, group: str) -> None:
        if self.group.findData(group) < 0:
            self.group.insertItem(self.group.count() - 1, _group_label(group), group)
        self.group.setCurrentIndex(self.group.findData(group))

    def add_condition(self, cond: Condition | None = None) -> ConditionRow:
        """Add a condition row to the top group (empty, or showing ``cond``) and return it."""
        return self.conditions.add_condition(cond)

    def condition_rows(self) -> list[ConditionRow]:
        """Every condition row, nested ones too."""
        return self.conditions.all_rows()

    def _chosen_group(self) -> str:
        if self.group.currentData() != NEW_GROUP:
            return self.group.currentData()
        return group_key(self.new_group.text())

    # -- data out -----------------------------------------------------------------------------
    def problem(self) -> str:
        """What keeps the form from being a valid rule ("" when it is one)."""
        problem = self.conditions.problem()
        if problem:
            return problem
        if self.kind.currentData() == "score" and self.group.currentData() == NEW_GROUP \
                and not self._chosen_group():
            return "Name the new group"
        if self._decays() and self.decay_column.currentData() is None:
            return "Fading points need a date column: this lead list has none"
        if not self.rule().name:
            return "Give the rule a name"
        return ""

    def isValid(self) -> bool:  # noqa: N802 - Qt-style name, as widgets' callers expect
        return not self.problem()

    def _decays(self) -> bool:
        return self.kind.currentData() == "score" and self.decay.isChecked()

    def _when(self) -> Predicate | None:
        return self.conditions.predicate()

    def rule(self) -> Rule:
        """A new Rule from the form (enabled state and unknown file keys of the edited rule kept)."""
        kind = self.kind.currentData()
        when = self._when()
        name = self.name.text().strip() or self._suggest_name(when)
        decay = None
        if self._decays() and self.decay_column.currentData():
            decay = Decay(self.decay_column.currentData(), float(self.half_life.value()))
        original = self._original
        points = float(self.points.value()) if kind == "score" else (
            original.points if original is not None and original.is_gate else 0.0)
        group = self._chosen_group() if kind == "score" else (
            original.group if original is not None else FIT)
        return Rule(name, when, points, group, kind,
                    original.enabled if original is not None else True, decay,
                    original.extra if original is not None else ())

    def _suggest_name(self, when: Predicate | None) -> str:
        """A short name (the column and the values); the rule list shows the full condition."""
        return short_rule_name(when, column_labels(self._types))

    # -- reactions ----------------------------------------------------------------------------
    def _on_name_edited(self, text: str) -> None:
        self._name_edited = bool(text.strip())
        self._update()

    def _update(self) -> None:
        self._refresh(emit=True)

    def _refresh(self, emit: bool) -> None:
        if self._loading:
            return
        is_score = self.kind.currentData() == "score"
        self.form.setRowVisible(self.group, is_score)
        self.form.setRowVisible(self.points, is_score)
        self.form.setRowVisible(self.new_group, is_score and self.group.currentData() == NEW_GROUP)
        several = self.conditions.item_count() > 1 or len(self.condition_rows()) > 1
        self.conditions_box.setTitle("Conditions" if several else "Condition")
        self.decay.setVisible(is_score)
        self.decay.setEnabled(self.decay_column.count() > 0 or self.decay.isChecked())
        if self.decay_column.count() == 0:
            self.decay.setToolTip("Fading needs a date column, and this lead list has none")
        self.decay_details.setVisible(self._decays())
        when = self._when()
        if not self._name_edited and all(not r.problem() for r in self.condition_rows()):
            self.name.setText(self._suggest_name(when))
        problem = self.problem()
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.validityChanged.emit(not problem)
        if emit and not problem:
            self.ruleChanged.emit(self.rule())


class RuleEditorDialog(QDialog):
    """The editor in a dialog with OK (disabled while the rule is invalid) and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditorDialog")
        self.setMinimumWidth(640)
        self.editor = RuleEditor()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.validityChanged.connect(self.ok_button.setEnabled)

    def prepare(self, rule: Rule | None, group: str, types: dict, value_counts: ValueCounts,
                groups=()) -> None:
        """Fill the dialog for ``rule`` (None: a new rule in ``group``); ``groups``: the model's
        score group names, offered in the group box."""
        self.setWindowTitle("Add rule" if rule is None else f"Edit rule “{rule.name}”")
        self.editor.set_columns(types, value_counts)
        self.editor.set_groups(groups)
        self.editor.set_rule(rule, group)
        self.ok_button.setEnabled(self.editor.isValid())

    def accept(self) -> None:
        if self.editor.isValid():
            super().accept()

    @classmethod
    def edit(cls, parent: QWidget | None, rule: Rule | None, group: str, types: dict,
             value_counts: ValueCounts, groups=()) -> Rule | None:
        """Show the dialog modally; the edited rule, or None when cancelled."""
        dialog = cls(parent)
        dialog.prepare(rule, group, types, value_counts, groups)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.editor.rule()
