"""Leadbench's log file: where unexpected errors are written in full, for the window and the CLI.

Qt-free, so the command line can use it without loading Qt. The file is
``$LEADBENCH_LOG_DIR/leadbench.log`` when that is set, else the platform's per-user state folder
(``$XDG_STATE_HOME/leadbench`` or ``~/.local/state/leadbench`` on Linux, ``%LOCALAPPDATA%\\Leadbench``
on Windows, ``~/Library/Logs/Leadbench`` on macOS); when that cannot be written, the temporary
folder. It never grows past ``MAX_BYTES``: a full log starts again, the old one kept as ``.1``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

__all__ = ["log_path", "write_error", "MAX_BYTES"]

MAX_BYTES = 1_000_000


def _folder() -> Path:
    if os.environ.get("LEADBENCH_LOG_DIR"):
        return Path(os.environ["LEADBENCH_LOG_DIR"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "Leadbench"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "Leadbench"
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "leadbench"


def log_path() -> Path:
    """The log file's path (its folder is created; falls back to the temporary folder)."""
    for folder in (_folder(), Path(tempfile.gettempdir()) / "leadbench"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder / "leadbench.log"
    return Path(tempfile.gettempdir()) / "leadbench.log"


def write_error(exc: BaseException, context: str = "") -> Path | None:
    """Append ``exc`` with its traceback (and what was running) to the log; returns the file.

    Returns None when even the fallback cannot be written: reporting an error never raises.
    """
    path = log_path()
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = f"--- {datetime.now().isoformat(timespec='seconds')} {context}\n{details}\n"
    try:
        if path.exists() and path.stat().st_size > MAX_BYTES:
            path.replace(path.with_name(path.name + ".1"))
        with path.open("a", encoding="utf-8", errors="replace") as log:
            log.write(entry)
    except OSError:
        return None
    return path
