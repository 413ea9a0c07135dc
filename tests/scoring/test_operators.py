"""Every operator on every column type it applies to, with missing values; the registry itself."""

import threading
import time
from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from scoring.column_types import ColumnType
from scoring.errors import Cancelled, ModelError
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Compound, Condition, Model, Rule
from scoring.model.operators import (OPERATORS, VALUE_KINDS, normalise_value, operators_for,
                                     value_kind_for)
from scoring.evaluate.prepared import evaluate_condition, prepare_column

AS_OF = date(2026, 11, 1)
TEXT = [" VP Sales ", "Student", None, "Director@Acme.com", "vp"]
NUMBERS = [10, 250, None, 5000, -3]
DATES = ["2026-10-30", "2026-09-01", None, "2026-12-01", "2025-01-01"]   # row 3 is after as_of

# A duck-typed table (anything with .frame and .types), each column in its documented dtype.
TABLE = SimpleNamespace(
    frame=pd.DataFrame({
        "category": pd.Series(TEXT, dtype="category"),
        "text": pd.Series(TEXT, dtype="str"),
        "email": pd.Series(TEXT, dtype="str"),
        "integer": pd.Series(NUMBERS, dtype="Int64"),
        "number": pd.Series([v + 0.0 if v is not None else np.nan for v in NUMBERS]),
        "boolean": pd.Series([True, False, None, True, False], dtype="boolean"),
        "date": pd.Series(pd.to_datetime(DATES)),
        "datetime": pd.Series(pd.to_datetime(DATES)),
    }),
    types={name: ColumnType(name) for name in
           ("category", "text", "email", "integer", "number", "boolean", "date", "datetime")},
)

TEXT_CASES = [
    ("eq", "vp sales", [0]), ("eq", "VP", [4]), ("ne", "vp", [0, 1, 3]),
    ("in", ("vp", "STUDENT"), [1, 4]), ("not_in", ("vp",), [0, 1, 3]),
    ("contains", "vp", [0, 4]), ("not_contains", "vp", [1, 3]),
    ("contains_any", ("stud", "acme"), [1, 3]), ("starts_with", "vp", [0, 4]),
    ("ends_with", "SALES", [0]), ("ends_with", "@acme.com", [3]),
    ("matches", r"^v", [0, 4]), ("matches", r"s\w+NT", [1]),
    ("is_empty", None, [2]), ("not_empty", None, [0, 1, 3, 4]),
]
NUMBER_CASES = [
    ("eq", "250", [1]), ("eq", 10, [0]), ("ne", 250, [0, 3, 4]),
    ("in", ("10", 5000), [0, 3]), ("not_in", (10,), [1, 3, 4]),
    ("gt", 10, [1, 3]), ("gte", 10, [0, 1, 3]), ("lt", 10, [4]), ("lte", "10", [0, 4]),
    ("between", (0, 300), [0, 1]), ("between", (300, 0), [0, 1]),
    ("is_empty", None, [2]), ("not_empty", None, [0, 1, 3, 4]),
]
BOOLEAN_CASES = [
    ("is_true", None, [0, 3]), ("is_false", None, [1, 4]), ("eq", "Yes", [0, 3]),
    ("ne", "yes", [1, 4]), ("is_empty", None, [2]), ("not_empty", None, [0, 1, 3, 4]),
]
DATE_CASES = [
    ("within_days", 30, [0]), ("within_days", 61, [0, 1]),        # the future row is not "within"
    ("older_than_days", 30, [1, 4]), ("older_than_days", 61, [4]),
    ("before", "2026-09-02", [1, 4]), ("after", "2026-10-30", [3]),
    ("eq", "2026-10-30", [0]), ("ne", "2026-10-30", [1, 3, 4]),
    ("gt", "2026-10-30", [3]), ("gte", "2026-10-30", [0, 3]),
    ("lt", "2026-09-01", [4]), ("lte", "2026-09-01", [1, 4]),
    ("between", ("2026-09-01", "2026-10-30"), [0, 1]),
    ("is_empty", None, [2]), ("not_empty", None, [0, 1, 3, 4]),
]
MAIL_CASES = [("is_free_mail", None, []), ("not_free_mail", None, [3])]    # a business address
CASES = ([(t, *c) for t in ("category", "text", "email") for c in TEXT_CASES]
         + [(t, *c) for t in ("text", "email") for c in MAIL_CASES]
         + [(t, *c) for t in ("integer", "number") for c in NUMBER_CASES]
         + [("boolean", *c) for c in BOOLEAN_CASES]
         + [(t, *c) for t in ("date", "datetime") for c in DATE_CASES])


def matched(cond) -> list[int]:
    result = Scorer(TABLE, as_of=AS_OF).score(Model(rules=(Rule("r", cond, 1),)))
    return np.flatnonzero(result.matches[0]).tolist()


