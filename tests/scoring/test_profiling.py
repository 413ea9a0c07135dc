"""Column profiles: type, fill rate, distinct count, top values, min/max."""

import numpy as np
import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.reading import LeadTable
from scoring.reading.profiling import TOP_VALUES, profile_column, profile_table


@pytest.fixture
def table():
    return LeadTable.from_frame(pd.DataFrame({
        "stage": ["Lead", "MQL", "Lead", None, "Lead", "SQL"],
        "employees": [10, 250, None, 10, 3, 40],
        "score": [1.5, None, None, 2.5, -1.0, 0.0],
        "created": pd.to_datetime(["2026-01-03", "2025-12-30", None, "2026-02-01", None, None]),
        "demo": [True, False, True, True, None, False],
        "email": ["a@b.co", "c@d.co", "e@f.co", "g@h.co", "i@j.co", None],
    }))


def test_profile_of_every_column(table):
    profiles = profile_table(table)
    assert [p.name for p in profiles] == list(table.frame.columns)
    by_name = {p.name: p for p in profiles}
    stage = by_name["stage"]
    assert (stage.type, stage.count, stage.filled, stage.distinct) == (T.CATEGORY, 6, 5, 3)
    assert stage.fill_rate == pytest.approx(5 / 6)
    assert stage.top == [("Lead", 3), ("MQL", 1), ("SQL", 1)]
    assert stage.minimum is None and stage.maximum is None
    employees = by_name["employees"]
    assert (employees.type, employees.filled, employees.distinct) == (T.INTEGER, 5, 4)
    assert (employees.minimum, employees.maximum) == (3, 250)
    assert employees.top[0] == (10, 2)
    score = by_name["score"]
    assert (score.minimum, score.maximum) == (-1.0, 2.5) and score.filled == 4
    created = by_name["created"]
    assert created.type == T.DATE
    assert (created.minimum, created.maximum) == (pd.Timestamp("2025-12-30"), pd.Timestamp("2026-02-01"))
    demo = by_name["demo"]
    assert demo.type == T.BOOLEAN and demo.top == [(True, 3), (False, 2)] and demo.minimum is None
    email = by_name["email"]
    assert (email.type, email.distinct, email.filled) == (T.EMAIL, 5, 5)


def test_profile_column_matches_profile_table(table):
    assert profile_column(table, "score") == next(p for p in profile_table(table) if p.name == "score")


def test_top_values_are_limited_and_counted_in_order():
    values = np.repeat([f"v{i:02d}" for i in range(30)], np.arange(30, 0, -1))
    table = LeadTable.from_frame(pd.DataFrame({"source": values}))
    top = profile_column(table, "source").top
    assert len(top) == TOP_VALUES
    assert top[0] == ("v00", 30) and top[-1] == (f"v{TOP_VALUES - 1:02d}", 30 - TOP_VALUES + 1)


def test_empty_and_all_missing_columns():
    table = LeadTable.from_frame(pd.DataFrame({"a": [None, None], "b": ["x", None]}))
    a = profile_column(table, "a")
    assert (a.filled, a.distinct, a.fill_rate, a.top, a.minimum) == (0, 0, 0.0, [], None)
    empty = LeadTable.from_frame(pd.DataFrame({"a": pd.Series([], dtype="str")}))
    profile = profile_column(empty, "a")
    assert (profile.count, profile.fill_rate, profile.top) == (0, 0.0, [])


def test_profile_notes_and_plain_dict(table):
    retyped = table.retype("stage", T.NUMBER)
    profile = profile_column(retyped, "stage")
    assert profile.filled == 0 and "not numbers" in profile.note
    plain = profile_column(table, "created").to_dict()
    assert plain["min"] == "2025-12-30T00:00:00" and plain["fill_rate"] == 0.5
    assert plain["top"][0][1] == 1 and plain["type"] == "date"
