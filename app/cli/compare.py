"""``leadbench compare``: what changes on a lead list if a new model replaces the old one.

Prints the MQL counts under both models, how many leads enter and leave MQL status, the sources
with most changes, and the rules that differ; ``--output`` writes the changed leads (CSV or XLSX
with a Summary sheet), ``--json`` prints everything as JSON. Each model's column settings
(types, missing-value markers) are applied to the list before it scores, as the window does.
Qt is not loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scoring.errors import LeadbenchError
from scoring.evaluate.column_settings import apply_column_settings
from scoring.evaluate.engine import Scorer
from scoring.handoff.compare import ModelComparison, compare_results, export_comparison
from scoring.handoff.export import check_target, default_columns
from scoring.evaluate.column_map import model_columns, tagged_columns
from scoring.model.definition import Model
from scoring.model.model_file import load_model, validate_model
from scoring.reading import LeadTable, load_leads

from app.cli.common import add_as_of, add_columns, add_map, add_missing, column_list, map_model, parse_map
from app.cli.joining import add_join_arguments, join_for_command

__all__ = ["add_parser", "run", "table_for_model", "format_comparison", "TOP_SOURCES"]

TOP_SOURCES = 10


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``compare`` on the ``leadbench`` parser."""
    parser = subparsers.add_parser(
        "compare", help="what changes if a new model replaces the old one: leads entering and "
                        "leaving MQL status, by source, and the rules that differ")
    parser.add_argument("input")
    parser.add_argument("--model", required=True, metavar="NEW.json", help="the model considered")
    parser.add_argument("--against", required=True, metavar="OLD.json", help="the model in use")
    parser.add_argument("--output", metavar="OUT", help="write the changed leads to OUT.csv or OUT.xlsx")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    add_columns(parser, "the lead list's columns written with --output, in order (comma-separated or "
                        "repeated; default: the lead's id, then its contact and company columns); "
                        "the two scores and the change follow")
    parser.add_argument("--sheet")
    add_as_of(parser)
    add_missing(parser)
    add_join_arguments(parser)
    add_map(parser)
    return parser


def table_for_model(base: LeadTable, model: Model, markers: tuple[str, ...] = ()) -> LeadTable:
    """``base`` (loaded with ``markers`` as missing) with the model's missing-value markers and
    column settings (number marks, types) applied."""
    table = base
    wanted = tuple(markers) + tuple(model.missing_values)
    if wanted != tuple(base.missing_values):
        table = table.with_missing_values(wanted)
    return apply_column_settings(table, model)


def _check_fits(model: Model, table: LeadTable, which: str, path: str) -> None:
    problems = validate_model(model, table)
    if problems:
        raise LeadbenchError(f"the {which} model ({Path(path).name}) does not fit "
                             f"{Path(table.source or 'the list').name}: {problems[0]}"
                             + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


def format_comparison(comparison: ModelComparison, top: int = TOP_SOURCES) -> str:
    """The summary the command prints: counts, the sources with most changes, rule differences."""
    c = comparison
    lines = [f"{label + ':':<20}{value}" for label, value in (
        ("Leads", f"{c.n_leads:,}"),
        ("MQLs", f"{c.mqls_before:,} -> {c.mqls_after:,} ({c.rate_before:.1%} -> {c.rate_after:.1%}; "
                 f"threshold {c.old_model.threshold:g} -> {c.new_model.threshold:g})"),
        ("Become MQLs", f"{c.entered:,}"),
        ("Stop being MQLs", f"{c.left:,}"),
        ("MQLs under both", f"{c.stayed_mql:,}"),
        ("MQLs under neither", f"{c.stayed_out:,}"),
    )]
    if c.by_source is not None and len(c.by_source):
        shown = c.by_source.head(top)
        width = min(32, max(len("source"), *(len(str(s)) for s in shown["source"])))
        more = len(c.by_source) - len(shown)
        lines += ["", f"By {c.source_column} (most changes first"
                  + (f"; {more} more not shown" if more > 0 else "") + "):",
                  f"  {'source':<{width}}  {'leads':>8}  {'MQLs before':>11}  {'after':>7}  "
                  f"{'entered':>7}  {'left':>7}"]
        for r in shown.itertuples(index=False):
            name = str(r.source) if len(str(r.source)) <= width else str(r.source)[:width - 1] + "…"
            lines.append(f"  {name:<{width}}  {r.leads:>8,}  {r.mqls_before:>11,}  {r.mqls_after:>7,}  "
                         f"{r.entered:>7,}  {r.left:>7,}")
    lines += ["", "Rule differences:"]
    lines += [f"  {d.text}" for d in c.differences] or ["  none: the two models have the same rules"]
    return "\n".join(lines)


def run(args) -> int:
    """Load the list, score it under both models, print the comparison, write ``--output``."""
    if args.output:
        check_target(args.output, args.input)        # before minutes of loading a big list
    new_model, old_model = load_model(args.model), load_model(args.against)
    markers = tuple(args.missing)
    base = load_leads(args.input, sheet=args.sheet, missing_values=markers)
    for warning in base.warnings:
        print(f"leadbench: note: {warning}", file=sys.stderr)
    base, _combined = join_for_command(args, base, new_model)
    if args.map:
        pairs, _auto = parse_map(args.map)
        used = {c for m in (new_model, old_model) for c in (*model_columns(m), *tagged_columns(m))}
        unused = [k for k in pairs if k not in used]
        if unused:
            raise LeadbenchError(f"neither model has a rule on a column '{unused[0]}' to map")
        old_model = map_model(old_model, base, args.map, only_used=True)
        new_model = map_model(new_model, base, args.map, only_used=True)
    old_table = table_for_model(base, old_model, markers)
    new_table = table_for_model(base, new_model, markers)
    _check_fits(old_model, old_table, "old", args.against)
    _check_fits(new_model, new_table, "new", args.model)
    as_of = args.as_of or new_model.as_of or old_model.as_of   # one date for both: only the rules differ
    old = Scorer(old_table, as_of=as_of).score(old_model)
    new = Scorer(new_table, as_of=as_of).score(new_model)
    comparison = compare_results(new_table, old, new)
    if args.output:
        export_comparison(new_table, comparison, args.output,
                          columns=column_list(args.columns, new_table) or default_columns(new_table, new_model))
    if args.json:
        data = comparison.to_dict()
        if args.output:
            data["output"] = str(args.output)
        print(json.dumps(data, indent=2, default=str))
        return 0
    print(format_comparison(comparison))
    if args.output:
        print(f"\nWrote {comparison.n_changed:,} changed leads to {args.output}")
    return 0
