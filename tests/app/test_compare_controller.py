"""Comparing models from the window: with the saved version, with a file, export, refusals."""

from __future__ import annotations

import json
import shutil
from datetime import date

import openpyxl
import pandas as pd
import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from app.compare_controller import CSV_FILTER, NEVER_SAVED, XLSX_FILTER, CompareController
from app.document import Document, derive_table
from scoring.evaluate.engine import Scorer
from scoring.handoff.compare import compare_results
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.app.dialogs import when_dialog_opens
from tests.conftest import ROOT, SAMPLE

AS_OF = date(2026, 11, 1)
MODEL = ROOT / "resources" / "models" / "b2b_saas.json"


def capture_messages():
    messages = []
    when_dialog_opens(lambda d: (messages.append((d.windowTitle(), d.message_label.text(),
                                                  d.details.toPlainText())), d.reject()))
    return messages


@pytest.fixture
def saved_model(tmp_path):
    path = tmp_path / "b2b.json"
    shutil.copy(MODEL, path)
    return path


@pytest.fixture
def doc(qtbot, saved_model):
    document = Document()
    document.open_model(load_model(saved_model), str(saved_model))
    with qtbot.waitSignal(document.scored, timeout=20000):
        document.set_table(load_leads(SAMPLE), as_of=AS_OF)
    return document


@pytest.fixture
def controller(qtbot, doc):
    parent = QWidget()
    qtbot.addWidget(parent)
    c = CompareController(parent, doc)
    yield c
    if c.dialog is not None:
        c.dialog.close()


def edit_threshold(qtbot, doc, threshold):
    with qtbot.waitSignal(doc.scored, timeout=20000):
        doc.edit_model(doc.model.with_threshold(threshold))


def direct(table, old_model, new_model):
    scorer = Scorer(table, as_of=AS_OF)
    return compare_results(table, scorer.score(old_model), scorer.score(new_model))


def test_compare_with_saved_after_changing_the_threshold(qtbot, doc, controller, saved_model):
    assert controller.can_compare_with_saved()
    edit_threshold(qtbot, doc, 55)
    with qtbot.waitSignal(controller.compared, timeout=20000) as shown:
        controller.compare_with_saved()
    comparison = shown.args[0]
    expected = direct(doc.table, load_model(saved_model), doc.model)
    assert (comparison.entered, comparison.left) == (expected.entered, expected.left)
    assert comparison.entered > 100 and comparison.left == 0
    assert comparison.mqls_after == doc.result.n_mql and comparison.rows.tolist() == expected.rows.tolist()
    dialog = controller.dialog
    assert dialog.isVisible() and not dialog.isModal()
    assert "saved version" in dialog.windowTitle()
    assert dialog.view.headline.text() == expected.headline()
    assert dialog.view.differences.item(0).text() == "MQL threshold lowered from 65 to 55"
    assert dialog.view.model.rowCount() == expected.n_changed


def test_a_model_never_saved_says_so(qtbot, doc, controller):
    doc.open_model(doc.model, None)
    assert not controller.can_compare_with_saved()
    messages = capture_messages()
    controller.compare_with_saved()
    assert messages == [("Nothing to compare with", NEVER_SAVED, "")]
    assert controller.dialog is None


def test_a_saved_file_that_vanished_is_explained(qtbot, doc, controller, saved_model):
    saved_model.unlink()
    assert not controller.can_compare_with_saved()
    messages = capture_messages()
    controller.compare_with_saved()
    assert "no longer in" in messages[0][1]


def test_compare_with_a_file_applies_its_column_settings(qtbot, doc, controller, tmp_path):
    # the candidate treats "Direct" as missing and rewards leads without a source
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["name"] = "Candidate"
    data["missing_values"] = ["Direct"]
    data["rules"].append({"name": "No source", "group": "fit", "points": 40,
                          "when": {"column": "lead_source", "op": "is_empty"}})
    path = tmp_path / "candidate.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with qtbot.waitSignal(controller.compared, timeout=20000) as shown:
        controller.compare_with_file(str(path))
    comparison = shown.args[0]
    candidate = load_model(path)
    other_table = derive_table(doc.base_table, candidate)
    expected_new = Scorer(other_table, as_of=AS_OF).score(candidate)
    expected = compare_results(doc.table, doc.result, expected_new)
    assert comparison.entered == expected.entered > 0
    assert (comparison.new_score == expected.new_score).all()
    assert comparison.new_model.name == "Candidate" and "candidate.json" in controller.dialog.windowTitle()
    assert any(d.text.startswith("Added No source") for d in comparison.differences)
    # without the marker, "is empty" would match far fewer leads: the settings were applied
    plain = Scorer(doc.table, as_of=AS_OF).score(candidate)
    assert plain.n_mql < expected_new.n_mql


