"""``leadbench accounts``: leads rolled up into accounts (by company or email domain), written as
CSV or XLSX, with the Marketing Qualified Accounts counted.

The model's ``accounts`` settings are the defaults; ``--by``, ``--column``, ``--score`` and
``--threshold`` override them. ``--join`` / ``--source`` bring other files first, as for ``score``.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from scoring.combine.accounts import roll_up
from scoring.evaluate.engine import Scorer
from scoring.handoff.accounts_export import export_accounts
from scoring.handoff.export import check_target, default_columns
from scoring.model.model_file import load_model
from scoring.model.recipe import ACCOUNT_SCORES, AccountRollup

from app.cli.common import add_as_of, add_missing, check_fits, load_for_command
from app.cli.joining import add_join_arguments

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``accounts`` on the ``leadbench`` parser."""
    parser = subparsers.add_parser("accounts", help="roll leads up into accounts and write them")
    parser.add_argument("input")
    parser.add_argument("--model", required=True)
    parser.add_argument("--output", required=True, help="OUT.csv or OUT.xlsx")
    parser.add_argument("--by", choices=["company", "domain"], default=None,
                        help="group by a company column or by email domain (free-mail never forms an "
                             "account); default: the model's, else company")
    parser.add_argument("--column", metavar="COLUMN", help="the company or email column (default: guessed)")
    parser.add_argument("--score", choices=ACCOUNT_SCORES, default=None,
                        help="the account score from its leads' scores (default: the model's, else sum)")
    parser.add_argument("--threshold", type=float, default=None,
                        help="an account at or above this score is a Marketing Qualified Account")
    parser.add_argument("--sheet")
    add_as_of(parser)
    add_missing(parser)
    add_join_arguments(parser)
    return parser


def run(args) -> int:
    """Load, score, roll up and write; prints the counts and the file written."""
    check_target(args.output, args.input)
    model = load_model(args.model)
    rollup = model.accounts or AccountRollup()
    if args.by is not None and args.by != rollup.by:
        rollup = replace(rollup, by=args.by, column=None)
    changes = {k: v for k, v in (("column", args.column), ("score", args.score), ("threshold", args.threshold))
               if v is not None}
    rollup = replace(rollup, **changes)
    table = load_for_command(args, model)
    check_fits(model, table, args.input)
    result = Scorer(table, as_of=args.as_of or model.as_of).score(model)
    accounts = roll_up(table.frame, result.total, result.mql, rollup, types=table.types)
    names = [c for c in default_columns(table) if c != accounts.column]
    export_accounts(accounts, args.output, leads=table.frame, lead_column=names[0] if names else None,
                    source=args.input)
    print(accounts.summary())
    for row in accounts.frame.head(5).itertuples():
        print(f"  {str(row.account)[:32]:<32} {row.leads:>7,} leads {row.mqls:>6,} MQLs  score {row.score:,.1f}"
              + ("  MQA" if row.mqa else ""))
    print(f"Wrote {args.output}")
    return 0
