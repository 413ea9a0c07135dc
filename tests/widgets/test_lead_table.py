"""The lead table model and view: model tester, numpy sorting, filters, search, 1M rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from scoring.column_types import ColumnType as T
from widgets.lead_table_model import LeadRole, LeadTableModel
from widgets.lead_table_view import LeadTableView

FRAME = pd.DataFrame({
    "name": pd.Series(["bob", "Ann", None, "cid", "ann", "Dee"], dtype="str"),
    "source": pd.Categorical(["Web", "Ads", "Web", None, "Ads", "Events"]),
    "employees": pd.array([10, None, 300, 5, 10, 40], dtype="Int64"),
    "created": pd.to_datetime(["2026-01-02", None, "2025-05-01", "2026-03-04", "2026-01-02", "2024-01-01"]),
})
TYPES = {"name": T.TEXT, "source": T.CATEGORY, "employees": T.INTEGER, "created": T.DATE}
TOTAL = np.array([30.0, 55, 10, 70, 55, 0])
MQL = TOTAL >= 50
BLOCKED = np.array([False, False, False, True, False, True])
MQL &= ~BLOCKED


@pytest.fixture
def model(qtmodeltester):
    m = LeadTableModel()
    m.set_frame(FRAME, TYPES)
    m.set_scores(TOTAL, TOTAL / 2, TOTAL / 2, MQL, BLOCKED)
    return m


def column_texts(model, column):
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_model_tester_in_every_state(qtmodeltester):
    empty = LeadTableModel()
    qtmodeltester.check(empty)
    m = LeadTableModel()
    m.set_frame(FRAME, TYPES)
    qtmodeltester.check(m)
    m.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    qtmodeltester.check(m)
    m.sort(5, Qt.SortOrder.DescendingOrder)
    m.set_row_filter("mql")
    qtmodeltester.check(m)


def test_score_columns_come_first_and_mql_rows_are_marked(model):
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Score", "Fit", "Engagement", "MQL", "name", "source", "employees", "created"]
    assert column_texts(model, 3) == ["", "MQL", "", "Blocked", "MQL", "Blocked"]
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, 0).data(LeadRole.QUALIFIED) is True
    assert model.index(0, 6).data(Qt.ItemDataRole.TextAlignmentRole) is not None
    assert model.index(1, 6).data() == "" and model.index(0, 7).data() == "2026-01-02"
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole + 99) is None


@pytest.mark.parametrize("column", [4, 5, 6, 7, 0])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_is_stable_with_missing_last(model, column, order):
    model.sort(column, order)
    rows = [model.index(r, 0).data(LeadRole.FRAME_ROW) for r in range(model.rowCount())]
    keys = [model.index(r, column).data(LeadRole.SORT_VALUE) for r in range(model.rowCount())]
    present = [k for k in keys if k is not None]
    assert keys[:len(present)] == present                       # missing values last
    descending = order == Qt.SortOrder.DescendingOrder
    assert present == sorted(present, reverse=descending)
    for a, b in zip(range(len(present)), range(1, len(present))):
        if keys[a] == keys[b]:
            assert rows[a] < rows[b]                            # stable


def test_text_sort_ignores_case(model):
    model.sort(4, Qt.SortOrder.AscendingOrder)
    assert column_texts(model, 4) == ["Ann", "ann", "bob", "cid", "Dee", ""]


def test_persistent_indexes_follow_their_row_through_a_sort(model):
    index = QPersistentModelIndex(model.index(2, 4))
    frame_row = index.data(LeadRole.FRAME_ROW)
    model.sort(6, Qt.SortOrder.DescendingOrder)
    assert index.isValid() and index.data(LeadRole.FRAME_ROW) == frame_row


def test_filters_and_search_compose(model):
    model.set_row_filter("mql")
    assert model.rowCount() == 2 and model.filter_counts()["mql"] == 2
    model.set_row_filter("blocked")
    assert sorted(model.frame_row(r) for r in range(model.rowCount())) == [3, 5]
    model.set_row_filter("all")
    model.set_search("ADS")
    assert sorted(model.frame_row(r) for r in range(model.rowCount())) == [1, 4]
    model.set_row_filter("not_mql")
    assert model.rowCount() == 0
    model.set_search("2025-05")
    model.set_row_filter("all")
    assert [model.frame_row(r) for r in range(model.rowCount())] == [2]


def test_view_chips_search_and_selection(qtbot):
    view = LeadTableView()
    qtbot.addWidget(view)
    view.set_frame(FRAME, TYPES)
    view.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    assert view.chips["mql"].text() == "MQLs · 2"
    qtbot.mouseClick(view.chips["mql"], Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 2
    qtbot.mouseClick(view.chips["all"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.search, "dee")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    with qtbot.waitSignal(view.leadSelected) as blocker:
        view.table.selectRow(0)
    assert blocker.args == [5]


@pytest.mark.slow
def test_a_million_rows_stay_fast_enough_to_use(qtbot):
    n = 1_000_000
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "company": pd.Series(rng.choice(["Acme", "Globex", "Initech", None], n), dtype="str"),
        "source": pd.Categorical(rng.choice(["Web", "Ads", "Events"], n)),
        "employees": rng.integers(1, 5000, n).astype(float),
    })
    total = rng.uniform(0, 100, n)
    view = LeadTableView()
    qtbot.addWidget(view)
    view.set_frame(frame, {"company": T.TEXT, "source": T.CATEGORY, "employees": T.NUMBER})
    view.set_scores(total, total, total, total > 60, np.zeros(n, bool))
    model = view.model
    model.sort(4, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 4).data() == "Acme"
    model.set_row_filter("mql")
    assert model.rowCount() == int((total > 60).sum())
    model.set_search("glob")
    assert 0 < model.rowCount() < n
    view.resize(900, 600)
    view.show()
    view.table.scrollToBottom()
    assert view.grab().width() > 0
