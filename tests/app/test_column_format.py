"""Retyping a column to a date in the window asks how its dates are written, previews them and
keeps the answer in the model (undoable, saved)."""

import pandas as pd

from app.column_format import date_preview
from scoring.reading import load_leads
from tests.app.dialogs import when_dialog_opens


def open_list(qtbot, window, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("name,signed\nAnn,01/04/2026\nBob,03/02/2026\nCid,next week\n", encoding="utf-8")
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))
    return path


def test_retyping_to_a_date_asks_for_the_format_and_undo_restores(qtbot, window, tmp_path):
    open_list(qtbot, window, tmp_path)
    assert window.doc.table.types["signed"] == "category"
    seen = []

    def choose_day_first(dialog):
        seen.append(dialog.summary.text())
        dialog.choice_combo.setCurrentIndex(dialog.choice_combo.findData("DD/MM/YYYY"))
        seen.append(dialog.table.item(0, 1).text())
        dialog.accept()

    when_dialog_opens(choose_day_first)
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        window.columns_panel.typeChangeRequested.emit("signed", "date")
    assert seen == ["1 of the 3 filled cells would not read as dates and would become empty, e.g. “next week”.",
                    "2026-04-01"]
    settings = window.doc.model.column_settings("signed")
    assert (settings.type, settings.format) == ("date", "DD/MM/YYYY")
    assert window.doc.table.frame["signed"].tolist()[:2] == [pd.Timestamp("2026-04-01"), pd.Timestamp("2026-02-03")]
    assert window.actions.undo.text() == "Undo Change type of signed"
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        window.doc.undo_stack.undo()
    assert window.doc.table.types["signed"] == "category" and window.doc.model.column_settings("signed").format is None


def test_cancelling_the_format_changes_nothing(qtbot, window, tmp_path):
    open_list(qtbot, window, tmp_path)
    when_dialog_opens(lambda dialog: dialog.reject())
    window.columns_panel.typeChangeRequested.emit("signed", "date")
    assert window.doc.table.types["signed"] == "category" and window.doc.undo_stack.count() == 0


def test_the_format_button_rereads_a_date_column(qtbot, window, tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("name,signed\nAnn,01/04/2026\nBob,03/02/2026\n", encoding="utf-8")
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))
    assert window.doc.table.frame["signed"][0] == pd.Timestamp("2026-01-04")      # month first: a guess
    qtbot.waitUntil(lambda: window.columns_panel.tree.topLevelItemCount() == 2, timeout=10000)
    window.columns_panel.select_column("signed")
    assert window.columns_panel.format_button.isEnabled()
    assert "Read as MM/DD/YYYY (month first: no value says otherwise)" in window.columns_panel.summary.text()

    def day_first(dialog):
        dialog.choice_combo.setCurrentIndex(dialog.choice_combo.findData("DD/MM/YYYY"))
        dialog.accept()

    when_dialog_opens(day_first)
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        window.columns_panel.format_button.click()
    assert window.doc.table.frame["signed"][0] == pd.Timestamp("2026-04-01")
    assert window.actions.undo.text() == "Undo Read signed as DD/MM/YYYY"
    qtbot.waitUntil(lambda: "Read as DD/MM/YYYY" in window.columns_panel.summary.text(), timeout=10000)


def test_the_preview_reads_only_the_first_cells_of_a_long_column(tmp_path, monkeypatch):
    import app.column_format as column_format

    monkeypatch.setattr(column_format, "PREVIEW_CELLS", 3)
    path = tmp_path / "long.csv"
    path.write_text("when\n" + "".join(f"2024-01-0{i + 1}\n" for i in range(5)), encoding="utf-8")
    preview = date_preview(load_leads(path), "when", None)
    assert preview.partial and preview.checked == 3 and preview.bad == 0
    assert preview.rows[0] == ("2024-01-01", "2024-01-01") and preview.message == "Read as YYYY-MM-DD (ISO 8601)"
