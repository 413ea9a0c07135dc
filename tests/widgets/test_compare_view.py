"""The comparison view: headline, by source, differences, changed leads filtered and sorted."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from scoring.evaluate.engine import Scorer
from scoring.evaluate.result import ScoreResult
from scoring.handoff.compare import compare_results
from scoring.handoff.export import default_columns
from scoring.model.definition import Model
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE
from widgets.changed_leads_model import CHANGE_LABELS, ChangedLeadsModel
from widgets.compare_view import CompareView

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def sample():
    table = load_leads(SAMPLE)
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    scorer = Scorer(table, as_of=AS_OF)
    new = model.with_threshold(55).with_rule(7, replace(model.rules[7], enabled=False))
    comparison = compare_results(table, scorer.score(model), scorer.score(new))
    contacts = table.frame[default_columns(table)].take(comparison.rows)
    return table, comparison, contacts


@pytest.fixture
def view(qtbot, sample):
    w = CompareView()
    qtbot.addWidget(w)
    w.resize(1200, 720)
    _table, comparison, contacts = sample
    w.set_comparison(comparison, contacts)
    return w


def column_of(model, header: str) -> int:
    return next(j for j in range(model.columnCount())
                if model.headerData(j, Qt.Orientation.Horizontal) == header)


def texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_model_tester_in_every_state(qtmodeltester, sample):
    _table, comparison, contacts = sample
    model = ChangedLeadsModel()
    qtmodeltester.check(model)
    model.set_comparison(comparison, contacts)
    qtmodeltester.check(model)
    model.set_change_filter("left")
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_summary_sources_and_differences(view, sample):
    _table, c, _contacts = sample
    assert c.entered > 0 and c.left > 0
    assert view.headline.text() == (f"{c.entered:,} leads become MQLs, {c.left:,} stop being MQLs: "
                                    f"{c.mqls_before:,} → {c.mqls_after:,}")
    assert "threshold 65" in view.details.text() and "threshold 55" in view.details.text()
    assert view.source_title.text() == "MQLs by lead_source, before and after"
    assert view.sources.rowCount() == len(c.by_source)
    first = [view.sources.item(0, j).data(Qt.ItemDataRole.DisplayRole) for j in range(6)]
    assert first == list(c.by_source.iloc[0])
    assert [view.differences.item(i).text() for i in range(view.differences.count())] == [
        "MQL threshold lowered from 65 to 55", "Changed Attended a webinar: turned off"]
    assert view.filter_buttons["entered"].text() == f"Become MQLs ({c.entered:,})"
    assert view.shown.text() == f"Showing {c.n_changed:,} of {c.n_changed:,} changed leads"


def test_filters_show_entered_and_left(view, sample, qtbot):
    _table, c, _contacts = sample
    model = view.model
    assert texts(model, 0)[:1] == [CHANGE_LABELS[0]] and model.rowCount() == c.n_changed
    qtbot.mouseClick(view.filter_buttons["left"], Qt.MouseButton.LeftButton)
    assert model.rowCount() == c.left and set(texts(model, 0)) == {"Stops being MQL"}
    assert view.shown.text() == f"Showing {c.left:,} of {c.n_changed:,} changed leads"
    view.set_change_filter("entered")
    assert model.rowCount() == c.entered and view.filter_buttons["entered"].isChecked()
    rows = [model.frame_row(r) for r in range(model.rowCount())]
    assert rows == c.rows[c.change == 0].tolist()


def test_contacts_and_scores_line_up_with_the_lead_list(view, sample):
    table, c, _contacts = sample
    model = view.model
    name, before, after = (column_of(model, h) for h in ("first_name", "Score before", "Score after"))
    for r in (0, 5, model.rowCount() - 1):
        lead = model.frame_row(r)
        assert model.index(r, name).data() == table.frame["first_name"].iloc[lead]
        assert float(model.index(r, before).data()) == pytest.approx(c.old_score[r], abs=0.05)
        assert float(model.index(r, after).data()) == pytest.approx(c.new_score[r], abs=0.05)


def test_sorting_by_a_number_a_text_and_back(view, sample):
    _table, c, _contacts = sample
    model = view.model
    after = column_of(model, "Score after")
    view.table.sortByColumn(after, Qt.SortOrder.DescendingOrder)
    values = [float(v) for v in texts(model, after)]
    assert values == sorted(values, reverse=True) and len(values) == c.n_changed
    name = column_of(model, "last_name")
    view.table.sortByColumn(name, Qt.SortOrder.AscendingOrder)
    names = texts(model, name)
    assert names == sorted(names, key=str.casefold)
    model.sort(-1)
    assert [model.frame_row(r) for r in range(model.rowCount())] == c.rows.tolist()


def test_export_is_a_request_and_needs_changes(view, qtbot, sample):
    with qtbot.waitSignal(view.exportRequested):
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    table = sample[0]
    scorer = Scorer(table, as_of=AS_OF)
    same = scorer.score(Model(threshold=10))
    view.set_comparison(compare_results(table, same, same))
    assert not view.export_button.isEnabled()
    assert view.headline.text().startswith("No lead changes MQL status")
    assert view.differences.item(0).text().startswith("Nothing")
    assert not view.filter_buttons["entered"].isEnabled() and view.filter_buttons["all"].isEnabled()
    view.set_message("Scoring the saved version…")
    assert view.headline.text() == "Scoring the saved version…" and view.model.rowCount() == 0
    assert not view.filter_buttons["all"].isEnabled()


def _synthetic_result(total: np.ndarray, threshold: float) -> ScoreResult:
    n = len(total)
    zeros = np.zeros(n)
    return ScoreResult(Model(threshold=threshold), total, {"fit": total, "engagement": zeros},
                       {"fit": total, "engagement": zeros}, total >= threshold, np.zeros(n, bool),
                       (), (), np.zeros(0, np.int64))


def test_a_million_leads_stay_fast(qtbot):
    n = 1_000_000
    rng = np.random.default_rng(3)
    old_total = np.round(rng.uniform(0, 100, n), 1)
    new_total = np.where(rng.random(n) < 0.4, old_total + rng.integers(-10, 10, n), old_total)
    sources = pd.Categorical(rng.choice(["Web", "Partner", "Ads"], n))
    table = SimpleNamespace(frame=pd.DataFrame({"lead_source": sources}), n_rows=n, types={})
    c = compare_results(table, _synthetic_result(old_total, 50), _synthetic_result(new_total, 45))
    contacts = pd.DataFrame({"name": pd.array(rng.choice(["Ann", "bob", "Cid", None], c.n_changed),
                                              "string")})
    w = CompareView()
    qtbot.addWidget(w)
    start = time.perf_counter()
    w.set_comparison(c, contacts)
    w.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)        # change in score
    w.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)         # name (text)
    w.set_change_filter("entered")
    seconds = time.perf_counter() - start
    assert c.n_changed > 300_000 and w.model.rowCount() == c.entered
    assert seconds < 3.0, f"{c.n_changed:,} changed leads took {seconds:.2f} s"


def test_score_tooltips_list_the_reasons_before_and_after(sample):
    _table, comparison, contacts = sample
    model = ChangedLeadsModel()
    model.set_comparison(comparison, contacts)
    before, after = column_of(model, "Score before"), column_of(model, "Score after")
    tips = [(model.index(r, before).data(Qt.ItemDataRole.ToolTipRole),
             model.index(r, after).data(Qt.ItemDataRole.ToolTipRole)) for r in range(model.rowCount())]
    old, new = comparison.reasons(0)
    assert tips[0] == (old.replace("; ", "\n") or "No scoring rule matched",
                       new.replace("; ", "\n") or "No scoring rule matched")
    assert any("capped at" in tip for pair in tips for tip in pair)
