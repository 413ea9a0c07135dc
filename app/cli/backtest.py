"""``leadbench backtest``: check a model against the outcomes in the list (or in a joined deals
file): won, lost, or still open (left out of every rate, with their count shown).

With ``--target-precision P`` or ``--mqls-per-month N`` it also recommends a threshold: the
lowest whose MQL-to-won rate reaches P, or the lowest giving at most N MQLs a month (MQLs per
month need a created-date column, tagged in the model or guessed from its header).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.insight.analytics import prepare_category, prepare_dates
from scoring.insight.backtest import backtest_summary, format_backtest
from scoring.insight.outcome import guess_open_values, guess_won_values, outcome_states
from scoring.model.model_file import load_model
from scoring.reading.tagging import guess_tags

from app.cli.common import add_as_of, add_map, add_missing, check_fits, load_mapped
from app.cli.joining import add_join_arguments

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``backtest`` on the ``leadbench`` parser."""
    backtest = subparsers.add_parser("backtest", help="check a model against real outcomes")
    backtest.add_argument("input")
    backtest.add_argument("--model", required=True)
    backtest.add_argument("--outcome", required=True, metavar="COLUMN",
                          help="the column that says whether a lead was won / converted")
    backtest.add_argument("--won", nargs="*", default=None, metavar="VALUE",
                          help="the outcome values that mean won (default: the model's, else guessed)")
    backtest.add_argument("--open", nargs="*", default=None, metavar="VALUE",
                          help="the outcome values that mean still open, left out of the figures "
                               "(default: the model's, else guessed: Engaging, Prospecting, Open…)")
    backtest.add_argument("--sheet")
    add_as_of(backtest)
    add_missing(backtest)
    add_join_arguments(backtest)
    add_map(backtest)
    backtest.add_argument("--json", action="store_true")
    target = backtest.add_mutually_exclusive_group()
    target.add_argument("--target-precision", type=_share, metavar="P",
                        help="recommend the lowest threshold whose MQL-to-won rate reaches P "
                             "(0.3 or 30%%)")
    target.add_argument("--mqls-per-month", type=_positive, metavar="N",
                        help="recommend the lowest threshold giving at most N MQLs a month")
    return backtest


def _share(text: str) -> float:
    """A rate written as 0.3 or 30%."""
    raw = text.strip()
    try:
        value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a rate: write 0.3 or 30%") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a rate between 0 and 1: write 0.3 or 30%")
    return value


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of MQLs") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be more than 0 MQLs a month")
    return value


def run(args) -> int:
    """Score the list and print the back-test (text, or JSON with ``--json``)."""
    model = load_model(args.model)
    table, model = load_mapped(args, model)
    check_fits(model, table, args.input)
    if args.outcome not in table.frame.columns:
        raise LeadbenchError(f"{Path(args.input).name} has no column '{args.outcome}' "
                             f"(columns: {', '.join(map(str, table.frame.columns[:12]))}…)")
    series = table.frame[args.outcome]
    saved = model.analysis
    won_values = set(args.won) if args.won else (set(saved.won_values) if saved.won_values is not None
                                                 else guess_won_values(series))
    if not won_values and str(table.types[args.outcome]) not in ("date", "datetime"):
        raise LeadbenchError(f"cannot tell which values of '{args.outcome}' mean won; "
                             "name them with --won (e.g. --won Yes)")
    open_values = set(args.open) if args.open is not None else (
        set(saved.open_values) if saved.open_values is not None else guess_open_values(series))
    unmatched = args.combined.unmatched_for(args.outcome) if args.combined is not None else None
    won, known = outcome_states(series, won_values, open_values, unmatched=unmatched)
    result = Scorer(table, as_of=args.as_of or model.as_of).score(model)
    source_column = model.tagged("source")
    if source_column not in table.frame.columns:      # a tag for another list's column
        source_column = guess_tags(list(table.frame.columns), table.types).get("source")
    source = prepare_category(table.frame[source_column], merge_variants=True) if source_column else None
    created = model.tagged("created") or guess_tags(list(table.frame.columns), table.types).get("created")
    months = None
    if created in table.frame.columns and table.types.get(created) and table.types[created].is_temporal:
        months = prepare_dates(table.frame[created]).span_months or None
    summary = backtest_summary(result.total, result.mql, won, known=known, blocked=result.blocked,
                               threshold=model.threshold, source=source, months=months,
                               target_precision=args.target_precision,
                               target_per_month=args.mqls_per_month)
    still_open = int(len(known) - known.sum())
    if args.json:
        print(json.dumps({**summary.to_dict(), "still_open": still_open}, indent=2, default=str))
    else:
        print(format_backtest(summary))
        if still_open:
            print(f"\nStill open (left out of every rate): {still_open:,} leads")
    return 0
