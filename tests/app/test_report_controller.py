"""File > Export audit report…: the save dialog, the worker, HTML and PDF, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from app.main_window import MainWindow
from app.report_controller import HTML_FILTER, PDF_FILTER
from tests.app.test_main_window import open_sample, when_dialog_opens


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w, before_close_func=lambda w: w.doc.undo_stack.setClean())
    w.show()
    return w


def _save_as(monkeypatch, path, chosen=HTML_FILTER):
    asked = []

    def fake(parent, caption, suggested, filters, selected):
        asked.append((caption, suggested, filters))
        return str(path), chosen
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def test_action_is_in_the_file_menu_and_needs_a_list(window):
    action = window.actions.export_report
    assert action in window.menus["file"].actions()
    assert not action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+E"


def test_export_report_as_html(qtbot, window, tmp_path, monkeypatch):
    result = open_sample(qtbot, window)
    asked = _save_as(monkeypatch, tmp_path / "client report")          # no suffix typed
    with qtbot.waitSignal(window.reporter.exported, timeout=20000) as written:
        window.actions.export_report.trigger()
    assert asked[0][1].endswith("sample_leads audit report.html") and "*.pdf" in asked[0][2]
    path = tmp_path / "client report.html"
    assert written.args == [str(path)]
    html = path.read_text(encoding="utf-8")
    assert f"{result.n_mql:,}" in html and "B2B SaaS starter" in html and "01 Nov 2026" in html
    assert 'id="backtest"' in html and "https://" not in html
    assert window.written.isVisible()
    assert window.written.label.text() == f"Wrote the audit report to …/{tmp_path.name}/client report.html"


def test_export_report_as_pdf(qtbot, window, tmp_path, monkeypatch):
    open_sample(qtbot, window)
    _save_as(monkeypatch, tmp_path / "report", chosen=PDF_FILTER)
    with qtbot.waitSignal(window.reporter.exported, timeout=20000):
        window.actions.export_report.trigger()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".*.part"))                          # no temporary file left


def test_a_bad_target_is_explained_not_written(qtbot, window, tmp_path, monkeypatch):
    open_sample(qtbot, window)
    messages = []
    when_dialog_opens(lambda dialog: (messages.append((dialog.windowTitle(),
                                                       dialog.message_label.text())),
                                      dialog.reject()))
    window.reporter.start(str(tmp_path / "missing" / "r.html"))     # returns once it is closed
    assert messages[0][0] == "Choose another file" and "does not exist" in messages[0][1]
    assert not window.reporter.busy and not (tmp_path / "missing").exists()


def test_cancel_leaves_no_file(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    target = tmp_path / "r.html"
    window.reporter.start(str(target))
    window.progress.cancelRequested.emit()
    assert not window.reporter.busy
    window.reporter._runner.wait()
    assert not target.exists() and not list(tmp_path.glob(".*.part"))
