from dataclasses import replace

import pytest

from app.commands import describe_change
from scoring.model.definition import ColumnSettings, Condition, Model, Rule

SENIOR = Rule("Senior title", Condition("job_title", "contains_any", ("vp", "director")), 15)
DEMO = Rule("Asked for a demo", Condition("demo_requested", "is_true"), 30, group="engagement")
BASE = Model(name="Test", threshold=50, rules=(SENIOR, DEMO))


@pytest.mark.parametrize(("new", "text"), [
    (BASE.with_rule(0, replace(SENIOR, points=20)), "Change points of Senior title"),
    (BASE.with_rule(0, replace(SENIOR, enabled=False)), "Disable Senior title"),
    (BASE.with_rule(0, replace(SENIOR, name="Senior")), "Rename Senior title"),
    (BASE.with_rule(1, replace(DEMO, when=Condition("demo_requested", "is_false"))),
     "Change condition of Asked for a demo"),
    (BASE.with_rules((SENIOR,)), "Delete rule Asked for a demo"),
    (BASE.with_rules((DEMO, SENIOR)), "Move Asked for a demo"),
    (BASE.with_rules((SENIOR, DEMO, replace(DEMO, name="Copy"))), "Add rule Copy"),
    (BASE.with_threshold(60), "Change threshold"),
    (BASE.with_rules((replace(DEMO, group="fit"), SENIOR)), "Move Asked for a demo to Fit"),
    (BASE.with_column_settings("job_title", ColumnSettings(type="category")), "Change type of job_title"),
    (BASE.with_column_settings("src", ColumnSettings(tag="source")), "Tag src as source"),
    (replace(BASE, missing_values=("Select",)), "Treat 'Select' as missing"),
    (replace(BASE.with_threshold(60), name="Other"), "Edit model"),
])
def test_describe_change_names_the_edit(new, text):
    assert describe_change(BASE, new) == text
