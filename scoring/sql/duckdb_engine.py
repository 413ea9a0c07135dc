"""Score a lead file too big for memory: the model's SQL run by DuckDB, streaming, on the file.

``score_with_duckdb(source, model, target)`` reads a CSV (or TSV) or Parquet file with DuckDB,
types the columns the model reads as Leadbench types them, runs ``model_to_sql``'s query (the
same one ``leadbench sql`` prints) and writes every lead's original cells plus ``fit_score``,
``engagement_score``, ``score`` and ``mql``, best score first, to CSV or Parquet with DuckDB's
``COPY``. Memory stays bounded: DuckDB streams the file and spills its sort to disk.

The column types come from Leadbench's own reader on the first ``SAMPLE_ROWS`` rows, with the
model's column settings on top. Before the whole file is scored, the sample is converted by
DuckDB as well and compared with what Leadbench read; a column that DuckDB would read otherwise
(a decimal comma, a date form it cannot cast) is refused with a sentence naming it, so the two
engines never silently disagree. DuckDB is an optional dependency (``pip install leadbench[big]``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType as T
from scoring.errors import LeadbenchError
from scoring.evaluate.column_settings import apply_column_settings
from scoring.model.definition import Model
from scoring.reading import load_leads
from scoring.reading.converting import FALSE_WORDS, TRUE_WORDS
from scoring.sql.generator import model_to_sql, sql_column_types

__all__ = ["score_with_duckdb", "DuckdbRun", "SAMPLE_ROWS", "INPUT_SUFFIXES", "OUTPUT_SUFFIXES"]

SAMPLE_ROWS = 50_000
INPUT_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")
OUTPUT_SUFFIXES = (".csv", ".parquet")
_SCORES = {"fit": "fit_score", "engagement": "engagement_score", "score": "score", "mql": "mql"}


@dataclass(frozen=True)
class DuckdbRun:
    """What a DuckDB run did: leads read, MQLs, leads written."""

    n_rows: int
    n_mql: int
    written: int


def _duckdb():
    try:
        import duckdb
    except ImportError:
        raise LeadbenchError("the DuckDB engine is not installed: install it with "
                             "'pip install leadbench[big]' (or 'pip install duckdb')") from None
    return duckdb


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _source_sql(path: Path, all_text: bool) -> str:
    if path.suffix.lower() == ".parquet":
        return f"read_parquet({_lit(path)})"
    return f"read_csv({_lit(path)}, header = true, all_varchar = {str(all_text).lower()})"


def _conversion(column: str, ctype: T) -> str | None:
    """DuckDB SQL turning a text column into Leadbench's type (None: stays text)."""
    c = f"TRIM({_q(column)})"
    if ctype in (T.INTEGER, T.NUMBER):
        return f"TRY_CAST(REPLACE({c}, ',', '') AS DOUBLE)"
    if ctype == T.BOOLEAN:
        words = lambda ws: ", ".join(_lit(w) for w in sorted(ws))  # noqa: E731
        return (f"CASE WHEN LOWER({c}) IN ({words(TRUE_WORDS)}) THEN TRUE "
                f"WHEN LOWER({c}) IN ({words(FALSE_WORDS)}) THEN FALSE END")
    if ctype == T.DATE:
        return f"CAST(TRY_CAST({c} AS TIMESTAMP) AS DATE)"
    if ctype == T.DATETIME:
        return f"TRY_CAST({c} AS TIMESTAMP)"
    return None


def _sample(path: Path, folder: Path, rows: int) -> Path:
    """The header and first ``rows`` lines of a text file (the whole file when it is short)."""
    if path.suffix.lower() == ".parquet":
        return path
    sample = folder / f"sample{path.suffix}"
    with open(path, "rb") as src, open(sample, "wb") as dst:
        for i, line in enumerate(src):
            if i > rows:
                break
            dst.write(line)
    return sample


def _types(path: Path, model: Model, folder: Path):
    sample_path = _sample(path, folder, SAMPLE_ROWS)
    table = load_leads(sample_path, missing_values=tuple(model.missing_values)) \
        if path.suffix.lower() != ".parquet" else None
    if table is None:      # Parquet: columns already typed; read the model's columns as they are
        return {}, None, sample_path
    table = apply_column_settings(table, model)       # number marks and types, as everywhere
    return dict(table.types), table, sample_path


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return "nothing"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}"
    return str(pd.Timestamp(value).date()) if isinstance(value, (pd.Timestamp, np.datetime64)) else f"{value}"


def _check_sample(con, sample: Path, converted: dict[str, str], table, types: dict) -> None:
    """Refuse a column DuckDB would read differently from Leadbench (compared on the sample)."""
    if not converted:
        return
    select = ", ".join(f"{expr} AS {_q(c)}" for c, expr in converted.items())
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")           # one thread reads the sample's rows in file order
    try:
        theirs = con.execute(f"SELECT {select} FROM {_source_sql(sample, True)}").df()
    finally:
        con.execute(f"SET threads = {int(threads)}")
    for column in converted:
        ours, other = table.frame[column], theirs[column]
        if len(ours) != len(other):
            raise LeadbenchError("the DuckDB engine reads the sample of this file with another number "
                                 "of rows than Leadbench; score it without --engine duckdb")
        if types[column].is_temporal:
            a = pd.to_datetime(ours, errors="coerce").to_numpy("datetime64[s]")
            b = pd.to_datetime(other, errors="coerce").to_numpy("datetime64[s]")
            same = (np.isnat(a) & np.isnat(b)) | (a == b)
        else:
            a = pd.to_numeric(ours.astype(object).where(ours.notna(), np.nan), errors="coerce").to_numpy(float)
            b = pd.to_numeric(other.astype(object).where(other.notna(), np.nan), errors="coerce").to_numpy(float)
            same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-12, atol=0, equal_nan=True)
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            cell = table.raw.column(str(column))[row].as_py()
            raise LeadbenchError(
                f"the DuckDB engine would read column '{column}' differently from Leadbench: "
                f"'{cell}' (line {row + 2}) reads as {_shown(a[row])} in Leadbench and as "
                f"{_shown(b[row])} in DuckDB; score this file without --engine duckdb, or retype "
                "the column to text in the model")


