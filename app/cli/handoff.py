"""``leadbench handoff``: hand the MQLs of a lead list to sales, only those not handed off before.

The file and the ledger change together: the export is written to a temporary file, the ledger
records the hand-off, then the file is put in place (see :mod:`scoring.handoff.handoff`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scoring.evaluate.engine import Scorer
from scoring.handoff.export import check_target
from scoring.handoff.handoff import hand_off
from scoring.handoff.ledger import default_ledger_path
from scoring.model.model_file import load_model

from app.cli.common import add_as_of, add_missing, check_fits, load_for_command

__all__ = ["add_parser", "run", "ledger_for"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``handoff`` on the ``leadbench`` parser."""
    parser = subparsers.add_parser("handoff", help="hand the new MQLs to sales and record them in the ledger")
    parser.add_argument("input")
    parser.add_argument("--model", required=True)
    parser.add_argument("--ledger", metavar="LEDGER",
                        help="the ledger file (default: <model>.ledger.sqlite beside the model)")
    parser.add_argument("--id", metavar="COLUMN", dest="id_column",
                        help="the column that identifies a lead (default: the column tagged id, one "
                             "named like Lead ID, else the email address)")
    parser.add_argument("--output", required=True, help="OUT.csv or OUT.xlsx")
    parser.add_argument("--all", action="store_true",
                        help="hand off every current MQL, not only those never handed off before")
    parser.add_argument("--sheet")
    add_as_of(parser)
    add_missing(parser)
    return parser


def ledger_for(args) -> Path:
    """``--ledger``, else the ledger beside ``--model``."""
    return Path(args.ledger) if args.ledger else default_ledger_path(args.model)


def run(args) -> int:
    """Score the list, hand off the new MQLs, and say how many."""
    check_target(args.output, args.input)
    model = load_model(args.model)
    table = load_for_command(args, model)
    check_fits(model, table, args.input)
    result = Scorer(table, as_of=args.as_of or model.as_of).score(model)
    ledger = ledger_for(args)
    done = hand_off(table, result, ledger, args.output, id_column=args.id_column, new_only=not args.all)
    print(f"Leads:   {table.n_rows:,}")
    day = result.as_of
    print(f"{done.plan.summary()} (threshold {model.threshold:g}, as of {day.day} {day:%b %Y})")
    if model.owners.assigns:
        print(done.assignment.summary(model.owners.cap))
    print(f"{done.summary()}, told apart by {done.plan.ids.described}; recorded in {ledger}")
    for path in done.files:
        print(f"Wrote {path}")
    return 0
