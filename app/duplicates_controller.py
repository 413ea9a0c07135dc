"""The Data quality panel's controller: email findings and duplicate groups for the current list.

It recomputes when the lead list changes, when the model changes what the findings depend on
(the tagged email or created column, column types), and when the user changes an option.
Lists of ``WORKER_ROWS`` leads or more are checked on a worker (``app.tasks``); smaller ones at
once. ``keep_mask()`` is what an export passes to ``scoring.handoff.export.export_leads``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, Signal

from app.document import Document
from app.tasks import FOLLOW_UP_MS, Task, TaskRunner, follow_up_pool
from scoring.column_types import ColumnTag
from scoring.handoff.duplicates import Duplicates, NameColumns, find_duplicates, guess_name_columns, \
    recent_column
from scoring.errors import Cancelled
from scoring.reading.tagging import guess_id_column, guess_tags
from scoring.report.quality import EmailFindings, Placeholder, email_column, email_quality, placeholder_values
from widgets.duplicates_panel import DuplicateOptions, DuplicatesPanel

__all__ = ["DuplicatesController", "DataQuality", "data_quality", "WORKER_ROWS"]

WORKER_ROWS = 50_000


@dataclass(frozen=True)
class DataQuality:
    """What the panel shows: the email findings, the duplicate groups (None with a note) and the
    placeholder texts ("Select", "--") found in the cells."""

    email: EmailFindings | None
    duplicates: Duplicates | None
    note: str = ""
    placeholders: tuple[Placeholder, ...] = ()


def data_quality(table, email: str | None, names: NameColumns,
                 date_column: str | None, options: DuplicateOptions, markers: tuple[str, ...] = (), *,
                 on_progress=None, is_cancelled=None) -> DataQuality:
    """Email findings, duplicates and placeholder values of ``table`` (the worker's job; progress
    and cancel). Without an email column, leads are matched by name and company when the list
    has them."""
    frame = table.frame
    findings = email_quality(frame[email], email) if email is not None else None
    placeholders = tuple(placeholder_values(table, markers))
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()
    if email is None and not names.usable:
        return DataQuality(findings, None, "No email column and no name and company columns: tag "
                                           "an email column in Columns to look for duplicates.",
                           placeholders)
    if email is None:
        options = replace(options, by="email+name")     # name and company is all there is
    keep = options.keep if options.keep != "recent" or date_column else "first"
    found = find_duplicates(frame, email=email, by=options.by, names=names,
                            plus_addressing=options.plus_addressing, keep=keep,
                            date_column=date_column if keep == "recent" else None,
                            on_progress=on_progress, is_cancelled=is_cancelled)
    return DataQuality(findings, found, placeholders=placeholders)


class DuplicatesController(QObject):
    """Keeps ``panel`` up to date with ``doc``.

    Signals
    -------
    updated(): new findings are shown (``found`` and ``keep_mask()`` follow them)
    """

    updated = Signal()

    def __init__(self, doc: Document, panel: DuplicatesPanel, parent: QObject | None = None, *,
                 worker_rows: int = WORKER_ROWS) -> None:
        super().__init__(parent if parent is not None else panel)
        self._doc, self._panel, self._worker_rows = doc, panel, worker_rows
        self._runner = TaskRunner(self, pool=follow_up_pool())
        self._runner.succeeded.connect(self._show)
        self._runner.failed.connect(lambda message, _details: self._show(
            DataQuality(None, None, message)))
        self._inputs = None
        self._table = None
        self.quality: DataQuality | None = None
        doc.tableChanged.connect(self.refresh)
        doc.modelChanged.connect(self.refresh)
        panel.optionsChanged.connect(self._on_panel_options_changed)
        self.refresh()

    @property
    def found(self) -> Duplicates | None:
        """The duplicate groups of the current list (None while computing or without any)."""
        return self.quality.duplicates if self.quality is not None else None

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def keep_mask(self) -> np.ndarray | None:
        """The leads an export keeps, or None when the user did not ask to leave duplicates out
        (or none are known for the current list)."""
        if not self._panel.options().leave_out:
            return None
        return self.duplicates_keep()

    def duplicates_keep(self) -> np.ndarray | None:
        """The keep mask of the current duplicates whatever the checkbox says (None when there
        are no duplicates or the findings are not for the current list)."""
        found, table = self.found, self._doc.table
        if found is None or table is None or self._table is not table \
                or len(found.keep) != table.n_rows or not found.n_left_out:
            return None
        return found.keep

    def wait(self, msecs: int = 30_000) -> bool:
        return self._runner.wait(msecs)

    # -- recomputing --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute if what the findings depend on changed."""
        table = self._doc.table
        if table is None:
            self._runner.cancel()
            self._inputs, self._table = None, None
            self.quality = None
            self._panel.set_email_findings(None, "No lead list")
            self._panel.set_duplicates(None, note="Open a lead list to look for duplicates.")
            self._panel.set_match_available(names=None, recent=None)
            return
        model = self._doc.model
        columns = list(table.frame.columns)
        email = email_column(table, model)
        names = guess_name_columns(columns)
        created = model.tagged(ColumnTag.CREATED) or guess_tags(columns, table.types).get(
            str(ColumnTag.CREATED))
        recent = recent_column(columns, table.types, created)
        options = replace(self._panel.options(), leave_out=False)
        markers = tuple(model.missing_values)
        inputs = (id(table), email, names, recent, options, markers)
        if inputs == self._inputs:
            return
        self._inputs, self._table = inputs, table
        self._panel.set_match_available(names=_names_text(names) if names.usable else None,
                                        recent=recent, email=email is not None)
        task = Task(data_quality, table, email, names, recent, options, markers)
        self.quality = None
        if table.n_rows < self._worker_rows:
            self._runner.cancel()
            task.run_here()
            if task.outcome == "succeeded":
                self._show(task.result)
            else:
                self._show(DataQuality(None, None, task.message))
            return
        self._panel.set_busy(True)
        self._runner.start(task, after_ms=FOLLOW_UP_MS)   # after the new list is painted

    def _on_panel_options_changed(self) -> None:
        self.refresh()                  # "leave out" alone changes nothing to compute
        self.updated.emit()

    def _show(self, quality: DataQuality) -> None:
        self.quality = quality
        table = self._doc.table
        email = quality.email
        self._panel.set_email_findings(email, "No email column" if email is None else "")
        leads = _display_columns(table, self._inputs[1] if self._inputs else None) \
            if table is not None else None
        self._panel.set_duplicates(quality.duplicates, leads, quality.note)
        self._panel.set_placeholders(quality.placeholders, table.n_rows if table is not None else 0)
        if quality.duplicates is None and quality.placeholders:
            self._panel.tabs.setCurrentIndex(1)      # nothing to match on: show what can be fixed
        self.updated.emit()


def _names_text(names: NameColumns) -> str:
    person = names.full or " + ".join(c for c in (names.first, names.last) if c)
    return f"“{person}” and “{names.company}”"


def _display_columns(table, email: str | None) -> pd.DataFrame:
    """The columns listed for each lead of a group: name, email, company, then two dates."""
    frame = table.frame
    names = guess_name_columns(list(frame.columns))
    identifier = guess_id_column(frame, table.types)
    wanted = [c for c in (identifier, names.first, names.last, names.full, email, names.company) if c]
    wanted += [c for c in frame.columns if str(table.types.get(c)) in ("date", "datetime")][:2]
    chosen = list(dict.fromkeys(wanted)) or list(frame.columns[:5])
    return frame[chosen]
