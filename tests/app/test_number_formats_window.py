"""Setting a column's number format in the window: the dialog's marks become an undoable model
setting, the list is read again with them, and the scores follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.model.definition import ColumnSettings, Condition, Model, Rule
from tests.app.dialogs import when_dialog_opens

EUROPEAN = Path(__file__).parents[1] / "scoring" / "data" / "numbers" / "european.csv"


@pytest.fixture
def opened(qtbot, window):
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(EUROPEAN))
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.doc.edit_model(Model(threshold=10, rules=(
            Rule("Mid-size", Condition("Mitarbeiter", "gte", 50), points=20),)))
    return window


def test_number_format_dialog_sets_marks_undoably(qtbot, opened):
    window, doc = opened, opened.doc
    assert doc.table.frame["Mitarbeiter"].tolist() == [1200, 45, 250000, 12, 3400]
    assert doc.result.n_mql == 3
    qtbot.waitUntil(lambda: bool(doc.profiles), timeout=20000)
    window.columns_panel.select_column("Mitarbeiter")
    seen = {}

    def choose(dialog):
        seen["samples"] = [dialog.preview.table.item(r, 0).text() for r in range(dialog.preview.table.rowCount())]
        dialog.preview.set_marks(".", ",")
        dialog.accept()

    when_dialog_opens(choose)
    with qtbot.waitSignal(doc.scored, timeout=20000):
        window.columns_panel.format_button.click()
    assert seen["samples"][:3] == ["1.200", "250.000", "3.400"]
    settings = doc.model.column_settings("Mitarbeiter")
    assert (settings.decimal_mark, settings.thousands_mark) == (".", ",")
    assert doc.table.frame["Mitarbeiter"].tolist() == pytest.approx([1.2, 45, 250, 12, 3.4])
    assert doc.result.n_mql == 1                              # the user's reading, on purpose
    assert doc.undo_stack.undoText() == "Change number format of Mitarbeiter"
    assert window.columns_panel.number_label.text().endswith("set by you")
    with qtbot.waitSignal(doc.scored, timeout=20000):
        doc.undo_stack.undo()
    assert doc.table.frame["Mitarbeiter"].tolist() == [1200, 45, 250000, 12, 3400]
    assert doc.result.n_mql == 3


def test_detect_automatically_drops_the_marks(qtbot, opened):
    window, doc = opened, opened.doc
    with qtbot.waitSignal(doc.scored, timeout=20000):
        doc.edit_model(doc.model.with_column_settings(
            "Mitarbeiter", ColumnSettings(decimal_mark=".", thousands_mark=",")))
    when_dialog_opens(lambda dialog: dialog.detect_button.click())
    with qtbot.waitSignal(doc.scored, timeout=20000):
        window.number_formats.ask("Mitarbeiter")
    assert doc.model.columns == ()
    assert doc.table.frame["Mitarbeiter"].tolist() == [1200, 45, 250000, 12, 3400]
