"""The format dialog: choices, the preview it is sent, a typed pattern, refusing an unusable one."""

from PySide6.QtWidgets import QDialogButtonBox

from widgets.format_dialog import AUTOMATIC, PATTERN, FormatDialog, FormatPreview

CHOICES = [("DD/MM/YYYY", "Day first: 25/01/2023"), ("MM/DD/YYYY", "Month first (US): 01/25/2023")]


def make(qtbot, current=None):
    dialog = FormatDialog("Read “when” as dates", "How are the dates written?", CHOICES,
                          pattern_help="YYYY year", what="dates", current=current)
    qtbot.addWidget(dialog)
    return dialog


def ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_automatic_first_then_the_choices_then_a_pattern(qtbot):
    dialog = make(qtbot)
    combo = dialog.choice_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [AUTOMATIC, "DD/MM/YYYY", "MM/DD/YYYY", PATTERN]
    assert dialog.choice() is None and not dialog.pattern_edit.isEnabled()


def test_choosing_asks_for_a_preview_and_shows_it(qtbot):
    dialog = make(qtbot)
    with qtbot.waitSignal(dialog.previewRequested) as asked:
        dialog.choice_combo.setCurrentIndex(1)
    assert asked.args == ["DD/MM/YYYY"] and dialog.choice() == "DD/MM/YYYY"
    dialog.set_preview(FormatPreview(rows=(("25/01/2023", "2023-01-25"), ("TBD", None)), checked=2, bad=1,
                                     bad_examples=("TBD",), message="Read as DD/MM/YYYY"))
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 1).text() == "2023-01-25" and dialog.table.item(1, 1).text() == "not a date"
    assert dialog.summary.text() == ("1 of the 2 filled cells would not read as dates and would become "
                                     "empty, e.g. “TBD”.")
    assert ok(dialog).isEnabled()


def test_a_typed_pattern_is_previewed_after_a_pause_and_an_error_refuses_accepting(qtbot):
    dialog = make(qtbot)
    dialog.choice_combo.setCurrentIndex(dialog.choice_combo.findData(PATTERN))
    assert dialog.pattern_edit.isEnabled() and not ok(dialog).isEnabled()     # nothing typed yet
    with qtbot.waitSignal(dialog.previewRequested) as asked:
        dialog.pattern_edit.setText("DD.MM.YYYY HH:mm")
    assert asked.args == ["DD.MM.YYYY HH:mm"] and dialog.choice() == "DD.MM.YYYY HH:mm"
    dialog.set_preview(FormatPreview(error="This pattern cannot be used: it has no year."))
    assert not ok(dialog).isEnabled() and "no year" in dialog.summary.text()


def test_a_saved_pattern_opens_as_typed(qtbot):
    dialog = make(qtbot, current="YYYY|MM|DD")
    assert dialog.choice_combo.currentData() == PATTERN and dialog.choice() == "YYYY|MM|DD"
    assert make(qtbot, current="MM/DD/YYYY").choice() == "MM/DD/YYYY"
