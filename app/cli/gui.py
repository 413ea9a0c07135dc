"""``leadbench gui`` (the default command): open the window, or render it to PNG and exit.

Qt loads only when this command runs, so the other commands stay light.
"""

from __future__ import annotations

import argparse

from scoring.errors import LeadbenchError

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``gui`` on the ``leadbench`` parser."""
    gui = subparsers.add_parser("gui", help="open the window (the default)")
    gui.add_argument("file", nargs="?", help="a lead list to open")
    gui.add_argument("--model", help="a scoring model (.json) to open")
    gui.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    gui.add_argument("--size", default="1280x800", help="window size for --screenshot (WxH)")
    gui.add_argument("--theme", choices=["system", "light", "dark"],
                     help="colours of the window (default: as chosen in View > Appearance)")
    return gui


def run(args) -> int:
    """Open the window on ``args.file`` and ``args.model``; returns the application's exit status."""
    try:
        size = tuple(int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise LeadbenchError(f"--size must look like 1280x800, not {args.size!r}") from None
    from app.gui import run_gui   # Qt loads only when the window is wanted

    return run_gui(args.file, args.model, args.screenshot, size, theme=args.theme)
