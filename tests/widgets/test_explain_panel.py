"""The explanation panel renders real LeadExplanations in plain words and copies them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scoring.evaluate.engine import Scorer
from scoring.evaluate.explain import explain_lead
from scoring.model.definition import Condition, Decay, Group, Model, Rule
from scoring.reading import LeadTable
from widgets.explain_panel import EMPTY_TEXT, ExplainPanel
from tools.screens import layout_problems

MODEL = Model(name="Test", threshold=60, groups=(Group("fit", cap=40), Group("engagement")), rules=(
    Rule("Senior title", Condition("title", "contains_any", ("vp", "director")), 30),
    Rule("Big company", Condition("size", "gte", 500), 25),
    Rule("Student email", Condition("email", "ends_with", ".edu"), -10),
    Rule("Asked for a demo", Condition("demo", "is_true"), 30, group="engagement", decay=Decay("seen", 30)),
    Rule("Webinar", Condition("webinar", "is_true"), 35, group="engagement"),
    Rule("Target country", Condition("country", "in", ("US", "CA")), kind="require"),
))


@pytest.fixture(scope="module")
def table():
    return LeadTable.from_frame(pd.DataFrame({
        "name": ["Ann Lee", "Bob Roy", "Cid Tan", "Dee Fox"],
        "title": ["VP Sales", "Analyst", "Director", "Student"],
        "size": [900, 20, 800, 5],
        "email": ["ann@acme.com", "bob@x.com", "cid@big.co", "dee@uni.edu"],
        "demo": ["yes", "no", "yes", "no"],
        "webinar": ["yes", "no", "no", "no"],
        "seen": ["2026-10-02", "2026-10-30", "2026-10-31", "2026-10-01"],
        "country": ["US", "US", "FR", "US"]}))


@pytest.fixture(scope="module")
def result(table):
    return Scorer(table, as_of=dt.date(2026, 11, 1)).score(MODEL)


@pytest.fixture
def panel(qtbot):
    widget = ExplainPanel()
    qtbot.addWidget(widget)
    return widget


def test_empty_state(panel):
    assert panel.text() == EMPTY_TEXT and not panel.copy_button.isEnabled()
    assert EMPTY_TEXT in panel.browser.toPlainText()


def test_an_mql_with_a_cap_and_decay(panel, result):
    e = explain_lead(result, 0)    # VP at a big US company, webinar, asked for a demo 30 days ago
    assert e.mql and e.caps
    panel.set_lead_fields([("name", "Ann Lee"), ("email", "ann@acme.com")])
    panel.set_explanation(e)
    text = panel.text()
    assert text.splitlines()[:2] == ["name: Ann Lee", "email: ann@acme.com"]
    assert "MQL: scored 90 (threshold 60)" in text                # fit capped at 40 + 15 + 35
    assert "Qualifies with 30 points to spare." in text and "Fit 40 · Engagement 50" in text
    assert "• Fit capped at 40: −15" in text                      # 30 + 25 − 15 + 15 + 35 = 90
    assert "• Senior title +30" in text and "• Big company +25" in text
    assert "• Asked for a demo +15 (decayed from 30)" in text and "• Webinar +35" in text
    shown = panel.browser.toPlainText()
    assert "Ann Lee" in shown and "Fit 40" in shown and "decayed from 30" in shown
    assert "Senior title\n+30\nBig company\n+25\nCapped at 40\n−15\nEngagement 50" in shown


def test_short_of_the_threshold_names_the_rules_that_would_close_the_gap(panel, result):
    e = explain_lead(result, 1)          # analyst at a small US company: nothing fired
    panel.set_explanation(e)
    text = panel.text()
    assert "Not an MQL: scored 0 (threshold 60)" in text
    assert "No scoring rule matched this lead." in text
    assert "60 points short; no single rule would close the gap." in text


def test_blocked_by_a_gate(panel, result):
    e = explain_lead(result, 2)          # director at a big French company: blocked by the country gate
    assert e.blocking == ["Target country"]
    panel.set_explanation(e)
    text = panel.text()
    assert text.startswith("Blocked: scored")
    assert "Blocked by: Target country" in text
    assert "Any one of these" not in text
    assert "A gate stops a lead from becoming an MQL" in panel.browser.toPlainText()


def test_negative_points_and_several_closers(panel, table):
    result = Scorer(table, as_of=dt.date(2026, 11, 1)).score(MODEL.with_threshold(20))
    e = explain_lead(result, 3)    # a student: -10, needs 30 more; the demo rule would decay to 14.7
    panel.set_explanation(e)
    text = panel.text()
    assert "• Student email −10" in text
    assert "30 points short: Senior title (+30) would qualify it." in text
    assert "Any one of these would qualify it: Senior title (+30), Webinar (+35)" in text
    assert "Big company" not in text and "Asked for a demo" not in text
    shown = panel.browser.toPlainText()
    assert "Any one of these would qualify it" in shown and "Webinar +35" in shown


def test_renders_readably(qtbot, panel, result):
    panel.set_lead_fields([("name", "Ann Lee"), ("email", "ann@acme.com"), ("company", "Acme Corporation")])
    panel.set_explanation(explain_lead(result, 2))
    panel.resize(360, 520)
    panel.show()
    qtbot.waitExposed(panel)
    shown = [line for line in panel.browser.toPlainText().splitlines() if line.strip()]
    assert shown[:6] == ["name", "Ann Lee", "email", "ann@acme.com", "company", "Acme Corporation"]
    assert shown[6].startswith("Blocked  scored") and "Blocked by" in shown
    assert layout_problems(panel) == []
    panel.set_explanation(explain_lead(result, 0))
    shown = [line for line in panel.browser.toPlainText().splitlines() if line.strip()]
    assert shown[6].startswith("MQL  scored")
    assert not panel.browser.horizontalScrollBar().isVisible()


def test_copy_puts_plain_text_on_the_clipboard(qtbot, panel, result):
    panel.set_lead_fields([("name", "Ann Lee")])
    panel.set_explanation(explain_lead(result, 0))
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == panel.text()
    panel.set_explanation(None)
    assert panel.text() == EMPTY_TEXT and not panel.copy_button.isEnabled()
