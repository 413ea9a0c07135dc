"""``leadbench suggest``: a back-tested starting model from the list's outcome column.

Fits a small rule model on 70% of the leads (``scoring.insight.starter``), writes it as a model
file and prints its figures on the other 30%, the columns it uses and the columns it left out
and why (leaky ones first).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scoring.errors import LeadbenchError
from scoring.insight.starter import DEFAULT_MAX_RULES, suggest_starting_model
from scoring.model.model_file import save_model

from app.cli.common import add_missing, load_for_command

__all__ = ["add_parser", "run"]


def _rule_limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of rules") from None
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("the rule limit must be between 1 and 100")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``suggest`` on the ``leadbench`` parser."""
    suggest = subparsers.add_parser(
        "suggest", help="suggest a back-tested starting model from the outcome column",
        description="Fit a small, readable scoring model on part of the leads, measure it on the "
                    "rest, and write it as a model file.")
    suggest.add_argument("input")
    suggest.add_argument("--outcome", required=True, metavar="COLUMN",
                         help="the column that says whether a lead was won / converted")
    suggest.add_argument("--won", nargs="*", default=None, metavar="VALUE",
                         help="the outcome values that mean won (default: guessed from the column)")
    suggest.add_argument("--columns", metavar="A,B,...",
                         help="learn from these columns only (default: picked from the list)")
    suggest.add_argument("--max-rules", type=_rule_limit, default=DEFAULT_MAX_RULES, metavar="N",
                         help=f"most scoring rules in the model (default: {DEFAULT_MAX_RULES})")
    suggest.add_argument("--output", required=True, metavar="MODEL.json", help="the model file to write")
    suggest.add_argument("--sheet", metavar="NAME")
    add_missing(suggest)
    suggest.add_argument("--json", action="store_true", help="print the figures as JSON")
    return suggest


def run(args) -> int:
    """Suggest, write the model, print the held-out figures."""
    output = Path(args.output)
    if output.suffix.lower() != ".json":
        raise LeadbenchError(f"the model file must end in .json: {output.name}")
    if output.resolve() == Path(args.input).resolve():
        raise LeadbenchError("the model would replace the lead list; choose another --output")
    table = load_for_command(args)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    starter = suggest_starting_model(table, args.outcome, won_values=args.won or None,
                                     columns=columns, max_rules=args.max_rules)
    save_model(starter.model, output)
    if args.json:
        print(json.dumps({**starter.to_dict(), "output": str(output)}, indent=2, default=str))
    else:
        print("\n".join(starter.lines()))
        print(f"\nWrote {output}")
    return 0
