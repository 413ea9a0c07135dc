"""The rule list: sections, summaries, counts, every intent, drag-reorder, kept selection."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent

from scoring.model.definition import Compound, Condition, Decay, Model, Rule
from widgets.rule_list import RuleListWidget, count_text
from tools.screens import layout_problems

MODEL = Model(threshold=40, rules=(
    Rule("Senior title", Condition("job_title", "contains_any", ("vp", "director", "chief")), 15),
    Rule("Demo request", Condition("demo_requested", "is_true"), 30, group="engagement",
         decay=Decay("last_activity", 14)),
    Rule("Big company", Condition("employees", "gte", 200), 10),
    Rule("Free mail", Condition("email", "matches", r"@(gmail|yahoo)\."), -10),
    Rule("Visited pricing", Compound("any", (Condition("pricing_views", "gt", 2),
                                             Condition("last_activity", "within_days", 7))),
         12, group="engagement", enabled=False),
    Rule("Students", Condition("job_title", "contains", "student"), kind="disqualify"),
    Rule("Target country", Condition("country", "in", ("US", "CA")), kind="require"),
))


@pytest.fixture
def rules(qtbot):
    widget = RuleListWidget()
    qtbot.addWidget(widget)
    widget.resize(520, 520)
    widget.set_model(MODEL)
    widget.set_counts([1204, 512, 3000, 850, 77, 4, 9000], 10_000)
    return widget


def _section(widget, i):
    item = widget.tree.topLevelItem(i)
    return item.text(0), [item.child(j).text(0).split("\n")[0] for j in range(item.childCount())]


def test_sections_summaries_points_and_counts(rules):
    assert [_section(rules, i)[0].split(" —")[0] for i in range(3)] == ["Fit", "Engagement", "Gates"]
    assert _section(rules, 0)[1] == ["Senior title", "Big company", "Free mail"]
    assert _section(rules, 1)[1] == ["Demo request", "Visited pricing"]
    assert _section(rules, 2)[1] == ["Students", "Target country"]
    senior = rules.tree.topLevelItem(0).child(0)
    assert senior.text(0) == "Senior title\nJob title contains any of vp, director, chief"
    assert senior.text(1) == "+15\n1,204 leads (12%)"
    assert senior.checkState(0) == Qt.CheckState.Checked
    free = rules.tree.topLevelItem(0).child(2)
    assert free.text(1) == "−10\n850 leads (8%)"
    demo, pricing = (rules.tree.topLevelItem(1).child(j) for j in range(2))
    assert demo.text(1) == "+30 ↓\n512 leads (5%)" and "14 days" in demo.toolTip(1)
    assert pricing.checkState(0) == Qt.CheckState.Unchecked and pricing.text(1) == "+12\noff"
    assert "Pricing views is more than 2 or Last activity is within the last 7 days" in pricing.text(0)
    gates = rules.tree.topLevelItem(2)
    assert [gates.child(j).text(1) for j in range(2)] == ["Disqualifies\n4 leads (<1%)",
                                                         "Required\n9,000 leads (90%)"]
    rules.set_counts(None, 0)
    assert senior.text(1) == "+15"


def test_count_text():
    assert count_text(1204, 10_000) == "1,204 leads (12%)"
    assert count_text(1, 5000) == "1 lead (<1%)"
    assert count_text(0, 5000) == "0 leads (0%)"
    assert count_text(0, 0) == "0 leads (0%)"


def test_empty_sections_show_a_hint_and_other_groups_get_their_own(qtbot):
    widget = RuleListWidget()
    qtbot.addWidget(widget)
    widget.set_model(Model())
    for i in range(3):
        assert widget.tree.topLevelItem(i).child(0).text(0) == "No rules yet — add one to start scoring"
    widget.set_model(Model(rules=(Rule("Budget", Condition("budget", "gt", 1000), 5, group="intent"),)))
    assert widget.tree.topLevelItemCount() == 4 and _section(widget, 3) == ("Intent", ["Budget"])
    with qtbot.waitSignal(widget.addRequested) as added:
        widget._on_tree_double_clicked(widget.tree.topLevelItem(1).child(0), 0)
    assert added.args == ["engagement"]


def test_keys_buttons_and_menu_emit_intents(rules, qtbot):
    assert not rules.edit_button.isEnabled()
    with qtbot.waitSignal(rules.ruleSelected) as selected:
        rules.select_rule(1)
    assert selected.args == [1] and rules.edit_button.isEnabled()
    expected = [
        (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, rules.ruleToggled, [1, False]),
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier, rules.deleteRequested, [1]),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, rules.editRequested, [1]),
        (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier, rules.duplicateRequested, [1]),
        (Qt.Key.Key_Insert, Qt.KeyboardModifier.NoModifier, rules.addRequested, ["engagement"]),
    ]
    for key, modifier, signal, args in expected:
        with qtbot.waitSignal(signal) as blocker:
            qtbot.keyClick(rules.tree, key, modifier)
        assert blocker.args == args
    for button, signal, args in [(rules.edit_button, rules.editRequested, [1]),
                                 (rules.duplicate_button, rules.duplicateRequested, [1]),
                                 (rules.delete_button, rules.deleteRequested, [1]),
                                 (rules.add_button, rules.addRequested, ["engagement"])]:
        with qtbot.waitSignal(signal) as blocker:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert blocker.args == args
    rules.select_rule(4)                                   # a switched-off rule
    menu = rules.context_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert list(actions) == ["Add rule…", "Edit…", "Duplicate", "Switch on", "Delete"]
    with qtbot.waitSignal(rules.ruleToggled) as toggled:
        actions["Switch on"].trigger()
    assert toggled.args == [4, True]
    with qtbot.waitSignal(rules.addRequested) as added:
        rules.select_rule(6)
        qtbot.keyClick(rules.tree, Qt.Key.Key_Insert)
    assert added.args == ["gates"]


def test_checkbox_click_toggles_and_double_click_edits(rules, qtbot):
    item = rules.tree.topLevelItem(0).child(1)
    with qtbot.waitSignal(rules.ruleToggled) as toggled:
        item.setCheckState(0, Qt.CheckState.Unchecked)
    assert toggled.args == [2, False]
    with qtbot.waitSignal(rules.editRequested) as edited:
        rules.tree.itemDoubleClicked.emit(item, 0)
    assert edited.args == [2]
    with qtbot.assertNotEmitted(rules.ruleToggled):
        rules.set_model(MODEL)                             # refilling is not a user edit


@pytest.mark.parametrize(("source", "section", "position", "expected"), [
    (0, "fit", 3, (0, 3, "fit")),              # Senior title to the end of Fit (after Free mail)
    (3, "fit", 0, (3, 0, "fit")),              # Free mail to the top
    (2, "fit", 0, (2, 0, "fit")),
    (0, "engagement", 1, (0, 3, "engagement")),  # between Demo request and Visited pricing
    (4, "fit", 1, (4, 2, "fit")),              # Visited pricing after Senior title
    (6, "gates", 0, (6, 5, "fit")),            # gates reorder among themselves
])
def test_drop_rule_emits_the_move(rules, qtbot, source, section, position, expected):
    with qtbot.waitSignal(rules.ruleMoved) as moved:
        rules.drop_rule(source, section, position)
    assert tuple(moved.args) == expected
    rules_after = list(MODEL.rules)
    rule = rules_after.pop(expected[0])
    if not rule.is_gate:
        rule = replace(rule, group=expected[2])
    rules_after.insert(expected[1], rule)
    rules.set_model(MODEL.with_rules(rules_after))           # what the app does
    assert rules.current_index() == expected[1]              # the selection follows the rule
    titles = [rules.tree.topLevelItem(i).text(0).split(" —")[0].lower() for i in range(3)]
    item = rules.tree.topLevelItem(titles.index(section))
    shown = [item.child(j).text(0).split("\n")[0] for j in range(item.childCount())]
    names = [r.name for r in MODEL.rules if (r.group == section and not r.is_gate)
             or (section == "gates" and r.is_gate)]
    names.insert(position, "<here>")                         # where the drop indicator was
    names = [n for n in names if n != rule.name]
    names[names.index("<here>")] = rule.name
    assert shown == names


@pytest.mark.parametrize(("source", "section", "position"), [
    (0, "fit", 0), (0, "fit", 1), (0, "gates", 0), (5, "fit", 0), (5, "gates", 1), (99, "fit", 0)])
def test_drops_that_change_nothing_or_are_not_allowed(rules, qtbot, source, section, position):
    with qtbot.assertNotEmitted(rules.ruleMoved):
        rules.drop_rule(source, section, position)


def test_real_drop_event_on_the_lower_half_of_a_row(rules, qtbot):
    rules.show()
    qtbot.waitExposed(rules)
    rules.select_rule(0)                                     # the dragged item is the current one
    target = rules.tree.topLevelItem(1).child(0)             # Demo request
    rect = rules.tree.visualItemRect(target)
    point = QPointF(rect.center().x(), rect.bottom() - 2)
    event = QDropEvent(point, Qt.DropAction.MoveAction, QMimeData(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(rules.ruleMoved) as moved:
        rules.tree.dropEvent(event)
    assert moved.args == [0, 3, "engagement"]
    header = rules.tree.topLevelItem(2)                      # a fit rule on Gates: refused
    rect = rules.tree.visualItemRect(header)
    event = QDropEvent(QPointF(rect.center()), Qt.DropAction.MoveAction, QMimeData(),
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.assertNotEmitted(rules.ruleMoved):
        rules.tree.dropEvent(event)


def test_selection_and_scroll_survive_edits(rules, qtbot):
    rules.resize(420, 160)
    rules.show()
    qtbot.waitExposed(rules)
    rules.select_rule(5)
    bar = rules.tree.verticalScrollBar()
    scroll = bar.value()
    assert scroll > 0
    with qtbot.assertNotEmitted(rules.ruleSelected):
        edited = MODEL.with_rule(0, replace(MODEL.rules[0], points=20))
        rules.set_model(edited)
    assert rules.current_index() == 5 and bar.value() == scroll
    added = Rule("Webinar", Condition("webinar", "is_true"), 8, group="engagement")
    rules.set_model(edited.with_rules(edited.rules + (added,)))  # a new rule is selected
    assert rules.current_index() == len(MODEL.rules)
    rules.set_model(MODEL.with_rules(MODEL.rules[:2]))           # deleted: nearest one
    assert rules.current_index() == 1


def test_render_with_realistic_content(rules, qtbot):
    rules.resize(560, 600)
    rules.select_rule(0)
    assert layout_problems(rules) == []