def test_compare_with_file_asks_for_one(qtbot, doc, controller, monkeypatch, tmp_path):
    path = tmp_path / "stricter.json"
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["threshold"] = 75
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(controller.compared, timeout=20000) as shown:
        controller.compare_with_file()
    assert shown.args[0].left == direct(doc.table, doc.model, load_model(path)).left > 0
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a) or ("", ""))
    controller.compare_with_file(False)       # as QAction.triggered(bool) calls it: asks again
    assert len(asked) == 1 and asked[0][1] == "Compare with model"
    assert not controller.busy                # cancelled: nothing happens


def test_a_bad_model_file_is_a_plain_message(qtbot, controller, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    messages = capture_messages()
    controller.compare_with_file(str(path))
    title, text, details = messages[0]
    assert title == "Cannot compare" and "broken.json" in text
    assert "Traceback" not in text and details == ""


def test_export_changes_to_xlsx_and_csv(qtbot, doc, controller, monkeypatch, tmp_path):
    edit_threshold(qtbot, doc, 55)
    with qtbot.waitSignal(controller.compared, timeout=20000) as shown:
        controller.compare_with_saved()
    comparison = shown.args[0]
    asked = []

    def save_as(target, chosen):
        def fake(parent, caption, suggested, filters, selected):
            asked.append((caption, suggested, filters))
            return str(target), chosen
        monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)

    save_as(tmp_path / "changes", XLSX_FILTER)                     # no suffix typed
    with qtbot.waitSignal(controller.exported, timeout=20000) as written:
        controller.dialog.view.export_button.click()
    assert written.args == [str(tmp_path / "changes.xlsx")]
    assert asked[0][0] == "Export changes" and asked[0][1].endswith("sample_leads changes.xlsx")
    book = openpyxl.load_workbook(tmp_path / "changes.xlsx", read_only=True)
    assert book.sheetnames == ["Summary", "Changed leads"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Leads that become MQLs"] == comparison.entered
    assert summary["MQLs after"] == doc.result.n_mql
    assert len(list(book["Changed leads"].iter_rows(values_only=True))) == comparison.n_changed + 1
    book.close()
    assert controller.dialog.status.text() == "Wrote changes.xlsx"

    save_as(tmp_path / "changes", CSV_FILTER)
    with qtbot.waitSignal(controller.exported, timeout=20000):
        controller.export_changes()
    back = pd.read_csv(tmp_path / "changes.csv")
    assert len(back) == comparison.n_changed and (back["change"] == "entered").sum() == comparison.entered
    assert back["first_name"].iloc[0] == doc.table.frame["first_name"].iloc[comparison.rows[0]]
    assert not list(tmp_path.glob(".*.part"))


def test_export_refuses_the_lead_list(qtbot, doc, controller):
    edit_threshold(qtbot, doc, 55)
    with qtbot.waitSignal(controller.compared, timeout=20000):
        controller.compare_with_saved()
    before = SAMPLE.read_bytes()
    source_csv = doc.table.source
    messages = capture_messages()
    controller.export_changes(str(source_csv))
    assert messages[0][0] == "Choose another file" and "never overwrites" in messages[0][1]
    assert SAMPLE.read_bytes() == before and not controller.busy


def test_nothing_to_compare_without_a_list(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    controller = CompareController(parent, Document())
    assert not controller.can_compare_with_saved()
    messages = capture_messages()
    controller.compare_with_file("whatever.json")
    assert messages[0][0] == "Nothing to compare yet"


def test_dialog_renders(qtbot, doc, controller, tmp_path):
    edit_threshold(qtbot, doc, 55)
    with qtbot.waitSignal(controller.compared, timeout=20000):
        controller.compare_with_saved()
    controller.dialog.resize(1200, 760)
    image = controller.dialog.grab()
    assert image.width() == 1200 and image.save(str(tmp_path / "compare.png"))
