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
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring.column_types import ColumnType as T
from scoring.engine import Scorer
from scoring.errors import ModelError
from scoring.model import Compound, Condition, Decay, Group, Model, Rule
from scoring.model_file import load_model, model_from_dict
from scoring.reading import LeadTable, load_leads
from scoring.sql import DIALECT_NAMES, SqlError, model_to_sql, sql_column_types
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


def run_duckdb(table: LeadTable, sql: str) -> pd.DataFrame:
    columns = warehouse_columns(table)
    arrays = {"_row": pa.array(range(table.n_rows), pa.int64())}
    for name, values in columns.items():
        arrays[name] = pa.array(values, _ARROW.get(table.types[name], pa.string()))
    con = duckdb.connect()
    con.register("source", pa.table(arrays))
    con.execute('CREATE TABLE "lead list" AS SELECT * FROM source')
    return con.execute(f"SELECT _row, fit, engagement, score, mql FROM (\n{sql}) AS q "
                       "ORDER BY _row").df()


def run_sqlite(table: LeadTable, sql: str) -> pd.DataFrame:
    columns = warehouse_columns(table)
    con = sqlite3.connect(":memory:")
    names = ["_row", *columns]
    quoted = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
    con.execute(f'CREATE TABLE "lead list" ({quoted})')
    rows = zip(range(table.n_rows), *(_sqlite_values(v) for v in columns.values()))
    con.executemany(f'INSERT INTO "lead list" VALUES ({", ".join("?" * len(names))})', rows)
    out = con.execute(f"SELECT _row, fit, engagement, score, mql FROM (\n{sql}) AS q "
                      "ORDER BY _row").fetchall()
    return pd.DataFrame(out, columns=["_row", "fit", "engagement", "score", "mql"])


def _sqlite_values(values: list) -> list:
    return [v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
            if hasattr(v, "isoformat") else int(v) if isinstance(v, bool) else v for v in values]


RUNNERS = {"duckdb": run_duckdb, "sqlite": run_sqlite}


def assert_same_as_engine(table: LeadTable, model: Model, dialect: str, as_of=AS_OF) -> None:
    sql = model_to_sql(model, table="lead list", dialect=dialect, as_of=as_of, types=table.types)
    got = RUNNERS[dialect](table, sql)
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
    rules = [r for r in model.rules
             if "matches" not in repr(r.when)]
    return model.with_rules(rules)


@pytest.fixture(scope="module")
def sample() -> LeadTable:
    return load_leads(SAMPLE)


# -- equality with the engine -----------------------------------------------------------------
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_starter_models_score_the_sample_as_the_engine(sample, path, dialect):
    model = load_model(path)
    if dialect == "sqlite":
        model = without_regex(model)
    table = sample
    for column, settings in model.columns:          # as the window and the CLI apply them
        if settings.type and column in table.types:
            table = table.retype(column, settings.type)
    missing = [c.column for r in model.rules for c in _conditions(r.when) if c.column not in table.types]
    if missing:        # the agency and e-commerce starters name columns of their own
        pytest.skip(f"{path.name} reads columns the sample lacks")
    assert_same_as_engine(table, model, dialect)


def _conditions(pred):
    if isinstance(pred, Condition):
        yield pred
    else:
        for item in pred.items:
            yield from _conditions(item)
