"""The installed PySide6 keeps Python's reference counts straight where Leadbench leans on it.

PySide6 6.12.0 dropped a reference to ``None`` every time C++ called a Python ``data()`` or
``headerData()`` override that returned ``None`` (what a model returns for a role it does not
serve). On Python 3.11, where ``None`` is an ordinary counted object, the window then aborted with
"Fatal Python error: none_dealloc" after some thousands of table repaints. pyproject.toml keeps that
release out; this test fails on any installed version that has the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

CALLS = 500


class _NoneModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else 3

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else 3

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        return None


def _none_refs_lost(call) -> int:
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return before - sys.getrefcount(None)


def test_overrides_returning_none_through_cpp_keep_none_alive(qapp):
    source = _NoneModel()
    proxy = QSortFilterProxyModel()           # C++: its data() calls the Python override
    proxy.setSourceModel(source)
    index = proxy.index(1, 1)
    lost_data = _none_refs_lost(lambda: proxy.data(index, Qt.ItemDataRole.BackgroundRole))
    lost_header = _none_refs_lost(
        lambda: proxy.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole))
    # a few references may come and go with caches; a leak loses one per call
    assert lost_data < CALLS // 10 and lost_header < CALLS // 10, (lost_data, lost_header)
