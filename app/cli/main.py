"""The ``leadbench`` command: the window, and scoring, profiling and reports from a terminal.

Each command is a module of this package with ``add_parser(subparsers)`` and ``run(args) -> int``,
listed in ``COMMAND_MODULES`` and imported only when that command runs; ``common`` holds what they
share (the parser class, options, loading). Bad input or a bad model ends with exit status 2 and
one clear line on stderr, never a traceback. Only ``gui`` (and a PDF report) loads Qt.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

import scoring
from scoring.errors import LeadbenchError
from scoring.memory import use_system_allocator

from app.cli.common import EXIT_USER_ERROR, Parser
from app.logs import write_error

__all__ = ["main", "command", "build_parser", "COMMAND_MODULES"]

EXIT_INTERRUPTED = 130
EXIT_INTERNAL_ERROR = 3

# name -> module with add_parser and run; the first is the default command. A command imports
# only its own module (and what it needs): ``profile`` loads no report, SQL or chart code.
COMMAND_MODULES: dict[str, str] = {
    "gui": "app.cli.gui", "score": "app.cli.score", "profile": "app.cli.profile",
    "backtest": "app.cli.backtest", "report": "app.cli.report", "sql": "app.cli.sql",
    "compare": "app.cli.compare", "accounts": "app.cli.accounts", "suggest": "app.cli.suggest",
    "handoff": "app.cli.handoff", "feedback": "app.cli.feedback", "kpi": "app.cli.kpi",
}
COMMANDS = tuple(COMMAND_MODULES)


def build_parser(commands: tuple[str, ...] = COMMANDS) -> Parser:
    """The argument parser with the sub-commands ``commands`` (default: all of them).

    Its usage errors print one ``leadbench: ...`` line after the usage and exit with status 2.
    """
    parser = Parser(prog="leadbench", description="Qualify sales leads with rules you can read.")
    parser.add_argument("--version", action="version", version=f"leadbench {scoring.__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for name in commands:
        importlib.import_module(COMMAND_MODULES[name]).add_parser(sub)
    return parser


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
        no traceback), 3 for an internal error (one line on stderr naming the log file that
        holds the traceback), 130 after Ctrl+C. argparse's usage errors exit 2 through SystemExit.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "gui")          # "leadbench leads.csv --model m.json" opens the window
    wanted = (argv[0],) if argv[0] in COMMAND_MODULES else COMMANDS     # -h lists every command
    args = build_parser(wanted).parse_args(argv)
    use_system_allocator()
    try:
        return importlib.import_module(COMMAND_MODULES[args.command]).run(args)
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
    except Exception as exc:    # a bug of ours: one line here, the whole story in the log
        where = write_error(exc, context=f"leadbench {' '.join(argv)}")
        details = f" (details in {where})" if where else ""
        print(f"leadbench: internal error: {type(exc).__name__}: {_one_line(exc)}{details}", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def command() -> None:
    """The ``leadbench`` program: :func:`main`, then the process ends.

    A command other than the window ends at once once its output is flushed: Python would
    otherwise free a loaded list object by object before exiting (half a second for a million
    leads, seconds for ten million), while the system takes the whole memory back in one go.
    Every file a command writes is complete and closed before it returns.
    """
    argv = sys.argv[1:]
    code = main(argv)
    if argv and argv[0] in COMMANDS and argv[0] != "gui":
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):     # a closed pipe: nothing more to say
                pass
        logging.shutdown()
        os._exit(int(code or 0))
    raise SystemExit(code)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:199] + "…"


if __name__ == "__main__":
    command()
