"""Charts take scoring's tables, update their items in place, and explain what is missing."""

import numpy as np
import pandas as pd

from scoring.analytics import prepare_category, prepare_dates
from scoring.conversion import conversion_by_source
from scoring.distribution import score_histogram
from scoring.timeline import mqls_over_time
from widgets.charts import ChartsPanel

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
    assert list(panel.sources.leads.opts["height"]) == [3, 2, 1]
    dates = prepare_dates(pd.Series(pd.to_datetime(["2026-01-05", "2026-02-03", "2026-02-20",
                                                    "2026-03-01", None, "2026-03-09"])))
    panel.timeline.set_timeline(mqls_over_time(dates, MQL, "month"))
    x, y = panel.timeline.mqls.getData()
    assert list(y) == [0, 0, 2] and len(x) == 3


def test_fit_engagement_grid_counts_per_cell(qtbot):
    from scoring.distribution import fit_engagement_grid
    panel = ChartsPanel()
    qtbot.addWidget(panel)
    fit = np.array([50.0, 50, 10, 0, 30, 45])
    engagement = np.array([60.0, 0, 60, 0, 30, 50])
    grid = fit_engagement_grid(fit, engagement, MQL, fit_edges=(15, 30, 45), engagement_edges=(15, 30, 45))
    panel.grid.set_grid(grid)
    assert panel.grid.table.item(0, 0).text() == "2 leads\n1 MQLs"      # A1: fit >= 45, engagement >= 45
    assert panel.grid.table.item(3, 3).text() == "1 leads\n1 MQLs"      # D4: both below 15
    assert int(grid.leads.sum()) == 6
