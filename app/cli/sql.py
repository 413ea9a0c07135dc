"""``leadbench sql``: print the model as one SQL SELECT for a warehouse table.

The query returns every column of the table plus fit, engagement, score and mql (see
``scoring.sql.generator`` for what it assumes about the table). Column types come from the model, from how
its rules use each column, or from a lead list named with ``--types-from``.
"""

from __future__ import annotations

import sys

from scoring.model.model_file import load_model
from scoring.sql.generator import DIALECT_NAMES, model_to_sql

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


def run(args) -> int:
    """Print the SQL; bad input raises LeadbenchError (exit status 2, one line)."""
    model = load_model(args.model)
    types = None
    if args.types_from:
        args.input = args.types_from
        types = load_for_command(args, model).types
    sys.stdout.write(model_to_sql(model, table=args.table, dialect=args.dialect,
                                  as_of=args.as_of or model.as_of, types=types,
                                  missing_values=tuple(args.missing)))
    return 0
