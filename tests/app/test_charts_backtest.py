"""The Charts and Back-test tabs driven as a user would: spend, stages, granularity, band edges,
saving charts, the outcome mapping; every setting an undoable model edit saved with the model."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from app.chart_files import check_chart_target, chart_file_stem
from scoring.errors import ExportError
from scoring.model.model_file import load_model, save_model
from tests.conftest import SAMPLE


@pytest.fixture
def window(window, qtbot):
    """The shared window with the sample open."""
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.actions.open_sample.trigger()
    return window


def show(window, panel):
    tabs = window.centre_tabs
    for i in range(tabs.count()):
        if tabs.widget(i) is panel or tabs.widget(i).isAncestorOf(panel):
            tabs.setCurrentIndex(i)
    assert panel.isVisible()


def edit(qtbot, window, action):
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        action()


def test_typing_spend_shows_cost_per_mql_and_undo_takes_it_back(qtbot, window):
    charts = window.charts
    show(window, charts)
    cost = charts.cost
    assert "Type what you spent" in cost.empty.text() and not cost.has_chart
    table = cost.editor.table
    row = cost.editor.sources().index("Paid Search")
    edit(qtbot, window, lambda: table.item(row, 1).setText("24000"))
    assert window.doc.model.analysis.spend == (("Paid Search", 24000.0),)
    assert window.actions.undo.text() == "Undo Change spend per source"
    numbers = cost.numbers_frame()
    paid = numbers.iloc[0]
    mqls = int(window.doc.result.mql[window.doc.table.frame["lead_source"] == "Paid Search"].sum())
    assert paid["mqls"] == mqls and paid["cost_per_mql"] == pytest.approx(24000 / mqls)
    assert cost.per_mql.opts["height"][0] == pytest.approx(24000 / mqls)
    edit(qtbot, window, lambda: table.item(row, 1).setText("12000"))   # cost per MQL halves
    assert cost.numbers_frame().iloc[0]["cost_per_mql"] == pytest.approx(12000 / mqls)
    edit(qtbot, window, window.doc.undo_stack.undo)
    edit(qtbot, window, window.doc.undo_stack.undo)
    assert window.doc.model.analysis.spend == () and not cost.has_chart
    assert table.item(row, 1).text() == ""


def test_funnel_stages_reorder_and_untick(qtbot, window):
    charts = window.charts
    show(window, charts)
    funnel = charts.funnel
    assert funnel.editor.order() == ("SQL", "Opportunity", "Customer")      # guessed
    assert list(funnel.numbers_frame()["step"]) == ["Leads", "MQLs", "SQL", "Opportunity", "Customer"]
    editor = funnel.editor
    editor.list.setCurrentRow(2)                                          # Customer
    edit(qtbot, window, editor.up_button.click)
    assert window.doc.model.analysis.stage_order == ("SQL", "Customer", "Opportunity")
    assert list(funnel.numbers_frame()["step"])[2:] == ["SQL", "Customer", "Opportunity"]
    edit(qtbot, window, lambda: editor.list.item(0).setCheckState(Qt.CheckState.Unchecked))
    assert window.doc.model.analysis.stage_order == ("Customer", "Opportunity")
    frame = funnel.numbers_frame()
    customers = int((window.doc.table.frame["lifecycle_stage"].isin(["Customer", "Opportunity"])).sum())
    assert frame.iloc[2]["leads"] == customers                              # later stages count too
    assert window.actions.undo.text() == "Undo Change funnel stages"
    edit(qtbot, window, window.doc.undo_stack.undo)
    edit(qtbot, window, window.doc.undo_stack.undo)
    assert window.doc.model.analysis.stage_order is None
    assert editor.order() == ("SQL", "Opportunity", "Customer")


def test_granularity_changes_the_timeline_without_a_model_edit(qtbot, window):
    charts = window.charts
    show(window, charts)
    timeline = charts.timeline
    assert timeline.numbers_frame().attrs["granularity"] == "month"          # automatic
    steps = window.doc.undo_stack.count()
    timeline.granularity.setCurrentIndex(timeline.granularity.findData("week"))
    frame = timeline.numbers_frame()
    assert frame.attrs["granularity"] == "week" and len(frame) > 60
    assert frame["leads"].sum() + frame.attrs["undated"] == 5000
    assert len(timeline.leads.getData()[0]) == len(frame)
    timeline.granularity.setCurrentIndex(timeline.granularity.findData("quarter"))
    assert timeline.numbers_frame().attrs["granularity"] == "quarter"
    assert window.doc.undo_stack.count() == steps


def test_band_edges_edit_the_grid_and_undo(qtbot, window):
    charts = window.charts
    show(window, charts)
    grid = charts.grid
    assert window.doc.model.analysis.fit_bands is None
    assert grid.edges.edges("fit") == (12.5, 25.0, 37.5)                   # a quarter of the cap 50
    box = grid.edges.boxes["fit"][2]
    edit(qtbot, window, lambda: box.setValue(30))
    assert window.doc.model.analysis.fit_bands == (12.5, 25.0, 30.0)
    fit = window.doc.result.fit
    frame = grid.numbers_frame()
    assert frame[frame["fit_band"] == "A"]["leads"].sum() == int((fit >= 30).sum())
    assert "A  (fit ≥ 30)" == grid.table.verticalHeaderItem(0).text()
    with qtbot.assertNotEmitted(window.doc.scored, wait=100):
        grid.edges.boxes["fit"][0].setValue(35)                          # 35 > 25: held back
    assert window.doc.model.analysis.fit_bands == (12.5, 25.0, 30.0)
    assert "must go up" in grid.edges.message.text()
    edit(qtbot, window, window.doc.undo_stack.undo)
    assert window.doc.model.analysis.fit_bands is None
    assert grid.edges.edges("fit") == (12.5, 25.0, 37.5) and grid.edges.message.isHidden()


def test_save_png_and_export_csv_write_readable_files(qtbot, window, tmp_path, monkeypatch):
    charts = window.charts
    show(window, charts)
    asked = []
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()

    def fake_dialog(_parent, title, start, _filter):
        asked.append((title, start))
        return str(tmp_path / ("histogram" if "PNG" in title else "sources")), ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    charts.histogram.png_button.click()
    picture = QImage(str(tmp_path / "histogram.png"))
    assert not picture.isNull() and picture.width() > 200 and picture.height() > 150
    assert asked[0][1].endswith("score distribution.png")
    charts.sources.csv_button.click()
    back = pd.read_csv(tmp_path / "sources.csv")
    shown = charts.sources.numbers_frame()
    assert list(back.columns) == list(shown.columns)
    assert back["leads"].tolist() == shown["leads"].tolist()
    assert back["source"].tolist() == shown["source"].tolist()
    assert back["mql_rate"].tolist() == pytest.approx(shown["mql_rate"].tolist())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["histogram.png", "sources.csv"]   # no temp left


def test_the_lead_file_is_never_a_chart_target(tmp_path):
    lead_file = tmp_path / "leads.csv"
    lead_file.write_text("a\n1\n")
    with pytest.raises(ExportError, match="the file you are working on"):
        check_chart_target(lead_file, ".csv", [str(lead_file)])
    with pytest.raises(ExportError, match="does not exist"):
        check_chart_target(tmp_path / "nowhere" / "x.png", ".png")
    assert check_chart_target(tmp_path / "chart", ".png").name == "chart.png"
    assert chart_file_stem("Fit × engagement") == "fit engagement"


def test_exporting_over_the_lead_file_is_refused(qtbot, window, monkeypatch, tmp_path):
    from app import chart_files
    shown = []
    monkeypatch.setattr(chart_files, "show_error", lambda _p, title, message: shown.append(message))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a: (str(window.doc.table.source), "")))
    before = SAMPLE.read_bytes()
    show(window, window.charts)
    assert window.charts_controller.export_csv("sources") is None
    assert "working on" in shown[0] and SAMPLE.read_bytes() == before


def test_outcome_mapping_changes_precision_and_undo_restores(qtbot, window):
    panel = window.backtest
    show(window, panel)
    mapping = panel.mapping
    assert mapping.isVisible() and mapping.won_values() == (True,)
    before = panel.summary.text()
    assert "precision <b>50.2%</b>" in before
    # tick False too: every settled lead is won, so precision is 100%
    edit(qtbot, window, lambda: mapping.list.item(0).setCheckState(Qt.CheckState.Checked))
    assert set(window.doc.model.analysis.won_values) == {False, True}
    assert "precision <b>100.0%</b>" in panel.summary.text()
    assert window.actions.undo.text() == "Undo Change which outcomes are won"
    # untick both: nothing is won, the panel says what to do and keeps the mapping
    edit(qtbot, window, lambda: [mapping.list.item(i).setCheckState(Qt.CheckState.Unchecked)
                                 for i in range(2)])
    assert window.doc.model.analysis.won_values == ()
    assert "No lead counts as won" in panel.empty.text() and mapping.isVisible()
    while window.doc.model.analysis.won_values is not None:
        edit(qtbot, window, window.doc.undo_stack.undo)
    assert panel.summary.text() == before


def test_what_converts_lists_values_by_lift_and_marks_small_samples(qtbot, window):
    panel = window.backtest
    show(window, panel)
    table = panel.attributes.table
    assert table.rowCount() > 10
    chosen = panel.attributes.chosen()
    assert "lead_source" in chosen and "converted" not in chosen and "lifecycle_stage" not in chosen
    lifts = [float(table.item(r, 5).text().rstrip("×")) for r in range(table.rowCount())
             if table.item(r, 7).text() == ""]
    assert lifts == sorted(lifts, reverse=True)
    frame = window.doc.table.frame
    demo = frame["demo_requested"] == True  # noqa: E712
    rate = frame.loc[demo, "converted"].mean() / frame["converted"].mean()
    row = next(r for r in range(table.rowCount())
               if table.item(r, 0).text() == "demo_requested" and table.item(r, 1).text() == "Yes")
    assert table.item(row, 5).text() == f"{rate:.2f}×"
    action = next(a for a in panel.attributes.menu.actions() if a.data() == "lead_source")
    action.setChecked(False)
    assert "lead_source" not in {table.item(r, 0).text() for r in range(table.rowCount())}


def test_analysis_settings_are_saved_with_the_model(qtbot, window, tmp_path):
    show(window, window.charts)
    doc = window.doc
    edit(qtbot, window, lambda: doc.edit_model(doc.model.with_analysis(
        spend=(("LinkedIn", 5000.0),), won_values=(True,), stage_order=("SQL",),
        fit_bands=(10.0, 20.0, 30.0), engagement_bands=(5.0, 15.0, 45.0)), text="settings"))
    save_model(doc.model, tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again.analysis == doc.model.analysis
    assert window.charts.grid.edges.edges("engagement") == (5.0, 15.0, 45.0)
    assert window.charts.funnel.editor.order() == ("SQL",)
    assert window.charts.cost.numbers_frame()["source"].tolist() == ["LinkedIn"]


def test_merge_spellings_is_a_view_choice_of_the_sources_chart(qtbot, window, tmp_path):
    path = tmp_path / "spellings.csv"
    rows = ["Google"] * 5 + ["google "] * 3 + ["GOOGLE"] * 2 + ["Direct"] * 4
    path.write_text("email,lead_source\n" + "".join(f"l{i}@x.com,{s}\n" for i, s in enumerate(rows)))
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))
    sources = window.charts.sources
    show(window, sources)
    qtbot.waitUntil(lambda: sources.numbers_frame() is not None
                    and sources.numbers_frame()["leads"].sum() == 14)
    merged = sources.numbers_frame()
    assert merged["leads"].tolist() == [10, 4] and merged["source"].tolist()[0] == "Google"
    steps = window.doc.undo_stack.count()
    sources.merge_spellings.setChecked(False)
    apart = sources.numbers_frame()
    assert sorted(apart["leads"].tolist(), reverse=True) == [5, 4, 3, 2]
    assert sources.table.rowCount() == 4
    assert window.doc.undo_stack.count() == steps               # not a model edit
    sources.merge_spellings.setChecked(True)
    assert sources.numbers_frame()["leads"].tolist() == [10, 4]
