"""Cells of the columns panel: value formatting, the fill-rate bar, the tag badge and the table
of a column's most common values."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTableWidget, QTableWidgetItem)

from scoring.reading.numbers import NumberFormat, currency_text
from scoring.reading.profiling import ColumnProfile
from widgets.cell_text import clipped
from widgets.theme import colour

__all__ = ["FillDelegate", "TagDelegate", "TopValuesTable", "plain_text", "short_text", "shown_text", "number_text",
           "top_values_text",
           "VALUE_ROLE", "FILL_ROLE"]

#: Item data role holding a value's plain text (or a column's name).
VALUE_ROLE = Qt.ItemDataRole.UserRole
#: Item data role holding a fill rate in 0..1 for :class:`FillDelegate`.
FILL_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def plain_text(value) -> str:
    """A cell value as its text: dates as 2026-03-01, whole floats without ".0"."""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M") if getattr(value, "hour", 0) or getattr(
            value, "minute", 0) else value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_text(value) -> str:
    """A value as a cell or tooltip shows it: its text, clipped (``widgets.cell_text``)."""
    return clipped(plain_text(value))


def number_text(value, number_format: NumberFormat | None) -> str:
    """A value as shown, a number in its column's currency or as a percentage when it has one."""
    if number_format is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        return currency_text(value, number_format)
    return shown_text(value)


def short_text(value, limit: int = 28) -> str:
    text = plain_text(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def top_values_text(profile: ColumnProfile, limit: int = 3) -> str:
    """"Google 2,868 · Direct Traffic 2,543 · Olark Chat 1,755" (empty when the column is empty)."""
    return " · ".join(f"{short_text(v, 24)} {n:,}" for v, n in profile.top[:limit])


class FillDelegate(QStyledItemDelegate):
    """Paints the fill rate as a small bar left of the right-aligned percentage."""

    _BAR = 26

    def paint(self, painter: QPainter, option, index) -> None:
        super().paint(painter, option, index)
        rate = index.data(FILL_ROLE)
        if rate is None or option.rect.width() < self._BAR + 40:
            return
        rect = QRectF(option.rect.x() + 4, option.rect.center().y() - 3, self._BAR, 6)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(128, 128, 128, 60))
        painter.drawRect(rect)
        painter.setBrush(colour("bar_good" if rate >= 0.5 else "bar_low"))
        painter.drawRect(QRectF(rect.x(), rect.y(), rect.width() * float(rate), rect.height()))
        painter.restore()


class TagDelegate(QStyledItemDelegate):
    """Paints a tag as a small rounded badge."""

    def paint(self, painter: QPainter, option, index) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            super().paint(painter, option, index)
            return
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, widget)
        metrics = option.fontMetrics
        width = min(metrics.horizontalAdvance(text) + 12, option.rect.width() - 4)
        height = min(metrics.height() + 2, option.rect.height() - 2)
        badge = QRectF(option.rect.x() + 2, option.rect.center().y() - height / 2 + 0.5, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour("pill_bg"))
        painter.drawRoundedRect(badge, 6, 6)
        painter.setPen(colour("pill_fg"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter,
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 8))
        painter.restore()


class TopValuesTable(QTableWidget):
    """The ten most common values of a column with their counts and shares."""

    def __init__(self) -> None:
        super().__init__(0, 3, objectName="columnTopValues")
        self.setHorizontalHeaderLabels(["Value", "Leads", "Share"])
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def set_values(self, top: list[tuple[object, int]], count: int,
                   number_format: NumberFormat | None = None) -> None:
        """The values with their counts; numbers of a column with a ``number_format`` are shown
        with its currency or as percentages ("€ 1,500.00", "12.5%")."""
        self.setRowCount(len(top))
        for row, (value, n) in enumerate(top):
            item = QTableWidgetItem(number_text(value, number_format))
            item.setData(VALUE_ROLE, plain_text(value))
            item.setToolTip(shown_text(value))
            cells = [item, QTableWidgetItem(f"{n:,}"), QTableWidgetItem(f"{n / count:.1%}" if count else "")]
            for column, cell in enumerate(cells):
                if column:
                    cell.setTextAlignment(_RIGHT)
                self.setItem(row, column, cell)

    def setCurrentRow(self, row: int) -> None:  # noqa: N802 - mirrors QListWidget
        self.setCurrentCell(row, 0)

    def current_value(self) -> str | None:
        row = self.currentRow()
        item = self.item(row, 0) if row >= 0 else None
        return item.data(VALUE_ROLE) if item is not None else None
