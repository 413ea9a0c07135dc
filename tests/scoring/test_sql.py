"""The model as SQL: the generated SELECT, run in DuckDB and SQLite, gives the engine's scores.

The warehouse tables are built from the loaded lead list the way the SQL's comment says a
warehouse holds it: text columns keep the original cell texts (so placeholders such as 'Select'
are still there), other columns are typed, with NULL for missing values.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pglast
import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings, strategies as st
from pglast.visitors import Visitor
from sqlglot import exp

from scoring.column_types import ColumnType as T
from scoring.errors import ModelError
from scoring.evaluate.engine import Scorer
from scoring.model.definition import ColumnSettings, Compound, Condition, Decay, Group, Model, Rule
from scoring.model.model_file import load_model, model_from_dict
from scoring.reading import LeadTable, load_leads
from scoring.sql.generator import DIALECT_NAMES, SqlError, model_to_sql, sql_column_types
from tests.conftest import ROOT, SAMPLE

MODELS = sorted((ROOT / "resources" / "models").glob("*.json"))
AS_OF = date(2026, 11, 1)


# -- warehouses built from a loaded lead list -------------------------------------------------
def warehouse_columns(table: LeadTable) -> dict[str, list]:
    """Each column as Python values the way the SQL expects the warehouse to hold it."""
    out = {}
    for name, ctype in table.types.items():
        if ctype.is_textual:
            out[name] = table.raw.column(name).to_pylist()
            continue
        series = table.frame[name]
        if ctype.is_temporal:
            values = [None if pd.isna(v) else (v.date() if ctype == T.DATE else v.to_pydatetime())
                      for v in series]
        elif ctype == T.BOOLEAN:
            values = [None if pd.isna(v) else bool(v) for v in series]
        else:
            values = [None if pd.isna(v) else (int(v) if ctype == T.INTEGER else float(v))
                      for v in series]
        out[name] = values
    return out


_ARROW = {T.INTEGER: pa.int64(), T.NUMBER: pa.float64(), T.BOOLEAN: pa.bool_(), T.DATE: pa.date32(),
          T.DATETIME: pa.timestamp("us")}


def duckdb_connection(table: LeadTable):
    """An in-memory DuckDB with the list as table "lead list" (plus its row number, _row)."""
    arrays = {"_row": pa.array(range(table.n_rows), pa.int64())}
    for name, values in warehouse_columns(table).items():
        arrays[name] = pa.array(values, _ARROW.get(table.types[name], pa.string()))
    con = duckdb.connect()
    con.register("source", pa.table(arrays))
    con.execute('CREATE TABLE "lead list" AS SELECT * FROM source')
    return con


def sqlite_connection(table: LeadTable):
    """An in-memory SQLite with the list as table "lead list" (dates as ISO texts, yes/no 1/0)."""
    columns = warehouse_columns(table)
    con = sqlite3.connect(":memory:")
    names = ["_row", *columns]
    quoted = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
    con.execute(f'CREATE TABLE "lead list" ({quoted})')
    rows = zip(range(table.n_rows), *(_sqlite_values(v) for v in columns.values()))
    con.executemany(f'INSERT INTO "lead list" VALUES ({", ".join("?" * len(names))})', rows)
    return con


def run_scores(connection, table: LeadTable, sql: str) -> pd.DataFrame:
    out = connection(table).execute(f"SELECT _row, fit, engagement, score, mql FROM (\n{sql}) AS q "
                                    "ORDER BY _row").fetchall()
    return pd.DataFrame(out, columns=["_row", "fit", "engagement", "score", "mql"])


def _sqlite_values(values: list) -> list:
    return [v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
            if hasattr(v, "isoformat") else int(v) if isinstance(v, bool) else v for v in values]


CONNECTIONS = {"duckdb": duckdb_connection, "sqlite": sqlite_connection}


def assert_same_as_engine(table: LeadTable, model: Model, dialect: str, as_of=AS_OF) -> None:
    sql = model_to_sql(model, table="lead list", dialect=dialect, as_of=as_of, types=table.types)
    got = run_scores(CONNECTIONS[dialect], table, sql)
    result = Scorer(table, as_of=as_of).score(model)
    assert len(got) == table.n_rows
    for column, expected in (("fit", result.fit), ("engagement", result.engagement),
                             ("score", result.total)):
        np.testing.assert_allclose(got[column].astype(float), expected, rtol=1e-9, atol=1e-9,
                                   err_msg=column)
    mql = got["mql"].astype(bool).to_numpy()
    assert (mql == result.mql).all(), f"{int((mql != result.mql).sum())} leads differ in mql"


def without_regex(model: Model) -> Model:
    """The model with its 'matches' rules dropped (SQLite has no regular expressions)."""
    return model.with_rules(r for r in model.rules
                            if all(c.op != "matches" for c in _conditions(r.when)))


@pytest.fixture(scope="module")
def sample() -> LeadTable:
    return load_leads(SAMPLE)


# -- equality with the engine -----------------------------------------------------------------
@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_b2b_starter_scores_the_sample_as_the_engine(sample, dialect):
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    assert_same_as_engine(sample, without_regex(model) if dialect == "sqlite" else model, dialect)


def _conditions(pred):
    if isinstance(pred, Condition):
        yield pred
    else:
        for item in pred.items:
            yield from _conditions(item)


# -- synthetic lists for any model: the starters' own columns, and random models ---------------
TEXT_CELLS = ["US", " us ", "GB", "gb\u00a0", "Select", "", "N/A", "none", "United States",
              "Zürich", "o'brien", "Software", "Head of Sales", "student", "\tvp marketing"]
NUMBER_CELLS = ["", "0", "1", "3", "5", "10", "12.5", "-3", "2000", "10000", "5000"]
BOOL_CELLS = ["Yes", "No", "", "yes", "FALSE"]
DATE_CELLS = ["", "2026-10-01", "2026-10-18", "2026-10-31", "2026-11-01", "2026-11-02",
              "2026-08-15", "2025-01-01"]
DATETIME_CELLS = ["", "2026-10-31 23:59:59", "2026-11-01 00:00:00", "2026-10-02 12:00:00",
                  "2026-10-25 06:30:00", "2026-11-01 08:00:00", "2026-10-18 00:00:00"]
CELLS = {T.TEXT: TEXT_CELLS, T.NUMBER: NUMBER_CELLS, T.BOOLEAN: BOOL_CELLS, T.DATE: DATE_CELLS,
         T.DATETIME: DATETIME_CELLS}


def typed_table(texts: dict[str, list[str]], types: dict[str, T], missing=()) -> LeadTable:
    """Cell texts typed by the loader, then set to ``types`` as a model's column settings do."""
    table = LeadTable.from_texts(pa.table({k: pa.array(v, pa.string()) for k, v in texts.items()}),
                                 missing_values=tuple(missing))
    for column, ctype in types.items():
        wanted = T.TEXT if ctype in (T.CATEGORY, T.EMAIL) else ctype
        if table.types[column] != ctype and not (ctype.is_textual and table.types[column].is_textual):
            table = table.retype(column, wanted)
    return table


