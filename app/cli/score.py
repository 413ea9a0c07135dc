"""``leadbench score``: score a lead list with a model and export the result (CSV or XLSX)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.handoff.export import CsvOptions, ExportOptions, check_target, export_leads
from scoring.model.model_file import load_model

from app.cli import dedupe
from app.cli.common import add_as_of, add_map, add_missing, check_fits, column_list, load_mapped
from app.cli.joining import add_join_arguments

__all__ = ["add_parser", "run"]

_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "bar": "|"}


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``score`` on the ``leadbench`` parser."""
    score = subparsers.add_parser("score", help="score a lead list and export the result")
    score.add_argument("input")
    score.add_argument("--model", required=True)
    score.add_argument("--output", required=True, help="OUT.csv or OUT.xlsx")
    score.add_argument("--sheet")
    score.add_argument("--which", choices=["mql", "all", "not-mql", "blocked"], default=None,
                       help="which leads to write (default: all)")
    score.add_argument("--only-mql", action="store_true", help="the same as --which mql")
    score.add_argument("--columns", action="append", metavar="A,B,…",
                       help="the lead list's columns to write, in order (comma-separated or repeated; "
                            "default: all); the score columns follow")
    score.add_argument("--sort-by", metavar="COLUMN", help="sort by this column (default: score, best first)")
    score.add_argument("--ascending", action="store_true", help="with --sort-by: smallest first")
    score.add_argument("--split-by", metavar="COLUMN",
                       help="one sheet (XLSX) or one file (CSV) per value of this column")
    score.add_argument("--split-files", action="store_true", help="with --split-by and .xlsx: one workbook per value")
    score.add_argument("--delimiter", choices=list(_DELIMITERS), default="comma",
                       help="CSV field separator (default: comma)")
    score.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte-order mark (for Excel on Windows)")
    score.add_argument("--crlf", action="store_true", help="CSV: Windows line ends")
    score.add_argument("--decimal", choices=["point", "comma"], default="point",
                       help="CSV: write numbers with a decimal point (default: each cell as the list "
                            "had it) or a decimal comma (with --delimiter semicolon or tab)")
    score.add_argument("--excel-german", action="store_true",
                       help="CSV for Excel in German: semicolons, decimal commas and a byte-order mark")
    score.add_argument("--no-summary", action="store_true", help="XLSX: leave out the Summary and Model sheets")
    add_as_of(score)
    add_missing(score)
    add_join_arguments(score)
    add_map(score)
    dedupe.add_arguments(score)
    score.add_argument("--engine", choices=["leadbench", "duckdb"], default="leadbench",
                       help="duckdb: run the model's SQL through DuckDB on the file, streaming, for "
                            "lists bigger than memory (CSV/TSV/Parquet in, CSV/Parquet out; "
                            "pip install leadbench[big])")
    score.add_argument("--memory-limit", metavar="SIZE", help="with --engine duckdb: e.g. 2GB")
    return score


def _run_duckdb(args) -> int:
    from scoring.sql.duckdb_engine import score_with_duckdb      # DuckDB loads only when asked for

    unsupported = [flag for flag, used in (
        ("--columns", args.columns), ("--sort-by", args.sort_by), ("--split-by", args.split_by),
        ("--sheet", args.sheet), ("--dedupe", getattr(args, "dedupe", None)),
        ("--which", args.which not in (None, "all", "mql")), ("--bom", args.bom), ("--crlf", args.crlf),
        ("--delimiter", args.delimiter != "comma"), ("--decimal", args.decimal != "point"),
        ("--excel-german", args.excel_german), ("--map", args.map)) if used]
    if unsupported:
        raise LeadbenchError(f"--engine duckdb writes every column, best score first, as plain CSV or "
                             f"Parquet: leave out {', '.join(unsupported)}")
    model = load_model(args.model)
    if Path(args.output).resolve() == Path(args.input).resolve():
        raise LeadbenchError(f"Cannot write over {Path(args.output).name}: it is the lead list.")
    run = score_with_duckdb(args.input, model, args.output, as_of=args.as_of or model.as_of,
                            only_mql=args.only_mql or args.which == "mql", memory_limit=args.memory_limit)
    share = run.n_mql / run.n_rows * 100 if run.n_rows else 0
    print(f"Leads:   {run.n_rows:,}")
    print(f"MQLs:    {run.n_mql:,} ({share:.1f}%) at threshold {model.threshold:g} (DuckDB engine)")
    print(f"Wrote {args.output} ({run.written:,} leads)")
    return 0


def run(args) -> int:
    """Load, score and export; prints the counts and the files written."""
    if args.engine == "duckdb":
        return _run_duckdb(args)
    check_target(args.output, args.input)       # before minutes of loading a big list
    _csv_options(args)
    model = load_model(args.model)
    table, model = load_mapped(args, model)
    check_fits(model, table, args.input)
    keep, left_out = dedupe.keep_mask(args, table, model)
    result = Scorer(table, as_of=args.as_of or model.as_of).score(model)
    written = export_leads(table, result, args.output, _export_options(args, table), keep=keep)
    n, n_mql = table.n_rows, result.n_mql
    print(f"Leads:   {n:,}")
    print(f"MQLs:    {n_mql:,} ({n_mql / n * 100 if n else 0:.1f}%) at threshold {model.threshold:g}")
    gates = [(r.name, int(np.count_nonzero(result.gate_failed(i))))
             for i, r in enumerate(model.rules) if r.is_gate and r.enabled]
    print(f"Blocked: {int(np.count_nonzero(result.blocked)):,} by gates"
          + "".join(f"\n  {name}: {count:,}" for name, count in gates))
    if left_out:
        print(left_out)
    for path in written:
        print(f"Wrote {path}")
    return 0


def _export_options(args, table) -> ExportOptions:
    which = (args.which or ("mql" if args.only_mql else "all")).replace("-", "_")
    columns = column_list(args.columns, table)
    return ExportOptions(which=which, columns=columns, sort_by=args.sort_by, ascending=args.ascending,
                         split_by=args.split_by, split_files=args.split_files,
                         csv=_csv_options(args), summary=not args.no_summary)


def _csv_options(args) -> CsvOptions:
    """The CSV format asked for (raises ExportError for decimal commas between commas)."""
    line_end = "\r\n" if args.crlf else "\n"
    if args.excel_german:
        return CsvOptions(delimiter=";", bom=True, line_end=line_end, decimal=",")
    return CsvOptions(delimiter=_DELIMITERS[args.delimiter], bom=args.bom, line_end=line_end,
                      decimal="," if args.decimal == "comma" else ".")
