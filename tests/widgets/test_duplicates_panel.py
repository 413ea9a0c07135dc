"""The Data quality panel: findings shown, options as intents, groups and their leads."""

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt

from scoring.handoff.duplicates import find_duplicates
from scoring.report.quality import email_quality
from widgets.duplicate_models import DuplicateRole, GroupsTableModel, MembersTableModel
from widgets.duplicates_panel import DuplicateOptions, DuplicatesPanel

LEADS = pd.DataFrame({
    "name": ["Ann Lee", "Bob Ray", "ann lee", "Cy Do", "Bob Ray", "Bob Ray"],
    "email": ["ann@gmail.com", "bob@acme.io", " ANN@gmail.com", "not an email", "bob@acme.io",
              "bob@acme.io"],
    "company": ["Acme", "Acme", "Acme", "Zeta", "Acme", "Acme"],
    "created": pd.to_datetime(["2026-01-01", None, "2026-02-01", "2026-01-03", "2026-03-01",
                               "2026-01-05"]),
})


def panel_with_groups(qtbot, **kwargs):
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    found = find_duplicates(LEADS, email="email", **kwargs)
    panel.set_email_findings(email_quality(LEADS["email"], "email"))
    panel.set_duplicates(found, LEADS)
    return panel, found


def test_email_findings_show_counts_examples_and_domains(qtbot):
    panel, _ = panel_with_groups(qtbot)
    assert panel.email_column_label.text() == "email (6 filled)"
    assert "<b>1</b>" in panel.invalid_label.text() and "not an email" in panel.invalid_label.text()
    assert "<b>2</b> (33%)" in panel.free_label.text() and "gmail.com 2" in panel.free_label.text()
    panel.set_email_findings(None, "No email column")
    assert panel.email_column_label.text() == "No email column" and panel.free_label.text() == "—"


def test_invalid_examples_are_escaped(qtbot):
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    panel.set_email_findings(email_quality(pd.Series(["<b>x</b>"]), "e"))
    assert "&lt;b&gt;x&lt;/b&gt;" in panel.invalid_label.text()


def test_groups_largest_first_and_the_leads_of_the_chosen_group(qtbot):
    panel, found = panel_with_groups(qtbot)
    model = panel.groups_model
    assert model.rowCount() == 2
    assert [model.index(r, 0).data() for r in range(2)] == ["bob@acme.io", "ann@gmail.com"]
    assert model.index(0, 1).data() == "3" and model.index(0, 2).data() == "#2"
    assert "<b>2</b> groups" in panel.summary.text() and "<b>3</b>" in panel.summary.text()
    members = panel.members_model                 # the first group is selected
    assert [members.index(r, 0).data() for r in range(3)] == ["#2", "#5", "#6"]
    assert [members.index(r, 1).data() for r in range(3)] == ["kept", "left out", "left out"]
    assert members.headerData(2, Qt.Orientation.Horizontal) == "name"
    assert members.index(1, 5).data() == "2026-03-01" and members.index(0, 5).data() == ""
    panel.groups_view.selectRow(1)
    assert [members.index(r, 0).data() for r in range(members.rowCount())] == ["#1", "#3"]


def test_double_clicks_activate_a_lead(qtbot):
    panel, _ = panel_with_groups(qtbot, keep="recent", date_column="created")
    with qtbot.waitSignal(panel.leadActivated) as caught:
        panel.groups_view.doubleClicked.emit(panel.groups_model.index(0, 0))
    assert caught.args == [4]                      # bob's most recent lead
    with qtbot.waitSignal(panel.leadActivated) as caught:
        panel.members_view.doubleClicked.emit(panel.members_model.index(2, 0))
    assert caught.args == [5]


def test_options_are_intents_and_can_be_set_back(qtbot):
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    assert panel.options() == DuplicateOptions()
    panel.set_match_available(names="“name” and “company”", recent="created")
    with qtbot.waitSignal(panel.optionsChanged):
        panel.by_name.click()
    with qtbot.waitSignal(panel.optionsChanged):
        panel.plus_check.click()
    with qtbot.waitSignal(panel.optionsChanged):
        panel.keep_combo.setCurrentIndex(panel.keep_combo.findData("recent"))
    with qtbot.waitSignal(panel.optionsChanged):
        panel.leave_out_check.click()
    assert panel.options() == DuplicateOptions("email+name", True, "recent", True)
    with qtbot.assertNotEmitted(panel.optionsChanged):
        panel.set_options(DuplicateOptions())
    assert panel.options() == DuplicateOptions()


def test_choices_the_list_cannot_offer_are_disabled(qtbot):
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    panel.set_match_available(names=None, recent=None)
    assert not panel.by_name.isEnabled()
    item = panel.keep_combo.model().item(panel.keep_combo.findData("recent"))
    assert not item.isEnabled() and "no date column" in item.text()
    panel.set_match_available(names="“name” and “company”", recent="last_activity")
    assert panel.by_name.isEnabled() and item.isEnabled() and "last_activity" in item.text()


def test_no_duplicates_and_no_list(qtbot):
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    unique = pd.DataFrame({"email": ["a@x.com", "b@x.com"]})
    panel.set_duplicates(find_duplicates(unique, email="email"), unique)
    assert "No duplicates" in panel.summary.text() and panel.groups_model.rowCount() == 0
    panel.set_duplicates(None, note="Open a lead list to look for duplicates.")
    assert panel.summary.text() == "Open a lead list to look for duplicates."
    assert panel.members_model.rowCount() == 0


def test_models_pass_the_model_tester_and_sort_with_numpy(qtbot, qtmodeltester):
    groups = GroupsTableModel()
    groups.set_groups(np.array(["b", "a", "c"], object), [2, 5, 3], [7, 1, 4])
    qtmodeltester.check(groups)
    assert [groups.index(r, 0).data() for r in range(3)] == ["a", "c", "b"]     # largest first
    groups.sort(0, Qt.SortOrder.AscendingOrder)
    assert [groups.index(r, 0).data() for r in range(3)] == ["a", "b", "c"]
    groups.sort(2, Qt.SortOrder.DescendingOrder)
    assert [groups.index(r, 0).data()
            for r in range(3)] == ["b", "c", "a"]
    assert groups.index(0, 0).data(DuplicateRole.LEAD_ROW) == 7
    members = MembersTableModel()
    members.set_columns(LEADS)
    members.set_members([1, 4], kept=4)
    qtmodeltester.check(members)
    assert members.index(1, 1).data() == "kept" and members.index(0, 1).data() == "left out"
    assert members.index(1, 0).data(Qt.ItemDataRole.FontRole).bold()


def test_a_hundred_thousand_groups_show_at_once(qtbot):
    n = 200_000
    frame = pd.DataFrame({"email": [f"user{i // 2}@acme.io" for i in range(n)]})
    found = find_duplicates(frame, email="email")
    panel = DuplicatesPanel()
    qtbot.addWidget(panel)
    panel.set_duplicates(found, frame)
    assert panel.groups_model.rowCount() == 100_000
    assert panel.members_model.rowCount() == 2
