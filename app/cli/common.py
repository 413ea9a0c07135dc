"""What the ``leadbench`` sub-commands share: the argument parser class, common options, loading.

A command module (``app/cli/<name>.py``) imports these, has ``add_parser(subparsers)``
and ``run(args) -> int``, and is listed in ``app.cli.main.COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from scoring.errors import LeadbenchError
from scoring.evaluate.column_map import (apply_mapping, auto_mapping, check_mapping, model_columns,
                                         tagged_columns)
from scoring.evaluate.column_settings import apply_column_settings
from scoring.model.model_file import validate_model
from scoring.reading import load_leads

from app.cli.joining import join_for_command

__all__ = ["Parser", "EXIT_USER_ERROR", "as_of_date", "add_as_of", "add_missing", "load_for_command",
           "check_fits", "add_map", "parse_map", "map_model", "load_mapped"]

EXIT_USER_ERROR = 2


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: exit 2, one line
        self.print_usage(sys.stderr)
        print(f"leadbench: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


def as_of_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-01") from None


def add_as_of(parser: argparse.ArgumentParser) -> None:
    """``--as-of``: the scoring date (default: the model's own, else today)."""
    parser.add_argument("--as-of", type=as_of_date, metavar="YYYY-MM-DD",
                        help="the date 'within N days', decay and charts count from "
                             "(default: the model's scoring date, else today)")


def add_missing(parser: argparse.ArgumentParser) -> None:
    # one value per flag, so "--missing Select leads.csv" cannot swallow the file name
    parser.add_argument("--missing", action="append", default=[], metavar="VALUE",
                        help="a value that means 'no value' (e.g. Select); repeat for more")


def add_map(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--map", action="append", default=[], metavar="MODEL_COLUMN=LIST_COLUMN",
                        help="run the model's rules on MODEL_COLUMN on this list's LIST_COLUMN "
                             "(repeat for more); 'auto' maps the missing columns it can tell")


def parse_map(values) -> tuple[dict[str, str], bool]:
    """``--map`` values as (model column -> list column, whether ``auto`` was asked)."""
    pairs: dict[str, str] = {}
    auto = False
    for value in values or ():
        if value.strip().casefold() == "auto":
            auto = True
            continue
        source, sep, target = value.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise LeadbenchError(f"--map takes MODEL_COLUMN=LIST_COLUMN or auto, not '{value}'")
        if source.strip() in pairs:
            raise LeadbenchError(f"--map names '{source.strip()}' twice")
        pairs[source.strip()] = target.strip()
    return pairs, auto


def map_model(model, table, values, *, only_used: bool = False):
    """``model`` with its columns renamed as ``--map`` says (pairs, then ``auto`` for the rest);
    a note on stderr says what was mapped. ``only_used``: ignore pairs for columns this model
    does not use (``compare`` maps two models with one set of pairs)."""
    pairs, auto = parse_map(values)
    if only_used:
        used = set(model_columns(model)) | set(tagged_columns(model))
        pairs = {k: v for k, v in pairs.items() if k in used}
    check_mapping(model, table, pairs)
    mapping = dict(pairs)
    if auto:
        mapping.update(auto_mapping(apply_mapping(model, pairs), table))
    if mapping:
        shown = ", ".join(f"{k} -> {v}" for k, v in mapping.items())
        print(f"leadbench: note: columns mapped for {model.name or 'the model'}: {shown}", file=sys.stderr)
    return apply_mapping(model, mapping)


def load_mapped(args, model):
    """The lead list named by ``args.input`` (with ``--sheet``/``--missing``), with the model's
    sources and ``--join`` files joined (``app.cli.joining``; the join is kept on
    ``args.combined``), and the model with its columns mapped by ``--map`` (see
    :func:`map_model`); the list read as the mapped model's column settings say (number marks,
    types, date formats)."""
    markers = tuple(args.missing) + (tuple(model.missing_values) if model else ())
    table = load_leads(args.input, sheet=args.sheet, missing_values=markers)
    table, args.combined = join_for_command(args, table, model)
    before = dict(table.notes)
    if model is not None and getattr(args, "map", None):
        model = map_model(model, table, args.map)
    if model is not None:
        table = apply_column_settings(table, model)
    for warning in table.warnings:
        print(f"leadbench: note: {warning}", file=sys.stderr)
    for column, note in table.notes.items():          # columns the model's settings re-read
        line = f"Column “{column}”: {note}."
        if before.get(column) != note and line not in table.warnings:
            print(f"leadbench: note: {line}", file=sys.stderr)
    return table, model


def load_for_command(args, model=None):
    """The lead list of :func:`load_mapped` (joined, mapped and read as the model says)."""
    return load_mapped(args, model)[0]


def check_fits(model, table, path) -> None:
    """Refuse a model whose rules do not fit the list at ``path``: the first problem and how many more.

    Raises
    ------
    LeadbenchError
        "the model does not fit leads.csv: Rule "Big company": … (and 2 more)".
    """
    problems = validate_model(model, table)
    if problems:
        raise LeadbenchError(f"the model does not fit {Path(path).name}: {problems[0]}"
                             + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


def add_columns(parser, help_text: str) -> None:
    """``--columns A,B,…`` (comma-separated or repeated)."""
    parser.add_argument("--columns", action="append", metavar="A,B,…", help=help_text)


def column_list(values, table) -> tuple[str, ...] | None:
    """The columns named by ``--columns`` values, in order; None when none were given.

    A value that is a column's whole name is kept (headers may hold commas); others are split at
    commas. Names the list does not have are refused later, by the export, with one sentence.
    """
    if not values:
        return None
    names = set(map(str, table.frame.columns))
    return tuple(part.strip() for value in values
                 for part in ([value] if value in names else value.split(",")) if part.strip())