def model_cells(model: Model, rows: int, seed: int) -> LeadTable:
    """A list with the columns ``model`` reads: cells drawn from its own values and from messy
    variants (case, spaces, placeholders), typed as the model's rules use the columns."""
    rng = np.random.default_rng(seed)
    types, _guessed = sql_column_types(model)
    literals: dict[str, list[str]] = {}
    for rule in model.rules:
        for cond in _conditions(rule.when):
            values = cond.value if isinstance(cond.value, tuple) else (cond.value,)
            literals.setdefault(cond.column, []).extend(str(v) for v in values if v is not None)
    texts = {}
    for column, ctype in types.items():
        base = T.TEXT if ctype.is_textual else T.NUMBER if ctype.is_numeric else ctype
        pool = list(CELLS[base])
        if base == T.TEXT:
            for v in literals.get(column, []):
                pool += [v, f" {v.upper()} ", f"x {v} y", *model.missing_values]
        texts[column] = [pool[i] for i in rng.integers(0, len(pool), rows)]
    return typed_table(texts, types, model.missing_values)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_starter_models_on_lists_with_their_own_columns(path, dialect):
    model = load_model(path)
    model = without_regex(model) if dialect == "sqlite" else model
    assert_same_as_engine(model_cells(model, 400, seed=len(path.stem)), model, dialect)


