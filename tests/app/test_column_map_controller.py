"""A template opened on a list that names its columns otherwise: the mapping dialog, the mapping
kept with the list (not in the model), and the rules running on the mapped columns."""

import pandas as pd
import pytest
from PySide6.QtWidgets import QDialog

from app import settings
from scoring.evaluate.engine import Scorer
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"
RENAMED = {"job_title": "Title", "industry": "Sector", "employees": "Number of Employees",
           "email": "Email Address", "demo_requested": "Requested Demo",
           "webinar_attended": "Attended Webinar", "whitepaper_download": "Whitepaper Download",
           "page_views": "Pages Viewed", "email_clicks": "Email Clicks",
           "last_activity": "Last Activity Date", "lead_source": "Original Source"}


@pytest.fixture
def renamed(tmp_path):
    path = tmp_path / "client b.csv"
    pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).rename(columns=RENAMED).to_csv(path, index=False)
    return path


def _open(qtbot, window, path):
    with qtbot.waitSignal(window.column_mapper.dialogOpened, timeout=30000) as opened:
        window.open_file(str(path))
    return opened.args[0]


def test_the_dialog_proposes_every_column_and_ok_runs_the_rules_on_them(qtbot, window, renamed):
    window.model_files.open_template(MODEL)
    dialog = _open(qtbot, window, renamed)
    assert dialog.mapping() == {k: v for k, v in RENAMED.items() if k != "lead_source"} | {
        "lead_source": "Original Source"}
    row = [p.model_column for p in dialog.proposals].index("job_title")
    assert dialog.table.item(row, 2).text().startswith("same meaning in CRM exports")
    assert window.doc.problems and window.map_button.isVisible()
    dialog.accept()
    qtbot.waitUntil(lambda: not window.doc.problems, timeout=10000)
    assert window.doc.column_map["job_title"] == "Title"
    qtbot.waitUntil(lambda: window.doc.result.model.rules[0].when.column == "Title", timeout=10000)
    # the mapped list gets the MQLs the sample gets under its own names, on the same scoring date
    result = window.doc.result
    expected = Scorer(load_leads(SAMPLE), as_of=result.as_of).score(load_model(MODEL))
    assert result.n_mql == expected.n_mql > 0
    assert (result.total == expected.total).all() and (result.mql == expected.mql).all()
    assert window.doc.model == load_model(MODEL)                  # the model itself is unchanged
    assert window.doc.undo_stack.isClean()
    assert settings.column_map(str(renamed))["job_title"] == "Title"   # kept with the list


def test_a_stored_mapping_applies_when_the_list_opens_again(qtbot, window, renamed):
    settings.set_column_map(str(renamed), {k: v for k, v in RENAMED.items()})
    window.model_files.open_template(MODEL)
    window.open_file(str(renamed))
    qtbot.waitUntil(lambda: window.doc.result is not None and window.doc.table is not None
                    and window.doc.table.source == str(renamed), timeout=30000)
    qtbot.waitUntil(lambda: not window.doc.problems, timeout=10000)
    assert window.doc.column_map["industry"] == "Sector" and not window.map_button.isVisible()


def test_two_model_columns_cannot_take_one_list_column_and_cancel_keeps_rules_off(qtbot, window, renamed):
    window.model_files.open_template(MODEL)
    dialog = _open(qtbot, window, renamed)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.choose("industry", "Title")
    assert not ok.isEnabled() and dialog.warning.isVisible()
    assert "“Title” is chosen for job_title and industry" in dialog.warning.text()
    dialog.choose("industry", None)
    assert ok.isEnabled() and "industry" not in dialog.mapping()
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert window.doc.column_map == {} and window.doc.problems and window.map_button.isVisible()
    with qtbot.waitSignal(window.column_mapper.dialogOpened, timeout=5000) as again:
        window.map_button.click()                                  # offered again on request
    again.args[0].reject()
