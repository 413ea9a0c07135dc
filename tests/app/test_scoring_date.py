"""The scoring date in the window: shown beside the threshold, one click to the list's latest date
when the list is old, undoable, saved in the model, and the rule editor's dates start in the list."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFileDialog

from scoring.model.definition import Condition, Model, Rule
from scoring.model.model_file import load_model
from widgets.value_editors import make_value_editor


def _old_list(tmp_path):
    path = tmp_path / "leads_2018.csv"
    rows = ["email,created,visits"] + [f"p{i}@acme.com,2018-03-{i:02d},{i}" for i in range(1, 29)]
    path.write_text("\n".join(rows) + "\n")
    return path


RECENT = Model(name="Recency", threshold=10,
               rules=(Rule("Recent sign-up", Condition("created", "within_days", 14), 10, "engagement"),))


def _load(qtbot, window, path):
    window.doc.open_model(RECENT, None)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))


def test_an_old_list_says_why_nothing_is_recent_and_one_click_scores_it_as_of_its_latest_date(
        qtbot, window, tmp_path):
    _load(qtbot, window, _old_list(tmp_path))
    today = date.today()
    assert window.doc.result.n_mql == 0
    assert window.scoring_date_bar.scoring_date() == today
    notice = window.stale_dates
    assert notice.isVisible()
    assert notice.label.text().startswith("Every date in created is on or before 28 Mar 2018, ")
    assert notice.label.text().endswith(f"scoring date ({today:%-d %b %Y}): rules on recent activity "
                                        "match no lead.")
    assert notice.button.text() == "Score as of 28 Mar 2018"

    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        notice.button.click()
    assert window.doc.model.as_of == date(2018, 3, 28)
    assert window.doc.result.n_mql == 15                      # 14 to 28 March: within 14 days
    assert window.scoring_date_bar.scoring_date() == date(2018, 3, 28)
    assert not notice.isVisible()
    assert window.threshold_bar.counts.text().startswith("15 MQLs")
    assert "scored as of 28 Mar 2018" in window.status_label.text()
    assert window.actions.undo.text() == "Undo Score as of 28 Mar 2018"

    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        window.doc.undo_stack.undo()
    assert window.doc.model.as_of is None and window.doc.result.n_mql == 0
    assert window.scoring_date_bar.scoring_date() == today and notice.isVisible()


def test_a_typed_scoring_date_is_saved_with_the_model_and_today_follows_the_calendar(
        qtbot, window, tmp_path, monkeypatch):
    _load(qtbot, window, _old_list(tmp_path))
    bar = window.scoring_date_bar
    assert not bar.today_button.isEnabled()                  # already following today
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        bar.edit.setDate(date(2018, 3, 20))
    assert window.doc.result.n_mql == 15                      # 6 to 20 March
    saved = tmp_path / "dated.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    assert window.model_files.save_as()
    assert load_model(saved).as_of == date(2018, 3, 20)
    assert bar.today_button.isEnabled()
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        bar.today_button.click()
    assert window.doc.model.as_of is None and window.doc.result.n_mql == 0


def test_the_latest_button_and_the_rule_editor_start_at_the_lists_own_dates(qtbot, window, tmp_path):
    _load(qtbot, window, _old_list(tmp_path))
    bar = window.scoring_date_bar
    assert bar.latest_button.toolTip() == "Score as of 28 Mar 2018, the latest date in created"
    values = window.rules.value_counts("created")
    assert values[0] == ("2018-03-28", 1) and values[-1] == ("2018-03-01", 1)
    editor = make_value_editor("date", lambda: values)
    assert editor.value() == "2018-03-28"
    pair = make_value_editor("date_pair", lambda: values)
    assert pair.value() == ("2018-02-26", "2018-03-28")
    no_dates = make_value_editor("date", lambda: [])
    assert no_dates.value() == date.today().isoformat()


def test_a_big_lists_dates_are_read_on_a_worker_and_the_notice_follows(qtbot, window, tmp_path, monkeypatch):
    import app.scoring_date as scoring_date

    monkeypatch.setattr(scoring_date, "WORKER_ROWS", 10)       # the 28 leads count as big
    _load(qtbot, window, _old_list(tmp_path))
    notice = window.stale_dates
    assert not notice.isVisible()                 # the list's dates are still being read
    qtbot.waitUntil(notice.isVisible, timeout=10000)
    assert notice.label.text().startswith("Every date in created is on or before 28 Mar 2018, ")
    assert notice.button.text() == "Score as of 28 Mar 2018"
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        notice.button.click()
    assert window.doc.model.as_of == date(2018, 3, 28) and not notice.isVisible()
