"""What a user meets in the first hour on a real list (issue 15): the window's side."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _open(qtbot, window, path):
    with qtbot.waitSignal(window.doc.scored, timeout=30000):
        window.open_file(str(path))


def test_the_threshold_shows_the_models_value_on_first_open_of_an_untagged_list(qtbot, window, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("name,visits\nAnn,3\nBob,70\n", encoding="utf-8")
    assert window.threshold_bar.spin.text() == "50.0"
    _open(qtbot, window, plain)
    assert window.doc.model.threshold == 50
    assert window.threshold_bar.threshold() == 50.0
    assert window.threshold_bar.spin.text() == "50.0"


def _open_sample(qtbot, window):
    with qtbot.waitSignal(window.doc.scored, timeout=30000):
        window.actions.open_sample.trigger()


def _row_visible(table, row) -> bool:
    rect = table.visualItemRect(table.item(row, 0))
    return table.viewport().rect().contains(rect.center())


def test_the_backtest_tab_recommends_a_threshold_for_a_target(qtbot, window):
    _open_sample(qtbot, window)
    panel = window.backtest
    window.show_panel(panel)
    assert "Outcome: “converted”; won means Yes (guessed)." in panel.summary.text()   # not "True"
    items = [panel.mapping.list.item(i).text() for i in range(panel.mapping.list.count())]
    assert sorted(t.split()[0] for t in items) == ["No", "Yes"]
    current = window.doc.model.threshold
    rows = [panel.thresholds.item(r, 0).data(Qt.ItemDataRole.UserRole)
            for r in range(panel.thresholds.rowCount())]
    qtbot.waitUntil(lambda: _row_visible(panel.thresholds, rows.index(current)))   # scrolled to it
    panel.target_kind.setCurrentIndex(0)
    panel.target_value.setValue(55)
    qtbot.mouseClick(panel.recommend_button, Qt.MouseButton.LeftButton)
    text = panel.pick_label.text()
    assert panel.pick_label.isVisible() and "gives an MQL-to-won rate of at least 55%" in text
    picked = float(text.split()[1])
    selected = panel.thresholds.selectedItems()
    assert selected and selected[0].data(Qt.ItemDataRole.UserRole) == picked
    qtbot.waitUntil(lambda: _row_visible(panel.thresholds, selected[0].row()))
    with qtbot.waitSignal(window.doc.scored):
        qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    assert window.doc.model.threshold == picked
    assert window.threshold_bar.threshold() == picked


def test_per_month_needs_a_created_date_and_says_so_once(qtbot, window):
    _open_sample(qtbot, window)
    with qtbot.waitSignal(window.doc.scored):
        window.columns_panel.tagChangeRequested.emit("created_date", "")
    panel = window.backtest
    window.show_panel(panel)
    assert panel.thresholds.isColumnHidden(2)                      # no column of "—"
    assert panel.table_note.isVisible()
    assert panel.table_note.text() == ("MQLs per month need a created-date column: tag one in the "
                                       "Columns tab.")
    panel.target_kind.setCurrentIndex(1)
    panel.target_value.setValue(80)
    qtbot.mouseClick(panel.recommend_button, Qt.MouseButton.LeftButton)
    assert panel.pick_label.isVisible() and "created-date column" in panel.pick_label.text()


def test_data_quality_matches_by_name_and_company_when_there_is_no_email(qtbot, window, tmp_path):
    leads = tmp_path / "no email.csv"
    leads.write_text("First Name,Last Name,Company,Visits\n"
                     "Ann,O'Brien,\"Acme, Inc.\",3\n"
                     "ann,obrien,acme inc,5\n"
                     "Bob,Stone,Initech,1\n", encoding="utf-8")
    _open(qtbot, window, leads)
    window.show_panel(window.duplicates_panel)
    panel = window.duplicates_panel
    qtbot.waitUntil(lambda: window.duplicates.found is not None, timeout=10000)
    assert window.duplicates.found.n_groups == 1
    assert panel.by_name.isChecked() and panel.by_name.text() == "Same name and company"
    assert not panel.by_email.isEnabled()
    assert "keeping one of each leaves out <b>1</b>" in panel.summary.text()


def test_without_anything_to_match_on_data_quality_opens_on_the_placeholders(qtbot, window, tmp_path):
    leads = tmp_path / "no people.csv"
    leads.write_text("Lead Origin,Specialization\n" + "API,Select\nForm,Finance\n" * 10, encoding="utf-8")
    _open(qtbot, window, leads)
    window.show_panel(window.duplicates_panel)
    panel = window.duplicates_panel
    qtbot.waitUntil(lambda: panel.placeholders.rowCount() == 1, timeout=10000)
    assert panel.tabs.currentIndex() == 1 and panel.placeholders.isVisible()
    assert panel.summary.text().startswith("No email column and no name and company columns")


def test_data_quality_lists_placeholders_and_treats_one_as_empty(qtbot, window, tmp_path):
    leads = tmp_path / "select.csv"
    leads.write_text("Email,Specialization,City\n" + "".join(
        f"p{i}@firm{i}.com,{'Select' if i % 3 else 'Finance'},{'Mumbai' if i % 2 else '--'}\n"
        for i in range(30)), encoding="utf-8")
    _open(qtbot, window, leads)
    window.show_panel(window.duplicates_panel)
    panel = window.duplicates_panel
    qtbot.waitUntil(lambda: panel.placeholders.rowCount() == 2, timeout=10000)
    rows = [[panel.placeholders.item(r, c).text() for c in range(4)] for r in range(2)]
    assert rows[0] == ["Specialization", "“Select”", "20 (67%)", "No"]
    assert rows[1][:3] == ["City", "“--”", "15 (50%)"]
    assert panel.tabs.tabText(1) == "Placeholder values (2)"
    panel.placeholders.selectRow(0)
    with qtbot.waitSignal(window.doc.scored):
        qtbot.mouseClick(panel.ignore_button, Qt.MouseButton.LeftButton)
    assert "Select" in window.doc.model.missing_values
    assert window.actions.undo.text() == "Undo Treat “Select” as empty"
    qtbot.waitUntil(lambda: panel.placeholders.item(0, 3).text() == "Yes", timeout=10000)
    assert int(window.doc.table.frame["Specialization"].isna().sum()) == 20


def test_after_an_export_the_window_says_where_the_file_went_and_opens_its_folder(
        qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices
    from scoring.handoff.export import ExportOptions
    _open_sample(qtbot, window)
    target = tmp_path / "exports" / "mqls.xlsx"
    target.parent.mkdir()
    assert not window.written.isVisible()
    with qtbot.waitSignal(window.exporter.exported, timeout=30000):
        window.exporter.start(str(target), ExportOptions(which="mql"))
    n_mql = window.doc.result.n_mql
    assert window.written.isVisible() and not window.progress.isVisible()
    assert window.written.label.text() == f"Wrote {n_mql:,} leads to …/exports/mqls.xlsx"
    assert window.written.label.toolTip() == str(target)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(window.written.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(target.parent)]


def test_the_start_screen_lists_every_recent_file_on_a_full_row(qtbot, window, tmp_path):
    paths = []
    for i in range(5):
        folder = tmp_path / ("a client folder with a rather long name " * 3).strip() / f"export {i}"
        folder.mkdir(parents=True)
        path = folder / f"leads {i}.csv"
        path.write_text("name,visits\nAnn,3\n", encoding="utf-8")
        paths.append(str(path))
    window.empty_state.set_recent_files(paths)
    qtbot.waitExposed(window)
    recent = window.empty_state.recent
    assert recent.count() == 5 and not recent.horizontalScrollBar().isVisible()
    viewport = recent.viewport().rect()
    for row in range(5):
        assert viewport.contains(recent.visualItemRect(recent.item(row)))   # whole rows, no half row
    assert not recent.verticalScrollBar().isVisible()


def test_the_sheet_picker_starts_on_the_biggest_sheet(qtbot, window, tmp_path):
    import xlsxwriter
    from tests.app.dialogs import when_dialog_opens
    path = tmp_path / "crm export.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        notes = book.add_worksheet("Read me")
        for r, text in enumerate(["Exported from the CRM", "Owner: Ann", "Do not share"]):
            notes.write(r, 0, text)
        book.add_worksheet("Empty")
        leads = book.add_worksheet("Leads")
        leads.write_row(0, 0, ["name", "visits"])
        for r in range(1, 41):
            leads.write_row(r, 0, [f"Lead {r}", r])
    seen = []

    def accept_as_offered(dialog):
        seen.append(dialog.sheet_list.currentItem().text())
        dialog.accept()

    when_dialog_opens(accept_as_offered)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))
    assert seen == ["Leads    (41 rows)"]
    assert window.doc.table.sheet == "Leads" and window.doc.table.n_rows == 40


def test_group_caps_and_new_groups_are_edited_in_the_window(qtbot, window):
    from tests.app.dialogs import when_dialog_opens
    _open_sample(qtbot, window)
    assert window.doc.model.group("fit").cap == 50
    fit_title = window.rule_list.tree.topLevelItem(0).text(0)
    assert fit_title == "Fit — who they are · capped at 50"

    def uncap_fit_and_add_intent(dialog):
        dialog.caps["fit"][0].setChecked(False)
        dialog.caps["engagement"][1].setValue(40)
        dialog.new_name.setText("Buying intent")
        dialog.add_button.click()
        dialog.caps["buying_intent"][0].setChecked(True)
        dialog.caps["buying_intent"][1].setValue(20)
        dialog.accept()

    when_dialog_opens(uncap_fit_and_add_intent)
    with qtbot.waitSignal(window.doc.scored):
        window.rule_list.groups_button.click()
    model = window.doc.model
    assert [(g.name, g.cap) for g in model.groups] == [("fit", None), ("engagement", 40.0),
                                                       ("buying_intent", 20.0)]
    titles = [window.rule_list.tree.topLevelItem(i).text(0)
              for i in range(window.rule_list.tree.topLevelItemCount())]
    assert "Fit — who they are" in titles and "Engagement — what they did · capped at 40" in titles
    assert "Buying intent · capped at 20" in titles
    assert window.actions.undo.text() == "Undo Change score groups"
    with qtbot.waitSignal(window.doc.scored):
        window.actions.undo.trigger()
    assert window.doc.model.group("fit").cap == 50


def test_a_rule_added_in_a_new_group_creates_the_group(qtbot, window):
    from tests.app.dialogs import when_dialog_opens
    from widgets.rule_editor import NEW_GROUP
    _open_sample(qtbot, window)

    def new_group_rule(dialog):
        editor = dialog.editor
        row = editor.condition_rows()[0]
        row.column.setCurrentIndex(row.column.findData("demo_requested"))
        row.op.setCurrentIndex(row.op.findData("is_true"))
        editor.group.setCurrentIndex(editor.group.findData(NEW_GROUP))
        editor.new_group.setText("Intent")
        editor.new_group.textEdited.emit("Intent")
        dialog.accept()

    when_dialog_opens(new_group_rule)
    with qtbot.waitSignal(window.doc.scored):
        window.rule_list.add_button.click()
    model = window.doc.model
    assert model.rules[-1].group == "intent" and model.rules[-1].name == "Demo requested: yes"
    assert [g.name for g in model.groups][-1] == "intent"
    assert "intent" in window.doc.result.groups
