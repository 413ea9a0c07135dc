"""The rule editor: name, kind, group, points, conditions (AND/OR) and optional decay.

The editor builds a new immutable ``Rule`` from the form; it never changes a model itself.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from scoring.column_types import ColumnType
from scoring.describe import describe_predicate, describe_value
from scoring.model import ENGAGEMENT, FIT, Compound, Condition, Decay, Rule
from scoring.operators import OPERATORS, operators_for
from widgets.value_editors import ValueEditor, make_value_editor

__all__ = ["RuleEditor", "RuleEditorDialog", "ConditionRow"]

ValueCounts = Callable[[str], list[tuple[str, int]]]
_KINDS = (("score", "Score points"), ("require", "Must have (gate)"), ("disqualify", "Disqualify (gate)"))
_DATE_OPS = {"eq", "ne", "gt", "gte", "lt", "lte", "before", "after"}


def _editor_ops(ctype: ColumnType):
    ops = operators_for(ctype)
    if ctype == ColumnType.BOOLEAN:
        ops = [o for o in ops if o.key not in ("eq", "ne")]
    if ctype.is_temporal:
        ops = [o for o in ops if o.key != "between"]
    return ops


def _value_kind(op_key: str, ctype: ColumnType) -> str:
    kind = OPERATORS[op_key].value_kind
    if ctype.is_temporal and op_key in _DATE_OPS:
        return "date"
    if ctype.is_numeric and kind == "text":
        return "number"
    return kind


class ConditionRow(QFrame):
    """Column, operator and value of one condition.

    Signals
    -------
    changed(), removeRequested()
    """

    changed = Signal()
    removeRequested = Signal()

    def __init__(self, types: dict[str, ColumnType], value_counts: ValueCounts) -> None:
        super().__init__()
        self.setObjectName("conditionRow")
        self._types, self._value_counts = types, value_counts
        self.column = QComboBox(objectName="conditionColumn")
        self.column.setEditable(True)
        self.column.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.column.setMinimumContentsLength(18)
        for name, ctype in types.items():
            self.column.addItem(f"{name}", name)
            self.column.setItemData(self.column.count() - 1, f"{name} ({ctype})", Qt.ItemDataRole.ToolTipRole)
        self.column.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.column.completer().setCompletionMode(self.column.completer().CompletionMode.PopupCompletion)
        self.column.setCurrentIndex(-1)
        self.type_label = QLabel(objectName="conditionType")
        self.type_label.setStyleSheet("color: #6b7280;")
        self.op = QComboBox(objectName="conditionOp")
        self.remove = QPushButton("✕", objectName="conditionRemove", toolTip="Remove this condition")
        self.remove.setFixedWidth(28)
        self.value_holder = QVBoxLayout()
        self.value_holder.setContentsMargins(0, 0, 0, 0)
        self.value_editor: ValueEditor | None = None
        top = QHBoxLayout()
        top.addWidget(self.column, 2)
        top.addWidget(self.type_label)
        top.addWidget(self.op, 2)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addLayout(top)
        layout.addLayout(self.value_holder)
        self.column.currentIndexChanged.connect(self._on_column_changed)
        self.op.currentIndexChanged.connect(self._on_op_changed)
        self.remove.clicked.connect(self.removeRequested)

    # -- state --------------------------------------------------------------------------------
    def column_name(self) -> str | None:
        data = self.column.currentData()
        if data is None:
            text = self.column.currentText().strip()
            return text if text in self._types else None
        return data

    def set_condition(self, cond: Condition) -> None:
        index = self.column.findData(cond.column)
        if index < 0:
            self.column.addItem(f"{cond.column} (not in this list)", cond.column)
            index = self.column.count() - 1
        self.column.setCurrentIndex(index)
        op_index = self.op.findData(cond.op)
        if op_index >= 0:
            self.op.setCurrentIndex(op_index)
        if self.value_editor is not None and cond.value is not None:
            self.value_editor.set_value(list(cond.value) if isinstance(cond.value, tuple) else cond.value)

    def condition(self) -> Condition | None:
        column, op = self.column_name(), self.op.currentData()
        if column is None or op is None:
            return None
        value = self.value_editor.value() if self.value_editor is not None else None
        if isinstance(value, list):
            value = tuple(value)
        return Condition(column, op, value if OPERATORS[op].value_kind != "none" else None)

    def problem(self) -> str:
        if self.column_name() is None:
            return "Pick a column"
        if self.op.currentData() is None:
            return "Pick a test"
        return self.value_editor.problem() if self.value_editor is not None else ""

    # -- reactions ----------------------------------------------------------------------------
    def _ctype(self) -> ColumnType:
        return ColumnType(self._types.get(self.column_name(), ColumnType.TEXT))

    def _on_column_changed(self, _index: int) -> None:
        previous = self.op.currentData()
        ctype = self._ctype()
        self.type_label.setText(str(ctype) if self.column_name() else "")
        self.op.blockSignals(True)
        self.op.clear()
        for op in _editor_ops(ctype):
            self.op.addItem(op.label, op.key)
        keep = self.op.findData(previous)
        self.op.setCurrentIndex(keep if keep >= 0 else 0)
        self.op.blockSignals(False)
        self._on_op_changed(self.op.currentIndex())

    def _on_op_changed(self, _index: int) -> None:
        op = self.op.currentData()
        if self.value_editor is not None:
            self.value_editor.setParent(None)
            self.value_editor.deleteLater()
            self.value_editor = None
        if op is not None:
            column = self.column_name()
            kind = _value_kind(op, self._ctype())
            self.value_editor = make_value_editor(kind, lambda: self._value_counts(column) if column else [])
            self.value_editor.changed.connect(self.changed)
            self.value_holder.addWidget(self.value_editor)
        self.changed.emit()


class RuleEditor(QWidget):
    """Signals
    -------
    ruleChanged(object): a valid Rule after every edit
    validityChanged(bool)
    """

    ruleChanged = Signal(object)
    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditor")
        self._types: dict[str, ColumnType] = {}
        self._value_counts: ValueCounts = lambda _c: []
        self._rows: list[ConditionRow] = []
        self._fixed_when = None          # a nested condition from a file, kept as it is
        self._name_edited = False
        self._original: Rule | None = None

        self.name = QLineEdit(objectName="ruleName", placeholderText="e.g. Senior title")
        self.kind = QComboBox(objectName="ruleKind")
        for key, label in _KINDS:
            self.kind.addItem(label, key)
        self.group = QComboBox(objectName="ruleGroup")
        self.group.addItem("Fit (who they are)", FIT)
        self.group.addItem("Engagement (what they did)", ENGAGEMENT)
        self.points = QDoubleSpinBox(objectName="rulePoints", minimum=-1000, maximum=1000, decimals=1)
        self.points.setValue(10)
        self.mode = QComboBox(objectName="ruleMode")
        self.mode.addItem("all of these are true (AND)", "all")
        self.mode.addItem("any of these is true (OR)", "any")
        self.fixed_label = QLabel(objectName="ruleFixedCondition", wordWrap=True)
        self.conditions = QVBoxLayout()
        self.add_condition_button = QPushButton("Add condition", objectName="addConditionButton")
        self.decay = QCheckBox("Points fade over time", objectName="ruleDecay")
        self.decay_column = QComboBox(objectName="ruleDecayColumn")
        self.half_life = QSpinBox(objectName="ruleHalfLife", minimum=1, maximum=3650, suffix=" days")
        self.half_life.setValue(30)
        self.problem_label = QLabel(objectName="ruleProblem", wordWrap=True)
        self.problem_label.setStyleSheet("color: #b42318;")

        decay_row = QHBoxLayout()
        decay_row.addWidget(self.decay)
        decay_row.addWidget(QLabel("halving every"))
        decay_row.addWidget(self.half_life)
        decay_row.addWidget(QLabel("since"))
        decay_row.addWidget(self.decay_column, 1)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Kind:", self.kind)
        form.addRow("Group:", self.group)
        form.addRow("Points:", self.points)
        form.addRow("When:", self.mode)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.fixed_label)
        layout.addLayout(self.conditions)
        layout.addWidget(self.add_condition_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(decay_row)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)

        self.name.textEdited.connect(self._on_name_edited)
        self.kind.currentIndexChanged.connect(self._update)
        for widget in (self.group, self.mode, self.decay_column):
            widget.currentIndexChanged.connect(self._update)
        self.points.valueChanged.connect(self._update)
        self.half_life.valueChanged.connect(self._update)
        self.decay.toggled.connect(self._update)
        self.add_condition_button.clicked.connect(lambda: self.add_condition())

    # -- data in ------------------------------------------------------------------------------
    def set_columns(self, types: dict, value_counts: ValueCounts) -> None:
        self._types = {name: ColumnType(t) for name, t in types.items()}
        self._value_counts = value_counts
        self.decay_column.clear()
        for name, ctype in self._types.items():
            if ctype.is_temporal:
                self.decay_column.addItem(name, name)

    def set_rule(self, rule: Rule | None, group: str = FIT) -> None:
        self._original = rule
        for row in list(self._rows):
            self._remove_row(row)
        self._fixed_when = None
        self._name_edited = rule is not None
        if rule is None:
            self.name.clear()
            self.kind.setCurrentIndex(self.kind.findData("require" if group == "gates" else "score"))
            self.group.setCurrentIndex(max(0, self.group.findData(group)))
            self.add_condition()
        else:
            self.name.setText(rule.name)
            self.kind.setCurrentIndex(self.kind.findData(rule.kind))
            if self.group.findData(rule.group) < 0:
                self.group.addItem(rule.group.title(), rule.group)
            self.group.setCurrentIndex(self.group.findData(rule.group))
            self.points.setValue(rule.points)
            when = rule.when
            if isinstance(when, Condition):
                self.add_condition(when)
            elif when.mode in ("all", "any") and all(isinstance(i, Condition) for i in when.items):
                self.mode.setCurrentIndex(self.mode.findData(when.mode))
                for item in when.items:
                    self.add_condition(item)
            else:
                self._fixed_when = when
            self.decay.setChecked(rule.decay is not None)
            if rule.decay is not None:
                if self.decay_column.findData(rule.decay.date_column) < 0:
                    self.decay_column.addItem(rule.decay.date_column, rule.decay.date_column)
                self.decay_column.setCurrentIndex(self.decay_column.findData(rule.decay.date_column))
                self.half_life.setValue(int(rule.decay.half_life_days))
        self._update()

    def add_condition(self, cond: Condition | None = None) -> ConditionRow:
        row = ConditionRow(self._types, self._value_counts)
        row.changed.connect(self._update)
        row.removeRequested.connect(lambda r=row: self._remove_row(r, update=True))
        self.conditions.addWidget(row)
        self._rows.append(row)
        if cond is not None:
            row.set_condition(cond)
        self._update()
        return row

    def _remove_row(self, row: ConditionRow, update: bool = False) -> None:
        self._rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        if update:
            self._update()

    # -- data out -----------------------------------------------------------------------------
    def problem(self) -> str:
        if self._fixed_when is None and not self._rows:
            return "Add a condition"
        for row in self._rows:
            if row.problem():
                return row.problem()
        if self.decay.isChecked() and self.decay.isEnabled() and self.decay_column.currentData() is None:
            return "Fading points need a date column"
        if not self.rule().name:
            return "Give the rule a name"
        return ""

    def isValid(self) -> bool:  # noqa: N802 - Qt naming, as the issue names it
        return not self.problem()

    def _when(self):
        if self._fixed_when is not None:
            return self._fixed_when
        conds = [row.condition() for row in self._rows]
        conds = [c for c in conds if c is not None]
        if len(conds) == 1:
            return conds[0]
        return Compound(self.mode.currentData(), tuple(conds)) if conds else None

    def rule(self) -> Rule:
        kind = self.kind.currentData()
        when = self._when()
        name = self.name.text().strip() or (self._suggest_name(when) if when is not None else "")
        decay = None
        if kind == "score" and self.decay.isChecked() and self.decay_column.currentData():
            decay = Decay(self.decay_column.currentData(), float(self.half_life.value()))
        points = float(self.points.value()) if kind == "score" else 0.0
        extra = self._original.extra if self._original is not None else ()
        enabled = self._original.enabled if self._original is not None else True
        group = self.group.currentData() if kind == "score" else (
            self._original.group if self._original is not None else FIT)
        return Rule(name, when, points, group, kind, enabled, decay, extra)

    def _suggest_name(self, when) -> str:
        if isinstance(when, Condition):
            op = OPERATORS[when.op]
            value = describe_value(when)
            return f"{when.column} {op.label.replace('…', value)}" if "…" in op.label else \
                f"{when.column} {op.label} {value}".strip()
        return describe_predicate(when)[:60]

    # -- reactions ----------------------------------------------------------------------------
    def _on_name_edited(self, _text: str) -> None:
        self._name_edited = True
        self._update()

    def _update(self) -> None:
        kind = self.kind.currentData()
        is_score = kind == "score"
        self.group.setEnabled(is_score)
        self.points.setEnabled(is_score)
        self.decay.setEnabled(is_score and self.decay_column.count() > 0)
        self.half_life.setEnabled(self.decay.isEnabled() and self.decay.isChecked())
        self.decay_column.setEnabled(self.half_life.isEnabled())
        self.mode.setEnabled(len(self._rows) > 1)
        self.fixed_label.setVisible(self._fixed_when is not None)
        self.add_condition_button.setVisible(self._fixed_when is None)
        if self._fixed_when is not None:
            self.fixed_label.setText(f"Condition (from the model file, shown as is): "
                                     f"{describe_predicate(self._fixed_when)}")
        when = self._when()
        if not self._name_edited and when is not None and all(not r.problem() for r in self._rows):
            self.name.setText(self._suggest_name(when))
        problem = self.problem()
        self.problem_label.setText(problem)
        self.validityChanged.emit(not problem)
        if not problem:
            self.ruleChanged.emit(self.rule())


class RuleEditorDialog(QDialog):
    """The editor in a dialog with OK (disabled while the rule is invalid) and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditorDialog")
        self.setMinimumWidth(620)
        self.editor = RuleEditor()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.validityChanged.connect(self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)

    @classmethod
    def edit(cls, parent: QWidget | None, rule: Rule | None, group: str, types: dict,
             value_counts: ValueCounts) -> Rule | None:
        """Show the dialog; the edited rule, or None when cancelled."""
        dialog = cls(parent)
        dialog.setWindowTitle("Add rule" if rule is None else f"Edit rule “{rule.name}”")
        dialog.editor.set_columns(types, value_counts)
        dialog.editor.set_rule(rule, group)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(dialog.editor.isValid())
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.editor.isValid():
            return None
        return dialog.editor.rule()