# -- real lists ------------------------------------------------------------------------------
X_EDUCATION_MODEL = {
    "format": "leadbench-model", "version": 1, "name": "X Education inbound",
    "threshold": 40, "groups": {"fit": {"cap": 35}, "engagement": {"cap": None}},
    "missing_values": ["Select"],
    "rules": [
        {"name": "Came through a form", "group": "fit", "points": 10,
         "when": {"column": "Lead Origin", "op": "in",
                  "value": ["Landing Page Submission", "Lead Add Form"]}},
        {"name": "Picked a specialisation", "group": "fit", "points": 5,
         "when": {"column": "Specialization", "op": "not_empty"}},
        {"name": "Working professional", "group": "fit", "points": 15,
         "when": {"column": "What is your current occupation", "op": "eq",
                  "value": "working professional"}},
        {"name": "No lead profile", "group": "fit", "points": -3,
         "when": {"column": "Lead Profile", "op": "is_empty"}},
        {"name": "Outside India", "group": "fit", "points": -5,
         "when": {"column": "Country", "op": "not_in", "value": ["India"]}},
        {"name": "3 to 20 visits", "group": "engagement", "points": 10,
         "when": {"column": "TotalVisits", "op": "between", "value": [3, 20]}},
        {"name": "10+ minutes on the site", "group": "engagement", "points": 20,
         "when": {"column": "Total Time Spent on Website", "op": "gte", "value": 600}},
        {"name": "Reads several pages", "group": "engagement", "points": 2.5,
         "when": {"column": "Page Views Per Visit", "op": "gt", "value": 2.5}},
        {"name": "Recent message", "group": "engagement", "points": 10,
         "when": {"column": "Last Activity", "op": "in", "value": ["SMS Sent", "Email Opened"]}},
        {"name": "Found us on Google", "group": "engagement", "points": 5,
         "when": {"column": "Lead Source", "op": "contains", "value": "google"}},
        {"name": "Will call back", "group": "engagement", "points": 15,
         "when": {"column": "Tags", "op": "starts_with", "value": "Will revert"}},
        {"name": "Good quality or high activity", "group": "fit", "points": 10,
         "when": {"any": [{"column": "Lead Quality", "op": "in",
                           "value": ["High in Relevance", "Might be"]},
                          {"all": [{"column": "Asymmetrique Activity Index", "op": "eq",
                                    "value": "01.High"},
                                   {"not": {"column": "City", "op": "eq",
                                            "value": "Other Cities"}}]}]}},
        {"name": "Old rule", "group": "fit", "points": 50, "enabled": False,
         "when": {"column": "City", "op": "eq", "value": "Mumbai"}},
        {"name": "May be emailed", "kind": "require",
         "when": {"column": "Do Not Email", "op": "is_false"}},
        {"name": "Dead end", "kind": "disqualify",
         "when": {"column": "Tags", "op": "contains_any",
                  "value": ["invalid number", "wrong number", "not doing further education"]}},
    ]}


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_x_education_list_with_select_as_missing(shared_data, dialect):
    model = model_from_dict(X_EDUCATION_MODEL)
    table = load_leads(shared_data / "x_education_leads" / "Leads.csv",
                       missing_values=model.missing_values)
    assert table.raw.column("Specialization").to_pylist().count("Select") > 1000
    result = Scorer(table, as_of=AS_OF).score(model)
    assert 0 < result.n_mql < table.n_rows and result.blocked.any()
    assert_same_as_engine(table, model, dialect)


