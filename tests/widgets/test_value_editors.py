"""Value editors: one per operator value kind, each round-tripping its value and naming problems."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QValidator

from widgets.value_editors import ListValueEditor, NumberSpinBox, ValueEditor, make_value_editor

VALUES = [("Google", 1204), ("Direct Traffic", 800), ("Olark Chat", 310), ("Welingak Website", 12)]


@pytest.mark.parametrize(("kind", "value"), [
    ("text", "director"), ("regex", r"@(gmail|yahoo)\."), ("number", 1500), ("number", 0.125),
    ("number", -3), ("number_pair", (50, 5000)), ("days", 45), ("date", "2024-02-29"),
    ("date_pair", ("2024-01-01", "2024-03-31")), ("text_list", ("Google", "Olark Chat")),
])
def test_each_kind_round_trips_its_value(qtbot, kind, value):
    editor = make_value_editor(kind, lambda: VALUES)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.changed):
        editor.set_value(value)
    assert editor.value() == value and editor.problem() == ""


def test_none_kind_has_no_value(qtbot):
    editor = make_value_editor("none", lambda: pytest.fail("values are only asked for lists"))
    qtbot.addWidget(editor)
    assert type(editor) is ValueEditor and editor.value() is None and editor.problem() == ""


def test_text_and_pattern_problems(qtbot):
    text = make_value_editor("text", list)
    pattern = make_value_editor("regex", list)
    for editor in (text, pattern):
        qtbot.addWidget(editor)
    assert text.problem() == "Enter a value" and pattern.problem() == "Enter a pattern"
    qtbot.keyClicks(text.edit, "  vp ")
    assert text.value() == "vp" and text.problem() == ""
    qtbot.keyClicks(pattern.edit, "(gmail")
    assert pattern.problem().startswith("The pattern is not a valid regular expression: missing )")
    qtbot.keyClicks(pattern.edit, "|yahoo)")
    assert pattern.problem() == "" and pattern.value() == "(gmail|yahoo)"


def test_number_spin_box_reads_what_people_type(qtbot):
    spin = NumberSpinBox()
    qtbot.addWidget(spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "1,500.25")
    assert spin.value() == 1500.25 and spin.text() == "1,500.25"
    spin.setValue(2.0)
    assert spin.text() == "2"
    spin.setValue(-0.0)
    assert spin.text() == "0"
    assert spin.validate("12abc", 5)[0] == QValidator.State.Invalid
    assert spin.validate("-", 1)[0] == QValidator.State.Intermediate
    assert spin.validate("1e13", 4)[0] == QValidator.State.Invalid
    editor = make_value_editor("number", list)
    qtbot.addWidget(editor)
    editor.spin.setValue(1e9)
    assert editor.value() == 1_000_000_000 and isinstance(editor.value(), int)
    editor.spin.lineEdit().selectAll()
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.spin.lineEdit(), Qt.Key.Key_Backspace)
    assert editor.problem() == "Enter a number"
    qtbot.keyClicks(editor.spin, "-2.5")
    assert editor.problem() == "" and editor.value() == -2.5
    pair = make_value_editor("number_pair", list)
    qtbot.addWidget(pair)
    pair.high.lineEdit().clear()
    assert pair.problem() == "Enter two numbers"


def test_pairs_must_be_in_order(qtbot):
    numbers = make_value_editor("number_pair", list)
    dates = make_value_editor("date_pair", list)
    for editor in (numbers, dates):
        qtbot.addWidget(editor)
    numbers.set_value((500, 50))
    assert numbers.problem() == "The first number must not be larger than the second"
    dates.set_value(("2024-05-01", "2024-01-01"))
    assert dates.problem() == "The first date must not be after the second"
    dates.set_value(("not a date", "2024-06-01"))              # unusable values are ignored
    assert dates.value() == ("2024-05-01", "2024-06-01")


def test_days_and_dates(qtbot):
    days = make_value_editor("days", list)
    when = make_value_editor("date", list)
    for editor in (days, when):
        qtbot.addWidget(editor)
    assert days.spin.suffix() == " days" and days.value() == 30
    days.set_value(14.0)
    assert days.value() == 14
    assert when.edit.calendarPopup() and when.edit.date() == QDate.currentDate()
    when.set_value("2023-12-31T10:00:00")
    assert when.value() == "2023-12-31"


def test_list_filters_ticks_counts_and_typed_values(qtbot):
    editor = make_value_editor("text_list", lambda: VALUES)
    qtbot.addWidget(editor)
    assert isinstance(editor, ListValueEditor)
    assert editor.list.item(0).text() == "Google   (1,204)"
    assert editor.problem() == "Tick at least one value"
    qtbot.keyClicks(editor.filter, "web")
    assert [editor.list.item(i).isHidden() for i in range(4)] == [True, True, True, False]
    with qtbot.waitSignal(editor.changed):
        editor.list.item(3).setCheckState(Qt.CheckState.Checked)
    editor.filter.clear()
    assert not any(editor.list.item(i).isHidden() for i in range(4))
    qtbot.keyClicks(editor.extra, "Partner referral")
    qtbot.keyClick(editor.extra, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.extra, "google")                      # already listed: ticks it
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.value() == ("Google", "Welingak Website", "Partner referral")
    assert editor.list.item(4).text() == "Partner referral   (typed)"
    assert editor.ticked.text() == "3 ticked" and editor.problem() == ""
    editor.set_value(("direct traffic",))                        # replaces the ticks, any case
    assert editor.value() == ("Direct Traffic",)


def test_list_on_a_number_column_gives_numbers(qtbot):
    editor = make_value_editor("text_list", lambda: [("10", 50), ("25", 20), ("100", 3)], numeric=True)
    qtbot.addWidget(editor)
    editor.set_value((25.0, 7))
    assert editor.value() == (25, 7) and editor.list.count() == 4
    qtbot.keyClicks(editor.extra, "lots")
    qtbot.keyClick(editor.extra, Qt.Key.Key_Return)
    assert editor.value() == (25, 7) and "not a number" in editor.extra.placeholderText()
