"""The rule editor's "in list" values: a big list's text columns are counted on a worker as soon
as the list is shown, with the counts the small lists get at once. ``WORKER_ROWS`` is lowered."""

from __future__ import annotations

import pytest

import app.value_counts as value_counts
from app import tasks
from tests.app.test_main_window import open_sample


def test_a_big_lists_text_values_are_counted_before_the_picker_asks(qtbot, window, monkeypatch):
    monkeypatch.setattr(value_counts, "WORKER_ROWS", 10)
    open_sample(qtbot, window)
    assert tasks.wait_all(within=window)
    qtbot.waitUntil(lambda: not tasks.busy(within=window), timeout=20000)
    frame = window.doc.table.frame
    expected = [(str(v), int(n)) for v, n in frame["company"].value_counts().head(2000).items()]

    def not_here(*_args):
        raise AssertionError("counted on the GUI thread")

    with monkeypatch.context() as patch:
        patch.setattr(value_counts, "counted", not_here)
        values = window.rules.value_counts("company")
    assert values == expected
    assert values[0][1] >= values[-1][1] and len(values) == frame["company"].nunique()
    assert window.rules.value_counts("industry")[0] == (
        str(frame["industry"].value_counts().index[0]), int(frame["industry"].value_counts().iloc[0]))


def test_a_small_lists_values_are_counted_when_asked(qtbot, window):
    open_sample(qtbot, window)
    frame = window.doc.table.frame
    values = window.rules.value_counts("company")
    assert values == [(str(v), int(n)) for v, n in frame["company"].value_counts().head(2000).items()]
    assert window.rules.value_counts("no such column") == []


@pytest.mark.parametrize("column", ["created_date"])
def test_dates_come_newest_first(qtbot, window, column):
    open_sample(qtbot, window)
    dates = [v for v, _n in window.rules.value_counts(column)]
    assert dates == sorted(dates, reverse=True) and len(dates[0]) == 10      # "2026-10-31"