MAVEN_MODEL = {
    "format": "leadbench-model", "version": 1, "name": "Maven pipeline",
    "threshold": 30, "groups": {"fit": {"cap": 40}, "engagement": {"cap": 45}},
    "rules": [
        {"name": "Big deal", "group": "fit", "points": 30,
         "when": {"column": "close_value", "op": "gte", "value": 3000},
         "decay": {"date_column": "engage_date", "half_life_days": 45}},
        {"name": "GTX line", "group": "fit", "points": 5,
         "when": {"column": "product", "op": "starts_with", "value": "gtx"}},
        {"name": "Engaged in the last 60 days", "group": "engagement", "points": 20,
         "when": {"column": "engage_date", "op": "within_days", "value": 60}},
        {"name": "Engaged in Q1", "group": "engagement", "points": 10,
         "when": {"column": "engage_date", "op": "between", "value": ["2017-01-01", "2017-03-31"]}},
        {"name": "Still open", "group": "engagement", "points": 10,
         "when": {"column": "close_date", "op": "is_empty"}},
        {"name": "Closed before 2017", "group": "engagement", "points": -10,
         "when": {"column": "close_date", "op": "before", "value": "2017-01-01"}},
        {"name": "Closed long ago", "group": "engagement", "points": -5,
         "when": {"column": "close_date", "op": "older_than_days", "value": 90}},
        {"name": "Not lost", "kind": "require",
         "when": {"not": {"column": "deal_stage", "op": "eq", "value": "Lost"}}},
    ]}


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_maven_pipeline_with_dates_and_decay(shared_data, dialect):
    model = model_from_dict(MAVEN_MODEL)
    table = load_leads(shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv")
    assert table.types["engage_date"] == T.DATE and table.frame["close_date"].isna().any()
    as_of = date(2017, 6, 1)
    result = Scorer(table, as_of=as_of).score(model)
    assert 0 < result.n_mql < table.n_rows
    assert len(np.unique(result.decay[0])) > 10          # decay really varies by lead
    assert_same_as_engine(table, model, dialect, as_of=as_of)


# -- random small models over a messy list ----------------------------------------------------
COLUMNS = {"País de origen": T.TEXT, "Lead score": T.NUMBER, "Opted in": T.BOOLEAN,
           "Last visit": T.DATE, 'Signed "up"': T.DATETIME, "Work e-mail": T.EMAIL}
EMAIL_VALUES = ["@gmail.com", "acme.io", "ann@gmail.com"]
TEXT_VALUES = ["us", "US ", "gb", "select", "", "united", "STATES", "zür", "o'brien", "n/a", "vp"]
PATTERNS = ["^u", "s$", "(us|gb)", "n.t", "[0-9]", "^$", "zü"]
DATE_VALUES = ["2026-10-01", "2026-10-31", "2026-11-01", "2025-01-01", "2026-10-18"]
NUMBERS = st.sampled_from([0, 1, 5, 10, 12.5, -3])


def condition(column: str, ctype: T, regex: bool):
    empty = st.builds(Condition, st.just(column), st.sampled_from(["is_empty", "not_empty"]))
    if ctype == T.EMAIL:
        options = [st.builds(Condition, st.just(column),
                             st.sampled_from(["is_free_mail", "not_free_mail"])),
                   st.builds(Condition, st.just(column), st.sampled_from(["eq", "ends_with"]),
                             st.sampled_from(EMAIL_VALUES))]
    elif ctype == T.TEXT:
        ops = ["eq", "ne", "contains", "not_contains", "starts_with", "ends_with"]
        lists = st.lists(st.sampled_from(TEXT_VALUES), max_size=3).map(tuple)
        options = [st.builds(Condition, st.just(column), st.sampled_from(ops),
                             st.sampled_from(TEXT_VALUES)),
                   st.builds(Condition, st.just(column),
                             st.sampled_from(["in", "not_in", "contains_any"]), lists)]
        if regex:
            options.append(st.builds(Condition, st.just(column), st.just("matches"),
                                     st.sampled_from(PATTERNS)))
    elif ctype == T.NUMBER:
        options = [st.builds(Condition, st.just(column),
                             st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]), NUMBERS),
                   st.builds(Condition, st.just(column), st.just("between"),
                             st.tuples(NUMBERS, NUMBERS)),
                   st.builds(Condition, st.just(column), st.sampled_from(["in", "not_in"]),
                             st.lists(NUMBERS, max_size=3).map(tuple))]
    elif ctype == T.BOOLEAN:
        options = [st.builds(Condition, st.just(column), st.sampled_from(["is_true", "is_false"])),
                   st.builds(Condition, st.just(column), st.sampled_from(["eq", "ne"]),
                             st.sampled_from(["yes", "no"]))]
    else:
        dates = st.sampled_from(DATE_VALUES)
        options = [st.builds(Condition, st.just(column),
                             st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte", "before",
                                              "after"]), dates),
                   st.builds(Condition, st.just(column), st.just("between"),
                             st.tuples(dates, dates)),
                   st.builds(Condition, st.just(column),
                             st.sampled_from(["within_days", "older_than_days"]),
                             st.sampled_from([0, 1, 7, 30, 0.5, 45.25, 365]))]
    return st.one_of(empty, *options)


def predicates(regex: bool):
    leaf = st.one_of(*(condition(c, t, regex) for c, t in COLUMNS.items()))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.builds(Compound, st.sampled_from(["all", "any"]),
                  st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(lambda p: Compound("not", (p,)), inner)), max_leaves=4)


