"""The hand-off parts of the window: the Tracking tab, File > Hand off to sales…, Import sales
feedback… and Back up ledger, wired to their controllers.

The window makes one :class:`HandoffParts` after its actions exist; everything else about hand-offs
is wired here, so the window itself only assembles.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.feedback_controller import FeedbackController
from app.handoff_controller import HandoffController
from app.ledger_files import back_up
from app.tracking_controller import TrackingController
from widgets.tracking_panel import TrackingPanel

__all__ = ["HandoffParts"]


class HandoffParts(QObject):
    """Adds the Tracking tab to ``window.centre_tabs`` and connects the hand-off actions."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        doc, actions = window.doc, window.actions
        self.panel = TrackingPanel()
        window.centre_tabs.addTab(self.panel, "Tracking")
        self.handoffs = HandoffController(window, doc, window.progress)
        self.feedback = FeedbackController(window, doc, window.progress)
        self.tracking = TrackingController(doc, self.panel, window.rules.edit, self)
        actions.handoff.triggered.connect(self.handoffs.hand_off)
        actions.import_feedback.triggered.connect(self.feedback.import_feedback)
        actions.backup_ledger.triggered.connect(self.back_up)
        self.handoffs.handedOff.connect(lambda _outcome: self.tracking.refresh())
        self.feedback.imported.connect(lambda _done: self.tracking.refresh())
        window.centre_tabs.currentChanged.connect(self._on_tab_changed)
        doc.tableChanged.connect(self._update_enabled)
        doc.modelChanged.connect(self._update_enabled)
        self._update_enabled()

    def back_up(self, target: str | None = None):
        done = back_up(self._window, self._window.doc, target)
        if done is not None:
            self._window.statusBar().showMessage(f"Backed up the ledger to {done}", 10000)
        return done

    def _on_tab_changed(self, _index: int) -> None:
        if self._window.centre_tabs.currentWidget() is self.panel:
            self.tracking.refresh()

    def _update_enabled(self) -> None:
        self._window.actions.handoff.setEnabled(self._window.doc.has_table)
