"""Big lists are sorted, filtered and searched on a worker (``app.table_rows``); what the view shows
afterwards is what a small list shows at once. ``BACKGROUND_ROWS`` is lowered so the lists stay small."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

import widgets.lead_table_model as lead_table_model
from app.table_rows import TableRows
from tests.app.test_main_window import open_sample
from widgets.lead_table_view import LeadTableView

COMPANIES = ["delta", "Alpha", "charlie", "bravo", "echo"]


@pytest.fixture
def big_threshold(monkeypatch):
    """Lists of 10 leads or more count as big."""
    monkeypatch.setattr(lead_table_model, "BACKGROUND_ROWS", 10)


@pytest.fixture
def computed_on(monkeypatch):
    """The thread of every row computation the table ran, in order."""
    threads = []
    real = lead_table_model.visible_rows

    def recording(query, **kwargs):
        threads.append(threading.get_ident())
        return real(query, **kwargs)

    monkeypatch.setattr(lead_table_model, "visible_rows", recording)
    return threads


def _view(qtbot, rows: int = 40) -> tuple[LeadTableView, TableRows]:
    frame = pd.DataFrame({"company": [COMPANIES[i % 5] for i in range(rows)],
                          "employees": np.arange(rows)[::-1] * 10})
    view = LeadTableView()
    qtbot.addWidget(view)
    worker = TableRows(view)
    view.model.set_background(worker)
    view.set_frame(frame)
    return view, worker


def _column(view, row: int, column: int = 0) -> list[str]:
    return [view.model.display_text(r, column) for r in range(row)]


def test_a_big_sort_runs_on_a_worker_and_the_view_shows_the_sorted_rows(qtbot, big_threshold, computed_on):
    view, _worker = _view(qtbot)
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert view.model.busy
    assert _column(view, 5) == COMPANIES            # the file's order until the sorted rows arrive
    qtbot.waitUntil(lambda: not view.model.busy)
    assert computed_on[-1] != threading.get_ident()
    assert _column(view, 40) == sorted(_column(view, 40), key=str.casefold)
    assert _column(view, 9) == ["Alpha"] * 8 + ["bravo"]


def test_a_big_search_and_row_filter_show_the_matching_leads_and_counts(qtbot, big_threshold, computed_on):
    view, _worker = _view(qtbot, rows=50)
    mql = np.arange(50) % 2 == 0
    view.set_scores(np.arange(50.0), np.arange(50.0), np.zeros(50), mql, np.zeros(50, bool))
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.display_text(0, 0) == "49"     # the first scores sort best first, on the worker
    view.search.setText("ALPH")
    view.search.returnPressed.emit()
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.rowCount() == 10
    assert set(_column(view, 10, 4)) == {"Alpha"}
    view.set_row_filter("mql")
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.rowCount() == 5                 # Alpha leads are rows 1, 6, 11...: odd and even
    assert view.chips["mql"].text() == "MQLs · 5" and view.chips["all"].text() == "All · 10"
    assert all(threading.get_ident() != t for t in computed_on)


def test_a_newer_sort_supersedes_the_pending_one(qtbot, big_threshold, monkeypatch):
    view, _worker = _view(qtbot)
    release = threading.Event()
    real = lead_table_model.visible_rows

    def slow_first(query, **kwargs):
        if query.sort == (0, False):          # the first sort waits until the second was asked for
            release.wait(10)
        return real(query, **kwargs)

    monkeypatch.setattr(lead_table_model, "visible_rows", slow_first)
    layouts = []
    view.model.layoutChanged.connect(lambda: layouts.append(view.model.sort_column()))
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    release.set()
    qtbot.waitUntil(lambda: not view.model.busy)
    qtbot.wait(50)                                     # the first sort's late result, if any, lands
    assert _column(view, 3, 1) == ["0", "10", "20"]
    assert layouts == [(1, Qt.SortOrder.AscendingOrder)]      # the company sort never showed
    assert view.table.horizontalHeader().sortIndicatorSection() == 1


def test_small_lists_sort_at_once_even_with_a_worker(qtbot, computed_on):
    view, _worker = _view(qtbot)
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert not view.model.busy
    assert _column(view, 3, 1) == ["0", "10", "20"]
    assert computed_on and set(computed_on) == {threading.get_ident()}


def test_the_window_sorts_filters_and_rescores_a_big_list_on_workers(qtbot, window, big_threshold, computed_on):
    result = open_sample(qtbot, window)
    view = window.lead_view
    qtbot.waitUntil(lambda: not view.model.busy)
    scores = [float(view.model.display_text(r, 0)) for r in range(50)]
    assert scores == sorted(scores, reverse=True)
    qtbot.mouseClick(view.chips["mql"], Qt.MouseButton.LeftButton)
    assert window.progress.isVisible() and "leads…" in window.progress.label.text()
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.rowCount() == result.n_mql
    assert {view.model.display_text(r, 3) for r in range(result.n_mql)} == {"✔ MQL"}
    model = window.doc.model
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.doc.edit_model(model.with_threshold(model.threshold + 10))
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.rowCount() == window.doc.result.n_mql < result.n_mql
    assert {view.model.display_text(r, 3) for r in range(view.model.rowCount())} == {"✔ MQL"}
    assert not window.progress.isVisible()
    assert threading.get_ident() not in computed_on


def test_a_big_new_list_shows_its_first_rows_at_once_then_all_of_them(qtbot, big_threshold, monkeypatch):
    monkeypatch.setattr(lead_table_model, "_INTERIM_ROWS", 7)
    view, _worker = _view(qtbot, rows=30)
    assert view.model.rowCount() == 7 and view.model.busy      # the first rows, in the file's order
    assert _column(view, 5) == COMPANIES
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.rowCount() == 30 and view.chips["all"].text() == "All · 30"
    view.set_frame(pd.DataFrame({"company": COMPANIES * 4}))      # scores come before all its rows
    view.model.set_scores(np.arange(20.0), np.zeros(20), np.zeros(20), np.ones(20, bool), np.zeros(20, bool))
    qtbot.waitUntil(lambda: not view.model.busy)
    assert view.model.rowCount() == 20                           # every row, in the file's order
    assert [view.model.display_text(r, 0) for r in range(3)] == ["0", "1", "2"]
