"""``leadbench sql``: print the model as one SQL SELECT for a warehouse table.

The query returns every column of the table plus fit, engagement, score and mql (see
``scoring.sql.generator`` for what it assumes about the table). Column types come from the model, from how
its rules use each column, or from a lead list named with ``--types-from``.
"""

from __future__ import annotations

import sys

from scoring.combine.accounts import guess_account_column
from scoring.errors import LeadbenchError
from scoring.model.model_file import load_model
from scoring.model.recipe import AccountRollup
from scoring.sql.generator import DIALECT_NAMES, model_to_sql
from scoring.sql.recipe_sql import accounts_sql, recipe_from

from app.cli.common import add_as_of, add_missing, load_for_command

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> None:
    """Add the ``sql`` sub-command to ``subparsers``."""
    sql = subparsers.add_parser(
        "sql", help="print the model as one SQL SELECT for a warehouse",
        description="Print one SELECT that returns every column of TABLE plus fit, engagement, "
                    "score and mql, with the model's rules as CASE expressions.")
    sql.add_argument("--model", required=True, metavar="MODEL.json", help="the scoring model")
    sql.add_argument("--table", default="leads", metavar="NAME",
                     help="the warehouse table, e.g. analytics.leads (default: leads)")
    sql.add_argument("--dialect", choices=DIALECT_NAMES, default="duckdb",
                     help="the SQL dialect (default: duckdb)")
    add_as_of(sql)
    sql.add_argument("--types-from", metavar="LEADS",
                     help="take column types from this lead list (as the window types it) "
                          "instead of guessing them from the rules")
    sql.add_argument("--sheet", metavar="NAME", help="with --types-from: the sheet of a workbook")
    add_missing(sql)
    sql.add_argument("--source-table", action="append", default=[], metavar="NAME=TABLE",
                     help="the warehouse table holding the model's source NAME (default: a table "
                          "named NAME); repeat for more")
    sql.add_argument("--source", action="append", default=[], metavar="NAME=FILE",
                     help="with --types-from: read the model's source NAME from FILE")
    sql.add_argument("--accounts", action="store_true",
                     help="print the account roll-up (the model's accounts settings) instead")


def run(args) -> int:
    """Print the SQL; bad input raises LeadbenchError (exit status 2, one line)."""
    model = load_model(args.model)
    types = lead_columns = source_types = None
    if args.types_from:
        args.input = args.types_from
        table = load_for_command(args, model)
        types = table.types
        if args.combined is not None:
            lead_columns = [c for c in table.types if c not in args.combined.origin]
            source_types = args.combined.source_types
    as_of = args.as_of or model.as_of
    from_sql = None
    if model.sources:
        from_sql = recipe_from(model, table=args.table, dialect=args.dialect, as_of=as_of,
                               lead_columns=lead_columns, source_types=source_types,
                               tables=_source_tables(args.source_table, model))
    query = model_to_sql(model, table=args.table, dialect=args.dialect, as_of=as_of, types=types,
                         missing_values=tuple(args.missing), from_sql=from_sql)
    if args.accounts:
        rollup = model.accounts or AccountRollup()
        column = rollup.column or (guess_account_column(list(types), types, rollup.by) if types else None)
        if column is None:
            raise LeadbenchError("the model's accounts settings name no column to group by; set it in "
                                 "Data > Accounts, or pass --types-from LEADS so it can be guessed")
        query = accounts_sql(query, rollup, column, dialect=args.dialect)
    sys.stdout.write(query)
    return 0


def _source_tables(items, model) -> dict[str, str]:
    names = {s.name for s in model.sources}
    out = {}
    for item in items:
        name, sep, table = item.partition("=")
        if not sep or not table.strip():
            raise LeadbenchError(f"--source-table {item!r} must be NAME=TABLE, e.g. --source-table deals=crm.deals")
        if name.strip() not in names:
            raise LeadbenchError(f"the model has no source named '{name.strip()}' "
                                 f"(its sources: {', '.join(sorted(names)) or 'none'})")
        out[name.strip()] = table.strip()
    return out
