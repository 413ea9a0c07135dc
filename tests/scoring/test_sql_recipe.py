"""The recipe and the account roll-up as SQL: DuckDB and SQLite give the engine's numbers."""

from __future__ import annotations

import sqlite3
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from scoring.combine import combine, roll_up
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Model, Rule
from scoring.model.recipe import AccountRollup, Aggregate, MatchKey, Source
from scoring.reading import LeadTable, load_leads
from scoring.sql.generator import DIALECT_NAMES, SqlError, model_to_sql
from scoring.sql.recipe_sql import accounts_sql, recipe_from
from tests.scoring.combine_files import AS_OF, write_crm
from tests.scoring.test_sql import _ARROW, _sqlite_values, warehouse_columns

DAY = date.fromisoformat(AS_OF)


def _duckdb(tables: dict[str, LeadTable]):
    con = duckdb.connect()
    for name, table in tables.items():
        arrays = {"_row": pa.array(range(table.n_rows), pa.int64())}
        for column, values in warehouse_columns(table).items():
            arrays[column] = pa.array(values, _ARROW.get(table.types[column], pa.string()))
        con.register("src", pa.table(arrays))
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src')
        con.unregister("src")
    return con


def _sqlite(tables: dict[str, LeadTable]):
    con = sqlite3.connect(":memory:")
    for name, table in tables.items():
        columns = warehouse_columns(table)
        names = ["_row", *columns]
        con.execute(f'CREATE TABLE "{name}" ({", ".join(chr(34) + n + chr(34) for n in names)})')
        rows = zip(range(table.n_rows), *(_sqlite_values(v) for v in columns.values()))
        con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(names))})', rows)
    return con


CONNECT = {"duckdb": _duckdb, "sqlite": _sqlite}


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    files = write_crm(tmp_path_factory.mktemp("crm"), n=600)
    leads = load_leads(files["leads"])
    sources = (
        Source("deals", str(files["deals"]), MatchKey("id", ("lead_id",), ("lead_id",)),
               columns=("stage", "amount", "close_date"), many="latest", order_by="close_date"),
        Source("events", str(files["events"]), MatchKey("email", ("email",), ("contact",)),
               aggregates=(Aggregate("Clicks 30d", "count", where=Condition("event", "eq", "click"),
                                     within_days=30, date_column="when"),
                           Aggregate("Pages", "sum", "pages"), Aggregate("Mean pages", "mean", "pages"),
                           Aggregate("Most pages", "max", "pages"), Aggregate("Last seen", "latest", "when"),
                           Aggregate("First seen", "earliest", "when"), Aggregate("Kinds", "distinct", "event"))))
    model = Model(name="Joined", threshold=30, sources=sources, rules=(
        Rule("Clicks", Condition("Clicks 30d", "gte", 2), 20, "engagement"),
        Rule("Won", Condition("stage", "eq", "won"), 30),
        Rule("Busy", Condition("Pages", "gt", 25), 5, "engagement"),
        Rule("Recent", Condition("Last seen", "within_days", 14), 10, "engagement"),
        Rule("Big deal", Condition("amount", "gte", 2500), 15)))
    combined = combine(leads, sources, as_of=DAY)
    tables = {"lead list": leads, "deals": load_leads(files["deals"]), "events": load_leads(files["events"])}
    return leads, model, combined, tables


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_joined_scores_and_columns_equal_the_engine(crm, dialect):
    leads, model, combined, tables = crm
    from_sql = recipe_from(model, table="lead list", dialect=dialect, as_of=DAY, lead_columns=list(leads.types),
                           source_types=combined.source_types)
    sql = model_to_sql(model, table="lead list", dialect=dialect, as_of=DAY, types=combined.table.types,
                       from_sql=from_sql)
    names = ["_row", "fit", "engagement", "score", "mql", "Clicks 30d", "Pages", "Mean pages", "Most pages",
             "Last seen", "First seen", "Kinds", "stage", "amount"]
    quoted = ", ".join(f'"{n}"' for n in names)
    got = pd.DataFrame(CONNECT[dialect](tables).execute(f"SELECT {quoted} FROM (\n{sql}) AS q ORDER BY _row")
                       .fetchall(), columns=names)
    assert len(got) == leads.n_rows == 600
    result = Scorer(combined.table, as_of=DAY).score(model)
    for column, want in (("fit", result.fit), ("engagement", result.engagement), ("score", result.total)):
        np.testing.assert_allclose(got[column].astype(float), want, err_msg=column)
    assert (got["mql"].astype(bool).to_numpy() == result.mql).all()
    assert result.n_mql > 50 and result.rule_counts[0] > 20             # the joined columns matter
    frame = combined.table.frame
    for column in ("Clicks 30d", "Pages", "Most pages", "Kinds", "amount"):
        np.testing.assert_allclose(got[column].astype(float).fillna(-1), frame[column].astype(float).fillna(-1),
                                   err_msg=column)
    np.testing.assert_allclose(got["Mean pages"].astype(float), frame["Mean pages"], err_msg="mean")
    for column in ("Last seen", "First seen"):
        assert [str(v)[:10] if pd.notna(v) else "" for v in got[column]] == \
            [v.strftime("%Y-%m-%d") if pd.notna(v) else "" for v in frame[column]]
    assert got["stage"].fillna("").tolist() == frame["stage"].astype("str").fillna("").tolist()


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
@pytest.mark.parametrize("rollup", [AccountRollup("domain", "email", "sum", 200),
                                    AccountRollup("company", "company", "top3", 20),
                                    AccountRollup("company", "company", "average", 10),
                                    AccountRollup("domain", "email", "max", 30)])
def test_account_roll_up_equals_the_engine(crm, dialect, rollup):
    leads, model, combined, tables = crm
    model = Model(**{**model.__dict__, "accounts": rollup})
    from_sql = recipe_from(model, table="lead list", dialect=dialect, as_of=DAY, lead_columns=list(leads.types),
                           source_types=combined.source_types)
    scored = model_to_sql(model, table="lead list", dialect=dialect, as_of=DAY, types=combined.table.types,
                          from_sql=from_sql)
    rows = CONNECT[dialect](tables).execute(accounts_sql(scored, rollup, rollup.column, dialect=dialect)).fetchall()
    result = Scorer(combined.table, as_of=DAY).score(model)
    engine = roll_up(combined.table.frame, result.total, result.mql, rollup)
    want = engine.frame.assign(key=engine.frame["account"].str.strip().str.lower()).set_index("key")
    assert len(rows) == len(want) > 3
    for account, n, mqls, score, mqa in rows:
        row = want.loc[account]
        assert (n, mqls, bool(mqa)) == (row["leads"], row["mqls"], bool(row["mqa"]))
        assert score == pytest.approx(row["score"])


def test_every_dialect_writes_the_recipe_and_name_matching_is_refused(crm):
    leads, model, combined, _ = crm
    for dialect in DIALECT_NAMES:
        sql = model_to_sql(model, dialect=dialect, as_of=DAY, from_sql=recipe_from(model, dialect=dialect, as_of=DAY))
        assert "LEFT JOIN" in sql and "GROUP BY" in sql
    by_name = Model(sources=(Source("crm", "crm.csv", MatchKey("name", ("n", "c"), ("n", "c")), columns=("x",)),))
    with pytest.raises(SqlError, match="source 'crm' matches by person and company"):
        recipe_from(by_name)
