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


def test_a_long_list_is_shown_first_and_its_first_scores_follow(qtbot, monkeypatch):
    import app.document as document
    from app.loading import load_for_window
    monkeypatch.setattr(document, "SHOW_THEN_SCORE_ROWS", 100)     # the sample counts as long
    doc = Document()
    loaded = load_for_window(str(SAMPLE), None, doc.model, None)
    shown = []
    doc.tableChanged.connect(lambda: shown.append(doc.result))
    with qtbot.waitSignal(doc.scored, timeout=10_000):
        doc.set_table(loaded.table, first=loaded.first)
        assert shown == [None] and doc.result is None          # rows now, scores a moment later
    assert doc.result is loaded.first.result
    assert doc.result.n_rows == 5_000
    doc.wait_idle()


def test_first_scores_of_a_list_replaced_at_once_are_not_shown(qtbot, monkeypatch):
    import app.document as document
    from app.loading import load_for_window
    monkeypatch.setattr(document, "SHOW_THEN_SCORE_ROWS", 100)
    doc = Document()
    old = load_for_window(str(SAMPLE), None, doc.model, None)
    new = load_for_window(str(SAMPLE), None, doc.model, None)
    doc.set_table(old.table, first=old.first)
    with qtbot.waitSignal(doc.scored, timeout=10_000):
        doc.set_table(new.table, first=new.first)                # before the old scores arrive
    qtbot.wait(50)
    assert doc.table is new.first.table and doc.result is new.first.result
    doc.wait_idle()
