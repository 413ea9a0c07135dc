"""Where a report may be written: checked before any work, by the window and the command line."""

from __future__ import annotations

import os
from pathlib import Path

from scoring.errors import ExportError

__all__ = ["check_report_target", "REPORT_SUFFIXES"]

REPORT_SUFFIXES = (".html", ".htm", ".pdf")


def check_report_target(path: str | os.PathLike, source: str | os.PathLike | None) -> None:
    """Refuse a report target before any work: wrong suffix, missing folder, a folder, the source.

    Raises
    ------
    ExportError
        With a message naming the file and what to do.
    """
    path = Path(path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise ExportError(f"Cannot write a report to {path.name}: choose a name ending in .html or .pdf.")
    if path.is_dir():
        raise ExportError(f"Cannot write a report to {path}: it is a folder.")
    if not path.parent.is_dir():
        raise ExportError(f"Cannot write a report to {path}: the folder {path.parent} does not exist.")
    if source and Path(source).exists():
        src = Path(source)
        if src.resolve() == path.resolve() or (path.exists() and os.path.samefile(src, path)):
            raise ExportError(f"Cannot write the report over {path.name}: it is the lead list. "
                              "Choose another file name; Leadbench never overwrites your source file.")
