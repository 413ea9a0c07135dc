"""Data > Add a file to these leads…, and keeping the joined lead list in step with the model.

The model's ``sources`` (its recipe) decide which columns other files add to the lead list. This
controller keeps the list as loaded (``plain``) and a ``Combiner`` holding the source files read
for it; whenever the recipe changes (an added file, an undo, a model opened, the scoring date
moving under a "within N days" column) it joins again on a worker and hands the joined table to
the document, which scores it like any list, so joined columns work in rules, charts, the
explain panel, exports and the report. A join that fails leaves the document's table as it was
(nothing half-joined is shown), says why in one sentence, and for a source file that is not
there offers to point at it again.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app import settings
from app.document import Document, derive_table, runnable_model
from app.error_dialog import show_error
from app.loading import FILE_FILTER, SPREADSHEET_SUFFIXES, FirstScore
from app.sheet_dialog import SheetDialog
from app.tasks import Task, TaskRunner
from scoring.combine import CombinedTable, CombineError, Combiner, SourceMissing, source_label
from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Model
from scoring.model.recipe import Source, replace_source_path
from scoring.reading import LeadTable, list_sheets, load_leads
from widgets.join_dialog import JoinDialog

__all__ = ["CombineController", "join_job"]


def join_job(combiner: Combiner, model: Model, as_of: date, previous: Scorer | None = None, *,
             on_progress=None, is_cancelled=None) -> tuple[CombinedTable, FirstScore | None] | SourceMissing:
    """The worker's job: read the source files not read yet, join, and score the joined list
    (a missing file is returned, not raised, so the window can ask for it by the source's name).

    ``previous`` (the document's scorer) seeds the new one with the preparations of the columns
    the join did not bring, so moving an aggregate's window re-prepares only the joined columns.
    """
    started = time.perf_counter()
    try:
        combiner.load(model.sources, missing_values=tuple(model.missing_values), is_cancelled=is_cancelled,
                      on_progress=(lambda f: on_progress(0.7 * f)) if on_progress else None)
    except SourceMissing as missing:
        return missing
    combined = combiner.apply(model.sources, as_of=as_of, is_cancelled=is_cancelled)
    derived = derive_table(combined.table, model)
    runnable, problems = runnable_model(model, derived)
    scorer = previous.rescore_with(derived, set(combined.origin)) if previous is not None \
        else Scorer(derived, as_of=as_of)
    scorer.as_of = as_of
    try:
        result = scorer.score(runnable, is_cancelled=is_cancelled)
    except LeadbenchError:            # the document scores it again and says why
        return combined, None
    return combined, FirstScore(model, derived, scorer, result, problems, time.perf_counter() - started)


def _read_job(path: str, sheet: str | None, missing_values, *, on_progress=None, is_cancelled=None) -> LeadTable:
    return load_leads(path, sheet=sheet, missing_values=missing_values, on_progress=on_progress,
                      is_cancelled=is_cancelled)


class CombineController(QObject):
    """See the module docstring.

    Signals
    -------
    started(str), progress(float), finished(): a join or a file read is running (for the
        progress strip)
    joined(): ``combined`` holds the current join (or None: no sources)
    """

    started = Signal(str)
    progress = Signal(float)
    finished = Signal()
    joined = Signal()

    def __init__(self, parent: QWidget, doc: Document) -> None:
        super().__init__(parent)
        self._parent, self._doc = parent, doc
        self.plain: LeadTable | None = None
        self.combiner: Combiner | None = None
        self.combined: CombinedTable | None = None
        self.dialog: JoinDialog | None = None
        self._own: LeadTable | None = None          # the joined table this controller gave the document
        self._applied: tuple | None = None          # the recipe key of ``combined``
        self._asked: tuple | None = None            # the recipe key being joined
        self._pending: tuple[str, str | None, LeadTable] | None = None
        self._just_added: tuple | None = None       # the recipe right after Add a file, until it joined
        self._editing: str | None = None            # the source the open dialog edits (None: a new one)
        self.menu: QMenu | None = None
        self._runner = TaskRunner(self)
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self.finished)
        self._runner.succeeded.connect(self._on_joined)
        self._runner.failed.connect(self._on_failed)
        self._reader = TaskRunner(self)
        self._reader.progress.connect(self.progress)
        self._reader.finished.connect(self.finished)
        self._reader.succeeded.connect(self._on_file_read)
        self._reader.failed.connect(lambda message, details: show_error(
            self._parent, "Cannot add the file", message, details))
        doc.tableChanged.connect(self._on_doc_table_changed)
        doc.modelChanged.connect(self._sync)

    # -- keeping the join in step -------------------------------------------------------------
    def _key(self) -> tuple:
        model = self._doc.model
        windowed = any(a.within_days is not None for s in model.sources for a in s.aggregates)
        return (model.sources, self._doc.as_of if windowed else None, model.missing_values)

    def attach_menu(self, data_menu: QMenu) -> None:
        """Add Data > Joined files (edit or remove each source), kept in step with the model."""
        self.menu = data_menu.addMenu("&Joined files")
        self.menu.setObjectName("joinedFilesMenu")
        self._doc.modelChanged.connect(self._fill_menu)
        self._fill_menu()

    def _fill_menu(self) -> None:
        menu = self.menu
        menu.clear()
        for source in self._doc.model.sources:
            menu.addAction(f"Edit {source.name} ({source_label(source)})…",
                           lambda n=source.name: self.edit_source(n))
            menu.addAction(f"Remove {source.name}", lambda n=source.name: self.remove_source(n))
        menu.setEnabled(bool(self._doc.model.sources))

    def remove_source(self, name: str) -> None:
        """Take the source ``name`` (and the columns it brings) out of the model (undoable)."""
        model = self._doc.model
        self._doc.edit_model(replace(model, sources=tuple(s for s in model.sources if s.name != name)),
                             f"Remove {name}")

    def edit_source(self, name: str) -> bool:
        """Open the dialog on the source ``name`` (its file already read); False when it is not."""
        source = next((s for s in self._doc.model.sources if s.name == name), None)
        table = self.combiner.table_of(source) if source is not None and self.combiner else None
        if table is None:
            return False
        self._editing = name
        self._pending = (source.path, source.sheet, table)
        self._show_dialog(source)
        return True

    def _on_doc_table_changed(self) -> None:
        base = self._doc.base_table
        if base is None or base is self._own:
            return
        self.plain, self._own = base, None           # a newly opened lead list
        self.combiner = Combiner(base)
        self.combined, self._applied, self._asked = None, None, None
        self._sync()

    def _sync(self) -> None:
        if self.plain is None:
            return
        key = self._key()
        if key == self._applied or key == self._asked:
            return
        sources = self._doc.model.sources
        if not sources:
            self._runner.cancel()
            self._asked = None
            if self._applied is not None:
                self._applied, self.combined, self._own = None, None, None
                self._doc.set_table(self.plain, as_of=self._doc.list_as_of)
                self.joined.emit()
            return
        self._asked = key
        self.started.emit("Joining " + ", ".join(source_label(s) for s in sources) + "…")
        # the current scorer's preparations fit the new table only when the same joined list with
        # the same missing-value markers is shown (then only the joined columns differ)
        same = self._applied is not None and self._applied[2] == key[2] and self._doc.base_table is self._own
        self._runner.start(Task(join_job, self.combiner, self._doc.model, self._doc.as_of,
                                self._doc.scorer if same else None))

    def _on_joined(self, outcome) -> None:
        key, self._asked = self._asked, None
        self._just_added = None
        if isinstance(outcome, SourceMissing):
            self._offer_locate(outcome)
            return
        combined, first = outcome
        self.combined, self._applied = combined, key
        self._own = combined.table
        self._doc.set_table(combined.table, as_of=self._doc.list_as_of, first=first)
        self.joined.emit()
        if key != self._key():          # the recipe moved on while joining
            self._sync()

    def _on_failed(self, message: str, details: str) -> None:
        asked, self._asked = self._asked, None
        added, self._just_added = self._just_added, None
        if added is not None and asked is not None and asked[0] == added and self._doc.model.sources == added:
            self._doc.undo_stack.undo()          # the file just added cannot join: it is not added
            message = message.rstrip(".") + ". The file was not added."
        show_error(self._parent, "Cannot join the files", message, details)

    def _offer_locate(self, missing: SourceMissing) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "A source file is missing", str(missing)[:1].upper()
                          + str(missing)[1:] + ".", parent=self._parent)
        locate = box.addButton("Locate…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("missingSourceBox")
        box.exec()
        if box.clickedButton() is locate:
            path, _ = QFileDialog.getOpenFileName(self._parent, f"Where is {Path(missing.path).name}?",
                                                  settings.read(settings.LAST_DIR), FILE_FILTER)
            if path:
                self.relocate(missing.source, path)

    def relocate(self, source: str, path: str) -> None:
        """Point the source named ``source`` at ``path`` (an undoable model edit)."""
        model = self._doc.model
        self._doc.edit_model(replace(model, sources=replace_source_path(model.sources, source, path)),
                             f"Point {source} at {Path(path).name}")

    def unmatched_for(self, column: str):
        """Per lead, True where the file that brought ``column`` matched no row (None otherwise)."""
        return self.combined.unmatched_for(column) if self.combined is not None else None

    def wait(self, msecs: int = 30_000) -> bool:
        return self._runner.wait(msecs) and self._reader.wait(msecs)

    # -- Data > Add a file to these leads… ----------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._parent, "Add a file to these leads",
                                              settings.read(settings.LAST_DIR), FILE_FILTER)
        if path:
            self.add_file(path)

    def add_file(self, path: str, sheet: str | None = None) -> bool:
        """Read ``path`` (asking for its sheet) on a worker, then show the dialog; False if not started."""
        if self.plain is None:
            return False
        if Path(path).suffix.lower() in SPREADSHEET_SUFFIXES and sheet is None:
            try:
                sheets = [s for s in list_sheets(path)]
            except LeadbenchError as exc:
                show_error(self._parent, "Cannot add the file", str(exc))
                return False
            if len([s for s in sheets if s.rows > 0]) > 1:
                sheet = SheetDialog.choose(self._parent, Path(path).name, sheets)
                if sheet is None:
                    return False
        self._pending = (path, sheet, None)
        self.started.emit(f"Reading {Path(path).name}…")
        self._reader.start(Task(_read_job, path, sheet, tuple(self._doc.model.missing_values)))
        return True

    def _on_file_read(self, table: LeadTable) -> None:
        path, sheet, _ = self._pending
        self._pending = (path, sheet, table)
        self._editing = None
        self._show_dialog(None)

    def _show_dialog(self, source: Source | None) -> None:
        path, _sheet, table = self._pending
        dialog = JoinDialog(Path(path).name, dict(self.plain.types), dict(table.types), _value_counts(table),
                            taken_names=[s.name for s in self._doc.model.sources], parent=self._parent)
        if source is not None:
            dialog.set_source(source)
        dialog.matchChanged.connect(self._on_dialog_match_changed)
        dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog = dialog
        self._on_dialog_match_changed()
        dialog.open()

    def _on_dialog_match_changed(self) -> None:
        dialog, (path, sheet, table) = self.dialog, self._pending
        key = dialog.match_key()
        if key is None:
            dialog.set_preview("Pick the key column on each side.", False)
            return
        probe = Source("\x00probe", path, key, sheet=sheet)
        self.combiner.set_table(probe, table)
        try:
            preview = self.combiner.preview(probe)
        except CombineError as exc:
            dialog.set_preview(str(exc)[:1].upper() + str(exc)[1:] + ".", False)
            return
        dialog.set_preview(preview.text() + ".", True)

    def _on_dialog_accepted(self) -> None:
        dialog, (path, sheet, table) = self.dialog, self._pending
        source = dialog.source(path, sheet)
        self.combiner.set_table(source, table)
        model = self._doc.model
        self.dialog = None
        if self._editing is not None:
            sources = tuple(source if s.name == self._editing else s for s in model.sources)
            self._doc.edit_model(replace(model, sources=sources), f"Change {source.name}")
            return
        self._just_added = (*model.sources, source)
        self._doc.edit_model(replace(model, sources=self._just_added), f"Add {Path(path).name}")


def _value_counts(table: LeadTable):
    def counts(column: str) -> list[tuple[str, int]]:
        if column not in table.frame.columns:
            return []
        values = table.frame[column].value_counts(dropna=True).head(200)
        return [(str(v), int(n)) for v, n in values.items()]
    return counts
