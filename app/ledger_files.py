"""Where the hand-off ledger of the open model lives, and File > Back up ledger.

The ledger sits beside the model file (``b2b.json`` -> ``b2b.ledger.sqlite``) unless the user
chose another one for that model in the hand-off dialog (remembered per model file); a model
without a file uses the last ledger chosen for one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app import settings
from app.document import Document
from app.error_dialog import show_error
from scoring.errors import LeadbenchError
from scoring.handoff.ledger import backup_ledger, default_ledger_path

__all__ = ["current_ledger", "remember_ledger", "back_up", "LEDGER_FILTER"]

LEDGER_FILTER = "Leadbench ledger (*.sqlite *.db);;All files (*)"


def current_ledger(doc: Document) -> Path | None:
    """The ledger of the open model (which may not exist yet); None for a model without a file
    and no ledger chosen."""
    if doc.model_path:
        chosen = settings.read(settings.ledger_key(doc.model_path))
        return Path(chosen) if chosen else default_ledger_path(doc.model_path)
    chosen = settings.read(settings.LEDGER_PATH)
    return Path(chosen) if chosen else None


def remember_ledger(doc: Document, path: str | Path) -> None:
    """Use ``path`` as the open model's ledger from now on."""
    path = Path(path)
    if doc.model_path:
        beside = default_ledger_path(doc.model_path)
        settings.write(settings.ledger_key(doc.model_path), "" if path == beside else str(path))
    else:
        settings.write(settings.LEDGER_PATH, str(path))


def back_up(parent: QWidget, doc: Document, target: str | None = None) -> Path | None:
    """File > Back up ledger: copy the open model's ledger to a file the user picks (or ``target``)."""
    ledger = current_ledger(doc)
    if ledger is None or not ledger.exists():
        show_error(parent, "No ledger to back up", "This model has no hand-off ledger yet: File > Hand off to "
                                                   "sales… creates one beside the model file.")
        return None
    if target is None:
        suggested = str(ledger.with_name(f"{ledger.name.split('.')[0]} ledger backup {date.today():%Y-%m-%d}.sqlite"))
        target, _ = QFileDialog.getSaveFileName(parent, "Back up ledger", suggested, LEDGER_FILTER)
        if not target:
            return None
    try:
        return backup_ledger(ledger, target)
    except LeadbenchError as exc:
        show_error(parent, "Cannot back up the ledger", str(exc))
        return None
