"""The document re-scores only when the scores can change, and always says the scores are current."""

from app.document import Document
from scoring.column_types import ColumnTag
from scoring.model.definition import ColumnSettings, Condition, Rule
from scoring.reading import load_leads
from tests.conftest import SAMPLE


def _scored_document(qtbot):
    doc = Document()
    doc.set_table(load_leads(SAMPLE))
    rule = Rule("Demo", Condition("demo_requested", "is_true"), points=60)
    doc.set_model(doc.model.with_rules((rule,)))
    qtbot.waitUntil(lambda: doc.result is not None and doc.result.model.rules == (rule,))
    return doc


def test_a_tag_or_chart_setting_republishes_the_scores_without_scoring_again(qtbot):
    doc = _scored_document(qtbot)
    scores = doc.result
    tagged = doc.model.with_column_settings("lead_source", ColumnSettings(tag=str(ColumnTag.SOURCE)))
    with qtbot.waitSignal(doc.scored):
        doc.set_model(tagged)
    assert doc.result is scores                           # the same scores, announced again
    with qtbot.waitSignal(doc.scored):
        doc.set_model(doc.model.with_analysis(spend=(("Webinar", 100.0),)))
    assert doc.result is scores
    with qtbot.waitSignal(doc.scored):
        doc.set_model(doc.model.with_threshold(doc.model.threshold + 5))
    assert doc.result is not scores and doc.result.mql.sum() <= scores.mql.sum()
    doc.wait_idle()


def test_a_type_change_scores_the_retyped_table(qtbot):
    doc = _scored_document(qtbot)
    scores = doc.result
    with qtbot.waitSignal(doc.scored):
        doc.set_model(doc.model.with_column_settings("employees", ColumnSettings(type="text")))
    assert doc.result is not scores
    doc.wait_idle()
