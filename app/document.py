"""The open document: one lead list, one scoring model, and the latest scores.

The document owns the state the window shows and the undo stack that changes it. Widgets never
change it directly: the window turns their intents into ``edit_model`` calls, which push
``ReplaceModel`` commands; the commands call ``set_model``.

Column settings live in the model (type overrides, missing-value markers), so the table the engine
scores is derived: ``base table`` (as loaded) -> markers applied -> types overridden.

A model made for another list may name its columns otherwise: ``column_map`` (model column ->
list column, kept with the list's settings, never in the model) renames them for scoring
(:meth:`Document.mapped_model`), so the model itself stays portable.

Re-scoring is debounced. It runs on the GUI thread while a score takes less than a frame, and on a
single worker thread otherwise (the engine's ``Scorer`` is used by one thread at a time); only the
result for the newest model is published.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from app.commands import ReplaceModel
from app.tasks import FOLLOW_UP_MS, Task, TaskRunner, follow_up_pool
from scoring.evaluate.column_map import apply_mapping
from scoring.evaluate.column_settings import apply_column_settings
from scoring.evaluate.engine import Scorer, ScoreResult
from scoring.model.definition import AnalysisSettings, Model, OwnerRules
from scoring.model.model_file import validate_model
from scoring.reading import LeadTable
from scoring.reading.profiling import ColumnProfile, profile_column, profile_table

__all__ = ["Document", "derive_table", "runnable_model"]

log = logging.getLogger(__name__)

FRAME_SECONDS = 0.016   # a score faster than this runs on the GUI thread
DEBOUNCE_MS = 20
#: a list this long shows its rows in one turn of the event loop and its first scores in the next
#: (both at once kept the window still for a fifth of a second at ten million leads)
SHOW_THEN_SCORE_ROWS = 200_000


def derive_table(base: LeadTable, model: Model) -> LeadTable:
    """``base`` with the model's missing-value markers and column settings (number marks, type
    overrides) applied."""
    table = base
    if tuple(model.missing_values) != tuple(base.missing_values):
        table = table.with_missing_values(tuple(model.missing_values))
    return apply_column_settings(table, model)


def runnable_model(model: Model, table: LeadTable) -> tuple[Model, list[str]]:
    """The model with every rule that cannot run on ``table`` disabled, and the problems found.

    A model made for another list may name columns this list lacks; the other rules still score.
    """
    problems = validate_model(model, table)
    if not problems:
        return model, []
    bad = {i for i, rule in enumerate(model.rules) if any(_names_rule(p, rule.name) for p in problems)}
    rules = tuple(replace(r, enabled=False) if i in bad else r for i, r in enumerate(model.rules))
    return replace(model, rules=rules), problems


def _types_of(model: Model) -> dict[str, tuple]:
    """The column settings of a model that change the table: type overrides, date formats and
    number marks (tags do not)."""
    return {column: (s.type, s.format, s.decimal_mark, s.thousands_mark) for column, s in model.columns
            if s.type or s.format or s.decimal_mark is not None or s.thousands_mark is not None}


def _scoring_part(model: Model) -> Model:
    """What scores depend on, given the table: not the name, tags, owners or chart settings (column types
    and missing-value markers make a new table, so a new scorer)."""
    return replace(model, name="", description="", columns=(), analysis=AnalysisSettings(), owners=OwnerRules())


def _names_rule(problem: str, name: str) -> bool:
    return f'"{name}"' in problem


class Document(QObject):
    """Signals
    -------
    tableChanged(): a new lead list, or the current one re-typed (columns changed)
    profilesChanged(): ``profiles`` describe the current table (they follow a new list shortly:
        profiling a million rows runs in the background after the list is shown)
    modelChanged(): any change of the model (rules, threshold, columns, name)
    scored(): ``result`` holds scores for the current model
    problemsChanged(list): rules of the model that cannot run on this list, in plain words
    scoringFailed(str): the model could not be scored (message for the user)
    columnMapChanged(): ``column_map`` changed
    """

    tableChanged = Signal()
    profilesChanged = Signal()
    modelChanged = Signal()
    scored = Signal()
    problemsChanged = Signal(list)
    scoringFailed = Signal(str)
    columnMapChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.model = Model()
        self.model_path: str | None = None
        self.base_table: LeadTable | None = None
        self.table: LeadTable | None = None
        self.profiles: list[ColumnProfile] = []
        self.result: ScoreResult | None = None
        self.problems: list[str] = []
        self.score_seconds = 0.0
        self._list_as_of: date | None = None     # the list's own scoring date (the sample's export day)
        self.column_map: dict[str, str] = {}
        self._scorer: Scorer | None = None
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(self._on_runner_failed)
        self._runner.cancelled.connect(self._on_runner_cancelled)
        self._profiler = TaskRunner(self, pool=follow_up_pool())
        self._profiler.succeeded.connect(self._on_profiles_ready)
        self._scoring_model: Model | None = None
        self._published: tuple | None = None    # (scorer, scoring part) of ``result``
        self._pending = False
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce = True
        self._timer.timeout.connect(self._score_now)

    # -- data ---------------------------------------------------------------------------------
    def mapped_model(self, model: Model | None = None) -> Model:
        """``model`` (default: the document's) with its columns renamed by ``column_map`` (only
        columns this list lacks, onto columns it has)."""
        mapping = self.column_map
        if mapping and self.base_table is not None:
            present = set(self.base_table.frame.columns)
            mapping = {k: v for k, v in mapping.items() if k not in present and v in present}
        return apply_mapping(self.model if model is None else model, mapping)

    def set_column_map(self, mapping: dict[str, str]) -> None:
        """Run the model's columns on these list columns (model column -> list column); the table
        is derived again (type overrides follow the mapped names) and the list scored again."""
        mapping = {k: v for k, v in mapping.items() if k != v}
        if mapping == self.column_map:
            return
        self.column_map = dict(mapping)
        if self.base_table is not None:
            self._rederive(self.model)
        self.columnMapChanged.emit()
        self.schedule_score()

    def set_table(self, base: LeadTable, as_of: date | None = None, first=None,
                  column_map: dict[str, str] | None = None) -> None:
        """Show a newly loaded lead list; the model stays (its column settings are re-applied).

        ``as_of`` is the list's own scoring date (the sample's export day; default today), used
        when the model has none (see ``as_of``). ``first``:
        the list's first scores computed while loading (``app.loading.FirstScore``); used when
        they were computed for the current model, else the list is scored here. ``column_map``:
        the list's stored column mapping (default: none).
        """
        self._drop_task()
        self.base_table = base
        self._list_as_of = as_of
        mapping = {k: v for k, v in (column_map or {}).items() if k != v}
        changed = mapping != self.column_map
        self.column_map = mapping
        adopt = (first is not None and first.model == self.model and first.scorer.as_of == self.as_of
                 and not mapping)
        self.table = first.table if adopt else derive_table(base, self.mapped_model())
        self._scorer = first.scorer if adopt else Scorer(self.table, as_of=self.as_of)
        self.result, self._published = None, None
        self._profile_in_background()
        self.tableChanged.emit()
        if changed:
            self.columnMapChanged.emit()
        if adopt:
            self.score_seconds = first.seconds
            self._set_problems(first.problems)
            table = self.table

            def publish() -> None:
                if table is self.table and self.result is None:     # (not a list opened since)
                    self._publish(first.result, runnable_model(self.mapped_model(), table)[0])
            if table.n_rows >= SHOW_THEN_SCORE_ROWS:
                QTimer.singleShot(0, publish)      # the new list is shown, then its scores
            else:
                publish()
        else:
            self._score_now()

    def _profile_in_background(self) -> None:
        self.profiles = []
        self._profiler.start(Task(profile_table, self.table), after_ms=FOLLOW_UP_MS)

    def _on_profiles_ready(self, profiles: list[ColumnProfile]) -> None:
        self.profiles = profiles
        self.profilesChanged.emit()

    def _set_problems(self, problems: list[str]) -> None:
        if problems != self.problems:
            self.problems = problems
            self.problemsChanged.emit(problems)

    @property
    def list_as_of(self) -> date | None:
        """The list's own scoring date (the bundled sample's export day), or None."""
        return self._list_as_of

    @property
    def as_of(self) -> date:
        """The scoring date: the model's own, else the list's (the sample's export day), else today."""
        return self.model.as_of or self._list_as_of or date.today()

    @property
    def scorer(self) -> Scorer | None:
        """The scorer of the current table (its prepared columns can seed a scorer for a table
        that differs in a few columns: ``Scorer.rescore_with``)."""
        return self._scorer

    @property
    def has_table(self) -> bool:
        return self.table is not None

    # -- model --------------------------------------------------------------------------------
    def edit_model(self, new: Model, text: str | None = None, merge_key: str | None = None) -> None:
        """Apply ``new`` as an undoable step (no step when nothing changed)."""
        if new == self.model:
            return
        # a drag or typing (merge_key) sends many edits: those wait for a pause; one click does not
        self._debounce = merge_key is not None
        try:
            self.undo_stack.push(ReplaceModel(self, new, text, merge_key))
        finally:
            self._debounce = True

    def end_merge(self) -> None:
        """Close the current merged step (a slider or line drag): the next drag is its own step."""
        stack = self.undo_stack
        if stack.count():
            command = stack.command(stack.count() - 1)
            if isinstance(command, ReplaceModel):
                command.seal()

    def set_model(self, model: Model) -> None:
        """Replace the model without an undo step (commands and file loading call this)."""
        old, self.model = self.model, model
        if self.base_table is not None and (
                _types_of(self.mapped_model(old)) != _types_of(self.mapped_model())
                or old.missing_values != model.missing_values):
            self._rederive(old)
        self.modelChanged.emit()
        self.schedule_score()

    def open_model(self, model: Model, path: str | None) -> None:
        """Start afresh with ``model`` (from a file or a template): clears undo history."""
        self.undo_stack.clear()
        self.model_path = path
        self.set_model(model)
        self.undo_stack.setClean()

    def mark_saved(self, path: str) -> None:
        self.model_path = path
        self.undo_stack.setClean()
        self.modelChanged.emit()

    def _rederive(self, old: Model) -> None:
        table = derive_table(self.base_table, self.mapped_model())
        changed = [c for c in table.frame.columns
                   if self.table is None or table.types.get(c) != self.table.types.get(c)
                   or old.missing_values != self.model.missing_values
                   or _types_of(old).get(c) != _types_of(self.model).get(c)]
        self._drop_task()
        self.table = table
        self._scorer, self._published = Scorer(table, as_of=self.as_of), None
        if self._profiler.busy:              # the first profiles are still being computed
            self._profile_in_background()
        else:
            by_name = {p.name: p for p in self.profiles}
            self.profiles = [profile_column(table, c) if c in changed or c not in by_name else by_name[c]
                             for c in table.frame.columns]
        self.tableChanged.emit()
        self.profilesChanged.emit()

    # -- scoring ------------------------------------------------------------------------------
    def schedule_score(self) -> None:
        if self._scorer is not None:
            self._timer.start(DEBOUNCE_MS if self._debounce else 0)

    def _score_now(self) -> None:
        self._timer.stop()
        if self._scorer is None or self.table is None:
            return
        if self._runner.busy:                # a worker is scoring: score again when it is done
            self._pending = True
            return
        model, problems = runnable_model(self.mapped_model(), self.table)
        self._set_problems(problems)
        if self._scorer.as_of != self.as_of:     # the scoring date moved: date masks are recomputed
            self._scorer.as_of = self.as_of
        if self.result is not None and self._published == (self._scorer, _scoring_part(model)):
            self._publish(self.result, model)  # a tag or chart setting: the scores stand
            return
        task = Task(self._scorer.score, model)
        self._scoring_model = model
        if self.score_seconds < FRAME_SECONDS:
            task.run_here()                  # shorter than a frame: no thread needed
            self.score_seconds = task.seconds
            if task.outcome == "succeeded":
                self._publish(task.result, model)
            elif task.outcome == "failed":
                self.scoringFailed.emit(task.message)
            return
        self._runner.start(task)

    def _on_runner_succeeded(self, result: ScoreResult) -> None:
        self.score_seconds = self._runner.last.seconds
        if self._pending:
            self._pending = False
            self._score_now()
            return
        self._publish(result, self._scoring_model)

    def _on_runner_failed(self, message: str, _details: str) -> None:
        self.scoringFailed.emit(message)
        self._on_runner_cancelled()

    def _on_runner_cancelled(self) -> None:
        if self._pending:
            self._pending = False
            self._score_now()

    def _publish(self, result: ScoreResult, model: Model) -> None:
        self.result = result
        self._published = (self._scorer, _scoring_part(model))
        self.scored.emit()

    def _drop_task(self) -> None:
        self._pending = False
        self._runner.cancel()

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until the document's own scoring and profiling are done (a document driven alone;
        a window waits for all its work with ``app.tasks.wait_all(within=window)``)."""
        return self._runner.wait(msecs) and self._profiler.wait(msecs)
