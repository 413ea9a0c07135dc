"""Where the application keeps its own files (autosave, logs)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

__all__ = ["data_dir"]


def data_dir() -> Path:
    """The per-user application data folder (created on first use)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(location or Path.home() / ".leadbench")
    path.mkdir(parents=True, exist_ok=True)
    return path
