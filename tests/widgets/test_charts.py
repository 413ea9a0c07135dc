"""Charts take scoring's tables, update their items in place, and explain what is missing."""

import numpy as np
import pandas as pd

from scoring.insight.analytics import prepare_category, prepare_dates
from scoring.insight.conversion import conversion_by_source
from scoring.insight.distribution import score_histogram
from scoring.insight.timeline import mqls_over_time
from widgets.charts import TOP_SOURCES, ChartsPanel

TOTAL = np.array([5.0, 15, 25, 55, 65, 70])
MQL = TOTAL >= 50


def test_histogram_bars_and_threshold_line_update_in_place(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    chart = panel.histogram
    assert "Open a lead list" in chart.empty.text()
    mql_item = chart.mqls
    chart.set_histogram(score_histogram(TOTAL, MQL, 50), 50)
    assert chart.mqls is mql_item                                   # the same item, updated
    assert sum(chart.mqls.opts["y1"]) == MQL.sum()
    assert sum(np.asarray(chart.others.opts["y1"]) - np.asarray(chart.others.opts["y0"])) == (~MQL).sum()
    assert chart.line.value() == 50
    with qtbot.waitSignal(chart.thresholdDragged) as dragged:
        chart.line.setValue(42)
        chart.line.sigDragged.emit(chart.line)
    assert dragged.args == [42.0]
    assert "leads\tmqls" in chart.numbers().replace("left\tright\t", "")


def test_source_and_timeline_charts_or_their_empty_states(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    assert "Tag a source" in panel.sources.empty.text()
    assert "Tag a created-date" in panel.timeline.empty.text()
    source = prepare_category(pd.Series(["Web", "web ", "Ads", None, "Ads", "Ads"]), merge_variants=True)
    frame = conversion_by_source(source, MQL, won=np.array([0, 0, 1, 1, 1, 0], bool))
    panel.sources.set_conversion(frame)
    assert panel.sources.table.rowCount() == 3
    assert panel.sources.table.item(0, 0).text() == "Ads"
    # horizontal bars: lengths are the leads, the biggest source on top (the highest y)
    assert list(panel.sources.leads.opts["x1"]) == [3, 2, 1]
    assert list(panel.sources.leads.opts["y"]) == [2, 1, 0]
    ticks = dict(panel.sources.plot.getAxis("left")._tickLevels[0])
    assert [ticks[y] for y in (2.0, 1.0, 0.0)] == ["Ads", "Web", "(no source)"]
    dates = prepare_dates(pd.Series(pd.to_datetime(["2026-01-05", "2026-02-03", "2026-02-20",
                                                    "2026-03-01", None, "2026-03-09"])))
    panel.timeline.set_timeline(mqls_over_time(dates, MQL, "month"))
    x, y = panel.timeline.mqls.getData()
    assert list(y) == [0, 0, 2] and len(x) == 3


def test_fit_engagement_grid_counts_per_cell(qtbot):
    from scoring.insight.distribution import fit_engagement_grid
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    fit = np.array([50.0, 50, 10, 0, 30, 45])
    engagement = np.array([60.0, 0, 60, 0, 30, 50])
    grid = fit_engagement_grid(fit, engagement, MQL, fit_edges=(15, 30, 45), engagement_edges=(15, 30, 45))
    panel.grid.set_grid(grid)
    assert panel.grid.table.item(0, 0).text() == "2 leads\n1 MQLs"      # A1: fit >= 45, engagement >= 45
    assert panel.grid.table.item(3, 3).text() == "1 leads\n1 MQLs"      # D4: both below 15
    assert int(grid.leads.sum()) == 6


# -- editors and save intents ------------------------------------------------------------------
from PySide6.QtCore import Qt  # noqa: E402

from scoring.insight.analytics import prepare_attribute  # noqa: E402
from scoring.insight.conversion import attribute_insight, cost_per_source  # noqa: E402
from scoring.insight.funnel import funnel  # noqa: E402
from widgets.attribute_insight import AttributeInsightView  # noqa: E402
from widgets.backtest_panel import BacktestPanel  # noqa: E402
from widgets.band_editor import BandEdgeEditor  # noqa: E402
from widgets.cost_chart import parse_amount  # noqa: E402
from widgets.funnel_chart import StageOrderEditor  # noqa: E402


def test_every_chart_emits_its_id_to_save_or_export_and_is_disabled_while_empty(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    assert not panel.histogram.png_button.isEnabled() and panel.histogram.numbers() == ""
    panel.histogram.set_histogram(score_histogram(TOTAL, MQL, 50), 50)
    for chart_id in ("histogram", "timeline", "sources", "grid", "funnel", "cost"):
        chart = panel.chart(chart_id)
        chart.show_chart(pd.DataFrame({"x": [1]}))
        with qtbot.waitSignal(panel.savePngRequested) as png:
            chart.png_button.click()
        with qtbot.waitSignal(panel.exportCsvRequested) as csv:
            chart.csv_button.click()
        assert png.args == [chart_id] and csv.args == [chart_id]
    assert panel.chart("histogram").numbers_frame()["x"].tolist() == [1]


def test_granularity_box_offers_automatic_first_and_emits_the_choice(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    box = panel.timeline.granularity
    assert [box.itemText(i) for i in range(box.count())] == ["Automatic", "Day", "Week", "Month", "Quarter"]
    assert panel.timeline.chosen_granularity() is None
    with qtbot.waitSignal(panel.timeline.granularityChosen) as chosen:
        box.setCurrentIndex(2)
    assert chosen.args == ["week"]
    with qtbot.waitSignal(panel.timeline.granularityChosen) as chosen:
        box.setCurrentIndex(0)
    assert chosen.args == [None]


def test_band_edges_are_emitted_only_when_they_go_up(qtbot):
    editor = BandEdgeEditor()
    qtbot.addWidget(editor)
    editor.set_edges("fit", (10, 20, 30), custom=False)
    editor.set_edges("engagement", (5, 15, 25), custom=True)
    assert not editor.automatic["fit"].isEnabled() and editor.automatic["engagement"].isEnabled()
    with qtbot.waitSignal(editor.bandEdgesEdited) as edited:
        editor.boxes["fit"][1].setValue(22.5)
    assert edited.args == ["fit", (10.0, 22.5, 30.0)]
    with qtbot.assertNotEmitted(editor.bandEdgesEdited):
        editor.boxes["fit"][0].setValue(40)               # 40, 22.5, 30: not increasing
    assert editor.message.isVisibleTo(editor) and "must go up" in editor.message.text()
    with qtbot.waitSignal(editor.bandEdgesEdited) as edited:
        editor.boxes["fit"][0].setValue(12)
    assert edited.args == ["fit", (12.0, 22.5, 30.0)] and not editor.message.isVisibleTo(editor)
    with qtbot.waitSignal(editor.bandEdgesEdited) as edited:
        editor.automatic["engagement"].click()
    assert edited.args == ["engagement", None]


STAGES = [("Lead", 40), ("SQL", 9), ("Customer", 5), ("Opportunity", 3)]


def test_stage_list_ticks_and_moves_stages(qtbot):
    editor = StageOrderEditor()
    qtbot.addWidget(editor)
    editor.set_values(STAGES, ("SQL", "Opportunity"))
    assert editor.values() == ("SQL", "Opportunity", "Lead", "Customer")   # the order on top
    assert editor.order() == ("SQL", "Opportunity")
    assert editor.list.item(2).text() == "Lead  (40)"
    with qtbot.waitSignal(editor.stageOrderEdited) as edited:
        editor.list.item(3).setCheckState(Qt.CheckState.Checked)
    assert edited.args == [("SQL", "Opportunity", "Customer")]
    editor.list.setCurrentRow(3)
    with qtbot.waitSignal(editor.stageOrderEdited) as edited:
        editor.up_button.click()
    with qtbot.waitSignal(editor.stageOrderEdited) as edited:
        editor.up_button.click()
    assert edited.args == [("SQL", "Customer", "Opportunity")]
    with qtbot.waitSignal(editor.stageOrderEdited) as edited:    # a drag moves rows the same way
        editor.list.model().moveRow(editor.list.rootIndex(), 0, editor.list.rootIndex(), 3)
    assert edited.args == [("Customer", "Opportunity", "SQL")]
    with qtbot.assertNotEmitted(editor.stageOrderEdited):
        editor.set_values(STAGES, ("Customer",))
    assert editor.order() == ("Customer",)


def test_funnel_bars_and_table_follow_the_steps(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    assert "Tag a stage" in panel.funnel.empty.text()
    stage = prepare_category(pd.Series(["Lead", "SQL", "Customer", "SQL", None, "Lead"]))
    frame = funnel(stage, MQL, ["SQL", "Customer"])
    panel.funnel.set_stage_values([("Lead", 2), ("SQL", 2), ("Customer", 1)], ("SQL", "Customer"))
    panel.funnel.set_funnel(frame)
    assert list(panel.funnel.leads.opts["width"]) == [6, 3, 3, 1]
    assert panel.funnel.table.item(2, 0).text() == "SQL"
    assert panel.funnel.table.item(2, 3).text() == "100.0%"           # 3 of the 3 MQLs' step
    assert panel.funnel.table.item(3, 3).text() == "33.3%"


def test_spend_editor_reads_amounts_and_refuses_other_text(qtbot):
    assert parse_amount("$12,000") == 12000 and parse_amount(" 850.5 ") == 850.5
    assert parse_amount("") is None
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    editor = panel.cost.editor
    panel.cost.set_sources(["Ads", "Web"], (("Events", 100.0),))
    assert editor.sources() == ("Ads", "Web", "Events")
    assert "not in this list" in editor.table.item(2, 0).text()
    with qtbot.waitSignal(panel.cost.spendEdited) as edited:
        editor.table.item(0, 1).setText("1,200")
    assert edited.args == [(("Ads", 1200.0), ("Events", 100.0))]
    with qtbot.assertNotEmitted(panel.cost.spendEdited):
        editor.table.item(1, 1).setText("lots")
    assert "not an amount" in editor.message.text()
    source = prepare_category(pd.Series(["Ads", "Ads", "Web", "Web", "Web", "Ads"]))
    frame = cost_per_source(source, MQL, {"Ads": 1200.0})
    panel.cost.set_cost(frame)
    assert panel.cost.table.item(0, 0).text() == "Ads"
    assert list(panel.cost.per_mql.opts["height"]) == [1200.0]           # 1 of the 3 Ads leads is an MQL
    assert list(panel.cost.per_lead.opts["height"]) == [400.0]


def test_backtest_panel_outcome_mapping_and_attribute_insight(qtbot):
    panel = BacktestPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_outcome("Status", [("Lost", 30), ("Won", 12), ("Open", 3)], ("Won",), guessed=True)
    assert panel.mapping.isVisible() and panel.mapping.won_values() == ("Won",)
    assert not panel.mapping.guess_button.isEnabled()
    with qtbot.waitSignal(panel.wonValuesEdited) as edited:
        panel.mapping.list.item(2).setCheckState(Qt.CheckState.Checked)
    assert edited.args == [("Won", "Open")]
    panel.set_outcome("Status", [("Lost", 30), ("Won", 12)], ("Lost",), guessed=False)
    with qtbot.waitSignal(panel.wonValuesEdited) as edited:
        panel.mapping.guess_button.click()
    assert edited.args == [None]
    panel.set_outcome("Closed on", is_date=True)
    assert "every lead with a date counts as won" in panel.mapping.hint.text()
    assert not panel.mapping.list.isVisible()
    panel.set_outcome(None)
    assert not panel.mapping.isVisible()

    plan = pd.Series(["Pro"] * 40 + ["Free"] * 40 + ["Team"] * 5)
    won = np.array([1] * 20 + [0] * 20 + [1] * 4 + [0] * 36 + [1] * 5, bool)
    frame = attribute_insight([prepare_attribute(plan, name="plan")], won, min_count=10)
    panel.set_attributes(frame, ["plan", "size"], ["plan"])
    view: AttributeInsightView = panel.attributes
    table = view.table
    assert [table.item(r, 1).text() for r in range(3)] == ["Pro", "Free", "Team"]
    assert table.item(0, 5).text() == f"{0.5 / (29 / 85):.2f}×"            # lift over 29/85
    assert table.item(2, 7).text() == "too few leads to trust"            # 5 leads < 10
    assert "only 5 leads" in table.item(2, 7).toolTip()
    assert view.chosen() == ("plan",)
    with qtbot.waitSignal(panel.attributeColumnsChosen) as chosen:
        view.menu.actions()[1].setChecked(True)
    assert chosen.args == [("plan", "size")]


def test_cost_table_shows_won_and_revenue_per_mql_when_they_are_known(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    source = prepare_category(pd.Series(["Ads", "Ads", "Web", "Web", "Web", "Ads"]))
    won = np.array([0, 0, 0, 1, 1, 1], bool)
    amount = np.array([np.nan, 5.0, 7.0, 100.0, 300.0, 1000.0])
    panel.cost.set_cost(cost_per_source(source, MQL, {"Ads": 500.0, "Web": 40.0}, won=won,
                                        amount=amount))
    table = panel.cost.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[-4:] == ["Per won", "Revenue", "Revenue/MQL", "Return"]
    column = headers.index("Revenue/MQL")
    assert table.item(0, column).text() == "1,000"       # Ads: one won MQL worth 1,000
    assert table.item(1, column).text() == "200"         # Web: 400 over its two MQLs
    assert table.item(1, column + 1).text() == "10.0×"   # 400 back on 40 spent


def test_funnel_step_labels_never_round_to_all_or_none():
    from widgets.funnel_chart import _short_pct

    assert [_short_pct(r) for r in (0.997, 1.0, 0.5, 0.002, 0.0)] == ["99.7%", "100%", "50%", "0.2%", "0%"]


def test_fewer_automatic_edges_show_fewer_boxes_and_say_why(qtbot):
    editor = BandEdgeEditor()
    qtbot.addWidget(editor)
    editor.show()
    editor.set_edges("fit", (12.0,), custom=False)
    editor.set_edges("engagement", (), custom=False)
    assert [b.isVisible() for b in editor.boxes["fit"]] == [True, False, False]
    assert not any(b.isVisible() for b in editor.boxes["engagement"])
    assert not editor.message.isVisible()
    assert editor.few.text() == ("The fit scores take few values: 2 bands. "
                                 "The engagement scores take few values: 1 band.")
    with qtbot.waitSignal(editor.bandEdgesEdited) as edited:
        editor.boxes["fit"][0].setValue(15)
    assert edited.args == ["fit", (15.0,)]


def test_sources_beyond_the_top_twelve_fold_into_other(qtbot):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    names = [f"Source {i:02d}" for i in range(20)]
    values = pd.Series([n for i, n in enumerate(names) for _ in range(40 - i)])
    mql = np.zeros(len(values), bool)
    mql[::3] = True
    frame = conversion_by_source(prepare_category(values), mql, top=TOP_SOURCES)
    panel.sources.set_conversion(frame)
    table = panel.sources.table
    assert table.rowCount() == 13
    assert table.item(12, 0).text() == "Other (8 sources)"
    assert table.item(12, 1).text() == f"{sum(40 - i for i in range(12, 20)):,}"
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Source", "Leads", "MQLs", "Lead → MQL"]
    assert int(frame["leads"].sum()) == len(values) and int(frame["mqls"].sum()) == int(mql.sum())
