"""Data > Add a file to these leads… and Data > Accounts, driven as a user would."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import app.accounts_controller as accounts_controller
from scoring.model.definition import Condition, Model, Rule
from scoring.model.model_file import save_model
from scoring.model.recipe import AccountRollup, MatchKey, Source
from tests.app.dialogs import when_dialog_opens
from tests.scoring.combine_files import AS_OF, write_crm


@pytest.fixture
def crm(tmp_path):
    return write_crm(tmp_path)


def open_leads(qtbot, window, path):
    window.doc.open_model(Model(name="Joined", threshold=20, as_of=date.fromisoformat(AS_OF)), None)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(path))


def add_file(qtbot, window, path):
    combiner = window.combiner
    assert combiner.add_file(str(path))
    qtbot.waitUntil(lambda: combiner.dialog is not None and combiner.dialog.isVisible(), timeout=10000)
    return combiner.dialog


def accept_and_wait(qtbot, window, dialog):
    with qtbot.waitSignal(window.combiner.joined, timeout=20000):
        dialog.accept()
    qtbot.waitUntil(lambda: window.doc.result is not None
                    and window.doc.result.total.size == window.doc.table.n_rows, timeout=10000)


def test_add_a_deals_file_preview_bring_columns_and_undo(qtbot, window, crm):
    open_leads(qtbot, window, crm["leads"])
    dialog = add_file(qtbot, window, crm["deals"])
    assert dialog.lead_key.currentData() == "lead_id" and dialog.file_key.currentData() == "lead_id"
    assert dialog.preview.text() == ("250 of 400 leads matched; 5 rows of deals.csv match no lead; "
                                     "10 leads match more than one row.")
    assert dialog.problem.text() == "Tick columns to bring, or define a column from the rows"
    dialog.file_key.setCurrentIndex(dialog.file_key.findData("stage"))
    assert dialog.preview.text().startswith("No lead matches a row of deals.csv: leads.csv's column 'lead_id'")
    dialog.file_key.setCurrentIndex(dialog.file_key.findData("lead_id"))
    dialog.set_checked_columns(["stage", "amount"])
    dialog.many.setCurrentIndex(dialog.many.findData("latest"))
    dialog.order_by.setCurrentIndex(dialog.order_by.findData("close_date"))
    assert dialog.problem.text() == ""
    accept_and_wait(qtbot, window, dialog)
    doc = window.doc
    assert list(doc.table.frame.columns)[-2:] == ["stage", "amount"]
    assert doc.model.sources[0].columns == ("stage", "amount") and doc.model.sources[0].many == "latest"
    deals = crm["frames"]["deals"]
    twice = deals["lead_id"].iloc[0]
    row = int(doc.table.frame.index[doc.table.frame["lead_id"] == twice][0])
    assert doc.table.frame.loc[row, "amount"] == 1                        # the latest of its two deals
    assert window.lead_view.model.columnCount() > 7
    # a rule on a joined column scores like any other
    doc.edit_model(doc.model.with_rules([Rule("Won", Condition("stage", "eq", "won"), 25)]))
    qtbot.waitUntil(lambda: bool(doc.result.model.rules) and doc.result.model.rules[0].name == "Won",
                    timeout=10000)
    firsts = deals.sort_values("close_date", ascending=False, na_position="last").drop_duplicates("lead_id")
    won = set(firsts.loc[firsts["stage"] == "Won", "lead_id"])
    assert doc.result.n_mql == int(doc.table.frame["lead_id"].isin(won).sum())
    doc.undo_stack.undo()                                                   # the rule
    with qtbot.waitSignal(window.combiner.joined, timeout=20000):
        doc.undo_stack.undo()                                               # the file
    assert "stage" not in doc.table.frame.columns and doc.model.sources == ()


def test_define_columns_from_an_activity_log(qtbot, window, crm):
    open_leads(qtbot, window, crm["leads"])
    dialog = add_file(qtbot, window, crm["events"])
    dialog.kind.setCurrentIndex(dialog.kind.findData("email"))
    dialog.lead_key.setCurrentIndex(dialog.lead_key.findData("email"))
    dialog.file_key.setCurrentIndex(dialog.file_key.findData("contact"))
    assert dialog.preview.text().startswith("400 of 400 leads matched")
    row = dialog.add_aggregate()
    row.name.setText("Email clicks, last 30 days")
    row.use_where.setChecked(True)
    row.where.set_condition(Condition("event", "eq", "click"))
    row.use_days.setChecked(True)
    row.days.setValue(30)
    row.date_column.setCurrentIndex(row.date_column.findData("when"))
    assert dialog.problem.text() == ""
    accept_and_wait(qtbot, window, dialog)
    events = crm["frames"]["events"].assign(key=lambda f: f["contact"].str.strip().str.lower(),
                                            when=lambda f: pd.to_datetime(f["when"]))
    clicks = events[(events["event"] == "click") & (events["when"] >= pd.Timestamp(AS_OF) - pd.Timedelta(days=30))]
    frame = window.doc.table.frame
    want = clicks.groupby("key").size().reindex(frame["email"]).fillna(0).astype(int).tolist()
    assert frame["Email clicks, last 30 days"].astype(int).tolist() == want
    assert window.doc.model.sources[0].aggregates[0].within_days == 30
    # moving the scoring date joins again: the window counts back from the new day
    with qtbot.waitSignal(window.combiner.joined, timeout=20000):
        window.doc.edit_model(window.doc.model.with_as_of(date(2026, 5, 31)))
    moved = window.doc.table.frame["Email clicks, last 30 days"].astype(int)
    assert moved.tolist() != want


def test_a_missing_source_is_named_and_can_be_located(qtbot, window, crm, tmp_path):
    model = Model(name="Joined", threshold=20, sources=(
        Source("deals", str(tmp_path / "moved" / "deals.csv"), MatchKey("id", ("lead_id",), ("lead_id",)),
               columns=("stage",)),))
    save_model(model, tmp_path / "joined.json")
    seen = []

    def answer(box):
        seen.append(box.text())
        box.reject()
    when_dialog_opens(answer)
    window.model_files.open(str(tmp_path / "joined.json"))
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(crm["leads"]))
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen[0].startswith("The model's source 'deals' reads deals.csv, which is not there")
    assert "stage" not in window.doc.table.frame.columns                # nothing half-joined
    with qtbot.waitSignal(window.combiner.joined, timeout=20000):
        window.combiner.relocate("deals", str(crm["deals"]))
    assert "stage" in window.doc.table.frame.columns
    assert window.doc.model.sources[0].path == str(crm["deals"])


def test_accounts_view_rolls_up_explains_saves_and_exports(qtbot, window, crm, tmp_path):
    open_leads(qtbot, window, crm["leads"])
    window.doc.edit_model(window.doc.model.with_rules([Rule("Ads", Condition("source", "eq", "Ads"), 25)]))
    window.actions.accounts.trigger()
    view = window.accounts_view
    assert window.centre_tabs.currentWidget() is view
    leads = crm["frames"]["leads"].assign(score=lambda f: (f["source"] == "Ads") * 25)
    want = leads.groupby("company")["score"].sum().sort_values(ascending=False)
    qtbot.waitUntil(lambda: view.accounts_model.rowCount() == 6
                    and view.accounts_model.index(0, 3).data() == f"{want.iloc[0]:,}", timeout=10000)
    assert view.accounts_model.index(0, 0).data() == want.index[0]
    assert view.summary.text().startswith("6 accounts, 6 Marketing Qualified Accounts (score ≥ 100)")
    assert view.detail.text().startswith(f"{want.index[0]}: {int((leads['company'] == want.index[0]).sum())} leads")
    explained = window.explain_panel.text()                 # the explain panel explains the account
    assert explained.startswith(f"Account: {view.detail.text()}") and "Rules that fired:" in explained
    view.by.setCurrentIndex(view.by.findData("domain"))
    qtbot.waitUntil(lambda: window.doc.model.accounts is not None, timeout=5000)
    assert window.doc.model.accounts == AccountRollup("domain", "email", "sum", 100.0)
    qtbot.waitUntil(lambda: "leads without an account" in view.summary.text(), timeout=10000)
    free = int(leads["email"].str.endswith("@gmail.com").sum())
    assert f"{free} leads without an account" in view.summary.text()
    view.threshold.setValue(400)
    view.threshold.editingFinished.emit()
    assert window.doc.model.accounts.threshold == 400
    window.doc.undo_stack.undo()
    assert window.doc.model.accounts.threshold == 100
    with qtbot.waitSignal(window.accounts._exporter.succeeded, timeout=10000):
        window.accounts.export(str(tmp_path / "accounts.csv"))
    written = pd.read_csv(tmp_path / "accounts.csv")
    assert len(written) == 6 and written["leads"].sum() == 400 - free


def test_backtest_leaves_open_deals_out_and_half_ticks_are_saved(qtbot, window, shared_data):
    from PySide6.QtCore import Qt

    from scoring.model.definition import ColumnSettings

    pipeline = shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    window.doc.open_model(Model(name="M", threshold=1, rules=(Rule("Big", Condition("close_value", "gt", 1000), 5),)),
                          None)
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.open_file(str(pipeline))
    doc = window.doc
    doc.edit_model(doc.model.with_column_settings("deal_stage", ColumnSettings(tag="outcome")))
    window.show_panel(window.backtest)
    window.backtest_controller.refresh()
    mapping = window.backtest.mapping
    qtbot.waitUntil(lambda: "2,089 leads still open or without an outcome are left out" in mapping.hint.text(),
                    timeout=10000)
    assert set(mapping.open_values()) == {"Engaging", "Prospecting"} and mapping.won_values() == ("Won",)
    engaging = next(mapping.list.item(i) for i in range(mapping.list.count())
                    if mapping.list.item(i).data(Qt.ItemDataRole.UserRole) == "Engaging")
    engaging.setCheckState(Qt.CheckState.Unchecked)                    # engaging deals count as lost
    assert doc.model.analysis.open_values == ("Prospecting",)
    window.backtest_controller.refresh()
    qtbot.waitUntil(lambda: "500 leads still open" in mapping.hint.text(), timeout=10000)


def test_a_file_whose_dates_cannot_be_read_is_not_added(qtbot, window, crm, tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr("app.combine_controller.show_error", lambda _p, _t, message, _d="": messages.append(message))
    (tmp_path / "log.csv").write_text("lead_id,when\nL00001,soon\nL00002,later\n")
    open_leads(qtbot, window, crm["leads"])
    dialog = add_file(qtbot, window, tmp_path / "log.csv")
    assert dialog.preview.text().startswith("2 of 400 leads matched")
    row = dialog.add_aggregate()
    row.name.setText("Events")
    row.fn.setCurrentIndex(row.fn.findData("latest"))
    row.column.setCurrentIndex(row.column.findData("when"))
    dialog.accept()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages[0] == ("log.csv's column 'when' does not hold dates Leadbench can read (e.g. 'soon', "
                           "'later'), so 'Events' cannot take the latest date; choose its date column or fix "
                           "the dates in the file. The file was not added.")
    assert window.doc.model.sources == () and "Events" not in window.doc.table.frame.columns


def test_edit_a_joined_files_window_and_remove_it(qtbot, window, crm):
    open_leads(qtbot, window, crm["leads"])
    dialog = add_file(qtbot, window, crm["events"])
    dialog.kind.setCurrentIndex(dialog.kind.findData("email"))
    dialog.lead_key.setCurrentIndex(dialog.lead_key.findData("email"))
    dialog.file_key.setCurrentIndex(dialog.file_key.findData("contact"))
    row = dialog.add_aggregate()
    row.name.setText("Clicks")
    row.use_where.setChecked(True)
    row.where.set_condition(Condition("event", "eq", "click"))
    row.use_days.setChecked(True)
    row.date_column.setCurrentIndex(row.date_column.findData("when"))
    accept_and_wait(qtbot, window, dialog)
    at30 = window.doc.table.frame["Clicks"].astype(int).sum()
    menu = window.combiner.menu
    assert [a.text() for a in menu.actions()] == ["Edit events (events.csv)…", "Remove events"]
    menu.actions()[0].trigger()
    dialog = window.combiner.dialog
    assert dialog.isVisible() and dialog.aggregates[0].days.value() == 30 and dialog.problem.text() == ""
    dialog.aggregates[0].days.setValue(60)
    accept_and_wait(qtbot, window, dialog)
    assert window.doc.model.sources[0].aggregates[0].within_days == 60
    assert window.doc.table.frame["Clicks"].astype(int).sum() > at30
    with qtbot.waitSignal(window.combiner.joined, timeout=20000):
        window.combiner.menu.actions()[1].trigger()
    assert "Clicks" not in window.doc.table.frame.columns and not window.combiner.menu.isEnabled()


def test_add_a_workbook_asks_for_its_sheet(qtbot, window, crm, tmp_path):
    import openpyxl as xl

    book = xl.Workbook()
    book.active.title = "Notes"
    book.active.append(["note", "who"])
    book.active.append(["call back", "L00001"])
    sheet = book.create_sheet("Deals")
    sheet.append(["lead_id", "stage"])
    for lead_id, stage in crm["frames"]["deals"][["lead_id", "stage"]].head(30).itertuples(index=False):
        sheet.append([lead_id, stage])
    book.save(tmp_path / "deals.xlsx")
    open_leads(qtbot, window, crm["leads"])
    asked = []

    def pick(dialog):
        asked.append([dialog.sheet_list.item(i).text().split()[0] for i in range(dialog.sheet_list.count())])
        dialog.accept()                                    # the biggest table is preselected
    when_dialog_opens(pick)
    dialog = add_file(qtbot, window, tmp_path / "deals.xlsx")
    assert asked == [["Notes", "Deals"]]
    assert dialog.preview.text().startswith("30 of 400 leads matched")
    dialog.set_checked_columns(["stage"])
    accept_and_wait(qtbot, window, dialog)
    assert window.doc.model.sources[0].sheet == "Deals"
    assert window.doc.table.frame["stage"].notna().sum() == 30


def test_a_rescore_behind_the_leads_tab_keeps_the_explained_lead(qtbot, window, crm):
    open_leads(qtbot, window, crm["leads"])
    window.actions.accounts.trigger()
    qtbot.waitUntil(lambda: window.accounts_view.accounts_model.rowCount() > 0, timeout=10000)
    window.centre_tabs.setCurrentWidget(window.lead_view)
    window.lead_view.leadSelected.emit(3)
    lead = window.explain_panel.text()
    assert not lead.startswith("Account:")
    with qtbot.waitSignal(window.accounts._runner.succeeded, timeout=10000):
        window.doc.edit_model(window.doc.model.with_rules([Rule("Ads", Condition("source", "eq", "Ads"), 25)]))
    assert not window.explain_panel.text().startswith("Account:")


def test_a_big_list_is_rolled_up_into_accounts_when_the_accounts_view_is_shown(qtbot, window, crm, monkeypatch):
    monkeypatch.setattr(accounts_controller, "HIDDEN_ROWS", 10)      # the 400 leads count as big
    open_leads(qtbot, window, crm["leads"])
    view = window.accounts_view
    assert not window.accounts._runner.busy          # the scores came: no roll-up started
    assert view.accounts_model.rowCount() == 0       # nobody is looking at the accounts yet
    window.actions.accounts.trigger()
    qtbot.waitUntil(lambda: view.accounts_model.rowCount() == 6, timeout=10000)
    assert view.summary.text().startswith("6 accounts")
