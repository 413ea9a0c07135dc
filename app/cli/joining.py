"""``--join FILE --on KEY`` and ``--source NAME=FILE``: other files joined to the lead list.

Used by ``score``, ``backtest``, ``report``, ``compare`` and ``accounts`` (through
``app.cli.common.load_for_command``). The model's own sources (its recipe) are joined first, then
each ``--join`` file as a lookup bringing all its columns (first row per lead). Every problem
(a key column missing, keys that never match, an id several leads share, dates that are not
dates, a source file not found) is one ``LeadbenchError`` naming the file and column: the command
exits 2 before anything is scored or written, so nothing half-joined leaves.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scoring.column_types import ColumnType
from scoring.combine import CombinedTable, combine
from scoring.errors import LeadbenchError
from scoring.model.recipe import MatchKey, Source
from scoring.reading import LeadTable, load_leads

__all__ = ["add_join_arguments", "join_for_command", "join_sources"]


def add_join_arguments(parser: argparse.ArgumentParser) -> None:
    """``--join FILE --on KEY`` (repeatable) and ``--source NAME=FILE``."""
    parser.add_argument("--join", action="append", default=[], metavar="FILE",
                        help="bring the columns of another file (one row per lead: deals, accounts); "
                             "repeat for more, each with its --on")
    parser.add_argument("--on", action="append", default=[], metavar="KEY",
                        help="the key column of the --join before it; LEFT=RIGHT when it has another "
                             "name in that file (an email column matches ignoring case and spaces)")
    parser.add_argument("--source", action="append", default=[], metavar="NAME=FILE",
                        help="read the model's source NAME from FILE (next week's export)")


def _pairs(args) -> list[tuple[str, str, str]]:
    joins, keys = list(getattr(args, "join", []) or []), list(getattr(args, "on", []) or [])
    if len(keys) != len(joins):
        raise LeadbenchError(f"each --join needs its --on KEY ({len(joins)} --join, {len(keys)} --on)")
    out = []
    for path, key in zip(joins, keys):
        left, _, right = key.partition("=")
        left, right = left.strip(), (right or left).strip()
        if not left or not right:
            raise LeadbenchError(f"--on {key!r} names no column; write --on id or --on lead_id=id")
        out.append((path, left, right))
    return out


def _overrides(args) -> dict[str, str]:
    out = {}
    for item in getattr(args, "source", []) or []:
        name, sep, path = item.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise LeadbenchError(f"--source {item!r} must be NAME=FILE, e.g. --source deals=deals-june.csv")
        out[name.strip()] = path.strip()
    return out


def join_sources(table: LeadTable, pairs, taken: set[str], missing_values=()) -> tuple[list[Source], dict]:
    """Sources for ``--join`` files (all columns but the key), and their tables already read."""
    sources, tables = [], {}
    for path, left, right in pairs:
        rows = load_leads(path, missing_values=missing_values)
        name = Path(path).stem or "joined"
        while name in taken:
            name += "_"
        taken.add(name)
        by = "email" if table.types.get(left) == ColumnType.EMAIL or rows.types.get(right) == ColumnType.EMAIL \
            else "id"
        columns = tuple(c for c in rows.types if c != right)
        source = Source(name, str(path), MatchKey(by, (left,), (right,)), columns=columns)
        sources.append(source)
        tables[name] = rows
    return sources, tables


def join_for_command(args, table: LeadTable, model=None) -> tuple[LeadTable, CombinedTable | None]:
    """``table`` with the model's sources and the ``--join`` files; prints each match to stderr."""
    recipe = tuple(model.sources) if model is not None else ()
    overrides, pairs = _overrides(args), _pairs(args)
    if not recipe and not pairs:
        if overrides:
            raise LeadbenchError(f"--source {next(iter(overrides))}=…: the model has no sources to point "
                                 "at another file")
        return table, None
    markers = tuple(getattr(args, "missing", ()) or ()) + (tuple(model.missing_values) if model else ())
    sources, tables = join_sources(table, pairs, {s.name for s in recipe}, markers)
    as_of = getattr(args, "as_of", None) or (model.as_of if model is not None else None)
    out = combine(table, [*recipe, *sources], tables=tables, paths=overrides, as_of=as_of,
                  missing_values=markers)
    for preview in out.previews.values():
        print(f"leadbench: note: {preview.text()}", file=sys.stderr)
    return out.table, out
