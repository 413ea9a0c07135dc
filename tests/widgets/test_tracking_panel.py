"""The Tracking panel shows what it is given and emits what the user intends."""

from datetime import date

import pandas as pd

from scoring.handoff.changes import Changes
from scoring.handoff.kpi import PeriodKpi, QualityLine, Tracking
from widgets.tracking_panel import TrackingPanel


def kpi(period, handed, status, gap):
    return PeriodKpi(period, date(2026, 11, 2), 1, handed, 100, status, gap, 1000, 150, 0.15, 10, 8, 2, 3, 1,
                     0.8, 0.03, 0.01)


def test_kpis_quality_and_changes_are_shown_and_rules_can_be_edited(qtbot):
    panel = TrackingPanel()
    qtbot.addWidget(panel)
    line = QualityLine("rule", "Attended a webinar", 20, 10, 4, 6, 1, 0.6, "no budget",
                       "leads scored by 'Attended a webinar' are rejected 60% of the time, mostly 'no budget'")
    tracking = Tracking("week", 100, [kpi("2026-W45", 120, "above", 20)], kpi("all", 120, None, None),
                        [], [line], None, 1, date(2026, 11, 2))
    panel.set_tracking(tracking, "Ledger b2b.ledger.sqlite: 1 hand-off")
    table = panel.kpi_table
    assert [table.item(0, c).text() for c in range(8)] == ["2026-W45", "120", "100", "+20 above", "15.0%",
                                                           "80.0%", "3.0%", "1.0%"]
    assert table.item(1, 0).text() == "All" and table.item(1, 3).text() == ""
    assert panel.rule_table.item(0, 2).text() == "60.0%" and "mostly 'no budget'" in panel.rule_table.item(0, 0).toolTip()
    assert not panel.quality_note.isHidden() or panel.source_table.rowCount() == 0
    changes = Changes(pd.DataFrame({"lead_id": ["a@x.com"], "before": [None], "after": [70.0], "why": ["scores 70"]}),
                      pd.DataFrame({"lead_id": ["b@x.com"], "before": [66.0], "after": [60.0],
                                    "why": ["no longer matches 'Active'"]}),
                      pd.DataFrame(columns=["lead_id", "before", "after", "why"]))
    panel.set_changes(changes)
    assert panel.changes_label.text() == "1 entered, 1 left, 0 stayed MQLs since the last hand-off"
    assert panel.changes_combo.itemText(1) == "Left (1)"
    panel.changes_combo.setCurrentIndex(1)
    assert [panel.changes_table.item(0, c).text() for c in range(4)] == ["b@x.com", "66.0", "60.0",
                                                                        "no longer matches 'Active'"]
    with qtbot.waitSignal(panel.ruleEditRequested) as asked:
        panel.rule_table.selectRow(0)
        panel.edit_rule_button.click()
    assert asked.args == ["Attended a webinar"]
    with qtbot.waitSignal(panel.periodChanged) as period:
        panel.period_combo.setCurrentIndex(1)
    assert period.args == ["month"]


def test_without_a_ledger_the_panel_says_why(qtbot):
    panel = TrackingPanel()
    qtbot.addWidget(panel)
    panel.set_tracking(None, "No hand-offs yet.")
    panel.set_changes(None, "No hand-off yet.")
    assert panel.kpi_table.rowCount() == 0 and panel.ledger_label.text() == "No hand-offs yet."
    assert panel.changes_label.text() == "No hand-off yet." and panel.changes_table.rowCount() == 0
