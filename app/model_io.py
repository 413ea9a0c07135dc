"""Opening and saving scoring model files from the window, and asking before unsaved work is lost."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app import settings
from app.document import Document
from app.error_dialog import show_error
from scoring.errors import LeadbenchError
from scoring.model.definition import Model
from scoring.model.model_file import load_model, save_model

__all__ = ["ModelFiles", "MODEL_FILTER"]

MODEL_FILTER = "Leadbench models (*.json);;All files (*)"


class ModelFiles:
    """The File menu's model commands, for one window and its document."""

    def __init__(self, parent: QWidget, doc: Document) -> None:
        self._parent, self._doc = parent, doc

    def new(self) -> None:
        if self.confirm_discard():
            self._doc.open_model(Model(), None)

    def open_template(self, path: Path) -> None:
        if not self.confirm_discard():
            return
        try:
            model = load_model(path)
        except LeadbenchError as exc:
            show_error(self._parent, "Cannot open the template", str(exc))
            return
        self._doc.open_model(model, None)   # a template is a starting point: Save asks where

    def open(self, path: str | None = None) -> bool:
        if not self.confirm_discard():
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self._parent, "Open scoring model",
                                                  settings.read(settings.LAST_DIR), MODEL_FILTER)
            if not path:
                return False
        try:
            model = load_model(path)
        except LeadbenchError as exc:
            show_error(self._parent, "Cannot open the model", str(exc))
            return False
        settings.write(settings.LAST_DIR, str(Path(path).parent))
        settings.add_recent(path, settings.RECENT_MODELS)
        self._doc.open_model(model, path)
        return True

    def save(self) -> bool:
        if self._doc.model_path is None:
            return self.save_as()
        return self._write(self._doc.model_path)

    def save_as(self) -> bool:
        start = self._doc.model_path or str(Path(settings.read(settings.LAST_DIR) or Path.home())
                                            / f"{_file_stem(self._doc.model.name)}.json")
        path, _ = QFileDialog.getSaveFileName(self._parent, "Save scoring model", start, MODEL_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".json"):
            path += ".json"
        return self._write(path)

    def _write(self, path: str) -> bool:
        try:
            save_model(self._doc.model, path)
        except (LeadbenchError, OSError) as exc:
            show_error(self._parent, "Cannot save the model",
                       f"The model could not be saved to {path}: {exc}. The previous file is unchanged.")
            return False
        settings.write(settings.LAST_DIR, str(Path(path).parent))
        settings.add_recent(path, settings.RECENT_MODELS)
        self._doc.mark_saved(path)
        return True

    def confirm_discard(self) -> bool:
        """True when it is fine to replace the current model (saved, discarded, or nothing to lose)."""
        if self._doc.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self._parent, "Unsaved changes",
            f"The model “{self._doc.model.name}” has changes that are not saved. Save them first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard


def _file_stem(name: str) -> str:
    stem = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in name).strip()
    return stem.replace(" ", "_").lower() or "model"
