"""A model's recipe (other files joined to the leads) and account roll-up as SQL.

``recipe_from(model, ...)`` writes the FROM part that ``model_to_sql`` scores instead of the bare
lead table: the leads ``LEFT JOIN`` each source, every lead kept once and in the table's order
(no lead is lost or doubled):

- a lookup joins one row per key: ``ROW_NUMBER() OVER (PARTITION BY key ORDER BY date DESC)``
  for "latest" (for "first" the database picks a row: give the file one row per key, or use
  "latest"); "aggregate" sums numbers and takes the latest date (text columns cannot be
  aggregated in SQL);
- aggregates are one grouped subquery per source: ``COUNT`` / ``SUM`` / ``AVG`` / ``MAX`` /
  ``MIN`` / ``COUNT(DISTINCT …)`` over ``CASE WHEN condition THEN … END``, the condition written
  exactly as a rule's (``scoring.sql.generator``), "within N days" counted back from ``as_of``;
  counts and sums are 0 for a lead no row matches.

Keys: an id is compared as its text with outer white space trimmed; an email address trimmed and
lower-cased. Matching by person and company (punctuation removed) is not written in SQL.
Each source is read from a table named after the source unless ``tables`` names another.
``accounts_sql`` rolls a scored query up into accounts (company lower-cased and trimmed, or the
email domain of business addresses).
"""

from __future__ import annotations

from datetime import date

from scoring.combine.apply import joined_names
from scoring.model.definition import Compound, Condition, Model, Rule
from scoring.model.recipe import AccountRollup, Source
from scoring.sql.dialects import DIALECTS, Dialect
from scoring.sql.generator import SqlError, _Writer

__all__ = ["recipe_from", "accounts_sql"]

_AGG = {"count": "COUNT", "sum": "SUM", "mean": "AVG", "max": "MAX", "latest": "MAX", "earliest": "MIN",
        "distinct": "COUNT"}


def _key(d: Dialect, expr: str, by: str, source: Source) -> str:
    if by == "name":
        raise SqlError(f"source '{source.name}' matches by person and company, which the SQL cannot "
                       "normalise as Leadbench does; match it by id or email address")
    text = f"TRIM({expr}, {d.whitespace()})" if by == "id" else d.normalised(expr)
    return f"NULLIF({text}, '')"


def recipe_from(model: Model, *, table: str = "leads", dialect: str = "duckdb", as_of: date | None = None,
                lead_columns=None, source_types: dict | None = None, tables: dict | None = None) -> str:
    """The FROM item (a parenthesised SELECT) that joins the model's sources to ``table``.

    Parameters
    ----------
    lead_columns : the lead table's column names (a name a source brings that clashes with one
        of them gets the source's name in front, as in Leadbench); None: no clashes assumed
    source_types : per source name, its columns' types (else guessed from how conditions use them)
    tables : per source name, its warehouse table (default: the source's name)
    """
    d = DIALECTS[dialect]
    as_of = as_of or date.today()
    tables, source_types = tables or {}, source_types or {}
    names = joined_names(list(lead_columns or ()), model.sources)
    select, joins = ["l.*"], []
    for i, source in enumerate(model.sources):
        lead_key = _key(d, f"l.{d.ident(source.match.leads[0])}", source.match.by, source)
        file_key = _key(d, f"f.{d.ident(source.match.file[0])}", source.match.by, source)
        where = f"WHERE {file_key} IS NOT NULL"
        origin = d.table(tables.get(source.name, source.name))
        if source.columns:
            alias = f"j{i}"
            if source.many == "aggregate":
                parts = []
                for column in source.columns:
                    kind = (source_types.get(source.name) or {}).get(column)
                    if kind is not None and not (kind.is_numeric or kind.is_temporal):
                        raise SqlError(f"source '{source.name}': the text column '{column}' cannot be "
                                       "aggregated in SQL; choose first or latest for it")
                    fn = "MAX" if kind is not None and kind.is_temporal else "SUM"
                    parts.append(f"{fn}(f.{d.ident(column)}) AS {d.ident(column)}")
                body = (f"SELECT {file_key} AS k, {', '.join(parts)} FROM {origin} AS f {where} "
                        f"GROUP BY {file_key}")
                on = f"{alias}.k = {lead_key}"
            else:
                order = ""
                if source.many == "latest":
                    order = f" ORDER BY f.{d.ident(source.order_by)} DESC NULLS LAST"
                cols = ", ".join(f"f.{d.ident(c)}" for c in source.columns)
                body = (f"SELECT {file_key} AS k, {cols}, ROW_NUMBER() OVER (PARTITION BY {file_key}{order}) "
                        f"AS rn FROM {origin} AS f {where}")
                on = f"{alias}.k = {lead_key} AND {alias}.rn = 1"
            joins.append(f"  LEFT JOIN ({body}) AS {alias} ON {on}")
            select += [f"{alias}.{d.ident(c)} AS {d.ident(names[(source.name, c)])}" for c in source.columns]
        if source.aggregates:
            alias = f"a{i}"
            parts = [f"{_aggregate(d, model, source, agg, as_of, source_types.get(source.name))} AS "
                     f"{d.ident(agg.name)}" for agg in source.aggregates]
            joins.append(f"  LEFT JOIN (SELECT {file_key} AS k, {', '.join(parts)} FROM {origin} AS f "
                         f"{where} GROUP BY {file_key}) AS {alias} ON {alias}.k = {lead_key}")
            for agg in source.aggregates:
                value = f"{alias}.{d.ident(agg.name)}"
                if agg.fn in ("count", "sum", "distinct"):
                    value = f"COALESCE({value}, 0)"
                select.append(f"{value} AS {d.ident(names[(source.name, agg.name)])}")
    lines = ["(", "  SELECT " + ",\n    ".join(select), f"  FROM {d.table(table)} AS l", *joins, ")"]
    return "\n".join(lines)


