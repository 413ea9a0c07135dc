"""A table model base with a fixed tuple of column titles (``HEADERS``): the column count and the
horizontal header come from it, so a model writes only its rows and cells."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

__all__ = ["FixedHeadersModel"]

_Index = QModelIndex | QPersistentModelIndex


class FixedHeadersModel(QAbstractTableModel):
    """Subclasses set ``HEADERS`` and implement ``rowCount`` and ``data``."""

    HEADERS: tuple[str, ...] = ()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None
