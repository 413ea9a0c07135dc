"""Rule list, rule editor, threshold bar, columns panel, explanation panel and empty state."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from scoring.column_types import ColumnType as T
from scoring.evaluate.engine import Scorer
from scoring.evaluate.explain import explain_lead
from scoring.model.definition import Compound, Condition, Decay, Model, Rule
from scoring.reading import LeadTable
from scoring.reading.profiling import profile_table
from widgets.columns_panel import ColumnsPanel
from widgets.empty_state import EmptyState
from widgets.explain_panel import ExplainPanel
from widgets.rule_editor import RuleEditor
from widgets.rule_list import RuleListWidget
from widgets.threshold_bar import ThresholdBar

TYPES = {"title": T.CATEGORY, "size": T.INTEGER, "seen": T.DATE, "demo": T.BOOLEAN, "email": T.EMAIL}
MODEL = Model(threshold=20, rules=(
    Rule("Senior", Condition("title", "contains_any", ("vp", "director")), 15),
    Rule("Demo", Condition("demo", "is_true"), 30, group="engagement", decay=Decay("seen", 30)),
    Rule("No students", Condition("title", "contains", "student"), kind="disqualify"),
))


def test_rule_list_sections_counts_and_intents(qtbot):
    widget = RuleListWidget()
    qtbot.addWidget(widget)
    widget.set_model(MODEL)
    widget.set_counts([12, 40, 3], 100)
    titles = [widget.tree.topLevelItem(i).text(0) for i in range(3)]
    assert titles[0].startswith("Fit") and titles[1].startswith("Engagement") and titles[2].startswith("Gates")
    senior = widget.tree.topLevelItem(0).child(0)
    assert senior.text(0).startswith("Senior") and senior.text(1) == "+15\n12 leads (12%)"
    assert widget.tree.topLevelItem(2).child(0).text(1).startswith("Disqualifies")
    widget.select_rule(1)
    with qtbot.waitSignal(widget.ruleToggled) as toggled:
        qtbot.keyClick(widget.tree, Qt.Key.Key_Space)
    assert toggled.args == [1, False]
    with qtbot.waitSignal(widget.deleteRequested) as deleted:
        qtbot.keyClick(widget.tree, Qt.Key.Key_Delete)
    assert deleted.args == [1]
    with qtbot.waitSignal(widget.editRequested):
        qtbot.mouseClick(widget.edit_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.addRequested) as added:
        qtbot.mouseClick(widget.add_button, Qt.MouseButton.LeftButton)
    assert added.args == ["engagement"]
    widget.set_model(Model())
    assert "No rules yet" in widget.tree.topLevelItem(0).child(0).text(0)


def test_rule_editor_builds_rules_from_the_form(qtbot):
    editor = RuleEditor()
    qtbot.addWidget(editor)
    editor.set_columns(TYPES, lambda c: [("VP Sales", 10), ("Student", 4)] if c == "title" else [])
    editor.set_rule(None, "fit")
    assert not editor.isValid() and editor.problem() == "Pick a column"
    row = editor.condition_rows()[0]
    row.column.setCurrentIndex(row.column.findData("size"))
    ops = [row.op.itemData(i) for i in range(row.op.count())]
    assert "gte" in ops and "contains" not in ops
    row.op.setCurrentIndex(row.op.findData("between"))
    row.value_editor.low.setValue(50)
    row.value_editor.high.setValue(500)
    editor.points.setValue(12)
    rule = editor.rule()
    assert rule.when == Condition("size", "between", (50, 500)) and rule.points == 12
    assert rule.name == "Size 50–500"                     # short: the list shows the condition
    second = editor.add_condition()
    second.column.setCurrentIndex(second.column.findData("title"))
    second.op.setCurrentIndex(second.op.findData("in"))
    assert editor.problem().endswith("Tick at least one value")
    second.value_editor.check("VP Sales")
    editor.mode.setCurrentIndex(editor.mode.findData("any"))
    assert editor.rule().when == Compound("any", (Condition("size", "between", (50, 500)),
                                                  Condition("title", "in", ("VP Sales",))))
    editor.kind.setCurrentIndex(editor.kind.findData("require"))
    assert editor.rule().kind == "require" and editor.points.isHidden()


def test_rule_editor_rejects_a_bad_pattern(qtbot):
    editor = RuleEditor()
    qtbot.addWidget(editor)
    editor.set_columns(TYPES, lambda c: [])
    editor.set_rule(Rule("Mail", Condition("email", "matches", "@gmail"), 5))
    editor.condition_rows()[0].value_editor.edit.setText("(unclosed")
    assert "not a valid regular expression" in editor.problem()


@pytest.mark.parametrize("rule", [*MODEL.rules, Rule(
    "Nested", Compound("not", (Condition("title", "eq", "x"),)), 3, extra=(("note", "kept"),))])
def test_rule_editor_round_trips(qtbot, rule):
    editor = RuleEditor()
    qtbot.addWidget(editor)
    editor.set_columns(TYPES, lambda c: [])
    editor.set_rule(rule)
    assert editor.rule() == rule


def test_threshold_bar_emits_edits_but_not_echoes(qtbot):
    bar = ThresholdBar()
    qtbot.addWidget(bar)
    with qtbot.assertNotEmitted(bar.thresholdEdited):
        bar.set_threshold(40)
    with qtbot.waitSignal(bar.thresholdEdited) as edited:
        bar.slider.setValue(55)
    assert edited.args == [55.0] and bar.spin.value() == 55
    bar.set_counts(712, 5000, 30)
    assert bar.counts.text() == "712 MQLs · 14.2% of 5,000 leads · 30 blocked"


def _table():
    return LeadTable.from_frame(__import__("pandas").DataFrame({
        "How did you hear about X Education": ["Select", "Online Search", "Select", "Word Of Mouth"],
        "Lead Source": ["Google", "google", "Direct", "Google"],
        "size": [10, 20, None, 40]}))


def test_columns_panel_intents(qtbot):
    panel = ColumnsPanel()
    qtbot.addWidget(panel)
    table = _table()
    panel.set_profiles(profile_table(table))
    panel.set_tags({"source": "Lead Source"})
    assert panel.tree.topLevelItem(1).text(4) == "source"
    panel.select_column("size")
    assert "3 of 4 filled" in panel.summary.text()
    with qtbot.waitSignal(panel.typeChangeRequested) as changed:
        panel.type_combo.setCurrentIndex(panel.type_combo.findData("text"))
        panel.type_combo.activated.emit(panel.type_combo.currentIndex())
    assert changed.args == ["size", "text"]
    panel.select_column("How did you hear about X Education")
    panel.top_values.setCurrentRow(0)
    with qtbot.waitSignal(panel.missingValuesChangeRequested) as marked:
        qtbot.mouseClick(panel.missing_button, Qt.MouseButton.LeftButton)
    assert marked.args == [("Select",)]
    panel.filter.setText("lead")
    hidden = [panel.tree.topLevelItem(i).isHidden() for i in range(3)]
    assert hidden == [True, False, True]


def test_explain_panel_reads_in_plain_words(qtbot):
    table = LeadTable.from_frame(__import__("pandas").DataFrame({
        "title": ["VP Sales", "Analyst"], "demo": ["yes", "no"], "seen": ["2026-10-02", "2026-10-30"],
        "size": [1, 2], "email": ["a@b.co", "c@d.co"]}))
    result = Scorer(table, as_of=__import__("datetime").date(2026, 11, 1)).score(MODEL)
    panel = ExplainPanel()
    qtbot.addWidget(panel)
    assert "Select a lead" in panel.text()
    panel.set_lead_fields([("email", "c@d.co")])
    panel.set_explanation(explain_lead(result, 1))
    text = panel.text()
    assert "Not an MQL: scored 0" in text and "20 points short: Demo (+30) would qualify it." in text
    panel.set_explanation(explain_lead(result, 0))
    assert "Demo +15 (decayed from 30)" in panel.text()
    assert np.isclose(result.total[0], 30)


def test_empty_state_buttons_and_recent_files(qtbot):
    page = EmptyState()
    qtbot.addWidget(page)
    assert page.recent.isHidden()
    page.set_recent_files(["/data/leads march.csv"])
    with qtbot.waitSignal(page.sampleRequested):
        qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.recentFileActivated) as recent:
        page.recent.itemActivated.emit(page.recent.item(0))
    assert recent.args == ["/data/leads march.csv"]
