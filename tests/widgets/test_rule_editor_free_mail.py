"""The rule editor offers "is a free-mail address" / "is a business address" on email and text
columns (from the operator registry), with no value to type, and reads the rule back in words."""

from __future__ import annotations

import pytest

from scoring.column_types import ColumnType as T
from scoring.model.definition import Condition, Rule
from tests.widgets.test_rule_editor import TYPES, ops, pick, value_counts
from widgets.rule_editor import RuleEditor


@pytest.fixture
def editor(qtbot):
    widget = RuleEditor()
    qtbot.addWidget(widget)
    widget.set_columns(TYPES, value_counts)
    widget.set_rule(None, "fit")
    return widget


@pytest.mark.parametrize("column", ["email", "notes"])
def test_free_mail_operators_on_email_and_text_columns(editor, column):
    row = editor.condition_rows()[0]
    pick(row, column, "is_free_mail")
    assert ops(row)[-2:] == ["is_free_mail", "not_free_mail"]
    assert row.op.itemText(row.op.findData("is_free_mail")) == "is a free-mail address"
    assert row.op.itemText(row.op.findData("not_free_mail")) == "is a business address"
    assert row.value_editor.value() is None and editor.isValid()
    assert editor.rule().when == Condition(column, "is_free_mail")
    pick(row, column, "not_free_mail")
    assert editor.rule().when == Condition(column, "not_free_mail") and editor.isValid()


def test_not_offered_on_other_types(editor):
    row = editor.condition_rows()[0]
    for column, ctype in TYPES.items():
        if ctype not in (T.EMAIL, T.TEXT):
            pick(row, column, "is_empty")
            assert "is_free_mail" not in ops(row) and "not_free_mail" not in ops(row)


def test_a_free_mail_rule_round_trips_and_gets_a_readable_name(editor):
    rule = Rule("Free-mail address", Condition("email", "is_free_mail"), -10)
    editor.set_rule(rule)
    assert editor.rule() == rule
    editor.set_rule(None, "fit")
    row = editor.condition_rows()[0]
    pick(row, "email", "not_free_mail")
    assert "business address" in editor.rule().name.lower()
