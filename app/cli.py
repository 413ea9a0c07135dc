"""The ``leadbench`` command: the window, and scoring and profiling from a terminal.

Bad input or a bad model ends with exit status 2 and one clear line on stderr, never a traceback.
``score`` and ``profile`` do not load Qt.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

import scoring
from scoring.analytics import prepare_category, prepare_dates
from scoring.backtest import backtest_summary, format_backtest
from scoring.engine import Scorer
from scoring.errors import LeadbenchError
from scoring.export import CsvOptions, ExportOptions, check_target, export_leads
from scoring.model_file import load_model, validate_model
from scoring.outcome import guess_won_values, outcome_to_bool
from scoring.profiling import profile_table
from scoring.tagging import guess_tags

from app import cli_compare, cli_dedupe, cli_report, cli_sql
from app.cli_common import EXIT_USER_ERROR, Parser, add_missing, as_of_date, load_for_command

__all__ = ["main", "build_parser"]

EXIT_INTERRUPTED = 130

# Commands with their own module (see app/cli_common.py): name -> module with add_parser and run.
COMMAND_MODULES: dict[str, ModuleType] = {"report": cli_report, "sql": cli_sql, "compare": cli_compare}
COMMANDS = ("gui", "score", "profile", "backtest", *COMMAND_MODULES)


def build_parser() -> Parser:
    """The argument parser: ``gui`` (the default), ``score``, ``backtest``, ``profile``, ``--version``.

    Its usage errors print one ``leadbench: ...`` line after the usage and exit with status 2.
    """
    parser = Parser(prog="leadbench", description="Qualify sales leads with rules you can read.")
    parser.add_argument("--version", action="version", version=f"leadbench {scoring.__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("file", nargs="?", help="a lead list to open")
    gui.add_argument("--model", help="a scoring model (.json) to open")
    gui.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    gui.add_argument("--size", default="1280x800", help="window size for --screenshot (WxH)")
    gui.add_argument("--theme", choices=["system", "light", "dark"],
                     help="colours of the window (default: as chosen in View > Appearance)")

    score = sub.add_parser("score", help="score a lead list and export the result")
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
    score.add_argument("--delimiter", choices=["comma", "semicolon", "tab", "bar"], default="comma",
                       help="CSV field separator (default: comma)")
    score.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte-order mark (for Excel on Windows)")
    score.add_argument("--crlf", action="store_true", help="CSV: Windows line ends")
    score.add_argument("--no-summary", action="store_true", help="XLSX: leave out the Summary and Model sheets")
    score.add_argument("--as-of", type=as_of_date, help="date for 'within N days' and decay (default: today)")
    add_missing(score)
    cli_dedupe.add_arguments(score)

    backtest = sub.add_parser("backtest", help="check a model against real outcomes")
    backtest.add_argument("input")
    backtest.add_argument("--model", required=True)
    backtest.add_argument("--outcome", required=True, metavar="COLUMN",
                          help="the column that says whether a lead was won / converted")
    backtest.add_argument("--won", nargs="*", default=None, metavar="VALUE",
                          help="the outcome values that mean won (default: guessed from the column)")
    backtest.add_argument("--sheet")
    backtest.add_argument("--as-of", type=as_of_date)
    add_missing(backtest)
    backtest.add_argument("--json", action="store_true")

    profile = sub.add_parser("profile", help="describe the columns of a lead list")
    profile.add_argument("input")
    profile.add_argument("--sheet")
    profile.add_argument("--json", action="store_true")
    add_missing(profile)
    for module in COMMAND_MODULES.values():
        module.add_parser(sub)
    return parser


def _score(args) -> int:
    check_target(args.output, args.input)       # before minutes of loading a big list
    model = load_model(args.model)
    table = load_for_command(args, model)
    problems = validate_model(model, table)
    if problems:
        raise LeadbenchError(f"the model does not fit {Path(args.input).name}: {problems[0]}"
                             + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    keep, left_out = cli_dedupe.keep_mask(args, table, model)
    result = Scorer(table, as_of=args.as_of).score(model)
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


_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "bar": "|"}


def _export_options(args, table) -> ExportOptions:
    which = (args.which or ("mql" if args.only_mql else "all")).replace("-", "_")
    columns = None
    if args.columns:
        names = set(map(str, table.frame.columns))
        # a value that is a column's whole name is kept (headers may hold commas); others are split
        columns = tuple(part.strip() for value in args.columns
                        for part in ([value] if value in names else value.split(",")) if part.strip())
    return ExportOptions(which=which, columns=columns, sort_by=args.sort_by, ascending=args.ascending,
                         split_by=args.split_by, split_files=args.split_files,
                         csv=CsvOptions(delimiter=_DELIMITERS[args.delimiter], bom=args.bom,
                                        line_end="\r\n" if args.crlf else "\n"),
                         summary=not args.no_summary)


def _backtest(args) -> int:
    model = load_model(args.model)
    table = load_for_command(args, model)
    problems = validate_model(model, table)
    if problems:
        raise LeadbenchError(f"the model does not fit {Path(args.input).name}: {problems[0]}")
    if args.outcome not in table.frame.columns:
        raise LeadbenchError(f"{Path(args.input).name} has no column '{args.outcome}' "
                             f"(columns: {', '.join(map(str, table.frame.columns[:12]))}…)")
    series = table.frame[args.outcome]
    won_values = set(args.won) if args.won else guess_won_values(series)
    if not won_values and str(table.types[args.outcome]) not in ("date", "datetime"):
        raise LeadbenchError(f"cannot tell which values of '{args.outcome}' mean won; "
                             "name them with --won (e.g. --won Yes)")
    won, known = outcome_to_bool(series, won_values)
    result = Scorer(table, as_of=args.as_of).score(model)
    source_column = model.tagged("source") or guess_tags(list(table.frame.columns), table.types).get("source")
    source = prepare_category(table.frame[source_column], merge_variants=True) if source_column else None
    created = model.tagged("created")
    months = None
    if created and table.types.get(created) and table.types[created].is_temporal:
        months = prepare_dates(table.frame[created]).span_months or None
    summary = backtest_summary(result.total, result.mql, won, known=known, blocked=result.blocked,
                               threshold=model.threshold, source=source, months=months)
    if args.json:
        print(json.dumps(summary.to_dict(), indent=2, default=str))
    else:
        print(format_backtest(summary))
    return 0


def _profile(args) -> int:
    table = load_for_command(args)
    profiles = profile_table(table)
    if args.json:
        print(json.dumps({"file": str(args.input), "sheet": table.sheet, "rows": table.n_rows,
                          "warnings": table.warnings,
                          "columns": [p.to_dict() for p in profiles]}, indent=2, default=str))
        return 0
    print(f"{Path(args.input).name}: {table.n_rows:,} rows, {len(profiles)} columns"
          + (f" (sheet {table.sheet})" if table.sheet else ""))
    width = min(40, max((len(p.name) for p in profiles), default=4))
    print(f"{'column':<{width}}  {'type':<8}  {'filled':>6}  {'distinct':>8}  top values / range")
    for p in profiles:
        if p.minimum is not None:
            detail = f"{_short(p.minimum)} … {_short(p.maximum)}"
        else:
            detail = ", ".join(f"{_short(v)} ({n:,})" for v, n in p.top[:3])
        name = p.name if len(p.name) <= width else p.name[:width - 1] + "…"
        print(f"{name:<{width}}  {str(p.type):<8}  {p.fill_rate:>6.0%}  {p.distinct:>8,}  {detail}")
    return 0


def _short(value) -> str:
    if hasattr(value, "date") and hasattr(value, "hour") and value.hour == value.minute == 0:
        value = value.date()
    text = str(value)
    return text if len(text) <= 24 else text[:23] + "…"


def main(argv: list[str] | None = None) -> int:
    """Run the ``leadbench`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments without the program name (default: ``sys.argv[1:]``). Without a command,
        the window opens (``leadbench leads.csv --model m.json`` is ``leadbench gui ...``).

    Returns
    -------
    int
        0 on success, 2 for bad input, a bad model or a bad export target (one line on stderr,
        no traceback), 130 after Ctrl+C. argparse's usage errors exit 2 through SystemExit.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "gui")          # "leadbench leads.csv --model m.json" opens the window
    args = build_parser().parse_args(argv)
    try:
        if args.command == "score":
            return _score(args)
        if args.command == "profile":
            return _profile(args)
        if args.command == "backtest":
            return _backtest(args)
        if args.command in COMMAND_MODULES:
            return COMMAND_MODULES[args.command].run(args)
        from app.gui import run_gui   # Qt loads only when the window is wanted

        try:
            size = tuple(int(v) for v in args.size.lower().split("x"))
        except ValueError:
            raise LeadbenchError(f"--size must look like 1280x800, not {args.size!r}") from None
        return run_gui(args.file, args.model, args.screenshot, size, theme=args.theme)
    except LeadbenchError as exc:
        print(f"leadbench: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:      # e.g. a file that vanished or a permission denied mid-way
        if isinstance(exc, BrokenPipeError):     # "leadbench profile x.csv | head"
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"leadbench: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
