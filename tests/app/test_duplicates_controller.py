"""The Data quality controller with the real panel and document, and exports leaving out
duplicates through the export dialog."""

import csv

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog

from app import exporting
from app.document import Document
from app.duplicates_controller import DuplicatesController
from app.exporting import ExportController
from scoring.handoff.duplicates import find_duplicates
from scoring.model.definition import Condition, Rule
from scoring.reading import LeadTable, load_leads
from tests.conftest import SAMPLE
from widgets.duplicates_panel import DuplicatesPanel


@pytest.fixture(scope="module")
def sample() -> LeadTable:
    return load_leads(SAMPLE)


@pytest.fixture
def doc(qtbot, sample):
    document = Document()
    document.set_table(sample)
    document.wait_idle()
    yield document
    document.wait_idle()


def controller(qtbot, doc, **kwargs):
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    return DuplicatesController(doc, panel, **kwargs), panel


def test_findings_follow_the_list_and_the_checkbox_gives_the_keep_mask(qtbot, doc, sample):
    ctrl, panel = controller(qtbot, doc)
    expected = find_duplicates(sample.frame, email="email")
    assert ctrl.found.n_groups == expected.n_groups == 123
    assert "<b>128</b>" in panel.summary.text() and "882" in panel.free_label.text()
    assert panel.groups_model.rowCount() == 123
    assert ctrl.keep_mask() is None                      # not asked to leave duplicates out
    found = ctrl.found
    with qtbot.waitSignal(ctrl.updated):
        panel.leave_out_check.click()
    assert ctrl.found is found                           # the checkbox alone recomputes nothing
    assert np.array_equal(ctrl.keep_mask(), expected.keep)


def test_options_recompute_with_names_plus_addressing_and_most_recent(qtbot, doc, sample):
    ctrl, panel = controller(qtbot, doc)
    assert panel.by_name.isEnabled() and "last_activity" in panel.keep_combo.itemText(2)
    panel.by_name.click()
    panel.plus_check.click()
    panel.keep_combo.setCurrentIndex(panel.keep_combo.findData("recent"))
    expected = find_duplicates(sample.frame, email="email", by="email+name", plus_addressing=True,
                               keep="recent", date_column="last_activity")
    assert (ctrl.found.by, ctrl.found.policy) == ("email+name", "recent")
    assert np.array_equal(ctrl.found.keep, expected.keep)
    assert ctrl.found.n_left_out == 139


def test_big_lists_are_checked_on_a_worker(qtbot, doc):
    ctrl, panel = controller(qtbot, doc, worker_rows=100)
    assert ctrl.busy or ctrl.found is not None
    qtbot.waitUntil(lambda: ctrl.found is not None, timeout=20_000)
    assert ctrl.found.n_groups == 123 and not ctrl.busy
    panel.by_name.click()
    assert panel.summary.text() == "Looking for duplicates…" and ctrl.found is None
    qtbot.waitUntil(lambda: ctrl.found is not None, timeout=20_000)
    assert ctrl.found.by == "email+name"


def test_rule_edits_do_not_recompute_but_a_new_list_does(qtbot, doc, sample):
    ctrl, panel = controller(qtbot, doc)
    found = ctrl.found
    doc.edit_model(doc.model.with_rules([Rule("Any", Condition("email", "not_empty"), 1)]))
    doc.wait_idle()
    assert ctrl.found is found
    small = LeadTable.from_frame(sample.frame.iloc[:40].reset_index(drop=True))
    doc.set_table(small)
    doc.wait_idle()
    assert ctrl.found is not found and len(ctrl.found.keep) == 40
    assert ctrl.keep_mask() is None


def test_a_list_without_emails_says_why(qtbot, sample):
    document = Document()
    document.set_table(LeadTable.from_frame(sample.frame[["company", "employees"]]))
    document.wait_idle()
    ctrl, panel = controller(qtbot, document)
    assert ctrl.found is None and ctrl.keep_mask() is None
    assert panel.email_column_label.text() == "No email column"
    assert "No email column" in panel.summary.text()
    document.wait_idle()


def test_no_list_at_all(qtbot):
    ctrl, panel = controller(qtbot, Document())
    assert ctrl.found is None and ctrl.duplicates_keep() is None
    assert "Open a lead list" in panel.summary.text()


# -- the export dialog ----------------------------------------------------------------------
def accept_dialog(monkeypatch, path, tick: bool | None):
    """Make the export dialog accept at once, saving to ``path`` (ticking or clearing
    "Leave out duplicates" when ``tick`` is not None); returns the dialogs seen."""
    seen = []

    def fake_exec(dialog):
        seen.append(dialog)
        dialog.path_edit.setText(str(path))
        dialog.form.which_buttons["all"].setChecked(True)
        if tick is not None:
            dialog.form.dedupe_check.setChecked(tick)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(exporting.ExportDialog, "exec", fake_exec)
    return seen


def export_rows(qtbot, exporter) -> None:
    with qtbot.waitSignal(exporter.exported, timeout=20_000):
        exporter.export()


def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_export_leaves_out_duplicates_when_ticked(qtbot, doc, tmp_path, monkeypatch, sample):
    ctrl, panel = controller(qtbot, doc)
    parent = DuplicatesPanel()
    qtbot.addWidget(parent)
    exporter = ExportController(parent, doc, ctrl)
    out = tmp_path / "leads.csv"
    seen = accept_dialog(monkeypatch, out, tick=True)
    export_rows(qtbot, exporter)
    form = seen[0].form
    assert form.dedupe_check.text() == "Leave out duplicates (128 leads)"
    assert not form.dedupe_check.isHidden() and form.leave_out_duplicates()
    assert len(read_rows(out)) == sample.n_rows - 128
    seen = accept_dialog(monkeypatch, out, tick=None)      # starts as the panel's checkbox says
    export_rows(qtbot, exporter)
    assert not seen[0].form.dedupe_check.isChecked() and len(read_rows(out)) == sample.n_rows
    panel.leave_out_check.click()
    seen = accept_dialog(monkeypatch, out, tick=None)
    export_rows(qtbot, exporter)
    assert seen[0].form.dedupe_check.isChecked() and len(read_rows(out)) == sample.n_rows - 128
    assert "Duplicates are left out" in seen[0].hint.text()


def test_export_takes_a_callable_or_nothing(qtbot, doc, tmp_path, monkeypatch, sample):
    parent = DuplicatesPanel()
    qtbot.addWidget(parent)
    keep = np.ones(sample.n_rows, bool)
    keep[:10] = False
    out = tmp_path / "leads.csv"
    seen = accept_dialog(monkeypatch, out, tick=None)
    export_rows(qtbot, ExportController(parent, doc, lambda: keep))
    assert seen[0].form.dedupe_check.text() == "Leave out duplicates (10 leads)"
    assert len(read_rows(out)) == sample.n_rows - 10
    seen = accept_dialog(monkeypatch, out, tick=True)
    export_rows(qtbot, ExportController(parent, doc))     # the existing construction
    assert seen[0].form.dedupe_check.isHidden() and not seen[0].form.leave_out_duplicates()
    assert len(read_rows(out)) == sample.n_rows
    seen = accept_dialog(monkeypatch, out, tick=True)
    export_rows(qtbot, ExportController(parent, doc, lambda: None))   # no duplicates found
    assert not seen[0].form.dedupe_check.isEnabled() and "none found" in \
        seen[0].form.dedupe_check.text()
    assert len(read_rows(out)) == sample.n_rows
