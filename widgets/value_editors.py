"""Value editors for rule conditions, one per operator value kind (see ``scoring.model.operators``).

``make_value_editor(kind, values)`` returns a ``ValueEditor``: ``value()`` gives the value as the
model stores it, ``set_value`` shows one, ``problem()`` says in plain words what is wrong.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QDateEdit, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from widgets.cell_text import clipped

__all__ = ["ValueEditor", "ListValueEditor", "NumberSpinBox", "make_value_editor"]

_VALUE = Qt.ItemDataRole.UserRole


class ValueEditor(QWidget):
    """Base editor; this base class itself is the editor for operators without a value.

    Signals
    -------
    changed()
        The value was edited.
    """

    changed = Signal()

    def value(self) -> Any:
        return None

    def set_value(self, value: Any) -> None:
        """Show ``value`` (a value as ``value()`` returns it; unusable values are ignored)."""

    def problem(self) -> str:
        """What is wrong with the value, "" when it is fine."""
        return ""


def _row(widget: QWidget, *children: QWidget) -> None:
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    for child in children:
        layout.addWidget(child)


class NumberSpinBox(QDoubleSpinBox):
    """A spin box for any number people type: "1,500", "0.125", "-3"; shows no trailing zeros."""

    def __init__(self, parent: QWidget | None = None, *, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent, objectName=objectName)
        self.setRange(-1e12, 1e12)
        self.setDecimals(6)
        self.setKeyboardTracking(True)
        self.setMinimumWidth(110)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        text = f"{value:,.6f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        try:
            return float(text.replace(",", "").replace(" ", ""))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        plain = text.replace(",", "").replace(" ", "")
        if plain in ("", "-", ".", "-."):
            return QValidator.State.Intermediate, text, pos
        try:
            number = float(plain)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        ok = self.minimum() <= number <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Invalid), text, pos


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


class _TextValue(ValueEditor):
    def __init__(self, regex: bool = False) -> None:
        super().__init__()
        self._regex = regex
        hint = "a pattern, e.g. @(gmail|yahoo)\\." if regex else "a value, e.g. director"
        self.edit = QLineEdit(objectName="valuePattern" if regex else "valueText", placeholderText=hint)
        _row(self, self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def problem(self) -> str:
        if not self.value():
            return "Enter a pattern" if self._regex else "Enter a value"
        if self._regex:
            try:
                re.compile(self.value())
            except re.error as exc:
                return f"The pattern is not a valid regular expression: {exc}"
        return ""


class _NumberValue(ValueEditor):
    def __init__(self) -> None:
        super().__init__()
        self.spin = NumberSpinBox(objectName="valueNumber")
        _row(self, self.spin)
        self.spin.valueChanged.connect(self.changed)
        self.spin.lineEdit().textEdited.connect(self.changed)

    def value(self) -> int | float:
        return _plain(self.spin.value())

    def set_value(self, value: Any) -> None:
        try:
            self.spin.setValue(float(value))
        except (TypeError, ValueError):
            pass

    def problem(self) -> str:
        return "" if self.spin.hasAcceptableInput() else "Enter a number"


class _DaysValue(ValueEditor):
    def __init__(self) -> None:
        super().__init__()
        self.spin = QSpinBox(objectName="valueDays", minimum=0, maximum=36_500, suffix=" days")
        self.spin.setValue(30)
        _row(self, self.spin)
        self.spin.valueChanged.connect(self.changed)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        try:
            self.spin.setValue(round(float(value)))
        except (TypeError, ValueError):
            pass


class _PairValue(ValueEditor):
    """Two numbers, "between A and B"."""

    def __init__(self) -> None:
        super().__init__()
        self.low = NumberSpinBox(objectName="valueLow")
        self.high = NumberSpinBox(objectName="valueHigh")
        self.high.setValue(100)
        _row(self, self.low, QLabel("and"), self.high)
        for spin in (self.low, self.high):
            spin.valueChanged.connect(self.changed)
            spin.lineEdit().textEdited.connect(self.changed)

    def value(self) -> tuple:
        return (_plain(self.low.value()), _plain(self.high.value()))

    def set_value(self, value: Any) -> None:
        try:
            low, high = (float(v) for v in value)
        except (TypeError, ValueError):
            return
        self.low.setValue(low)
        self.high.setValue(high)

    def problem(self) -> str:
        if not (self.low.hasAcceptableInput() and self.high.hasAcceptableInput()):
            return "Enter two numbers"
        if self.low.value() > self.high.value():
            return "The first number must not be larger than the second"
        return ""


def _date_edit(name: str, default: QDate) -> QDateEdit:
    edit = QDateEdit(objectName=name, calendarPopup=True, displayFormat="yyyy-MM-dd")
    edit.setDate(default)
    return edit


def _latest_date(values: Callable[[], list[tuple[str, int]]]) -> QDate:
    """The column's latest date (its values come newest first), else today."""
    for text, _count in values()[:1]:
        try:
            day = date.fromisoformat(str(text).strip()[:10])
        except ValueError:
            break
        return QDate(day.year, day.month, day.day)
    return QDate.currentDate()


def _set_date(edit: QDateEdit, value: Any) -> bool:
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return False
    edit.setDate(QDate(day.year, day.month, day.day))
    return True


class _DateValue(ValueEditor):
    def __init__(self, default: QDate) -> None:
        super().__init__()
        self.edit = _date_edit("valueDate", default)
        _row(self, self.edit)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> str:
        return self.edit.date().toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        _set_date(self.edit, value)


