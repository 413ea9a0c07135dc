"""A Parquet lead list opened in the window, from the Open dialog or dropped on it, shows its rows."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from scoring.column_types import ColumnType as T
from tests.app.dialogs import when_dialog_opens


def _leads(tmp_path):
    path = tmp_path / "warehouse export.parquet"
    table = pa.table({
        "email": ["ann@acme.io", "bob@beta.io", "cid@gamma.io"],
        "employees": pa.array([120, None, 4500], pa.int32()),
        "demo_requested": [True, False, True],
        "created": pa.array([dt.datetime(2026, 10, 1, 9, 30), dt.datetime(2026, 10, 2, 14, 0), None],
                            pa.timestamp("ms", "UTC")),
    })
    pq.write_table(table, path)
    return path


def test_the_open_dialog_offers_parquet_and_the_rows_are_shown(qtbot, window, tmp_path, monkeypatch):
    path = _leads(tmp_path)
    offered = []

    def choose(_parent, _caption, _folder, filters):
        offered.append(filters)
        return str(path), filters.split(";;")[0]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.actions.open_file.trigger()
    assert "*.parquet" in offered[0].split(";;")[0] and "Parquet (*.parquet)" in offered[0]
    table = window.doc.table
    assert table.source == str(path) and table.n_rows == 3
    assert table.types["employees"] == T.INTEGER and table.types["created"] == T.DATETIME
    view = window.lead_view.model
    assert view.rowCount() == 3
    headers = [view.headerData(c, Qt.Orientation.Horizontal) for c in range(view.columnCount())]
    emails = {view.data(view.index(r, headers.index("email"))) for r in range(3)}
    assert emails == {"ann@acme.io", "bob@beta.io", "cid@gamma.io"}
    assert window.stack.currentWidget() is window.splitter


def test_dropping_a_parquet_file_opens_it(qtbot, window, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(_leads(tmp_path)))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.dropEvent(event)
    assert window.doc.table.n_rows == 3 and window.lead_view.model.rowCount() == 3


def test_a_damaged_parquet_file_is_refused_in_one_sentence(qtbot, window, tmp_path):
    bad = tmp_path / "cut.parquet"
    bad.write_bytes(_leads(tmp_path).read_bytes()[:300])
    messages = []

    def read(dialog):
        messages.append(dialog.message_label.text())
        dialog.accept()

    when_dialog_opens(read)
    window.open_file(str(bad))
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert "cut.parquet: the Parquet file is cut short" in messages[0]
    assert window.doc.table is None
