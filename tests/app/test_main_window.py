"""The window driven as a user would: open, add a rule, undo, threshold, sort, filter, explain,
save and reopen a model, export."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from scoring.model.definition import Condition
from scoring.model.model_file import load_model
from tests.app.dialogs import when_dialog_opens
from scoring.evaluate.explain import explain_lead
from tests.conftest import SAMPLE
from widgets.rule_editor import RuleEditorDialog


def open_sample(qtbot, window):
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.actions.open_sample.trigger()
    return window.doc.result


def test_empty_state_first(window):
    assert window.stack.currentWidget() is window.empty_state
    assert not window.actions.export.isEnabled()


def test_open_sample_scores_and_shows_counts(qtbot, window):
    result = open_sample(qtbot, window)
    assert window.stack.currentWidget() is window.splitter
    assert window.doc.table.n_rows == 5000
    assert 0.10 < result.n_mql / 5000 < 0.20         # the sample is scored as of its export date
    assert "scored as of 01 Nov 2026" in window.status_label.text()
    assert f"{result.n_mql:,} MQLs" in window.threshold_bar.counts.text()
    assert window.lead_view.model.rowCount() == 5000
    assert "B2B SaaS starter" in window.windowTitle()
    assert window.doc.model.tagged("source") == "lead_source"
    # the columns' profiles follow from a worker
    columns = list(window.doc.table.frame.columns)
    qtbot.waitUntil(lambda: window.columns_panel.tree.topLevelItemCount() == len(columns), timeout=10000)
    assert [p.name for p in window.doc.profiles] == columns


def test_a_model_changed_while_loading_is_the_one_scored(qtbot, window):
    window.actions.open_sample.trigger()             # loads and scores with the starter model
    model = window.doc.model
    edited = model.with_threshold(model.threshold + 20)
    window.doc.edit_model(edited)                    # before the load finished
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        pass
    qtbot.waitUntil(lambda: window.doc.result is not None and window.doc.result.model.threshold
                    == edited.threshold, timeout=10000)
    assert window.doc.result.model.threshold == model.threshold + 20


def test_add_rule_through_the_editor_then_undo_and_redo(qtbot, window):
    before = open_sample(qtbot, window).n_mql

    def fill(dialog):
        editor = dialog.editor
        row = editor.condition_rows()[0]
        row.column.setCurrentIndex(row.column.findData("country"))
        row.op.setCurrentIndex(row.op.findData("in"))
        values = row.value_editor
        values.check("US")
        values.check("GB")
        editor.points.setValue(25)
        editor.group.setCurrentIndex(editor.group.findData("fit"))
        assert editor.isValid(), editor.problem()
        dialog.accept()

    when_dialog_opens(fill)
    with qtbot.waitSignal(window.doc.scored, timeout=10000):
        window.actions.add_rule.trigger()
    rule = window.doc.model.rules[-1]
    assert rule.when == Condition("country", "in", ("US", "GB")) and rule.points == 25
    after = window.doc.result.n_mql
    assert after > before
    assert window.actions.undo.text() == f"Undo Add rule {rule.name}"
    with qtbot.waitSignal(window.doc.scored):
        window.doc.undo_stack.undo()
    assert window.doc.result.n_mql == before
    with qtbot.waitSignal(window.doc.scored):
        window.doc.undo_stack.redo()
    assert window.doc.result.n_mql == after


def test_threshold_drag_is_one_undo_step(qtbot, window):
    open_sample(qtbot, window)
    start = window.doc.model.threshold
    for value in (55, 50, 45):
        with qtbot.waitSignal(window.doc.scored):
            window.threshold_bar.slider.setValue(value)
    window.threshold_bar.slider.sliderReleased.emit()
    assert window.doc.model.threshold == 45
    assert window.doc.undo_stack.count() == 1
    assert window.actions.undo.text() == "Undo Change threshold"
    with qtbot.waitSignal(window.doc.scored):
        window.doc.undo_stack.undo()
    assert window.doc.model.threshold == start
    assert window.windowTitle().startswith("B2B SaaS starter")


def test_toggle_rule_and_edit_points_from_the_list(qtbot, window):
    open_sample(qtbot, window)
    window.rule_list.select_rule(0)
    with qtbot.waitSignal(window.doc.scored):
        qtbot.keyClick(window.rule_list.tree, Qt.Key.Key_Space)
    assert not window.doc.model.rules[0].enabled
    assert window.actions.undo.text() == "Undo Disable Senior title"


def test_sort_filter_search_and_explain(qtbot, window):
    result = open_sample(qtbot, window)
    view = window.lead_view
    qtbot.mouseClick(view.chips["mql"], Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == result.n_mql
    qtbot.mouseClick(view.chips["blocked"], Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == int(result.blocked.sum())
    qtbot.mouseClick(view.chips["all"], Qt.MouseButton.LeftButton)
    column = 4 + list(window.doc.table.frame.columns).index("company")
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    texts = [view.model.index(r, column).data() for r in range(50)]
    assert texts == sorted(texts, key=str.casefold)
    qtbot.keyClicks(view.search, "summit")
    qtbot.waitUntil(lambda: 0 < view.model.rowCount() < 5000)
    view.table.selectRow(0)
    lines = window.explain_panel.text().splitlines()
    row = window._selected_row
    expected = explain_lead(window.doc.result, row, window.doc.table)
    assert expected.headline() in lines and expected.verdict() in lines
    assert expected.headline().startswith(("MQL: scored", "Not an MQL: scored", "Blocked: scored"))
    fields = [line for line in lines if ": " in line][:6]
    assert any("summit" in line.casefold() for line in fields)      # the lead the search found


def test_save_and_reopen_model(qtbot, window, tmp_path, monkeypatch):
    open_sample(qtbot, window)
    with qtbot.waitSignal(window.doc.scored):
        window.threshold_bar.spin.setValue(42)
    target = tmp_path / "my model.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions.save_model.trigger()
    assert window.doc.undo_stack.isClean() and not window.isWindowModified()
    assert load_model(target).threshold == 42
    with qtbot.waitSignal(window.doc.scored):
        window.model_files.new()
    assert window.doc.model.rules == ()
    with qtbot.waitSignal(window.doc.scored):
        assert window.model_files.open(str(target))
    assert window.doc.model.threshold == 42 and len(window.doc.model.rules) == 14


def test_compare_with_last_saved_version_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    open_sample(qtbot, window)
    assert window.actions.compare_model.isEnabled()
    assert not window.actions.compare_saved.isEnabled()          # the starter was never saved
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "saved.json"), ""))
    window.actions.save_model.trigger()
    assert window.actions.compare_saved.isEnabled()
    saved_mql = window.doc.result.mql.copy()
    with qtbot.waitSignal(window.doc.scored):
        window.threshold_bar.spin.setValue(window.doc.model.threshold - 10)
    with qtbot.waitSignal(window.comparer.compared, timeout=20000) as signal:
        window.actions.compare_saved.trigger()
    comparison = signal.args[0]
    now = window.doc.result.mql
    assert comparison.entered == int((now & ~saved_mql).sum()) > 0
    assert comparison.left == int((saved_mql & ~now).sum()) == 0
    assert window.comparer.dialog.isVisible()
    window.comparer.dialog.close()


def test_data_quality_tab_finds_the_samples_duplicates_and_feeds_the_export(qtbot, window):
    open_sample(qtbot, window)
    window.show_panel(window.duplicates_panel)
    qtbot.waitUntil(lambda: window.duplicates.found is not None, timeout=20000)
    found = window.duplicates.found
    assert found.n_groups > 0 and found.n_left_out > 0
    assert window.duplicates.keep_mask() is None              # nothing left out until asked
    window.duplicates_panel.leave_out_check.setChecked(True)
    keep = window.duplicates.keep_mask()
    assert keep is not None and int((~keep).sum()) == found.n_left_out
    # double-clicking a group's lead explains that lead
    group_row = found.rows_of(0)[0]
    window.duplicates_panel.leadActivated.emit(int(group_row))
    assert window.explain_panel.text()


def test_unsaved_changes_are_asked_about(qtbot, window, monkeypatch):
    open_sample(qtbot, window)
    with qtbot.waitSignal(window.doc.scored):
        window.threshold_bar.spin.setValue(30)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    window.model_files.new()
    assert asked and "not saved" in asked[0]
    assert window.doc.model.threshold == 30


def test_export_mqls_to_xlsx(qtbot, window, tmp_path):
    result = open_sample(qtbot, window)
    target = tmp_path / "for sales.xlsx"

    def fill(dialog):
        dialog.path_edit.setText(str(target))
        dialog.form.which_buttons["mql"].setChecked(True)
        dialog.done(QDialog.DialogCode.Accepted)

    when_dialog_opens(fill)
    with qtbot.waitSignal(window.exporter.exported, timeout=20000):
        window.actions.export.trigger()
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["Leads", "Summary", "Model"]
    sheet = book["Leads"]
    assert sheet.max_row == result.n_mql + 1
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["first_name", "last_name", "email"] and "page_views" not in header
    assert header[-6:] == ["fit_score", "engagement_score", "score", "mql", "blocked_by", "reasons"]


def test_export_dialog_splits_into_csv_files_with_excel_options(qtbot, window, tmp_path):
    result = open_sample(qtbot, window)
    target = tmp_path / "by source.csv"

    def fill(dialog):
        dialog.path_edit.setText(str(target))
        form = dialog.form
        assert form.bom_check.isVisibleTo(dialog) and not form.summary_check.isVisibleTo(dialog)
        form.which_buttons["all"].setChecked(True)
        form.split_combo.setCurrentIndex(form.split_combo.findData("lead_source"))
        form.delimiter_combo.setCurrentIndex(form.delimiter_combo.findData(";"))
        form.bom_check.setChecked(True)
        form.sort_combo.setCurrentIndex(form.sort_combo.findData("company"))
        form.direction_combo.setCurrentIndex(1)                    # A first
        assert "one file per value" in dialog.hint.text()
        dialog.form.set_columns(["company", "email"])
        dialog._accept()

    when_dialog_opens(fill)
    with qtbot.waitSignal(window.exporter.exported, timeout=20000):
        window.actions.export.trigger()
    files = sorted(tmp_path.glob("by source - *.csv"))
    sources = window.doc.table.frame["lead_source"].dropna().unique()
    assert len(files) == len(sources)
    text = files[0].read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith('"email";"company";"fit_score"')          # in the list's order
    companies = [line.split(";")[1].strip('"') for line in lines[1:]]
    assert companies == sorted(companies)
    assert sum(len(f.read_text(encoding="utf-8-sig").splitlines()) - 1 for f in files) == result.n_rows


def test_bad_file_shows_a_message_and_keeps_the_document(qtbot, window, tmp_path):
    open_sample(qtbot, window)
    bad = tmp_path / "broken.csv"
    bad.write_bytes(b"")
    messages = []

    def read(dialog):
        messages.append(dialog.message_label.text())
        dialog.accept()

    when_dialog_opens(read)
    window.open_file(str(bad))
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert "broken.csv" in messages[0] and "empty" in messages[0]
    assert window.doc.table.n_rows == 5000


def test_type_change_and_missing_marker_are_undoable(qtbot, window):
    open_sample(qtbot, window)
    panel = window.columns_panel
    panel.select_column("employees")
    with qtbot.waitSignal(window.doc.scored):
        panel.typeChangeRequested.emit("employees", "text")
    assert window.doc.table.types["employees"] == "text"
    assert window.doc.problems                      # number rules cannot run on text
    assert window.problems_label.isVisible()
    with qtbot.waitSignal(window.doc.scored):
        window.doc.undo_stack.undo()
    assert window.doc.table.types["employees"] == "integer" and not window.doc.problems
    with qtbot.waitSignal(window.doc.scored):
        panel.missingValuesChangeRequested.emit(("Direct",))
    assert window.doc.table.frame["lead_source"].isna().sum() > 0
    assert window.actions.undo.text() == "Undo Treat 'Direct' as missing"


def test_rule_editor_round_trips_existing_rules(qtbot):
    model = load_model(SAMPLE.parent / "models" / "b2b_saas.json")
    from scoring.reading import load_leads
    table = load_leads(SAMPLE)
    dialog = RuleEditorDialog()
    qtbot.addWidget(dialog)
    dialog.editor.set_columns(table.types, lambda c: [("x", 1)])
    for rule in model.rules:
        dialog.editor.set_rule(rule)
        assert dialog.editor.rule() == rule


def test_workbook_with_several_sheets_asks_which_one(qtbot, window, tmp_path):
    import xlsxwriter
    path = tmp_path / "export.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("Notes").write(0, 0, "read me")
        leads = book.add_worksheet("Leads")
        for r, row in enumerate([["name", "demo"], ["Ann", "yes"], ["Bob", "no"]]):
            leads.write_row(r, 0, row)
        other = book.add_worksheet("Old")
        for r, row in enumerate([["name"], ["Cid"]]):
            other.write_row(r, 0, row)
    shown = []

    def choose(dialog):
        items = [dialog.sheet_list.item(i).text() for i in range(dialog.sheet_list.count())]
        shown.extend(items)
        dialog.sheet_list.setCurrentRow(1)
        dialog.accept()

    when_dialog_opens(choose)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))
    assert any("Leads" in s and "3 rows" in s for s in shown)
    assert window.doc.table.sheet == "Leads" and window.doc.table.n_rows == 2


def test_dropping_a_file_opens_it(qtbot, window):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLE))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.dropEvent(event)
    assert window.doc.table.n_rows == 5000


def test_without_a_display_the_window_explains_instead_of_crashing(monkeypatch, capsys):
    from app.gui import run_gui
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert run_gui(None) == 2
    assert "no display found" in capsys.readouterr().err


def test_charts_follow_the_scores_and_the_threshold_line_is_an_undoable_edit(qtbot, window):
    result = open_sample(qtbot, window)
    window.show_panel(window.charts)
    histogram = window.charts.histogram
    assert sum(histogram.mqls.opts["y1"]) == result.n_mql
    assert window.charts.sources.table.rowCount() >= 9          # tagged lead_source, merged variants
    with qtbot.waitSignal(window.doc.scored):
        histogram.line.setValue(40)
        histogram.line.sigDragged.emit(histogram.line)
    histogram.line.sigPositionChangeFinished.emit(histogram.line)
    assert window.doc.model.threshold == 40
    assert window.doc.result.n_mql > result.n_mql
    assert sum(histogram.mqls.opts["y1"]) == window.doc.result.n_mql
    assert window.actions.undo.text() == "Undo Change threshold"


def test_templates_menu_offers_the_three_starters(qtbot, window):
    titles = [a.text() for a in window.menus["templates"].actions()]
    assert titles == ["B2B SaaS starter", "Services / agency starter", "E-commerce / B2C starter"]
    with qtbot.waitSignal(window.doc.modelChanged):
        window.menus["templates"].actions()[1].trigger()
    assert window.doc.model.name == "Services / agency starter" and window.doc.model_path is None


def test_moving_a_rule_to_another_group_is_one_named_step(qtbot, window):
    open_sample(qtbot, window)
    first = window.doc.model.rules[0]
    with qtbot.waitSignal(window.doc.scored):
        window.rule_list.ruleMoved.emit(0, 8, "engagement")
    moved = next(r for r in window.doc.model.rules if r.name == first.name)
    assert moved.group == "engagement" and window.doc.model.rules.index(moved) == 8
    assert window.actions.undo.text() == f"Undo Move {first.name} to Engagement"


def test_backtest_tab_threshold_pick_and_suggested_rules(qtbot, window):
    open_sample(qtbot, window)
    panel = window.backtest
    window.show_panel(panel)
    assert "ROC AUC" in panel.summary.text() and "converted" in panel.summary.text()
    assert panel.thresholds.rowCount() > 10 and panel.deciles.rowCount() == 10
    panel.thresholds.selectRow(3)
    chosen = panel.thresholds.item(3, 0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(window.doc.scored):
        qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    assert window.doc.model.threshold == chosen
    with qtbot.waitSignal(window.backtest_controller._runner.succeeded, timeout=30000):
        qtbot.mouseClick(panel.suggest_button, Qt.MouseButton.LeftButton)
    assert panel.suggestions.rowCount() > 0
    panel.suggestions.selectRow(0)
    rules_before = len(window.doc.model.rules)
    with qtbot.waitSignal(window.doc.scored):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    added = window.doc.model.rules[-1]
    assert len(window.doc.model.rules) == rules_before + 1
    assert window.actions.undo.text() == f"Undo Add rule {added.name}"


def test_backtest_tab_explains_a_missing_outcome(qtbot, window):
    open_sample(qtbot, window)
    with qtbot.waitSignal(window.doc.scored):
        window.columns_panel.tagChangeRequested.emit("converted", "")
    window.show_panel(window.backtest)
    assert "Tag an outcome column" in window.backtest.empty.text()
    assert window.backtest.stack.currentWidget() is window.backtest.empty
