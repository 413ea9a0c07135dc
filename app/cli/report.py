"""``leadbench report``: the audit report of a lead list under a model, as one HTML (or PDF) file.

The HTML is built by the engine alone (no Qt); ``.pdf`` goes through Qt's PDF writer.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scoring.atomic import atomic_write_text
from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.handoff.ledger import default_ledger_path
from scoring.model.model_file import load_model
from scoring.report.audit import build_report
from scoring.report.html import render_html
from scoring.report.target import check_report_target

from app.cli.common import add_as_of, add_map, add_missing, check_fits, load_mapped
from app.cli.joining import add_join_arguments

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``report`` on the ``leadbench`` parser."""
    parser = subparsers.add_parser(
        "report", help="write an audit report (data quality, model, charts, back-test, top MQLs)")
    parser.add_argument("input")
    parser.add_argument("--model", required=True)
    parser.add_argument("--output", required=True, help="REPORT.html (or REPORT.pdf)")
    parser.add_argument("--outcome", metavar="COLUMN",
                        help="back-test against this won/converted column (default: the model's "
                             "tagged outcome column, when there is one)")
    parser.add_argument("--won", nargs="*", default=None, metavar="VALUE",
                        help="with --outcome: the values that mean won (default: guessed)")
    parser.add_argument("--title", help="the report's title (default: 'Lead scoring audit: <file>')")
    parser.add_argument("--ledger", metavar="LEDGER",
                        help="add a section on hand-offs to sales from this ledger (default: the ledger "
                             "beside the model, when there is one)")
    parser.add_argument("--sheet")
    add_as_of(parser)
    add_missing(parser)
    add_join_arguments(parser)
    add_map(parser)
    return parser


def run(args) -> int:
    """Load, score, build the report and write it; prints what was written."""
    check_report_target(args.output, args.input)
    if args.won and not args.outcome:
        raise LeadbenchError("--won needs --outcome COLUMN")
    model = load_model(args.model)
    table, model = load_mapped(args, model)
    check_fits(model, table, args.input)
    result = Scorer(table, as_of=args.as_of or model.as_of).score(model)
    ledger = args.ledger or (default_ledger_path(args.model) if default_ledger_path(args.model).exists() else None)
    report = build_report(table, result, outcome=args.outcome, won_values=args.won, title=args.title,
                          unmatched=args.combined.unmatched_for if args.combined is not None else None,
                          ledger=ledger)
    if Path(args.output).suffix.lower() == ".pdf":
        from app.report_pdf import write_pdf_offscreen    # Qt loads only for a PDF

        write_pdf_offscreen(report, args.output)
    else:
        atomic_write_text(args.output, render_html(report))
    print(f"Leads: {report.n_leads:,}; MQLs: {report.n_mql:,} at threshold {report.threshold:g}")
    for key in ("email", "source", "timeline", "backtest", "handoffs"):
        if key in report.notes:
            print(f"Note: {report.notes[key]}")
    print(f"Wrote {args.output}")
    return 0