def rules(regex: bool):
    decay = st.one_of(st.none(), st.builds(Decay, st.sampled_from(["Last visit", 'Signed "up"']),
                                           st.sampled_from([1, 7, 30.5])))
    score = st.builds(Rule, st.sampled_from(["A", "B's rule", "C -- not a comment"]),
                      predicates(regex), st.sampled_from([-10, 5, 12.5, 30, 0.1]),
                      st.sampled_from(["fit", "engagement", "intent"]), st.just("score"),
                      st.sampled_from([True, True, True, False]), decay)
    gate = st.builds(Rule, st.just("Gate"), predicates(regex), st.just(0.0), st.just("fit"),
                     st.sampled_from(["require", "disqualify"]),
                     st.sampled_from([True, True, False]))
    return st.one_of(score, score, gate)


def models(regex: bool):
    caps = st.one_of(st.none(), st.sampled_from([0, 15, 22.5]))
    return st.builds(
        lambda rs, fit_cap, eng_cap, threshold: Model(
            "Random", threshold, (Group("fit", fit_cap), Group("engagement", eng_cap)),
            tuple(rs), missing_values=("Select",)),
        st.lists(rules(regex), min_size=1, max_size=5), caps, caps,
        st.sampled_from([0, 10, 25, 30.5]))


def messy_list(seed: int, rows: int = 40) -> LeadTable:
    """``rows`` leads drawn from messy cells (case, outer spaces, placeholders, blanks)."""
    rng = np.random.default_rng(seed)
    pools = {T.TEXT: TEXT_CELLS + ["\u00a0gb\t", "UNITED STATES", "NOT"], T.NUMBER: NUMBER_CELLS,
             T.BOOLEAN: BOOL_CELLS, T.DATE: DATE_CELLS, T.DATETIME: DATETIME_CELLS,
             T.EMAIL: EMAIL_CELLS[:8] * 2 + EMAIL_CELLS}
    texts = {c: [pools[t][i] for i in rng.integers(0, len(pools[t]), rows)]
             for c, t in COLUMNS.items()}
    return typed_table(texts, COLUMNS, ("Select",))


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_models_on_messy_lists(dialect, data):
    model = data.draw(models(regex=dialect == "duckdb"))
    table = messy_list(data.draw(st.integers(0, 2**16)))
    assert_same_as_engine(table, model, dialect)


def every_condition(regex: bool) -> list[Condition]:
    """Each operator that fits each column of COLUMNS, with each test value."""
    out = []
    for column, ctype in COLUMNS.items():
        out += [Condition(column, op) for op in ("is_empty", "not_empty")]
        if ctype == T.TEXT:
            ops = ["eq", "ne", "contains", "not_contains", "starts_with", "ends_with"]
            out += [Condition(column, op, v) for op in ops for v in TEXT_VALUES]
            out += [Condition(column, op, tuple(TEXT_VALUES[i:i + 3]))
                    for op in ("in", "not_in", "contains_any") for i in range(0, 9, 2)]
            out += [Condition(column, "matches", p) for p in PATTERNS] if regex else []
        elif ctype == T.EMAIL:
            out += [Condition(column, op) for op in ("is_free_mail", "not_free_mail")]
            out += [Condition(column, "ends_with", v) for v in EMAIL_VALUES]
        elif ctype == T.NUMBER:
            values = [0, 1, 5, 10, 12.5, -3]
            out += [Condition(column, op, v) for op in ("eq", "ne", "gt", "gte", "lt", "lte")
                    for v in values]
            out += [Condition(column, "between", (a, b)) for a, b in ((0, 5), (5, 12.5), (10, 1))]
            out += [Condition(column, op, (1, 12.5)) for op in ("in", "not_in")]
        elif ctype == T.BOOLEAN:
            out += [Condition(column, op) for op in ("is_true", "is_false")]
            out += [Condition(column, op, v) for op in ("eq", "ne") for v in ("yes", "no")]
        else:
            ops = ["eq", "ne", "gt", "gte", "lt", "lte", "before", "after"]
            out += [Condition(column, op, v) for op in ops for v in DATE_VALUES]
            out += [Condition(column, "between", (a, b)) for a, b in zip(DATE_VALUES, DATE_VALUES[1:])]
            out += [Condition(column, op, n) for op in ("within_days", "older_than_days")
                    for n in (0, 1, 7, 30, 0.5, 45.25, 365)]
    return out


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_every_operator_matches_the_same_leads(dialect):
    """One rule per condition, each in its own group, so each group column is one rule's match."""
    conditions = every_condition(regex=dialect == "duckdb")
    model = Model("Every operator", 1, tuple(Group(f"g{i}") for i in range(len(conditions))),
                  tuple(Rule(f"r{i}", c, 1, f"g{i}") for i, c in enumerate(conditions)),
                  missing_values=("Select",))
    table = messy_list(seed=7, rows=300)
    sql = model_to_sql(model, table="lead list", dialect=dialect, as_of=AS_OF, types=table.types)
    got = CONNECTIONS[dialect](table).execute(f"SELECT * FROM (\n{sql}) AS q ORDER BY _row").fetchall()
    names = [f"g{i}" for i in range(len(conditions))]
    result = Scorer(table, as_of=AS_OF).score(model)
    width = len(got[0])
    columns = {name: [row[width - 2 - len(names) + j] for row in got] for j, name in enumerate(names)}
    wrong = [(str(conditions[i]), int(np.sum(np.asarray(columns[n], float) != result.matches[i])))
             for i, n in enumerate(names)
             if not np.array_equal(np.asarray(columns[n], float), result.matches[i])]
    assert not wrong, wrong[:5]
    assert sum(m.any() for m in result.matches) > len(conditions) * 0.6    # most match someone


