"""Light table models for the Data quality panel: duplicate groups and the leads of one group.

Both sit over numpy arrays set once (no item per cell), so a list with a hundred thousand
groups opens at once; sorting is one numpy argsort.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from scoring.cells import cells_at
from widgets.cell_text import clipped
from widgets.fixed_headers import FixedHeadersModel

__all__ = ["GroupsTableModel", "MembersTableModel", "DuplicateRole"]

_Index = QModelIndex | QPersistentModelIndex


class DuplicateRole(IntEnum):
    """Custom roles: the lead list row a model row stands for."""

    LEAD_ROW = Qt.ItemDataRole.UserRole + 1


def _lead_number(row: int) -> str:
    return f"#{row + 1:,}"


def _text(value) -> str:
    """A cell as the lead table shows it: blank for missing, dates without a midnight time."""
    if value is None or value is pd.NaT or value is pd.NA \
            or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else str(value)
    return clipped(str(value))


def _largest_first(sizes: np.ndarray) -> np.ndarray:
    """Positions of ``sizes`` largest first, ties in their order: as 16-bit ranks numpy's stable
    sort is a radix sort (millions of groups in a few milliseconds, not a few hundred)."""
    if not len(sizes) or sizes.max() - sizes.min() >= np.iinfo(np.uint16).max:
        return np.argsort(-sizes, kind="stable")
    return np.argsort((sizes.max() - sizes).astype(np.uint16), kind="stable")


class GroupsTableModel(FixedHeadersModel):
    """One row per duplicate group: what its leads share, how many, which lead is kept."""

    HEADERS = ("Same email or name", "Leads", "Kept")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._keys = np.zeros(0, object)
        self._sizes = np.zeros(0, np.int64)
        self._kept = np.zeros(0, np.int64)
        self._order = np.zeros(0, np.int64)

    def set_groups(self, keys, sizes, kept) -> None:
        """Show these groups (arrays of equal length), largest first."""
        self.beginResetModel()
        self._keys = np.asarray(keys, object)
        self._sizes = np.asarray(sizes, np.int64)
        self._kept = np.asarray(kept, np.int64)
        self._order = _largest_first(self._sizes)
        self.endResetModel()

    def group_at(self, row: int) -> int:
        """The group number shown in view row ``row``."""
        return int(self._order[row])

    def view_row_of(self, group: int) -> int:
        return int(np.flatnonzero(self._order == group)[0])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._order)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        g = self._order[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(self._keys[g])
            if column == 1:
                return f"{int(self._sizes[g]):,}"
            return _lead_number(int(self._kept[g]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DuplicateRole.LEAD_ROW:
            return int(self._kept[g])
        return None


    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = (self._keys.astype(str) if column == 0 else self._sizes if column == 1
               else self._kept)
        new = np.argsort(key, kind="stable")
        if order == Qt.SortOrder.DescendingOrder:
            new = new[::-1]
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        groups = [int(self._order[i.row()]) for i in persistent]
        self._order = np.ascontiguousarray(new)
        where = {int(g): i for i, g in enumerate(self._order)}
        self.changePersistentIndexList(
            persistent, [self.index(where[g], i.column()) for g, i in zip(groups, persistent)])
        self.layoutChanged.emit()


class MembersTableModel(QAbstractTableModel):
    """The leads of one group: their number in the list, whether kept, and a few columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows = np.zeros(0, np.int64)
        self._kept = -1
        self._headers: list[str] = []
        self._frame: pd.DataFrame | None = None
        self._values: list[np.ndarray] = []       # per column, the cells of the members shown
        self._bold = QFont()
        self._bold.setBold(True)

    def set_columns(self, frame: pd.DataFrame | None) -> None:
        """The lead columns to show (only the cells of the group shown are read, so a list of
        ten million leads costs nothing here)."""
        self.beginResetModel()
        self._rows = np.zeros(0, np.int64)
        self._frame = frame
        self._headers = [str(c) for c in frame.columns] if frame is not None else []
        self._values = []
        self.endResetModel()

    def set_members(self, rows, kept: int) -> None:
        self.beginResetModel()
        self._rows = np.asarray(rows, np.int64)
        self._kept = int(kept)
        frame = self._frame
        self._values = [] if frame is None else [cells_at(frame[c], self._rows) for c in frame.columns]
        self.endResetModel()

    def lead_row(self, row: int) -> int:
        return int(self._rows[row])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else 2 + len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        lead = int(self._rows[index.row()])
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _lead_number(lead)
            if column == 1:
                return "kept" if lead == self._kept else "left out"
            return _text(self._values[column - 2][index.row()])
        if role == Qt.ItemDataRole.FontRole and lead == self._kept:
            return self._bold
        if role == DuplicateRole.LEAD_ROW:
            return lead
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        headers = ["Lead", "Export", *self._headers]
        return headers[section] if 0 <= section < len(headers) else None
