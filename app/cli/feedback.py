"""``leadbench feedback``: read the list sales returned (id, status, reason) into the ledger.

Statuses are placed as accepted, rejected, converted or won from their words; ``--map
"Call back=accepted"`` places (or, with an empty outcome, leaves out) a status by hand. Ids that
were never handed off are reported, not recorded.
"""

from __future__ import annotations

import argparse

from scoring.errors import LeadbenchError
from scoring.handoff.feedback import STATUSES, import_feedback
from scoring.reading import load_leads

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``feedback`` on the ``leadbench`` parser."""
    parser = subparsers.add_parser("feedback", help="record what sales said about the leads handed off")
    parser.add_argument("file", help="the list sales returned (CSV, spreadsheet or Parquet)")
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--id", required=True, metavar="COLUMN", dest="id_column",
                        help="the column with the lead's id (or email) as handed off")
    parser.add_argument("--status", required=True, metavar="COLUMN", help="the column with sales' status")
    parser.add_argument("--reason", metavar="COLUMN", help="the column with the reason, when there is one")
    parser.add_argument("--map", action="append", default=[], metavar="STATUS=OUTCOME",
                        help=f"place a status by hand ({', '.join(STATUSES)}, or nothing to leave it out); repeat")
    parser.add_argument("--sheet")
    return parser


def _mapping(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise LeadbenchError(f"--map needs STATUS=OUTCOME (e.g. \"Call back=accepted\"), not '{pair}'")
        text, outcome = pair.rsplit("=", 1)
        out[text.strip()] = outcome.strip().lower()
    return out


def run(args) -> int:
    """Match the returned list with the ledger and record it; prints what was recorded."""
    mapping = _mapping(args.map)
    table = load_leads(args.file, sheet=args.sheet)
    frame = table.raw.to_pandas()          # the cells as sales typed them
    done = import_feedback(frame, args.ledger, id_column=args.id_column, status_column=args.status,
                           reason_column=args.reason, mapping=mapping, file=args.file)
    print(done.summary())
    return 0
