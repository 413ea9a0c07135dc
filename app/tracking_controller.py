"""The Tracking tab's controller: reads the open model's ledger in a worker and shows the KPIs,
quality by source and rule, and what changed between the last hand-off and the list as scored now.

It refreshes when the tab is shown, after a hand-off or a feedback import, when the list is scored
again while the tab is shown, and when the user changes the target or the period (both kept in
the settings). "Change points…" on a rule opens that rule's editor (an undoable edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from app import settings
from app.document import Document
from app.ledger_files import current_ledger
from app.tasks import Task, TaskRunner
from scoring.errors import Cancelled, LeadbenchError
from scoring.handoff.changes import Changes
from scoring.handoff.handoff import changes_since_last
from scoring.handoff.kpi import Tracking, tracking
from scoring.handoff.ledger import Ledger
from widgets.tracking_panel import TrackingPanel

__all__ = ["TrackingController", "TrackingView", "tracking_view"]


@dataclass(frozen=True)
class TrackingView:
    """What the tab shows: the ledger's numbers, the changes since the last hand-off, and notes."""

    tracking: Tracking | None
    changes: Changes | None
    ledger_text: str
    changes_note: str = ""


def tracking_view(ledger: Path | None, table, result, by: str, target: int | None, *, on_progress=None,
                  is_cancelled=None) -> TrackingView:
    """Read the ledger and compare its last hand-off with the list as scored now (the worker's job)."""
    if ledger is None:
        return TrackingView(None, None, "Save the model to keep a hand-off ledger beside it, or hand off "
                                        "to sales to choose one.")
    if not ledger.exists():
        return TrackingView(None, None, f"No hand-offs yet: File > Hand off to sales… records them in "
                                        f"{ledger.name}.")
    try:
        with Ledger(ledger, create=False) as open_ledger:
            found = tracking(open_ledger, by=by, target=target)
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            changes, note = None, "Open the lead list to compare it with the last hand-off."
            if table is not None and result is not None and result.n_rows == table.n_rows:
                try:
                    changes = changes_since_last(table, result, open_ledger)
                    note = "" if changes is not None else "No hand-off yet."
                except LeadbenchError as exc:
                    note = str(exc)
    except LeadbenchError as exc:
        return TrackingView(None, None, str(exc))
    last = found.last_handoff
    text = (f"Ledger {ledger.name}: {found.n_handoffs:,} hand-off{'s' if found.n_handoffs != 1 else ''}"
            + (f", the last as of {last.day} {last:%b %Y}" if last else ""))
    if on_progress is not None:
        on_progress(1.0)
    return TrackingView(found, changes, text, "" if changes is not None else note)


class TrackingController(QObject):
    """Keeps ``panel`` up to date with the open model's ledger; ``edit_rule(index)`` edits a rule."""

    def __init__(self, doc: Document, panel: TrackingPanel, edit_rule, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else panel)
        self._doc, self._panel, self._edit_rule = doc, panel, edit_rule
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._show)
        self._runner.failed.connect(lambda message, _details: panel.set_tracking(None, message))
        self.view: TrackingView | None = None
        target = settings.read(settings.TRACKING_TARGET)
        panel.set_target(target)
        panel.set_period(settings.read(settings.TRACKING_PERIOD))
        panel.targetChanged.connect(self._on_panel_target_changed)
        panel.periodChanged.connect(self._on_panel_period_changed)
        panel.ruleEditRequested.connect(self._on_panel_rule_edit_requested)
        doc.scored.connect(self._on_doc_scored)

    def wait(self, msecs: int = 30_000) -> bool:
        return self._runner.wait(msecs)

    def refresh(self) -> None:
        """Read the ledger again (in a worker)."""
        doc = self._doc
        target = settings.read(settings.TRACKING_TARGET) or None
        self._runner.start(Task(tracking_view, current_ledger(doc), doc.table, doc.result,
                                self._panel.period(), target))

    def _on_doc_scored(self) -> None:
        if self._panel.isVisible():
            self.refresh()

    def _show(self, view: TrackingView) -> None:
        self.view = view
        self._panel.set_tracking(view.tracking, view.ledger_text)
        self._panel.set_changes(view.changes, view.changes_note)

    def _on_panel_target_changed(self, target: int) -> None:
        settings.write(settings.TRACKING_TARGET, int(target))
        self.refresh()

    def _on_panel_period_changed(self, by: str) -> None:
        settings.write(settings.TRACKING_PERIOD, by)
        self.refresh()

    def _on_panel_rule_edit_requested(self, name: str) -> None:
        for index, rule in enumerate(self._doc.model.rules):
            if rule.name == name:
                self._edit_rule(index)
                return
        self._panel.ledger_label.setText(f"The rule '{name}' is not in the open model any more.")
