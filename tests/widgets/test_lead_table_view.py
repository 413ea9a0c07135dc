"""LeadTableView driven like a user: chips, the search box, clicking rows, and a rendering."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from scoring.column_types import ColumnType as T
from scoring.evaluate.engine import Scorer
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from scoring.sample import SAMPLE_TODAY
from widgets.lead_table_view import LeadTableView
from tools.screens import layout_problems

ROOT = Path(__file__).resolve().parents[2]
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
FRAME = pd.DataFrame({
    "name": pd.Series(["bob", "Ann", None, "cid", "ann", "Dee"], dtype="str"),
    "source": pd.Categorical(["Web", "Ads", "Web", None, "Ads", "Events"]),
    "employees": pd.array([10, None, 300, 5, 10, 40], dtype="Int64"),
})
TYPES = {"name": T.TEXT, "source": T.CATEGORY, "employees": T.INTEGER}
TOTAL = np.array([30.0, 55, 10, 70, 56, 0])
BLOCKED = np.array([False, False, False, True, False, True])
MQL = (TOTAL >= 50) & ~BLOCKED


@pytest.fixture
def view(qtbot):
    view = LeadTableView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.set_frame(FRAME, TYPES)
    view.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    return view


def shown_rows(view):
    return [view.model.frame_row(r) for r in range(view.model.rowCount())]


def click_row(qtbot, view, row):
    rect = view.table.visualRect(view.model.index(row, 4))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_chips_show_counts_and_filter_the_table(qtbot, view):
    assert [c.text() for c in view.chips.values()] == ["All · 6", "MQLs · 2", "Not MQLs · 4", "Blocked · 2"]
    qtbot.mouseClick(view.chips["mql"], Qt.MouseButton.LeftButton)
    assert shown_rows(view) == [4, 1] and view.model.row_filter() == "mql"
    qtbot.mouseClick(view.chips["blocked"], Qt.MouseButton.LeftButton)
    assert sorted(shown_rows(view)) == [3, 5]
    assert view.chips["blocked"].isChecked() and not view.chips["mql"].isChecked()
    view.set_row_filter("all")                       # from the menu: the chip follows
    assert view.chips["all"].isChecked() and view.model.rowCount() == 6


def test_chips_wait_for_scores(qtbot):
    view = LeadTableView()
    qtbot.addWidget(view)
    view.set_frame(FRAME, TYPES)
    assert view.chips["all"].text() == "All · 6" and view.chips["all"].isEnabled()
    assert not view.chips["mql"].isEnabled()
    assert view.table.horizontalHeader().sortIndicatorSection() == -1


def test_first_scores_sort_best_first_and_the_header_shows_it(view):
    assert shown_rows(view) == [3, 4, 1, 0, 2, 5]
    header = view.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, DESC)
    view.table.sortByColumn(4, ASC)
    assert [view.model.index(r, 4).data() for r in range(6)] == ["Ann", "ann", "bob", "cid", "Dee", ""]
    view.set_scores(TOTAL + 1, TOTAL, TOTAL, MQL, BLOCKED)     # later scores keep the user's sort
    assert view.model.sort_column() == (4, ASC)


def test_search_waits_for_a_pause_and_clearing_shows_every_lead(qtbot, view):
    qtbot.keyClicks(view.search, "ADS")
    assert view.model.rowCount() == 6                          # debounced: not yet
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert sorted(shown_rows(view)) == [1, 4]
    assert view.chips["mql"].text() == "MQLs · 2" and view.chips["all"].text() == "All · 2"
    view.search.clear()
    assert view.model.rowCount() == 6
    qtbot.keyClicks(view.search, "dee")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)             # Enter searches at once
    assert shown_rows(view) == [5]
    view.show()
    view.search.setFocus()
    qtbot.waitUntil(view.search.hasFocus)
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)             # Escape clears
    assert view.search.text() == "" and view.model.rowCount() == 6


def test_clicking_a_row_selects_its_lead(qtbot, view):
    with qtbot.waitSignal(view.leadSelected) as signal:
        click_row(qtbot, view, 1)
    assert signal.args == [4] and view.current_frame_row() == 4
    with qtbot.waitSignal(view.leadSelected) as signal:
        click_row(qtbot, view, 0)
    assert signal.args == [3]


def test_selection_follows_sorts_and_clears_when_filtered_out(qtbot, view):
    click_row(qtbot, view, 2)                                  # frame row 1
    with qtbot.assertNotEmitted(view.leadSelected):
        view.table.sortByColumn(4, ASC)
    assert view.current_frame_row() == 1 and view.table.currentIndex().row() == 0
    with qtbot.waitSignal(view.leadSelected) as signal:
        view.set_row_filter("blocked")
    assert signal.args == [-1]
    view.set_row_filter("all")
    click_row(qtbot, view, 3)
    with qtbot.waitSignal(view.leadSelected) as signal:
        view.table.clearSelection()
    assert signal.args == [-1]


def test_no_lead_list_shows_an_empty_table_without_chips(qtbot, view):
    view.show()
    view.set_frame(None)
    assert view.model.rowCount() == 0 and view.model.columnCount() == 0
    assert not view.chips["all"].isVisible() and not view.search.isEnabled()
    view.set_frame(FRAME, TYPES)
    assert view.chips["all"].isVisible() and view.search.isEnabled()


def test_columns_get_widths_from_a_sample_of_rows(view):
    widths = [view.table.columnWidth(c) for c in range(view.model.columnCount())]
    assert all(56 <= w <= 280 for w in widths)
    assert widths[2] > widths[1]                               # "Engagement" is a longer header


def test_render_a_realistic_list(qtbot):
    table = load_leads(ROOT / "resources" / "sample_leads.csv")
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    result = Scorer(table, as_of=SAMPLE_TODAY).score(model)
    view = LeadTableView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.set_frame(table.frame, table.types)
    view.set_scores(result.total, result.fit, result.engagement, result.mql, result.blocked)
    view.show()
    qtbot.waitExposed(view)
    view.table.selectRow(2)
    assert layout_problems(view) == []
    assert all(chip.width() >= chip.sizeHint().width() for chip in view.chips.values())
    assert view.chips["mql"].text() == f"MQLs · {int(result.n_mql):,}"
    assert view.model.index(0, 3).data() == "✔ MQL"


@pytest.mark.slow
def test_a_million_rows_in_the_view(qtbot):
    n = 1_000_000
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({
        "company": pd.Series(rng.choice(np.array(["Acme", "Globex", None], object), n), dtype="str"),
        "email": pd.Series([f"lead{i}@example.com" for i in range(n)], dtype="str"),
        "employees": pd.array(rng.integers(1, 5000, n), dtype="Int64"),
    })
    total = rng.uniform(0, 100, n)
    view = LeadTableView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    view.set_frame(frame, {"company": T.TEXT, "email": T.EMAIL, "employees": T.INTEGER})
    view.set_scores(total, total, total, total > 60, total < 1)
    assert view.chips["mql"].text() == f"MQLs · {int((total > 60).sum()):,}"
    view.table.sortByColumn(5, DESC)
    assert view.model.index(0, 5).data() == "lead9@example.com"           # text order, not numeric
    qtbot.mouseClick(view.chips["mql"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.search, "lead12345")
    qtbot.waitUntil(lambda: view.model.rowCount() < 20)
    view.table.scrollToBottom()
    assert not view.grab().isNull()
