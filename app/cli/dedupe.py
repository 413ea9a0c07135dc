"""``leadbench score --dedupe``: leave duplicate leads out of the export.

``--dedupe email`` matches leads by normalised email address (``--plus-addressing`` also treats
"ann+news@x.com" as "ann@x.com"); ``--dedupe email+name`` also by name and company. ``--keep``
picks the lead kept from each group: ``first`` (default), ``complete`` (most filled cells) or
``recent`` (latest last-activity date, else the tagged or guessed created date).
"""

from __future__ import annotations

import argparse

import numpy as np

from scoring.column_types import ColumnTag
from scoring.errors import LeadbenchError
from scoring.handoff.duplicates import KEEP_POLICIES, MATCH_BY, find_duplicates, recent_column
from scoring.reading.tagging import guess_tags
from scoring.report.quality import email_column

__all__ = ["add_arguments", "keep_mask"]

KEEP_WORDS = {"first": "the first", "complete": "the most complete", "recent": "the most recent"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The de-duplication options of ``score``."""
    parser.add_argument("--dedupe", choices=MATCH_BY, default=None,
                        help="leave duplicate leads out: same email address, or also the same "
                             "name and company (email+name)")
    parser.add_argument("--keep", choices=KEEP_POLICIES, default="first",
                        help="with --dedupe: which lead of each group to write (default: first; "
                             "complete: most filled cells; recent: latest last-activity or "
                             "created date)")
    parser.add_argument("--plus-addressing", action="store_true",
                        help="with --dedupe: ann+news@x.com is the same address as ann@x.com")


def keep_mask(args, table, model) -> tuple[np.ndarray | None, str | None]:
    """The leads to write (None: all) and a line saying how many duplicates were left out.

    Raises
    ------
    LeadbenchError
        ``--keep``/``--plus-addressing`` without ``--dedupe``, no email column for
        ``--dedupe email``, or no date column for ``--keep recent``.
    """
    if args.dedupe is None:
        if args.keep != "first" or args.plus_addressing:
            raise LeadbenchError("--keep and --plus-addressing go with --dedupe email or "
                                 "--dedupe email+name")
        return None, None
    columns = list(table.frame.columns)
    email = email_column(table, model)
    if email is None and args.dedupe == "email":
        raise LeadbenchError("--dedupe email needs an email column, and this list has none that "
                             "Leadbench recognises (tag one in the model, or use --dedupe email+name)")
    date_column = None
    if args.keep == "recent":
        created = model.tagged(ColumnTag.CREATED) or guess_tags(columns, table.types).get(
            str(ColumnTag.CREATED))
        date_column = recent_column(columns, table.types, created)
        if date_column is None:
            raise LeadbenchError("--keep recent needs a date column (a last activity or created "
                                 "date); this list has none, so use --keep first or complete")
    found = find_duplicates(table.frame, email=email, by=args.dedupe,
                            plus_addressing=args.plus_addressing, keep=args.keep,
                            date_column=date_column)
    by = "email address" if args.dedupe == "email" else "email address or name and company"
    line = (f"Duplicates: {found.n_left_out:,} left out ({found.n_groups:,} groups by {by}; "
            f"kept {KEEP_WORDS[args.keep]}" + (f" by {date_column}" if date_column else "") + ")")
    return found.keep, line
