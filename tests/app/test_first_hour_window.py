"""What a user meets in the first hour on a real list (issue 15): the window's side."""

from __future__ import annotations

from tests.conftest import SAMPLE


def _open(qtbot, window, path):
    with qtbot.waitSignal(window.doc.scored, timeout=30000):
        window.open_file(str(path))


def test_the_threshold_shows_the_models_value_on_first_open_of_an_untagged_list(qtbot, window, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("name,visits\nAnn,3\nBob,70\n", encoding="utf-8")
    assert window.threshold_bar.spin.text() == "50.0"
    _open(qtbot, window, plain)
    assert window.doc.model.threshold == 50
    assert window.threshold_bar.threshold() == 50.0
    assert window.threshold_bar.spin.text() == "50.0"
