"""Hand-offs in the window: two weekly hand-offs of a growing list, sales feedback, the Tracking tab."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pandas as pd
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.handoff_controller import HandoffDialog, plan_for
from scoring.handoff.ledger import Ledger
from scoring.model.model_file import load_model
from tests.app.dialogs import when_dialog_opens
from tests.scoring.handoff_lists import MODEL, weekly_lists

SHOTS = os.environ.get("LEADBENCH_SHOTS")        # a folder to save screenshots into, when set


def shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


@pytest.fixture
def weeks(tmp_path):
    week1, week2 = weekly_lists(tmp_path)
    model = tmp_path / "b2b.json"
    shutil.copy(MODEL, model)
    return tmp_path, model, week1, week2


def open_week(qtbot, window, model_path, path, as_of):
    if window.doc.model_path is None:
        window.doc.open_model(load_model(model_path), str(model_path))
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))
    window.doc.set_model(window.doc.model.with_as_of(as_of))
    qtbot.waitUntil(lambda: window.doc.result is not None and window.doc.result.as_of == as_of, timeout=20000)
    window.doc.undo_stack.setClean()


def hand_off_in_dialog(qtbot, window, out, *, all_mqls=False, reps=""):
    seen = {}

    def answer(dialog):
        assert isinstance(dialog, HandoffDialog)
        seen["summary"] = dialog.summary.text()
        seen["new_only"] = dialog.new_only.text()
        seen["hint"] = dialog.hint.text()
        if reps:
            dialog.owners.reps_edit.setText(reps)
        if all_mqls:
            dialog.all_mqls.setChecked(True)
        dialog.path_edit.setText(str(out))
        shot(dialog, "handoff_dialog.png")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    when_dialog_opens(answer)
    with qtbot.waitSignal(window.handoff.handoffs.handedOff, timeout=30000) as done:
        window.actions.handoff.trigger()
    return seen, done.args[0]


def test_two_weekly_hand_offs_feedback_and_tracking_in_the_window(qtbot, window, weeks):
    folder, model, week1, week2 = weeks
    ledger = folder / "b2b.ledger.sqlite"
    open_week(qtbot, window, model, week1, date(2026, 10, 26))
    assert window.actions.handoff.isEnabled()

    seen, outcome = hand_off_in_dialog(qtbot, window, folder / "week1.xlsx", reps="Ann, Bo")
    assert seen["summary"] == "509 MQLs: 506 new; 3 repeat a better-scoring lead's id and are left out"
    assert seen["new_only"] == "Only MQLs not handed off before (506)"
    assert seen["hint"].startswith("Hands off 506 leads and records them in the ledger")
    assert outcome.n_handed == 506 and (folder / "week1.xlsx").exists() and ledger.exists()
    assert window.doc.model.owners.reps == ("Ann", "Bo")          # saved in the model, undoable
    assert "Handed off 506 new MQLs to week1.xlsx" in window.statusBar().currentMessage()

    open_week(qtbot, window, model, week2, date(2026, 11, 2))
    seen, outcome = hand_off_in_dialog(qtbot, window, folder / "week2.csv")
    assert "already with sales since 26 Oct" in seen["summary"]
    week2_rows = pd.read_csv(folder / "week2.csv")
    assert len(week2_rows) == outcome.n_handed and set(week2_rows["owner"]) == {"Ann", "Bo"}
    with Ledger(ledger) as open_ledger:
        assert open_ledger.handoffs()["n_handed"].tolist() == [506, outcome.n_handed]

    # sales returns week 1's list with a status and a reason
    sent = pd.read_excel(folder / "week1.xlsx", sheet_name=0, engine="openpyxl")
    returned = pd.DataFrame({"Email": sent["email"][:60], "Lead Status": ["Working"] * 30 + ["Bad fit"] * 20
                             + ["Pending"] * 10, "Reason": [""] * 30 + ["no budget"] * 20 + [""] * 10})
    returned.loc[len(returned)] = ["stranger@nowhere.org", "Accepted", ""]
    returned.to_csv(folder / "back.csv", index=False)

    def map_statuses(dialog):
        form = dialog.form
        assert form.columns() == ("Email", "Lead Status", "Reason")
        assert dialog.form.mapping() == {"Working": "accepted", "Bad fit": "rejected", "Pending": "",
                                         "Accepted": "accepted"}
        form.set_outcome("Pending", "converted")         # the user corrects a guess
        assert "1 id was never handed off" in form.preview.text()
        assert form.preview.text().startswith("Read 60 leads: 30 accepted, 20 rejected, 10 converted")
        shot(dialog, "feedback_dialog.png")
        dialog.accept()

    when_dialog_opens(map_statuses)
    with qtbot.waitSignal(window.handoff.feedback.imported, timeout=30000) as imported:
        window.handoff.feedback.open_file(str(folder / "back.csv"))
    assert imported.args[0].recorded == 60

    panel = window.handoff.panel
    panel.target_spin.setValue(400)
    panel.target_spin.editingFinished.emit()
    window.show_panel(panel)
    qtbot.waitUntil(lambda: window.handoff.tracking.view is not None
                    and window.handoff.tracking.view.tracking.target == 400, timeout=20000)
    kpis = panel.kpi_table
    assert [kpis.item(r, 0).text() for r in range(kpis.rowCount())] == ["2026-W44", "2026-W45", "All"]
    assert kpis.item(0, 1).text() == "506" and kpis.item(0, 3).text() == "+106 above"
    assert kpis.item(0, 5).text() == "66.7%"                 # 40 accepted / (40 + 20)
    assert kpis.item(0, 6).text() == f"{10 / 506:.1%}"
    assert "Third-party benchmarks" in panel.benchmarks.text() and "about 13%" in panel.benchmarks.text()
    assert panel.source_table.rowCount() > 0 and panel.rule_table.rowCount() > 0
    assert "mostly 'no budget'" in " ".join(panel.source_table.item(r, 0).toolTip()
                                            for r in range(panel.source_table.rowCount()))
    assert panel.changes_label.text().endswith("since the last hand-off")
    window.resize(1280, 800)
    shot(window, "tracking_tab.png")

    # one click from a rule that sales rejects to its editor
    name = panel.rule_table.item(0, 0).text()
    index = [r.name for r in window.doc.model.rules].index(name)
    opened = []
    window.rules.edit = opened.append
    window.handoff.tracking._edit_rule = window.rules.edit
    panel.rule_table.selectRow(0)
    panel.edit_rule_button.click()
    assert opened == [index]


def test_back_up_ledger_from_the_window(qtbot, window, weeks):
    folder, model, week1, _ = weeks
    open_week(qtbot, window, model, week1, date(2026, 10, 26))
    hand_off_in_dialog(qtbot, window, folder / "w.csv")
    copy = window.handoff.back_up(str(folder / "copy.sqlite"))
    with Ledger(copy, create=False) as restored:
        assert len(restored.handed()) == 506
    assert "Backed up the ledger" in window.statusBar().currentMessage()
    report = folder / "audit.html"
    with qtbot.waitSignal(window.reporter.exported, timeout=30000):
        window.reporter.start(str(report))
    assert "8. Hand-offs to sales" in report.read_text() and "506 leads handed to sales" in report.read_text()


def test_the_dialog_says_when_no_ledger_can_be_read(qtbot, window, weeks):
    folder, model, week1, _ = weeks
    open_week(qtbot, window, model, week1, date(2026, 10, 26))
    broken = folder / "broken.sqlite"
    broken.write_bytes(b"not a ledger" * 200)
    dialog = HandoffDialog(window.doc, str(folder / "o.csv"), str(broken),
                           lambda path: plan_for(window.doc, path), window)
    qtbot.addWidget(dialog)
    assert "damaged" in dialog.summary.text() and "left it as it is" in dialog.summary.text()
    assert broken.read_bytes() == b"not a ledger" * 200
    dialog.ledger_edit.setText(str(folder / "new.sqlite"))
    dialog.ledger_edit.editingFinished.emit()
    assert dialog.summary.text().startswith("509 MQLs: 506 new")
    assert not (folder / "new.sqlite").exists()              # planning never creates a ledger


def test_tracking_without_a_ledger_says_how_to_start(qtbot, window, weeks):
    folder, model, week1, _ = weeks
    open_week(qtbot, window, model, week1, date(2026, 10, 26))
    window.show_panel(window.handoff.panel)
    qtbot.waitUntil(lambda: window.handoff.tracking.view is not None, timeout=20000)
    assert "No hand-offs yet: File > Hand off to sales… records them in b2b.ledger.sqlite" \
        in window.handoff.panel.ledger_label.text()
    assert window.handoff.panel.kpi_table.rowCount() == 0


def test_a_ledger_busy_with_the_command_line_fails_the_hand_off_cleanly(qtbot, window, weeks, monkeypatch):
    """The command line holds the ledger's write lock; the window's hand-off waits, then says the
    ledger is busy, and neither the file nor the ledger changes. Once free, the same hand-off works."""
    import scoring.handoff.ledger as ledger_module
    folder, model, week1, _ = weeks
    open_week(qtbot, window, model, week1, date(2026, 10, 26))
    ledger, out = folder / "b2b.ledger.sqlite", folder / "w1.csv"
    monkeypatch.setattr(ledger_module, "BUSY_SECONDS", 0.3)
    other = Ledger(ledger)
    messages = []

    def read_error(dialog):
        messages.append(dialog.message_label.text())
        dialog.accept()

    with other.transaction():
        when_dialog_opens(read_error)
        with qtbot.waitSignal(window.handoff.handoffs._runner.failed, timeout=20000):
            window.handoff.handoffs.start(str(ledger), str(out))
        qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages[0].startswith("The ledger b2b.ledger.sqlite is busy: another Leadbench window or command")
    assert not out.exists() and not list(folder.glob("*.part"))
    assert other.handoffs().empty
    other.close()
    with qtbot.waitSignal(window.handoff.handoffs.handedOff, timeout=30000):
        window.handoff.handoffs.start(str(ledger), str(out))
    assert out.exists()
