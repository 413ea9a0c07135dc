"""A rule's conditions as the model file holds them: all/any groups that nest, and NOT.

A :class:`ConditionGroup` holds items, each a condition row or another group, every item with a
"not" box in front. The rule editor shows one group at the top; "+ Add group" nests another
(all inside any, any inside all, as deep as the file goes). Nothing here changes the model: the
editor reads :meth:`ConditionGroup.predicate` and :meth:`ConditionGroup.problem`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QToolButton, QVBoxLayout, QWidget)

from scoring.model.definition import Compound, Condition, Predicate
from widgets.rule_condition_row import ConditionRow
from widgets.theme import set_themed_style

__all__ = ["ConditionGroup", "MODES"]

#: The group modes, as the mode box offers them.
MODES = (("all", "all of these are true (AND)"), ("any", "any of these is true (OR)"))


class _Item(QWidget):
    """One item of a group: a "not" box, then a condition row or a nested group."""

    def __init__(self, body: QWidget, negated: bool = False) -> None:
        super().__init__()
        self.body = body
        self.negate = QCheckBox("not", objectName="conditionNot")
        self.negate.setToolTip("Match the leads for which this is NOT true")
        self.negate.setChecked(negated)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.negate, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(body, 1)

    def predicate(self) -> Predicate | None:
        inner = self.body.condition() if isinstance(self.body, ConditionRow) else self.body.predicate()
        if inner is None:
            return None
        return Compound("not", (inner,)) if self.negate.isChecked() else inner


class ConditionGroup(QFrame):
    """Conditions joined by all (AND) or any (OR); items may be groups themselves.

    Signals
    -------
    changed()
        Any condition, mode or "not" box changed, or an item was added or removed.
    removeRequested()
        The group's remove button was clicked (nested groups only).
    """

    changed = Signal()
    removeRequested = Signal()

    def __init__(self, types: dict, value_counts, *, nested: bool = False) -> None:
        super().__init__()
        self.setObjectName("conditionGroup")
        self._types, self._value_counts, self._nested = types, value_counts, nested
        self._items: list[_Item] = []
        self.extra: tuple = ()                 # unknown keys of the file's compound, kept
        self.keep_single = False               # a one-item all/any from a file stays a compound
        if nested:
            self.setFrameShape(QFrame.Shape.StyledPanel)
            set_themed_style(self, "QFrame#conditionGroup {{ border: 1px solid {chip_border}; "
                                   "border-radius: 4px; }}")
        self.mode = QComboBox(objectName="ruleMode" if not nested else "groupMode")
        for key, label in MODES:
            self.mode.addItem(label, key)
        self.mode_row = QWidget(objectName="ruleModeRow" if not nested else "groupModeRow")
        mode_layout = QHBoxLayout(self.mode_row)
        mode_layout.setContentsMargins(0, 0, 0, 0)
        mode_layout.addWidget(QLabel("Match when"))
        mode_layout.addWidget(self.mode, 1)
        self.remove = QToolButton(objectName="groupRemove", text="✕", autoRaise=True,
                                  toolTip="Remove this group of conditions")
        self.remove.setVisible(nested)
        mode_layout.addWidget(self.remove)
        self.items_layout = QVBoxLayout()
        self.items_layout.setSpacing(0)
        self.add_condition_button = QPushButton("+ Add condition", objectName="addConditionButton")
        self.add_group_button = QPushButton("+ Add group", objectName="addGroupButton")
        self.add_group_button.setToolTip("Nest conditions: e.g. “any of” inside “all of”")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_condition_button)
        buttons.addWidget(self.add_group_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4) if nested else layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mode_row)
        layout.addLayout(self.items_layout)
        layout.addLayout(buttons)
        self.mode.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.add_condition_button.clicked.connect(lambda: self.add_condition())
        self.add_group_button.clicked.connect(lambda: self.add_group())
        self.remove.clicked.connect(self.removeRequested)
        self._update_mode_row()

    def set_columns(self, types: dict, value_counts) -> None:
        """The columns new rows offer (rows already shown keep theirs)."""
        self._types, self._value_counts = types, value_counts
        for item in self._items:
            if isinstance(item.body, ConditionGroup):
                item.body.set_columns(types, value_counts)

    # -- building -----------------------------------------------------------------------------
    def add_condition(self, cond: Condition | None = None, negated: bool = False) -> ConditionRow:
        """Add a condition row (empty, or showing ``cond``) and return it."""
        row = ConditionRow(self._types, self._value_counts)
        item = self._add(row, negated)
        row.changed.connect(self.changed)
        row.removeRequested.connect(lambda i=item: self._remove(i))
        if cond is not None:
            row.set_condition(cond)
        self.changed.emit()
        return row

    def add_group(self, pred: Compound | None = None, negated: bool = False) -> "ConditionGroup":
        """Add a nested group (with one empty condition, or showing ``pred``) and return it."""
        group = ConditionGroup(self._types, self._value_counts, nested=True)
        item = self._add(group, negated)
        group.changed.connect(self.changed)
        group.removeRequested.connect(lambda i=item: self._remove(i))
        if pred is None:
            group.mode.setCurrentIndex(1 if self.mode.currentData() == "all" else 0)
            group.add_condition()
        else:
            group.set_predicate(pred)
        self.changed.emit()
        return group

    def _add(self, body: QWidget, negated: bool) -> _Item:
        item = _Item(body, negated)
        item.negate.toggled.connect(lambda _on: self.changed.emit())
        self.items_layout.addWidget(item)
        self._items.append(item)
        self._update_mode_row()
        return item

    def _remove(self, item: _Item) -> None:
        self._items.remove(item)
        item.setParent(None)
        item.deleteLater()
        self._update_mode_row()
        self.changed.emit()

    def clear(self) -> None:
        for item in list(self._items):
            self._items.remove(item)
            item.setParent(None)
            item.deleteLater()
        self.mode.setCurrentIndex(0)
        self.extra, self.keep_single = (), False
        self._update_mode_row()

    def _update_mode_row(self) -> None:
        self.mode_row.setVisible(len(self._items) > 1 or self._nested)

    def set_predicate(self, pred: Predicate) -> None:
        """Show ``pred``: a condition, a not, or an all/any of any of these, nested freely."""
        self.clear()
        negated = False
        if isinstance(pred, Compound) and pred.mode == "not":
            pred, negated = pred.items[0], True
        if isinstance(pred, Condition) or negated:
            self._add_predicate(pred, negated)
            return
        self.mode.setCurrentIndex(self.mode.findData(pred.mode))
        self.extra = pred.extra
        self.keep_single = len(pred.items) == 1
        for item in pred.items:
            self._add_predicate(item)

    def _add_predicate(self, pred: Predicate, negated: bool = False) -> None:
        if isinstance(pred, Compound) and pred.mode == "not":
            self._add_predicate(pred.items[0], not negated)
        elif isinstance(pred, Condition):
            self.add_condition(pred, negated)
        else:
            self.add_group(pred, negated)

    # -- reading ------------------------------------------------------------------------------
    def rows(self) -> list[ConditionRow]:
        """The condition rows directly in this group, top to bottom."""
        return [i.body for i in self._items if isinstance(i.body, ConditionRow)]

    def all_rows(self) -> list[ConditionRow]:
        """Every condition row, nested ones too, top to bottom."""
        out = []
        for item in self._items:
            out += [item.body] if isinstance(item.body, ConditionRow) else item.body.all_rows()
        return out

    def item_count(self) -> int:
        return len(self._items)

    def predicate(self) -> Predicate | None:
        """The condition the group shows; None while a part is unfinished or it is empty."""
        parts = [item.predicate() for item in self._items]
        if not parts or any(p is None for p in parts):
            return None
        if len(parts) == 1 and not self._nested and not self.keep_single:
            return parts[0]
        return Compound(self.mode.currentData(), tuple(parts), self.extra)

    def problem(self) -> str:
        """What is unfinished ("" when the group is a valid condition)."""
        if not self._items:
            return "Add a condition" if not self._nested else "A group needs a condition"
        rows = self.all_rows()
        for row in rows:
            if row.problem():
                return row.problem() if len(rows) == 1 else \
                    f"Condition {rows.index(row) + 1}: {row.problem()}"
        for item in self._items:
            if isinstance(item.body, ConditionGroup) and item.body.problem():
                return item.body.problem()
        return ""