@pytest.mark.parametrize(("column", "op", "value", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_operator_on_each_column_type(column, op, value, expected):
    assert matched(Condition(column, op, value)) == expected


def test_every_operator_and_column_type_pair_is_tested():
    tested = {(ColumnType(column), op) for column, op, _, _ in CASES}
    registry = {(t, op.key) for op in OPERATORS.values() for t in op.types}
    assert registry - tested == set()


def test_date_comparisons_on_a_datetime_column_take_whole_days():
    stamps = pd.Series(pd.to_datetime(["2026-10-30 00:00", "2026-10-30 17:45", "2026-10-31 08:00",
                                       None, "2026-10-29 23:59"]))
    table = SimpleNamespace(frame=pd.DataFrame({"at": stamps}), types={"at": ColumnType.DATETIME})

    def rows(op, value):
        model = Model(rules=(Rule("r", Condition("at", op, value), 1),))
        return np.flatnonzero(Scorer(table, as_of=AS_OF).score(model).matches[0]).tolist()

    assert rows("eq", "2026-10-30") == [0, 1]
    assert rows("ne", "2026-10-30") == [2, 4]
    assert rows("after", "2026-10-30") == [2]
    assert rows("before", "2026-10-30") == [4]
    assert rows("lte", "2026-10-30") == [0, 1, 4]
    assert rows("between", ("2026-10-30", "2026-10-31")) == [0, 1, 2]
    assert rows("within_days", 2) == [0, 1, 2]              # 2026-10-29 23:59 is 2.0007 days ago


def test_missing_values_match_only_is_empty_but_not_negates_plainly():
    for column, op, _value, expected in CASES:
        if op != "is_empty":
            assert 2 not in expected, (column, op)
    # "not" is logical negation of the child's mask, so it picks the missing row
    assert matched(Compound("not", (Condition("text", "eq", "vp"),))) == [0, 1, 2, 3]
    assert matched(Compound("all", (Condition("text", "contains", "v"),
                                    Condition("integer", "gt", 100)))) == []
    assert matched(Compound("any", (Condition("text", "eq", "student"),
                                    Condition("boolean", "is_true")))) == [0, 1, 3]


def test_registry_keys_labels_kinds_and_menus():
    assert list(OPERATORS) == [
        "eq", "ne", "in", "not_in", "contains", "not_contains", "contains_any", "starts_with",
        "ends_with", "matches", "is_empty", "not_empty", "gt", "gte", "lt", "lte", "between",
        "is_true", "is_false", "within_days", "older_than_days", "before", "after",
        "is_free_mail", "not_free_mail"]
    assert OPERATORS["in"].label == "is one of"
    assert [op.key for op in operators_for(ColumnType.EMAIL)][-2:] == ["is_free_mail", "not_free_mail"]
    assert "is_free_mail" not in [op.key for op in operators_for(ColumnType.CATEGORY)]
    assert value_kind_for("not_free_mail", "email") == "none"
    assert all(op.value_kind in VALUE_KINDS for op in OPERATORS.values())
    assert len({op.label for op in OPERATORS.values()}) == len(OPERATORS)
    assert [op.key for op in operators_for("boolean")] == [
        "eq", "ne", "is_empty", "not_empty", "is_true", "is_false"]
    assert "contains" in [op.key for op in operators_for(ColumnType.EMAIL)]
    assert "contains" not in [op.key for op in operators_for(ColumnType.INTEGER)]
    assert "within_days" in [op.key for op in operators_for(ColumnType.DATETIME)]
    assert value_kind_for("gt", "date") == "date"
    assert value_kind_for("between", "datetime") == "date_pair"
    assert value_kind_for("eq", "number") == "number"
    assert value_kind_for("contains_any", "text") == "text_list"


@pytest.mark.parametrize(("op", "value", "ctype", "message"), [
    ("matches", "(unclosed", ColumnType.TEXT, "not a valid regular expression"),
    ("gt", "ten", ColumnType.NUMBER, "does not fit 'gt' on a number column"),
    ("before", "next week", ColumnType.DATE, "does not fit 'before'"),
    ("within_days", -3, ColumnType.DATE, "cannot be negative"),
    ("eq", "maybe", ColumnType.BOOLEAN, "is not yes or no"),
    ("between", (1,), ColumnType.INTEGER, "does not fit 'between'"),
    ("eq", ("a", "b"), ColumnType.TEXT, "expected one value"),
])
def test_values_that_do_not_fit_raise_model_errors(op, value, ctype, message):
    with pytest.raises(ModelError, match=message) as info:
        normalise_value(OPERATORS[op], value, ctype)
    assert info.value.field == "value"


def test_scoring_names_the_rule_whose_value_does_not_fit():
    with pytest.raises(ModelError, match="Rule \"Big\", field 'value'"):
        Scorer(TABLE).score(Model(rules=(Rule("Big", Condition("integer", "gt", "huge"), 1),)))


def test_a_catastrophic_pattern_can_be_cancelled():
    # a backreference forces Python's re (RE2 refuses it) and backtracks badly: ~0.1 s a value,
    # so the whole column would take minutes
    values = pd.Series([f"{'a' * 20}{i}c" for i in range(5000)], dtype="str")
    prep = prepare_column(values, ColumnType.TEXT)
    calls = []

    def cancel_soon():
        calls.append(1)
        return len(calls) > 1

    started = time.perf_counter()
    with pytest.raises(Cancelled):
        evaluate_condition(prep, OPERATORS["matches"], r"(a+)+\1b", 0.0, cancel_soon)
    assert time.perf_counter() - started < 20


def test_linear_time_patterns_run_without_python_re():
    values = pd.Series(["a" * 5000 + "c"] * 3 + ["xb"], dtype="str")
    prep = prepare_column(values, ColumnType.TEXT)
    done = threading.Event()
    started = time.perf_counter()
    mask = evaluate_condition(prep, OPERATORS["matches"], r"(a+)+b", 0.0, done.is_set)
    assert mask.tolist() == [False, False, False, False]
    assert time.perf_counter() - started < 2
