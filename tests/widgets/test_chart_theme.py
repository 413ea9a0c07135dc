"""Charts and the back-test tables follow the light/dark palette: a switch recolours the same plot
items (background, axes, bars, lines, legend, title) and the baked cell colours, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication, QLabel

from app.appearance import dark_palette, light_palette
from scoring.insight.analytics import prepare_attribute, prepare_category, prepare_dates
from scoring.insight.backtest import backtest_summary
from scoring.insight.conversion import attribute_insight, cost_per_source
from scoring.insight.distribution import fit_engagement_grid, score_histogram
from scoring.insight.timeline import mqls_over_time
from widgets import theme
from widgets.backtest_panel import BacktestPanel
from widgets.charts import ChartsPanel

TOTAL = np.array([5.0, 15, 25, 55, 65, 70])
MQL = TOTAL >= 50
LIGHT, DARK = 0, 1


@pytest.fixture
def scheme():
    """Switch the application palette: ``scheme(DARK)`` / ``scheme(LIGHT)``; light again after."""
    app = QApplication.instance()

    def switch(which: int) -> None:
        app.setPalette(dark_palette() if which == DARK else light_palette())
        QApplication.processEvents()
        assert theme.is_dark() == (which == DARK)

    switch(LIGHT)
    yield switch
    switch(LIGHT)


def _c(name: str, which: int) -> str:
    return theme.COLOURS[name][which]


def _brush(item) -> str:
    return pg.mkBrush(item.opts["brush"]).color().name()


def _filled_panel(qtbot) -> ChartsPanel:
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    panel.histogram.set_histogram(score_histogram(TOTAL, MQL, 50), 50)
    dates = prepare_dates(pd.Series(pd.to_datetime(["2026-01-05", "2026-02-03", "2026-02-20",
                                                    "2026-03-01", None, "2026-03-09"])))
    panel.timeline.set_timeline(mqls_over_time(dates, MQL, "month"))
    source = prepare_category(pd.Series(["Ads", "Ads", "Web", "Web", "Web", "Ads"]))
    panel.cost.set_cost(cost_per_source(source, MQL, {"Ads": 1200.0}))
    return panel


def _histogram_colours(chart, which: int) -> None:
    plot = chart.plot
    assert plot.backgroundBrush().color().name() == _c("chart_bg", which)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        assert axis.pen().color().name() == _c("chart_axis", which)
        assert axis.textPen().color().name() == _c("chart_text", which)
    assert _brush(chart.mqls) == _c("chart_mql", which)
    assert _brush(chart.others) == _c("chart_other", which)
    assert chart.line.pen.color().name() == _c("chart_line", which)
    assert chart.line.label.color.name() == _c("chart_line", which)
    for _sample, label in plot.getPlotItem().legend.items:
        assert _c("chart_text", which) in label.item.toHtml()


def test_histogram_restyles_its_own_items_on_a_palette_switch_and_back(qtbot, scheme):
    panel = _filled_panel(qtbot)
    chart = panel.histogram
    items = (chart.mqls, chart.others, chart.line, chart.plot.getAxis("bottom"))
    heights = list(chart.mqls.opts["y1"])
    _histogram_colours(chart, LIGHT)
    assert _c("chart_bg", LIGHT) == "#ffffff"                 # light mode keeps its white plots

    scheme(DARK)
    _histogram_colours(chart, DARK)
    assert (chart.mqls, chart.others, chart.line, chart.plot.getAxis("bottom")) == items  # not re-made
    assert list(chart.mqls.opts["y1"]) == heights                                         # data kept

    scheme(LIGHT)
    _histogram_colours(chart, LIGHT)


def test_every_chart_of_the_panel_takes_the_dark_background_and_bar_colours(qtbot, scheme):
    panel = _filled_panel(qtbot)
    scheme(DARK)
    plots = [panel.histogram.plot, panel.timeline.plot, panel.sources.plot, panel.funnel.plot,
             panel.cost.plot]
    assert {p.backgroundBrush().color().name() for p in plots} == {_c("chart_bg", DARK)}
    bottom = panel.timeline.plot.getAxis("bottom")
    assert isinstance(bottom, pg.DateAxisItem) and bottom.pen().color().name() == _c("chart_axis", DARK)
    for bars, name in ((panel.sources.mqls, "chart_mql"), (panel.sources.leads, "chart_other"),
                       (panel.funnel.mqls, "chart_mql"), (panel.funnel.leads, "chart_other"),
                       (panel.cost.per_mql, "chart_mql"), (panel.cost.per_lead, "chart_other")):
        assert _brush(bars) == _c(name, DARK)
    curve = panel.timeline.mqls
    assert curve.opts["pen"].color().name() == _c("chart_mql", DARK)
    assert pg.mkBrush(curve.opts["symbolBrush"]).color().name() == _c("chart_mql", DARK)
    assert list(curve.getData()[1]) == [0, 0, 2]
    title = panel.cost.plot.getPlotItem().titleLabel.text
    assert _c("chart_mql", DARK) in title and _c("chart_mql", LIGHT) not in title
    assert _c("chart_text", DARK) in panel.timeline.plot.getPlotItem().titleLabel.item.toHtml()
    assert panel.timeline.plot.getPlotItem().titleLabel.text.count("per month") == 1
    scheme(LIGHT)
    assert _brush(panel.cost.per_lead) == _c("chart_other", LIGHT)
    assert _c("chart_mql", LIGHT) in panel.cost.plot.getPlotItem().titleLabel.text


def test_grid_cells_are_shaded_in_the_scheme_heat_colour(qtbot, scheme):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    grid = fit_engagement_grid(np.array([50.0, 50, 10, 0, 30, 45]), np.array([60.0, 0, 60, 0, 30, 50]),
                               MQL, fit_edges=(15, 30, 45), engagement_edges=(15, 30, 45))
    panel.grid.set_grid(grid)
    cell = panel.grid.table.item(0, 0)                 # A1: 2 leads, 1 MQL: half shade
    light = cell.background().color()
    assert light.name() == _c("heatmap", LIGHT) and light.alpha() == 120
    scheme(DARK)
    dark = cell.background().color()
    assert dark.name() == _c("heatmap", DARK) and dark.alpha() == 120
    assert panel.grid.table.item(0, 0) is cell and cell.text() == "2 leads\n1 MQLs"
    empty = panel.grid.table.item(0, 1)                # A2: no leads, no shade
    assert empty.background().color().alpha() == 0


def test_backtest_current_threshold_row_and_greyed_values_follow_the_palette(qtbot, scheme):
    panel = BacktestPanel()
    qtbot.addWidget(panel)
    total = np.arange(40, dtype=float)
    won = total > 25
    summary = backtest_summary(total, total >= 30, won, threshold=30)
    panel.set_summary(summary, outcome_note="Outcome: “Status”")
    table = panel.thresholds
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "30")
    assert table.item(row, 3).background().color().name() == _c("current_row", LIGHT)
    assert _c("muted", LIGHT) in panel.summary.text()
    plan = pd.Series(["Pro"] * 40 + ["Free"] * 40 + ["Team"] * 5)
    outcome = np.array([1] * 20 + [0] * 20 + [1] * 4 + [0] * 36 + [1] * 5, bool)
    panel.set_attributes(attribute_insight([prepare_attribute(plan, name="plan")], outcome, min_count=10),
                         ["plan"], ["plan"])
    faint = panel.attributes.table.item(2, 1)         # "Team": 5 leads, too few to trust
    assert faint.text() == "Team" and faint.foreground().color().name() == _c("faint", LIGHT)

    scheme(DARK)
    assert table.item(row, 3).background().color().name() == _c("current_row", DARK)
    other = table.item(row + 1, 3).background()
    assert other.color().name() != _c("current_row", DARK)
    assert _c("muted", DARK) in panel.summary.text() and _c("muted", LIGHT) not in panel.summary.text()
    assert faint.foreground().color().name() == _c("faint", DARK)
    assert _c("muted", DARK) in panel.suggest_note.styleSheet()

    scheme(LIGHT)
    assert table.item(row, 0).background().color().name() == _c("current_row", LIGHT)


def test_a_themed_style_can_be_replaced_and_keeps_following_the_palette(qtbot, scheme):
    label = QLabel()
    qtbot.addWidget(label)
    theme.set_themed_style(label, "color: {muted};")
    theme.set_themed_style(label, "color: {bad};")          # e.g. a message turning into an error
    assert label.styleSheet() == f"color: {_c('bad', LIGHT)};"
    scheme(DARK)
    assert label.styleSheet() == f"color: {_c('bad', DARK)};"
    theme.set_themed_style(label, "")
    scheme(LIGHT)
    assert label.styleSheet() == ""


def test_spend_and_band_edge_messages_use_themed_colours(qtbot, scheme):
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    editor = panel.cost.editor
    panel.cost.set_sources(["Ads"], ())
    editor.table.item(0, 1).setText("lots")
    scheme(DARK)
    assert _c("bad", DARK) in editor.message.styleSheet()
    edges = panel.grid.edges
    edges.set_edges("fit", (10, 20, 30), custom=False)
    edges.boxes["fit"][0].setValue(40)
    assert _c("error_bg", DARK) in edges.boxes["fit"][0].styleSheet()
    assert _c("bad", DARK) in edges.message.styleSheet()
    assert _c("muted", DARK) in edges.automatic["fit"].styleSheet()
    assert _c("muted", DARK) in panel.histogram.empty.styleSheet() or panel.histogram.has_chart
