"""Value editors for rule conditions, one per operator value kind (see scoring.operators)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QDateEdit, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

__all__ = ["ValueEditor", "make_value_editor"]


class ValueEditor(QWidget):
    """Base: ``value()`` returns the model value, ``set_value`` shows one, ``problem()`` says
    what is wrong ("" when valid).

    Signals
    -------
    changed(): the value was edited
    """

    changed = Signal()

    def value(self) -> Any:
        return None

    def set_value(self, value: Any) -> None:
        pass

    def problem(self) -> str:
        return ""


class _NoValue(ValueEditor):
    pass


class _TextValue(ValueEditor):
    def __init__(self, regex: bool = False) -> None:
        super().__init__()
        self._regex = regex
        self.edit = QLineEdit(objectName="valueText",
                              placeholderText="a pattern, e.g. @(gmail|yahoo)\\." if regex else "value")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def problem(self) -> str:
        if not self.value():
            return "Enter a value"
        if self._regex:
            try:
                re.compile(self.value())
            except re.error as exc:
                return f"The pattern is not a valid regular expression: {exc}"
        return ""


class _NumberValue(ValueEditor):
    def __init__(self, integer_days: bool = False) -> None:
        super().__init__()
        self.spin = QSpinBox(objectName="valueDays") if integer_days else QDoubleSpinBox(objectName="valueNumber")
        if integer_days:
            self.spin.setRange(0, 100_000)
            self.spin.setSuffix(" days")
            self.spin.setValue(30)
        else:
            self.spin.setRange(-1e12, 1e12)
            self.spin.setDecimals(2)
            self.spin.setGroupSeparatorShown(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        self.spin.valueChanged.connect(self.changed)

    def value(self):
        v = self.spin.value()
        return int(v) if float(v).is_integer() else v

    def set_value(self, value: Any) -> None:
        try:
            self.spin.setValue(float(value))
        except (TypeError, ValueError):
            pass


class _PairValue(ValueEditor):
    def __init__(self) -> None:
        super().__init__()
        self.low, self.high = QDoubleSpinBox(objectName="valueLow"), QDoubleSpinBox(objectName="valueHigh")
        for spin in (self.low, self.high):
            spin.setRange(-1e12, 1e12)
            spin.setDecimals(2)
            spin.setGroupSeparatorShown(True)
            spin.valueChanged.connect(self.changed)
        self.high.setValue(100)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.low)
        layout.addWidget(QLabel("and"))
        layout.addWidget(self.high)

    def value(self):
        return [_plain(self.low.value()), _plain(self.high.value())]

    def set_value(self, value: Any) -> None:
        try:
            low, high = value
            self.low.setValue(float(low))
            self.high.setValue(float(high))
        except (TypeError, ValueError):
            pass

    def problem(self) -> str:
        return "The first number must not be larger than the second" if self.low.value() > self.high.value() else ""


class _DateValue(ValueEditor):
    def __init__(self) -> None:
        super().__init__()
        self.edit = QDateEdit(objectName="valueDate", calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> str:
        return self.edit.date().toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        try:
            d = date.fromisoformat(str(value)[:10])
        except ValueError:
            return
        self.edit.setDate(QDate(d.year, d.month, d.day))


class _ListValue(ValueEditor):
    """A searchable multi-select of the column's distinct values with their counts, plus a field
    for values not in the list."""

    def __init__(self, values: list[tuple[str, int]]) -> None:
        super().__init__()
        self.filter = QLineEdit(objectName="valueFilter", placeholderText="Find a value…",
                                clearButtonEnabled=True)
        self.list = QListWidget(objectName="valueList")
        self.list.setMinimumHeight(140)
        self.extra = QLineEdit(objectName="valueExtra", placeholderText="Add a value not in the list")
        add = QPushButton("Add", objectName="valueAdd")
        row = QHBoxLayout()
        row.addWidget(self.extra, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        for value, count in values:
            self._add_item(value, count)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.list.itemChanged.connect(lambda _i: self.changed.emit())
        add.clicked.connect(self._on_add_clicked)
        self.extra.returnPressed.connect(self._on_add_clicked)

    def _add_item(self, value: str, count: int | None, checked: bool = False) -> QListWidgetItem:
        label = f"{value}    ({count:,})" if count is not None else f"{value}    (typed)"
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def _items(self):
        return [self.list.item(i) for i in range(self.list.count())]

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(needle) and needle not in item.data(Qt.ItemDataRole.UserRole).casefold())

    def _on_add_clicked(self) -> None:
        text = self.extra.text().strip()
        if not text:
            return
        existing = {i.data(Qt.ItemDataRole.UserRole).casefold(): i for i in self._items()}
        item = existing.get(text.casefold()) or self._add_item(text, None)
        item.setCheckState(Qt.CheckState.Checked)
        self.extra.clear()

    def check(self, value: str) -> None:
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole) == value:
                item.setCheckState(Qt.CheckState.Checked)
                return
        self._add_item(value, None, checked=True)

    def value(self) -> list[str]:
        return [i.data(Qt.ItemDataRole.UserRole) for i in self._items()
                if i.checkState() == Qt.CheckState.Checked]

    def set_value(self, value: Any) -> None:
        values = list(value) if isinstance(value, (list, tuple)) else ([value] if value else [])
        wanted = {str(v).casefold() for v in values}
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole).casefold() in wanted:
                wanted.discard(item.data(Qt.ItemDataRole.UserRole).casefold())
                item.setCheckState(Qt.CheckState.Checked)
        for v in values:
            if str(v).casefold() in wanted:
                self._add_item(_plain_text(v), None, checked=True)

    def problem(self) -> str:
        return "" if self.value() else "Tick at least one value"


def _plain(value: float):
    return int(value) if float(value).is_integer() else value


def _plain_text(value) -> str:
    return str(_plain(value)) if isinstance(value, float) else str(value)


def make_value_editor(kind: str, values: Callable[[], list[tuple[str, int]]]) -> ValueEditor:
    """The editor for an operator's ``value_kind``; ``values`` gives the column's distinct values."""
    if kind == "text":
        return _TextValue()
    if kind == "regex":
        return _TextValue(regex=True)
    if kind == "number":
        return _NumberValue()
    if kind == "days":
        return _NumberValue(integer_days=True)
    if kind == "number_pair":
        return _PairValue()
    if kind == "date":
        return _DateValue()
    if kind == "text_list":
        return _ListValue(values())
    return _NoValue()
