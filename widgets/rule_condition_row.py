"""One condition of a rule in the editor: column, operator and a value editor that fits."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QCompleter, QFrame, QHBoxLayout, QToolButton, QVBoxLayout

from scoring.column_types import ColumnType
from scoring.model.definition import Condition
from scoring.model.operators import Operator, operators_for, value_kind_for
from widgets.value_editors import ValueEditor, make_value_editor

__all__ = ["ConditionRow", "type_icon", "editor_operators", "ValueCounts"]

ValueCounts = Callable[[str], list[tuple[str, int]]]

_GLYPHS = {ColumnType.INTEGER: ("#", "#2563eb"), ColumnType.NUMBER: ("#", "#2563eb"),
           ColumnType.BOOLEAN: ("✓", "#059669"), ColumnType.DATE: ("D", "#d97706"),
           ColumnType.DATETIME: ("D", "#d97706"), ColumnType.CATEGORY: ("≡", "#7c3aed"),
           ColumnType.TEXT: ("T", "#475569"), ColumnType.EMAIL: ("@", "#db2777")}
_HIDDEN_OPS = {ColumnType.BOOLEAN: {"eq", "ne"}}     # "is yes" / "is no" say it better


def type_icon(ctype: ColumnType) -> QIcon:
    """A small coloured badge for a column type ("#" numbers, "D" dates, "@" emails, ...)."""
    glyph, colour = _GLYPHS[ColumnType(ctype)]
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRect(1, 1, 30, 30), 7, 7)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(20)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRect(0, 0, 32, 32), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


def editor_operators(ctype: ColumnType, keep: str | None = None) -> list[Operator]:
    """The operators the editor offers for a column type (``operators_for`` minus a few that
    have a clearer twin); ``keep`` is offered anyway when the rule being edited uses it."""
    hidden = _HIDDEN_OPS.get(ColumnType(ctype), set()) - {keep}
    return [op for op in operators_for(ctype) if op.key not in hidden]


def _guess_type(cond: Condition) -> ColumnType:
    """A type for a column the lead list lacks, so the rule's own operator stays on offer."""
    first = cond.value[0] if isinstance(cond.value, tuple) and cond.value else cond.value
    looks_like_date = isinstance(first, str) and len(first) >= 10 and first[4:5] == "-"
    order = (ColumnType.TEXT, ColumnType.DATE if looks_like_date else ColumnType.NUMBER,
             ColumnType.NUMBER, ColumnType.DATE, ColumnType.BOOLEAN)
    return next((t for t in order if cond.op in {op.key for op in operators_for(t)}), ColumnType.TEXT)