def score_with_duckdb(source: str | os.PathLike, model: Model, target: str | os.PathLike, *,
                      as_of: date | None = None, only_mql: bool = False,
                      memory_limit: str | None = None) -> DuckdbRun:
    """Score ``source`` (CSV/TSV/TXT or Parquet) with ``model`` through DuckDB into ``target``.

    Parameters
    ----------
    source : the lead file; never written
    model : the scoring model
    target : ``.csv`` or ``.parquet``; written atomically (a temporary file, then renamed)
    as_of : the scoring date (default: the model's, else today)
    only_mql : write only the MQLs (default: every lead)
    memory_limit : DuckDB's memory limit, e.g. "2GB" (default: DuckDB's own, 80% of memory)

    Raises
    ------
    LeadbenchError
        DuckDB missing, an unsupported file, a column DuckDB would read differently, or a rule SQL
        cannot express (``SqlError``), each in one sentence.
    """
    source, target = Path(source), Path(target)
    if source.suffix.lower() not in INPUT_SUFFIXES:
        raise LeadbenchError(f"the DuckDB engine reads CSV, TSV or Parquet files, not {source.name}")
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        raise LeadbenchError(f"the DuckDB engine writes .csv or .parquet, not {target.name}")
    if not source.is_file():
        raise LeadbenchError(f"{source} does not exist")
    duckdb = _duckdb()
    part = target.with_name(f".{target.name}.leadbench.part")
    with tempfile.TemporaryDirectory(prefix="leadbench-duckdb-") as folder:
        con = duckdb.connect()
        try:
            return _run(con, Path(folder), source, model, target, part, as_of, only_mql, memory_limit)
        except duckdb.Error as exc:
            raise LeadbenchError(f"DuckDB could not score {source.name}: {str(exc).splitlines()[0]}") from None
        finally:
            part.unlink(missing_ok=True)
            con.close()


def _run(con, folder: Path, source: Path, model: Model, target: Path, part: Path, as_of, only_mql: bool,
         memory_limit: str | None) -> DuckdbRun:
    con.execute(f"SET temp_directory = {_lit(folder)}")
    if memory_limit:
        con.execute(f"SET memory_limit = {_lit(memory_limit)}")
    types, sample_table, sample = _types(source, model, folder)
    read, _guessed = sql_column_types(model, types or None)
    text_input = source.suffix.lower() != ".parquet"
    converted = {c: expr for c, t in read.items() if text_input and c in types
                 for expr in [_conversion(c, t)] if expr is not None}
    _check_sample(con, sample, converted, sample_table, types)
    columns = [row[0] for row in con.execute(
        f"DESCRIBE SELECT * FROM {_source_sql(source, text_input)}").fetchall()]
    hidden = {c: f"__leadbench_text_{i}" for i, c in enumerate(converted)}
    view = ", ".join([f"{_q(c)} AS {_q(hidden[c])}" for c in converted]
                     + [f"{converted[c]} AS {_q(c)}" if c in converted else _q(c) for c in columns])
    con.execute(f"CREATE VIEW leads AS SELECT {view} FROM {_source_sql(source, text_input)}")
    scored = model_to_sql(model, table="leads", dialect="duckdb", as_of=as_of or model.as_of,
                          types={**types, **{c: t for c, t in read.items() if c not in types}}
                          if types else None, missing_values=tuple(model.missing_values))
    groups = [g.name for g in model.groups]
    out_cols = ([f"{_q(hidden[c])} AS {_q(c)}" if c in hidden else _q(c) for c in columns]
                + [f"{_q(g)} AS {_q(_SCORES.get(g, g + '_score'))}" for g in groups]
                + [_q("score"), _q("mql")])
    where = " WHERE mql" if only_mql else ""
    final = f"SELECT {', '.join(out_cols)} FROM ({scored}) AS scored{where} ORDER BY score DESC"
    fmt = "PARQUET" if target.suffix.lower() == ".parquet" else "CSV, HEADER true"
    if only_mql:      # the file holds only MQLs: count the leads in the same pass as the MQLs
        n_rows, n_mql = con.execute(f"SELECT count(*), count_if(mql) FROM ({scored}) AS s").fetchone()
        con.execute(f"COPY ({final}) TO {_lit(part)} (FORMAT {fmt})")
    else:             # every lead is written: count from the written file, not by scoring again
        con.execute(f"COPY ({final}) TO {_lit(part)} (FORMAT {fmt})")
        written = (f"read_parquet({_lit(part)})" if fmt == "PARQUET"
                   else f"read_csv({_lit(part)}, header = true, all_varchar = true)")
        n_rows, n_mql = con.execute(f"SELECT count(*), count_if(mql = 'true') FROM "
                                    f"(SELECT CAST(mql AS VARCHAR) AS mql FROM {written})").fetchone()
    os.replace(part, target)
    return DuckdbRun(int(n_rows), int(n_mql), int(n_mql if only_mql else n_rows))