def _aggregate(d: Dialect, model: Model, source: Source, agg, as_of: date, types) -> str:
    parts = [p for p in (agg.where,) if p is not None]
    if agg.within_days is not None:
        parts.append(Condition(agg.date_column, "within_days", agg.within_days))
    value = "1" if agg.fn == "count" else f"f.{d.ident(agg.column)}"
    if parts:
        pred = parts[0] if len(parts) == 1 else Compound("all", tuple(parts))
        rule = Rule(f"{source.name}: {agg.name}", pred)
        writer = _Writer(Model(rules=(rule,), missing_values=model.missing_values), d, as_of,
                         types, ())
        value = f"CASE WHEN {writer._predicate(pred, rule, 'f')} THEN {value} END"
    if agg.fn == "distinct":
        return f"COUNT(DISTINCT {value})"
    return f"{_AGG[agg.fn]}({value})"


def accounts_sql(scored: str, rollup: AccountRollup, column: str, *, dialect: str = "duckdb") -> str:
    """One SELECT rolling the scored query ``scored`` up into accounts: ``account``, ``leads``,
    ``mqls``, ``account_score`` and ``mqa``, best first."""
    d = DIALECTS[dialect]
    norm = d.normalised(f"s.{d.ident(column)}")
    if rollup.by == "domain":
        writer = _Writer(Model(), d, date.today(), None, ())
        business = writer._email(norm, "not_free_mail")
        key = f"CASE WHEN {business} THEN {d.domain_of(norm)} END"
    else:
        key = f"NULLIF({norm}, '')"
    score = {"sum": "SUM(score)", "average": "AVG(score)", "max": "MAX(score)",
             "top3": "AVG(CASE WHEN rn <= 3 THEN score END)"}[rollup.score]
    mql = "CASE WHEN mql THEN 1 ELSE 0 END" if d.key != "sqlite" else "mql"
    threshold = repr(float(rollup.threshold) - 1e-9)
    return "\n".join([
        f"-- Accounts by {rollup.by} ({column}): {rollup.score} of lead scores; a Marketing Qualified "
        f"Account scores at least {rollup.threshold:g}",
        "SELECT account, leads, mqls, account_score,",
        f"  CASE WHEN account_score >= {threshold} THEN {d.boolean(True)} ELSE {d.boolean(False)} END AS mqa",
        "FROM (",
        f"  SELECT account, COUNT(*) AS leads, SUM({mql}) AS mqls, {score} AS account_score",
        "  FROM (",
        "    SELECT k.*, ROW_NUMBER() OVER (PARTITION BY account ORDER BY score DESC) AS rn",
        f"    FROM (SELECT s.score, s.mql, {key} AS account FROM (\n{scored}) AS s) AS k",
        "    WHERE account IS NOT NULL",
        "  ) AS r",
        "  GROUP BY account",
        ") AS a",
        "ORDER BY account_score DESC, leads DESC, account",
    ]) + "\n"
