"""Save a chart as a PNG picture or its numbers as CSV: the file dialog, the checks and the atomic
write. The chart widgets only emit which chart; this module asks where and writes.

Both files are written to a temporary file in the target's folder and renamed over the target
(``scoring.atomic``), so a failed save leaves no partial file and keeps any earlier one. The lead
list being scored and the model file are never overwritten.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from app.error_dialog import show_error
from scoring.atomic import atomic_path
from scoring.errors import ExportError
from scoring.handoff.export import neutralise

__all__ = ["ChartFiles", "chart_file_stem", "check_chart_target", "save_widget_png", "write_numbers_csv"]

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^\w\- ]+")


def chart_file_stem(title: str) -> str:
    """A file name from a chart title: "Fit × engagement" -> "fit engagement"."""
    return re.sub(r"\s+", " ", _UNSAFE.sub(" ", title)).strip().lower() or "chart"


def _same_file(a: Path, b: str | os.PathLike | None) -> bool:
    if not b:
        return False
    try:
        return a.resolve() == Path(b).resolve()
    except OSError:
        return False


def check_chart_target(path: str | os.PathLike, suffix: str, protected=()) -> Path:
    """The target with ``suffix`` added when missing; raises ExportError for a folder that does
    not exist or a file in ``protected`` (the lead list, the model file)."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    if not path.parent.is_dir():
        raise ExportError(f"Cannot save {path.name}: the folder {path.parent} does not exist.")
    if any(_same_file(path, p) for p in protected):
        raise ExportError(f"{path.name} is the file you are working on; choose another name.")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; choose a file name.")
    return path


def save_widget_png(widget: QWidget, path: str | os.PathLike) -> None:
    """Render ``widget`` (as it looks now) and write it as a PNG, atomically."""
    picture = widget.grab()
    if picture.isNull():
        raise ExportError("The chart could not be drawn; show the Charts tab and try again.")
    with atomic_path(path) as tmp:
        if not picture.save(str(tmp), "PNG"):
            raise ExportError(f"Cannot write {Path(path).name}: the folder may be read-only or full.")


def write_numbers_csv(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a chart's numbers as UTF-8 CSV with a header, atomically. Texts that a spreadsheet
    would run as a formula (a source called "=HYPERLINK(...)") are prefixed with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = neutralise(out[column].astype("str"))
    try:
        with atomic_path(path) as tmp:
            out.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    except OSError as exc:
        raise ExportError(f"Cannot write {Path(path).name} ({exc.strerror or exc}).") from None


class ChartFiles(QObject):
    """Answers the charts' save intents for one window.

    Parameters
    ----------
    parent : the widget dialogs are centred on
    protected : returns the paths never to overwrite (the lead list, the model file)
    folder : returns the folder the dialog starts in
    """

    def __init__(self, parent: QWidget, protected, folder) -> None:
        super().__init__(parent)
        self._parent, self._protected, self._folder = parent, protected, folder

    def _ask(self, title: str, stem: str, suffix: str, pattern: str) -> Path | None:
        start = str(Path(self._folder() or Path.home()) / f"{stem}{suffix}")
        path, _ = QFileDialog.getSaveFileName(self._parent, title, start, pattern)
        if not path:
            return None
        try:
            return check_chart_target(path, suffix, self._protected())
        except ExportError as exc:
            show_error(self._parent, title, str(exc))
            return None

    def save_png(self, widget: QWidget, title: str) -> Path | None:
        """Ask for a file and save ``widget`` as a PNG there; returns the path written."""
        path = self._ask("Save chart as PNG", chart_file_stem(title), ".png", "PNG pictures (*.png)")
        if path is None:
            return None
        try:
            save_widget_png(widget, path)
        except (ExportError, OSError) as exc:
            log.info("chart not saved: %s", exc)
            show_error(self._parent, "Cannot save the chart", str(exc))
            return None
        return path

    def export_csv(self, frame: pd.DataFrame, title: str) -> Path | None:
        """Ask for a file and write ``frame`` there as CSV; returns the path written."""
        path = self._ask("Export chart numbers", chart_file_stem(title), ".csv", "CSV files (*.csv)")
        if path is None:
            return None
        try:
            write_numbers_csv(frame, path)
        except ExportError as exc:
            show_error(self._parent, "Cannot export the numbers", str(exc))
            return None
        return path