# -- what a dialect cannot express, quoting, escaping -----------------------------------------
def one_rule(cond: Condition, name: str = "Free-mail address", **model) -> Model:
    return Model("One rule", 10, rules=(Rule(name, cond, 10),), **model)


def test_regex_in_sqlite_names_the_rule_and_operator():
    with pytest.raises(SqlError) as caught:
        model_to_sql(one_rule(Condition("email", "matches", "@gmail\\.")), dialect="sqlite")
    message = str(caught.value)
    assert 'Rule "Free-mail address"' in message and "(matches)" in message
    assert "SQLite has no regular expressions" in message and "\n" not in message


@pytest.mark.parametrize(("dialect", "pattern", "said"), [
    ("duckdb", "(?<=@)gmail", "look-around"),
    ("bigquery", r"(a)\1", "back-references"),
    ("postgres", r"\bvp\b", r"'\b'"),
    ("snowflake", "(?=x)y", "'(?='"),
    ("spark", "(?P<at>@)gmail", "'(?P'"),
])
def test_patterns_a_dialect_reads_differently_are_refused(dialect, pattern, said):
    with pytest.raises(SqlError, match="Free-mail address") as caught:
        model_to_sql(one_rule(Condition("email", "matches", pattern)), dialect=dialect)
    assert said in str(caught.value)


def test_unknown_dialect_and_clashing_names():
    with pytest.raises(SqlError, match="unknown SQL dialect 'oracle'"):
        model_to_sql(one_rule(Condition("email", "not_empty")), dialect="oracle")
    with pytest.raises(SqlError, match="column named 'score'"):
        model_to_sql(one_rule(Condition("email", "not_empty")),
                     types={"email": T.EMAIL, "score": T.NUMBER})
    with pytest.raises(ModelError, match="decay needs a date column"):
        model_to_sql(Model(rules=(Rule("Recent", Condition("email", "not_empty"), 5,
                                       decay=Decay("email", 7)),)), types={"email": T.EMAIL})


@pytest.mark.parametrize(("dialect", "column", "value"), [
    ("duckdb", '"a""b"', "'o''brien'"), ("sqlite", '"a""b"', "'o''brien'"),
    ("postgres", '"a""b"', "'o''brien'"), ("bigquery", '`a"b`', r"'o\'brien'"),
    ("snowflake", '"a""b"', r"'o\'brien'"), ("spark", '`a"b`', r"'o\'brien'"),
])
def test_identifiers_and_texts_are_quoted_per_dialect(dialect, column, value):
    sql = model_to_sql(one_rule(Condition('a"b', "eq", "O'Brien")), dialect=dialect,
                       table="crm.lead list")
    assert f"t.{column}" in sql and value in sql
    assert ("FROM crm.`lead list` AS t" if dialect in ("bigquery", "spark")
            else 'FROM crm."lead list" AS t') in sql
    assert "FROM Sales.leads AS t" in model_to_sql(one_rule(Condition("x", "not_empty")),
                                                   dialect=dialect, table="Sales.leads")
    assert ".user AS t" not in model_to_sql(one_rule(Condition("x", "not_empty")),
                                            dialect=dialect, table="crm.user")


