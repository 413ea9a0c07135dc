"""Autosave of unsaved work, and the offer to restore it after a crash.

A few seconds after the last change (``DELAY_MS``: a burst of edits is one write), while the model
has unsaved changes, the model (with its column settings) and the path of the open lead list are
written atomically to ``autosave-<pid>.json`` in the data folder.
A clean save or a normal close removes the file; so a file left behind by a process that is no
longer running means that process died with unsaved work, and the next start offers it back.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDateTime, QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.document import Document
from scoring.atomic import atomic_write_text, pid_alive, remove_stale_parts
from scoring.model.definition import Model
from scoring.model.model_file import model_from_dict, model_to_dict

__all__ = ["Autosaver", "Recovery", "find_recoveries", "offer_recovery", "DELAY_MS"]

log = logging.getLogger(__name__)
#: How long after the last change the unsaved model is written.
DELAY_MS = 3_000
_PREFIX = "autosave-"


@dataclass(frozen=True)
class Recovery:
    """Unsaved work left by a process that did not close normally."""

    file: Path
    model: Model
    model_path: str | None
    lead_file: str | None
    saved_at: float

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)


def find_recoveries(folder: Path) -> list[Recovery]:
    """Autosaves of processes that are gone, newest first; unreadable ones are removed."""
    found = []
    for file in folder.glob(f"{_PREFIX}*.json"):
        try:
            pid = int(file.stem[len(_PREFIX):])
        except ValueError:
            continue
        if pid_alive(pid):
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            found.append(Recovery(file, model_from_dict(data["model"]), data.get("model_path"),
                                  data.get("lead_file"), float(data.get("saved_at", 0))))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("dropping unreadable autosave %s: %s", file, exc)
            file.unlink(missing_ok=True)
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


class Autosaver(QObject):
    """Writes the document's unsaved model ``delay_ms`` after its last change; see the module
    docstring. Every change (an edit, an undo, a redo) restarts the wait."""

    def __init__(self, doc: Document, folder: Path, delay_ms: int = DELAY_MS) -> None:
        super().__init__(doc)
        self._doc = doc
        self.file = folder / f"{_PREFIX}{os.getpid()}.json"
        remove_stale_parts(folder)           # autosaves of a Leadbench killed while writing
        self._timer = QTimer(self, interval=delay_ms, singleShot=True)
        self._timer.timeout.connect(self.save_now)
        doc.undo_stack.indexChanged.connect(self._on_stack_index_changed)
        doc.undo_stack.cleanChanged.connect(self._on_clean_changed)

    @property
    def pending(self) -> bool:
        """True while a change waits to be written."""
        return self._timer.isActive()

    def save_now(self) -> None:
        doc = self._doc
        if doc.undo_stack.isClean():
            return
        data = {
            "saved_at": time.time(),
            "model_path": doc.model_path,
            "lead_file": doc.table.source if doc.table is not None else None,
            "model": model_to_dict(doc.model),
        }
        try:
            atomic_write_text(self.file, json.dumps(data, indent=1, default=str))
        except OSError as exc:   # a full disk must not interrupt the user's work
            log.warning("autosave failed: %s", exc)

    def discard(self) -> None:
        self._timer.stop()
        self.file.unlink(missing_ok=True)

    def _on_stack_index_changed(self, _index: int) -> None:
        stack = self._doc.undo_stack
        if shiboken6.isValid(stack) and not stack.isClean():   # (not while the window closes)
            self._timer.start()

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard()


def offer_recovery(parent: QWidget, doc: Document, folder: Path, open_file) -> bool:
    """After a crash, offer the newest unsaved model back; True when it was restored.

    ``open_file(path)`` reopens the lead list the model was used with, when it still exists.
    """
    recoveries = find_recoveries(folder)
    if not recoveries:
        return False
    newest = recoveries[0]
    when = QDateTime.fromSecsSinceEpoch(int(newest.saved_at)).toString("d MMM yyyy, HH:mm")
    answer = QMessageBox.question(
        parent, "Restore unsaved work?",
        f"Leadbench closed unexpectedly. The model “{newest.model.name}” had changes that were not "
        f"saved (autosaved {when}). Restore them?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    for recovery in recoveries:
        recovery.discard()
    if answer != QMessageBox.StandardButton.Yes:
        return False
    doc.open_model(newest.model, newest.model_path)
    doc.undo_stack.resetClean()          # restored work is unsaved until the user saves it
    if newest.lead_file and Path(newest.lead_file).exists():
        open_file(newest.lead_file)
    return True
