"""The rule editor, driven through its widgets: building, validity, round trips, the dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox

from scoring.column_types import ColumnType as T
from scoring.model.definition import Compound, Condition, Decay, Rule
from widgets.condition_group import ConditionGroup
from widgets.rule_editor import NEW_GROUP, RuleEditor, RuleEditorDialog
from tools.screens import layout_problems

TYPES = {"job_title": T.CATEGORY, "employees": T.INTEGER, "revenue": T.NUMBER,
         "last_activity": T.DATE, "created": T.DATETIME, "demo_requested": T.BOOLEAN,
         "email": T.EMAIL, "notes": T.TEXT, "Lead Source": T.CATEGORY}
VALUES = {"job_title": [("VP Sales", 120), ("Director of IT", 80), ("Student", 40), ("Chief of Staff", 9)],
          "Lead Source": [("Google", 1204), ("Direct Traffic", 800), ("Olark Chat", 310)],
          "employees": [("10", 300), ("50", 120), ("200", 40)]}


def value_counts(column: str) -> list[tuple[str, int]]:
    return VALUES.get(column, [])


@pytest.fixture
def editor(qtbot):
    widget = RuleEditor()
    qtbot.addWidget(widget)
    widget.set_columns(TYPES, value_counts)
    widget.set_rule(None, "fit")
    return widget


def pick(row, column: str, op: str) -> None:
    """Choose a column by typing its name into the searchable picker, then an operator."""
    row.column.lineEdit().selectAll()
    row.column.lineEdit().setText(column)
    row.column.lineEdit().editingFinished.emit()
    assert row.column_name() == column
    row.op.setCurrentIndex(row.op.findData(op))
    assert row.op.currentData() == op


def ops(row) -> list[str]:
    return [row.op.itemData(i) for i in range(row.op.count())]


def test_build_a_rule_by_ticking_values_and_typing_points(editor, qtbot):
    row = editor.condition_rows()[0]
    assert editor.problem() == "Pick a column" and not editor.isValid()
    pick(row, "job_title", "contains_any")
    assert editor.problem() == "Tick at least one value"
    values = row.value_editor
    qtbot.keyClicks(values.filter, "i")                 # VP Sales is filtered out
    visible = [values.list.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(values.list.count()) if not values.list.item(i).isHidden()]
    assert visible == ["Director of IT", "Chief of Staff"]
    for i in (0, 3):
        values.list.item(i).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(values.extra, "head of")
    qtbot.keyClick(values.extra, Qt.Key.Key_Return)
    editor.points.lineEdit().selectAll()
    emitted = []
    editor.ruleChanged.connect(emitted.append)
    qtbot.keyClicks(editor.points, "15")
    expected = Rule("Job title: VP Sales +2",           # short; the list shows the whole condition
                    Condition("job_title", "contains_any", ("VP Sales", "Chief of Staff", "head of")), 15)
    assert editor.rule() == expected and emitted[-1] == expected and editor.isValid()
    assert [r.points for r in emitted] == [1, 15]


def test_compound_any_of_with_a_second_condition(editor, qtbot):
    pick(editor.condition_rows()[0], "employees", "between")
    low_high = editor.condition_rows()[0].value_editor
    low_high.low.setValue(50)
    low_high.high.setValue(5000)
    assert not editor.mode.isVisibleTo(editor)          # one condition: no all/any choice
    qtbot.mouseClick(editor.add_condition_button, Qt.MouseButton.LeftButton)
    second = editor.condition_rows()[1]
    assert editor.problem() == "Condition 2: Pick a column"
    pick(second, "revenue", "gte")
    second.value_editor.spin.setValue(1_000_000)
    editor.mode.setCurrentIndex(editor.mode.findData("any"))
    assert editor.mode.isVisibleTo(editor)
    rule = editor.rule()
    assert rule.when == Compound("any", (Condition("employees", "between", (50, 5000)),
                                         Condition("revenue", "gte", 1_000_000)))
    assert rule.name == "Employees 50–5,000 or 1 more"
    qtbot.mouseClick(second.remove, Qt.MouseButton.LeftButton)
    assert editor.rule().when == Condition("employees", "between", (50, 5000))


def test_operator_list_follows_the_column_type(editor):
    row = editor.condition_rows()[0]
    pick(row, "job_title", "in")
    assert {"contains", "contains_any", "matches", "in"} <= set(ops(row)) and "gt" not in ops(row)
    pick(row, "employees", "gte")
    assert {"gt", "between", "in", "eq"} <= set(ops(row)) and "contains" not in ops(row)
    assert type(row.value_editor).__name__ == "_NumberValue"
    pick(row, "last_activity", "within_days")
    assert {"within_days", "older_than_days", "before", "after", "between"} <= set(ops(row))
    assert row.value_editor.spin.suffix() == " days"
    row.op.setCurrentIndex(row.op.findData("before"))
    assert row.value_editor.edit.calendarPopup()
    row.op.setCurrentIndex(row.op.findData("between"))
    assert type(row.value_editor).__name__ == "_DatePairValue"
    pick(row, "demo_requested", "is_true")
    assert ops(row) == ["is_empty", "not_empty", "is_true", "is_false"]
    assert row.value_editor.value() is None and editor.isValid()


def test_same_kind_of_value_survives_an_operator_change(editor, qtbot):
    row = editor.condition_rows()[0]
    pick(row, "email", "contains")
    qtbot.keyClicks(row.value_editor.edit, "gmail")
    row.op.setCurrentIndex(row.op.findData("ends_with"))
    assert editor.rule().when == Condition("email", "ends_with", "gmail")
    assert editor.name.text() == "Email: …gmail"


def test_invalid_states_are_named_in_red(editor, qtbot):
    row = editor.condition_rows()[0]
    assert editor.problem_label.text() == "Pick a column" and editor.problem_label.isVisibleTo(editor)
    assert "b42318" in editor.problem_label.styleSheet()
    row.column.lineEdit().setText("no such column")
    row.column.lineEdit().editingFinished.emit()
    assert editor.problem() == "Pick a column"
    pick(row, "email", "matches")
    assert editor.problem() == "Enter a pattern"
    with qtbot.waitSignal(editor.validityChanged) as validity:
        qtbot.keyClicks(row.value_editor.edit, "[a-")
    assert validity.args == [False]
    assert editor.problem_label.text().startswith("The pattern is not a valid regular expression")
    with qtbot.assertNotEmitted(editor.ruleChanged):
        qtbot.keyClicks(row.value_editor.edit, "(")
    row.value_editor.edit.setText("@gmail")
    assert editor.isValid() and not editor.problem_label.isVisibleTo(editor)
    qtbot.mouseClick(row.remove, Qt.MouseButton.LeftButton)
    assert editor.problem() == "Add a condition"


def test_decay_needs_a_date_column(qtbot):
    editor = RuleEditor()
    qtbot.addWidget(editor)
    editor.set_columns({"demo": T.BOOLEAN}, value_counts)
    editor.set_rule(Rule("Demo", Condition("demo", "is_true"), 30, decay=Decay("seen", 14)))
    assert editor.rule().decay == Decay("seen", 14.0)          # kept even without the column
    editor.set_rule(None)
    assert not editor.decay.isEnabled() and "no" in editor.decay.toolTip()


def test_kind_gates_hide_group_points_and_decay(editor):
    pick(editor.condition_rows()[0], "Lead Source", "in")
    editor.condition_rows()[0].value_editor.check("Google")
    editor.decay.setChecked(True)
    editor.decay_column.setCurrentIndex(editor.decay_column.findData("created"))
    editor.half_life.setValue(7.5)
    assert editor.rule().decay == Decay("created", 7.5)
    editor.kind.setCurrentIndex(editor.kind.findData("disqualify"))
    for widget in (editor.group, editor.points, editor.decay):
        assert not widget.isVisibleTo(editor)
    rule = editor.rule()
    assert (rule.kind, rule.points, rule.decay) == ("disqualify", 0.0, None)
    editor.set_rule(None, "gates")
    assert editor.kind.currentData() == "require"
    editor.set_rule(None, "engagement")
    assert editor.kind.currentData() == "score" and editor.group.currentData() == "engagement"


def test_a_typed_name_is_kept(editor, qtbot):
    row = editor.condition_rows()[0]
    pick(row, "notes", "contains")
    qtbot.keyClicks(row.value_editor.edit, "budget")
    assert editor.name.text() == "Notes: budget"
    editor.name.clear()
    qtbot.keyClicks(editor.name, "Mentions budget")
    row.value_editor.edit.setText("budget approved")
    assert editor.rule().name == "Mentions budget"


ROUND_TRIPS = [
    Rule("Senior title", Condition("job_title", "contains_any", ("vp", "director", "chief")), 15),
    Rule("Big", Condition("employees", "between", (50.0, 5000.0)), 10, extra=(("note", "kept"),)),
    Rule("Size list", Condition("employees", "in", (10.0, 200.0)), 4),
    Rule("Rich", Condition("revenue", "gte", 1_000_000.5), 7.5),
    Rule("Demo", Condition("demo_requested", "is_true"), 30, group="engagement",
         decay=Decay("last_activity", 14.0)),
    Rule("Recent", Condition("last_activity", "within_days", 30.0), 5, group="engagement", enabled=False),
    Rule("Spring", Condition("created", "between", ("2024-03-01", "2024-05-31")), 2),
    Rule("Old lead", Condition("created", "before", "2023-01-01"), -5),
    Rule("Free mail", Condition("email", "matches", r"@(gmail|yahoo|hotmail)\."), -10),
    Rule("Demo says yes", Condition("demo_requested", "eq", "yes"), 3),
    Rule("No phone", Condition("phone", "is_empty"), -2),                  # columns not in the list
    Rule("Budget", Condition("budget", "gte", 10000), 20),
    Rule("Signed", Condition("signed_on", "after", "2024-01-01"), 5),
    Rule("Opted in", Condition("opt_in", "is_true"), 1),
    Rule("Students", Condition("job_title", "contains", "student"), kind="disqualify"),
    Rule("Target", Condition("Lead Source", "in", ("Google", "Partner")), kind="require"),
    Rule("Either", Compound("any", (Condition("job_title", "contains", "vp"),
                                    Condition("employees", "gt", 100.0))), 8, group="intent"),
    Rule("Both", Compound("all", (Condition("notes", "not_empty"),
                                  Condition("last_activity", "older_than_days", 90.0))), -4),
    Rule("Wrapped", Compound("all", (Condition("notes", "contains", "x"),)), 1),
    Rule("Nested", Compound("not", (Condition("job_title", "eq", "x"),)), 3),
    Rule("Deep", Compound("any", (Condition("notes", "contains", "a"),
                                  Compound("all", (Condition("employees", "gt", 5.0),
                                                   Condition("demo_requested", "is_false"))))), 6),
]


@pytest.mark.parametrize("rule", ROUND_TRIPS, ids=[r.name for r in ROUND_TRIPS])
def test_existing_rules_round_trip(editor, qtbot, rule):
    with qtbot.assertNotEmitted(editor.ruleChanged):
        editor.set_rule(rule)
    assert editor.rule() == rule and editor.isValid()


def test_condition_notes_from_the_file_are_kept(editor):
    cond = Condition("notes", "contains", "x", extra=(("comment", "from CRM"),))
    editor.set_rule(Rule("Noted", cond, 1))
    assert editor.rule().when.extra == (("comment", "from CRM"),)


def test_nested_conditions_from_a_file_can_be_edited(editor, qtbot):
    deep = ROUND_TRIPS[-1]
    editor.set_rule(deep)
    rows = editor.condition_rows()
    assert [r.column_name() for r in rows] == ["notes", "employees", "demo_requested"]
    nested = editor.conditions.findChild(ConditionGroup, "conditionGroup")
    assert nested.mode.currentData() == "all" and editor.mode.currentData() == "any"
    with qtbot.waitSignal(editor.ruleChanged) as changed:
        rows[1].value_editor.spin.setValue(50)
    assert changed.args[0].when == Compound("any", (
        Condition("notes", "contains", "a"),
        Compound("all", (Condition("employees", "gt", 50.0), Condition("demo_requested", "is_false")))))


def test_build_a_nested_rule_with_not_by_hand(editor, qtbot):
    pick(editor.condition_rows()[0], "demo_requested", "is_true")
    qtbot.mouseClick(editor.conditions.add_group_button, Qt.MouseButton.LeftButton)
    group = editor.conditions.findChild(ConditionGroup, "conditionGroup")
    assert group.mode.currentData() == "any"              # the opposite of the outer "all"
    pick(group.rows()[0], "job_title", "contains")
    group.rows()[0].value_editor.edit.setText("student")
    qtbot.mouseClick(group.add_condition_button, Qt.MouseButton.LeftButton)
    pick(group.rows()[1], "email", "is_free_mail")
    negate = [box for box in editor.conditions.findChildren(QCheckBox, "conditionNot")
              if box.parent().body is group][0]
    negate.setChecked(True)
    editor.points.setValue(12)
    rule = editor.rule()
    assert rule.when == Compound("all", (
        Condition("demo_requested", "is_true"),
        Compound("not", (Compound("any", (Condition("job_title", "contains", "student"),
                                          Condition("email", "is_free_mail"))),))))
    assert rule.name == "Demo requested: yes and 1 more" and editor.isValid()
    assert editor.conditions_box.title() == "Conditions"


def test_a_rule_can_start_a_new_group(editor, qtbot):
    pick(editor.condition_rows()[0], "demo_requested", "is_true")
    editor.group.setCurrentIndex(editor.group.findData(NEW_GROUP))
    assert editor.new_group.isVisibleTo(editor) and editor.problem() == "Name the new group"
    qtbot.keyClicks(editor.new_group, "Buying intent")
    assert editor.isValid() and editor.rule().group == "buying_intent"
    editor.set_groups(["fit", "engagement", "buying_intent"])
    editor.set_rule(Rule("Visited pricing", Condition("notes", "contains", "pricing"), 5,
                         group="buying_intent"))
    assert editor.group.currentText() == "Buying intent" and not editor.new_group.isVisibleTo(editor)


def test_dialog_ok_only_while_valid_and_edit_returns_the_rule(qtbot):
    dialog = RuleEditorDialog()
    qtbot.addWidget(dialog)
    dialog.prepare(None, "fit", TYPES, value_counts)
    assert not dialog.ok_button.isEnabled() and dialog.windowTitle() == "Add rule"
    pick(dialog.editor.condition_rows()[0], "demo_requested", "is_true")
    assert dialog.ok_button.isEnabled()

    def fill_and_accept():
        active = next(w for w in qtbot_widgets() if isinstance(w, RuleEditorDialog) and w.isVisible())
        pick(active.editor.condition_rows()[0], "employees", "gt")
        active.editor.condition_rows()[0].value_editor.spin.setValue(200)
        qtbot.mouseClick(active.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_accept)
    rule = RuleEditorDialog.edit(None, None, "engagement", TYPES, value_counts)
    assert rule == Rule("Employees > 200", Condition("employees", "gt", 200), 10,
                        group="engagement")

    def cancel():
        active = next(w for w in qtbot_widgets() if isinstance(w, RuleEditorDialog) and w.isVisible())
        active.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, cancel)
    assert RuleEditorDialog.edit(None, ROUND_TRIPS[0], "fit", TYPES, value_counts) is None


def qtbot_widgets():
    from PySide6.QtWidgets import QApplication
    return QApplication.topLevelWidgets()


def test_render_the_dialog(qtbot):
    dialog = RuleEditorDialog()
    qtbot.addWidget(dialog)
    dialog.prepare(Rule("Senior decision maker", Compound("all", (
        Condition("job_title", "contains_any", ("VP Sales", "Chief of Staff")),
        Condition("employees", "between", (50, 5000)))), 15, decay=Decay("last_activity", 30)),
        "fit", TYPES, value_counts)
    dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSize()))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert layout_problems(dialog) == []
    assert dialog.editor.name.text() == "Senior decision maker" and dialog.ok_button.isEnabled()