def test_backslashes_and_line_breaks_in_backslash_dialects():
    sql = model_to_sql(one_rule(Condition("note", "contains", "a\\b\nc`d")), dialect="bigquery")
    assert r"'a\\b\nc`d'" in sql
    bq = model_to_sql(one_rule(Condition("we`ird", "not_empty")), dialect="bigquery")
    assert r"t.`we\`ird`" in bq
    spark = model_to_sql(one_rule(Condition("we`ird", "contains", "a\\b\fc")), dialect="spark")
    assert r"t.`we``ird`" in spark and r"'a\\b\u000cc'" in spark


def test_hostile_names_and_values_stay_data():
    """A value, a column name and a model name written to break out of the SQL do not."""
    hostile = "x'); DROP TABLE \"lead list\"; --"
    model = Model("evil\nDROP TABLE leads; --", 1, rules=(
        Rule("r\n; DELETE", Condition('País "de" origen', "eq", hostile), 5),))
    table = typed_table({'País "de" origen': [hostile, "us", hostile.upper()]},
                        {'País "de" origen': T.TEXT})
    sql = model_to_sql(model, table="lead list", types=table.types, as_of=AS_OF)
    assert all(line.startswith("--") for line in sql.splitlines()[:6] if "evil" in line)
    con = duckdb_connection(table)
    got = con.execute(f"SELECT _row, score FROM (\n{sql}) AS q ORDER BY _row").fetchall()
    assert [s for _r, s in got] == [5, 0, 5]
    assert con.execute('SELECT count(*) FROM "lead list"').fetchone() == (3,)


def test_types_come_from_the_list_the_model_or_the_rules():
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    types, guessed = sql_column_types(model)
    assert types["employees"] == T.NUMBER and types["demo_requested"] == T.BOOLEAN
    assert types["last_activity"] == T.DATE and types["job_title"] == T.TEXT
    assert "employees" in guessed
    typed = model.with_column_settings("employees", ColumnSettings("integer"))
    types, guessed = sql_column_types(typed)
    assert types["employees"] == T.INTEGER and "employees" not in guessed
    types, guessed = sql_column_types(model, {"employees": T.TEXT})
    assert types == {"employees": T.TEXT} and guessed == []
    with pytest.raises(ModelError, match="'is between' does not apply to 'employees'"):
        model_to_sql(model, types={**{c: T.TEXT for c in ("job_title", "industry", "email")},
                                   "employees": T.TEXT})


def test_switched_off_rules_are_named_and_left_out():
    model = one_rule(Condition("country", "eq", "US"), name="Old rule")
    model = model.with_rule(0, dataclasses.replace(model.rules[0], enabled=False))
    sql = model_to_sql(model, dialect="postgres", as_of=AS_OF)
    assert "-- Switched off (left out): Old rule." in sql and "country" not in sql.split("SELECT")[1]
    assert "Dates count back from 2026-11-01" in sql


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_every_dialect_writes_the_datetime_and_decay_forms(dialect):
    model = Model("Dates", 10, rules=(
        Rule("Recent", Condition("seen", "within_days", 1.5), 10, decay=Decay("seen", 3)),
        Rule("On the day", Condition("seen", "eq", "2026-10-30"), 5)),
        columns=(("seen", ColumnSettings("datetime")),))
    sql = model_to_sql(model, dialect=dialect, as_of=AS_OF)
    assert "2026-10-30 12:00:00" in sql and "2026-11-01 00:00:00" in sql
    assert "-0.3333333333333333" in sql and "2026-10-30" in sql


# -- dialects without a database here: their own parsers read the SQL -------------------------
def parse_columns(sql: str, dialect: str) -> set[str]:
    """The column names in ``sql`` as the dialect's parser reads them: the real PostgreSQL
    grammar (pglast) for postgres, sqlglot for BigQuery, Snowflake and Spark."""
    if dialect == "postgres":
        names: set[str] = set()

        class Columns(Visitor):
            def visit_ColumnRef(self, _ancestors, node):
                names.add(getattr(node.fields[-1], "sval", "*"))

        Columns()(pglast.parse_sql(sql))
        return names
    return {c.name for c in sqlglot.parse_one(sql, read=dialect).find_all(exp.Column)}