class ConditionRow(QFrame):
    """Column, operator and value of one condition.

    Signals
    -------
    changed()
        Any part of the condition was edited.
    removeRequested()
        The row's remove button was clicked.
    """

    changed = Signal()
    removeRequested = Signal()

    def __init__(self, types: dict[str, ColumnType], value_counts: ValueCounts) -> None:
        super().__init__()
        self.setObjectName("conditionRow")
        self._types, self._value_counts = types, value_counts
        self._extra: tuple = ()
        self._kind = ""
        self.column = QComboBox(objectName="conditionColumn", editable=True)
        self.column.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.column.setMinimumContentsLength(16)
        self.column.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for name, ctype in types.items():
            self.column.addItem(type_icon(ctype), name, name)
            self.column.setItemData(self.column.count() - 1, f"{name} — {ctype} column",
                                    Qt.ItemDataRole.ToolTipRole)
        self.column.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.column.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.column.setCurrentIndex(-1)
        self.column.lineEdit().setPlaceholderText("Pick a column…")
        self.op = QComboBox(objectName="conditionOp")
        self.op.setMinimumContentsLength(14)
        self.remove = QToolButton(objectName="conditionRemove", text="✕", autoRaise=True,
                                  toolTip="Remove this condition")
        self.value_holder = QVBoxLayout()
        self.value_holder.setContentsMargins(0, 0, 0, 0)
        self.value_editor: ValueEditor | None = None
        top = QHBoxLayout()
        top.addWidget(self.column, 3)
        top.addWidget(self.op, 2)
        top.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 6)
        layout.addLayout(top)
        layout.addLayout(self.value_holder)
        self.column.currentIndexChanged.connect(self._on_column_changed)
        self.column.lineEdit().editingFinished.connect(self._on_column_text_edited)
        self.op.currentIndexChanged.connect(self._on_op_changed)
        self.remove.clicked.connect(self.removeRequested)

    # -- state --------------------------------------------------------------------------------
    def column_name(self) -> str | None:
        """The picked column, or None."""
        data = self.column.currentData()
        if data is not None and self.column.currentText() == self.column.itemText(self.column.currentIndex()):
            return data
        text = self.column.currentText().strip()
        return text if text in self._types else None

    def column_type(self) -> ColumnType:
        return ColumnType(self._types.get(self.column_name() or "", ColumnType.TEXT))

    def set_condition(self, cond: Condition) -> None:
        """Show ``cond`` (a column this list does not have is added, marked as missing)."""
        self._extra = cond.extra
        index = self.column.findData(cond.column)
        if index < 0:
            self._types = {**self._types, cond.column: _guess_type(cond)}
            self.column.addItem(f"{cond.column} (not in this lead list)", cond.column)
            index = self.column.count() - 1
        self.column.blockSignals(True)
        self.column.setCurrentIndex(index)
        self.column.blockSignals(False)
        self._fill_ops(keep=cond.op)
        self._kind = ""
        self._make_value_editor()
        if self.value_editor is not None and cond.value is not None:
            self.value_editor.set_value(cond.value)
        self.changed.emit()

    def condition(self) -> Condition | None:
        """The condition the row shows, or None while column or operator are missing."""
        column, op = self.column_name(), self.op.currentData()
        if column is None or op is None:
            return None
        value = self.value_editor.value() if self.value_editor is not None else None
        return Condition(column, op, value, self._extra)

    def problem(self) -> str:
        if self.column_name() is None:
            return "Pick a column"
        if self.op.currentData() is None:
            return "Pick a test"
        return self.value_editor.problem() if self.value_editor is not None else ""

    # -- reactions ----------------------------------------------------------------------------
    def _fill_ops(self, keep: str | None = None) -> None:
        previous = keep or self.op.currentData()
        self.op.blockSignals(True)
        self.op.clear()
        if self.column_name() is not None:
            for op in editor_operators(self.column_type(), keep=previous):
                self.op.addItem(op.label, op.key)
        found = self.op.findData(previous)
        self.op.setCurrentIndex(found if found >= 0 else (0 if self.op.count() else -1))
        self.op.blockSignals(False)

    def _make_value_editor(self) -> None:
        op, column = self.op.currentData(), self.column_name()
        kind = value_kind_for(op, self.column_type()) if op is not None else ""
        if self.value_editor is not None and kind == self._kind and kind != "text_list":
            return                             # same kind of value: keep what was typed
        if self.value_editor is not None:
            self.value_editor.setParent(None)
            self.value_editor.deleteLater()
            self.value_editor = None
        self._kind = kind
        if op is not None:
            self.value_editor = make_value_editor(
                kind, lambda: self._value_counts(column) if column else [],
                numeric=self.column_type().is_numeric)
            self.value_editor.changed.connect(self.changed)
            self.value_holder.addWidget(self.value_editor)

    def _on_column_text_edited(self) -> None:
        name = self.column.currentText().strip()
        index = self.column.findData(name)
        if index >= 0 and index != self.column.currentIndex():
            self.column.setCurrentIndex(index)

    def _on_column_changed(self, _index: int) -> None:
        self._extra = ()
        self._fill_ops()
        self._kind = ""                        # a new column: fresh values
        self._make_value_editor()
        self.changed.emit()

    def _on_op_changed(self, _index: int) -> None:
        self._make_value_editor()
        self.changed.emit()