class _DatePairValue(ValueEditor):
    """Two dates, "between A and B" (``between`` on a date column)."""

    def __init__(self, default: QDate) -> None:
        super().__init__()
        self.low, self.high = _date_edit("valueDateLow", default.addDays(-30)), _date_edit("valueDateHigh", default)
        _row(self, self.low, QLabel("and"), self.high)
        for edit in (self.low, self.high):
            edit.dateChanged.connect(self.changed)

    def value(self) -> tuple[str, str]:
        return (self.low.date().toString("yyyy-MM-dd"), self.high.date().toString("yyyy-MM-dd"))

    def set_value(self, value: Any) -> None:
        if isinstance(value, (list, tuple)) and len(value) == 2:
            _set_date(self.low, value[0])
            _set_date(self.high, value[1])

    def problem(self) -> str:
        return "The first date must not be after the second" if self.low.date() > self.high.date() else ""


class ListValueEditor(ValueEditor):
    """A searchable multi-select of a column's distinct values with their counts, plus a field
    for values not in the list. On a number column the values are numbers."""

    def __init__(self, values: list[tuple[str, int]], numeric: bool = False) -> None:
        super().__init__()
        self._numeric = numeric
        self.filter = QLineEdit(objectName="valueFilter", placeholderText="Find a value…",
                                clearButtonEnabled=True)
        self.list = QListWidget(objectName="valueList")
        self.list.setMinimumHeight(120)
        self.list.setMaximumHeight(260)
        self.list.setUniformItemSizes(True)
        self.ticked = QLabel(objectName="valueTicked")
        self.ticked.setStyleSheet("color: palette(placeholder-text);")
        self.extra = QLineEdit(objectName="valueExtra", placeholderText="Add a value not in the list")
        self.add_button = QPushButton("Add", objectName="valueAdd")
        extra_row = QHBoxLayout()
        extra_row.addWidget(self.extra, 1)
        extra_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.ticked)
        layout.addLayout(extra_row)
        self.list.setUpdatesEnabled(False)
        for value, count in values:
            self._add_item(str(value), count)
        self.list.setUpdatesEnabled(True)
        self._update_ticked()
        self.filter.textChanged.connect(self._on_filter_changed)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.extra.returnPressed.connect(self._on_add_clicked)

    def _add_item(self, value: str, count: int | None, checked: bool = False) -> QListWidgetItem:
        shown = clipped(value)
        label = f"{shown}   ({count:,})" if count is not None else f"{shown}   (typed)"
        item = QListWidgetItem(label)
        item.setData(_VALUE, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _find(self, value: str) -> QListWidgetItem | None:
        key = value.strip().casefold()
        return next((i for i in self._items() if i.data(_VALUE).strip().casefold() == key), None)

    def _update_ticked(self) -> None:
        n = len(self.value())
        self.ticked.setText(f"{n} ticked" if n else "Tick the values to match")

    def _on_list_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_ticked()
        self.changed.emit()

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(needle) and needle not in item.data(_VALUE).casefold())

    def _on_add_clicked(self) -> None:
        text = self.extra.text().strip()
        if text and self._numeric and _number(text) is None:
            self.extra.setPlaceholderText(f"“{text}” is not a number")
            self.extra.clear()
            return
        if text:
            self.check(text)
            self.extra.clear()

    def check(self, value: str) -> None:
        """Tick ``value`` (added as a typed value when the column does not have it)."""
        item = self._find(value) or self._add_item(value, None)
        item.setCheckState(Qt.CheckState.Checked)

    def value(self) -> tuple:
        ticked = [i.data(_VALUE) for i in self._items() if i.checkState() == Qt.CheckState.Checked]
        if self._numeric:
            return tuple(n for n in (_number(v) for v in ticked) if n is not None)
        return tuple(ticked)

    def set_value(self, value: Any) -> None:
        values = list(value) if isinstance(value, (list, tuple)) else ([value] if value else [])
        self.list.blockSignals(True)
        for item in self._items():
            item.setCheckState(Qt.CheckState.Unchecked)
        for v in values:
            text = str(_plain(v)) if isinstance(v, float) else str(v)
            item = self._find(text)
            if item is None and self._numeric and _number(text) is not None:
                item = next((i for i in self._items() if _number(i.data(_VALUE)) == _number(text)), None)
            (item or self._add_item(text, None)).setCheckState(Qt.CheckState.Checked)
        self.list.blockSignals(False)
        self._update_ticked()
        self.changed.emit()

    def problem(self) -> str:
        return "" if self.value() else "Tick at least one value"


def _number(text: str) -> int | float | None:
    try:
        return _plain(float(str(text).replace(",", "")))
    except ValueError:
        return None


def make_value_editor(kind: str, values: Callable[[], list[tuple[str, int]]],
                      numeric: bool = False) -> ValueEditor:
    """The editor for a value kind (``scoring.model.operators.value_kind_for``).

    Parameters
    ----------
    kind : none, text, text_list, number, number_pair, days, date, date_pair or regex
    values : the column's distinct values with counts, called for text_list (the picker) and for
        dates (a date column's values come newest first: new dates start at the column's latest
        day, not today, so a list from 2018 gets 2018 dates)
    numeric : text_list on a number column (ticked values become numbers)
    """
    if kind == "text":
        return _TextValue()
    if kind == "regex":
        return _TextValue(regex=True)
    if kind == "number":
        return _NumberValue()
    if kind == "days":
        return _DaysValue()
    if kind == "number_pair":
        return _PairValue()
    if kind == "date":
        return _DateValue(_latest_date(values))
    if kind == "date_pair":
        return _DatePairValue(_latest_date(values))
    if kind == "text_list":
        return ListValueEditor(values(), numeric=numeric)
    return ValueEditor()