@pytest.mark.parametrize("dialect", ["postgres", "bigquery", "snowflake", "spark"])
def test_other_dialects_parse_with_every_name_intact(dialect):
    conditions = every_condition(regex=True)
    model = Model("Every operator", 1, tuple(Group(f"g{i}", 3) for i in range(len(conditions))),
                  tuple(Rule(f"r{i}", c, 1, f"g{i}", decay=Decay("Signed \"up\"", 7) if i % 5
                             else None) for i, c in enumerate(conditions)),
                  missing_values=("Select",))
    names = parse_columns(model_to_sql(model, dialect=dialect, types=COLUMNS), dialect)
    assert names - {f"g{i}" for i in range(len(conditions))} == {*COLUMNS, "*", "fit", "engagement"}
    for path in MODELS:
        assert parse_columns(model_to_sql(load_model(path), dialect=dialect), dialect)


ODD_TEXT = st.text(alphabet=st.sampled_from(list("aZ09 '\"`\\;-*/()%_\n\té€😀")), max_size=6)


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=ODD_TEXT.filter(lambda c: c.strip() and c.lower() not in ("_row", "fit",
                                                                        "engagement", "score",
                                                                        "mql")),
       value=ODD_TEXT, cells=st.lists(ODD_TEXT, min_size=1, max_size=6))
def test_any_column_name_and_value_is_quoted_safely(dialect, column, value, cells):
    """Names and values made of quotes, backslashes, comment marks and line breaks stay data."""
    model = Model("Odd", 1, rules=(Rule("is", Condition(column, "eq", value), 1),
                                   Rule("has", Condition(column, "contains", value), 2, "engagement"),
                                   Rule("starts", Condition(column, "starts_with", value), 4)))
    upper = "".join(c.upper() if c.isascii() else c for c in value)    # SQLite folds A-Z only
    table = typed_table({column: [*cells, value, f" {upper} "]}, {column: T.TEXT})
    assert_same_as_engine(table, model, dialect)


# -- free-mail and business addresses -----------------------------------------------------------
EMAIL_CELLS = ["ann@gmail.com", " Bob@GMAIL.com ", "c@yahoo.co.uk", "d@acme.io", "E@Acme.IO",
               "f+news@outlook.com", "g@mail.gmail.com", "h@gmail.co", "not an email", "x@y",
               "a@b..com", "a@.acme.io", "@acme.io", "a@acme.c0m", "a b@acme.io", "a@@acme.io",
               "a@acme.io.", "ünï@straße.de", "a@acme.Ω", "a\u00a0b@gmail.com", "Select", "", "n/a",
               "a@acme.co.uk", "q@hotmail.fr", "QQ@163.COM", "z@web.de ", "\tz@proton.me"]


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_free_mail_and_business_addresses_match_the_engine(dialect):
    table = typed_table({"Work e-mail": EMAIL_CELLS * 3}, {"Work e-mail": T.EMAIL}, ("Select",))
    model = Model("Emails", 1, (Group("fit"), Group("engagement")),
                  (Rule("Free", Condition("Work e-mail", "is_free_mail"), 1, "fit"),
                   Rule("Business", Condition("Work e-mail", "not_free_mail"), 1, "engagement")),
                  missing_values=("Select",))
    assert_same_as_engine(table, model, dialect)
    result = Scorer(table, as_of=AS_OF).score(model)
    free, business = result.matches[0][:len(EMAIL_CELLS)], result.matches[1][:len(EMAIL_CELLS)]
    assert [c for c, f in zip(EMAIL_CELLS, free) if f] == [
        "ann@gmail.com", " Bob@GMAIL.com ", "c@yahoo.co.uk", "f+news@outlook.com", "q@hotmail.fr",
        "QQ@163.COM", "z@web.de ", "\tz@proton.me"]
    assert [c for c, b in zip(EMAIL_CELLS, business) if b] == [
        "d@acme.io", "E@Acme.IO", "g@mail.gmail.com", "h@gmail.co", "ünï@straße.de",
        "a@acme.co.uk"]


def test_free_mail_sql_parses_in_every_other_dialect():
    model = one_rule(Condition("email", "not_free_mail"))
    for dialect in ("postgres", "bigquery", "snowflake", "spark"):
        sql = model_to_sql(model, dialect=dialect, types={"email": T.EMAIL})
        assert "'gmail.com'" in sql and "'yahoo.co.uk'" in sql
        assert parse_columns(sql, dialect) >= {"email"}
