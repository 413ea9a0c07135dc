"""Data > Accounts: the Accounts view kept up to date with the scores, its settings in the model.

The roll-up (``scoring.combine.accounts.roll_up``) runs on a worker after every new score; the
view's settings go into the model's ``accounts`` (saved with it, undoable). Selecting an account
explains its score in words and lists its leads; Export… writes the accounts (CSV or XLSX) on a
worker, never over the lead list.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app import settings
from app.document import Document
from app.error_dialog import show_error
from app.tasks import Task, TaskRunner, follow_up_pool
from scoring.cells import cells_at
from scoring.column_types import ColumnType
from scoring.combine.accounts import AccountTable, guess_account_column, roll_up
from scoring.errors import LeadbenchError
from scoring.handoff.accounts_export import export_accounts
from scoring.handoff.export import default_columns
from scoring.model.recipe import AccountRollup
from widgets.accounts_view import AccountsView

__all__ = ["AccountsController", "account_words", "HIDDEN_ROWS"]

#: lists of this many leads or more are rolled up only while the Accounts view is shown
HIDDEN_ROWS = 200_000


def _roll_up_job(frame, total, mql, rollup, types, *, on_progress=None, is_cancelled=None) -> AccountTable:
    return roll_up(frame, total, mql, rollup, types=types)


def _export_job(accounts, path, leads, lead_column, source, *, on_progress=None, is_cancelled=None):
    return export_accounts(accounts, path, leads=leads, lead_column=lead_column, source=source)


def _as_texts(values: np.ndarray) -> np.ndarray:
    """Cells as texts, as ``astype("str")`` makes them; missing cells stay not texts."""
    return pd.Series(values, dtype="str").to_numpy(object)


def _points(value: float) -> str:
    """A score as the lead table shows it: whole points, or two decimals ("84.31", "1,005.12")."""
    value = round(float(value), 2)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"


def account_words(accounts: AccountTable, index: int, scores: np.ndarray) -> str:
    """Why account ``index`` scored what it did, in one or two sentences."""
    row = accounts.frame.iloc[index]
    rollup = accounts.rollup
    leads = np.sort(np.asarray(scores, float))[::-1]
    shown = " + ".join(_points(s) for s in leads[:6]) + (" + …" if len(leads) > 6 else "")
    how = {"sum": f"the sum of its leads' scores ({shown})",
           "average": f"the average of its {len(leads)} leads' scores ({shown})",
           "max": f"its best lead's score ({_points(leads[0])})" if len(leads) else "its best lead's score",
           "top3": "the average of its top 3 leads' scores ("
                   + " + ".join(_points(s) for s in leads[:3]) + f") / {min(len(leads), 3)}"}[rollup.score]
    verdict = ("a Marketing Qualified Account" if row["mqa"] else
               f"{_points(rollup.threshold - row['score'])} points short of a Marketing Qualified Account")
    return (f"{row['account']}: {int(row['leads']):,} lead{'s' if row['leads'] != 1 else ''}, "
            f"{int(row['mqls']):,} MQL{'s' if row['mqls'] != 1 else ''}. Account score {_points(row['score'])} is "
            f"{how}; at a threshold of {rollup.threshold:g} it is {verdict}.")


class AccountsController(QObject):
    """Keeps ``view`` in step with ``doc``.

    Signals
    -------
    leadActivated(int): a lead of an account was double-clicked (explain it)
    accountExplained(str, int): an account was selected: the account in words, and its best lead
        (the explain panel shows both)
    """

    leadActivated = Signal(int)
    accountExplained = Signal(str, int)

    def __init__(self, parent: QWidget, doc: Document, view: AccountsView) -> None:
        super().__init__(parent)
        self._parent, self._doc, self._view = parent, doc, view
        self.accounts: AccountTable | None = None
        self._quiet = False           # selecting the first account after a roll-up explains nothing
        self._runner = TaskRunner(self, pool=follow_up_pool())
        self._runner.succeeded.connect(self._on_rolled_up)
        self._stale = False           # a big list was scored while the Accounts view was hidden
        self._runner.failed.connect(lambda message, _d: view.set_accounts(None, message))
        self._exporter = TaskRunner(self)
        self._exporter.failed.connect(lambda message, details: show_error(
            parent, "Cannot export the accounts", message, details))
        doc.tableChanged.connect(self._on_doc_table_changed)
        doc.modelChanged.connect(self._on_doc_model_changed)
        doc.scored.connect(self.refresh)
        view.rollupEdited.connect(self._on_view_rollup_edited)
        view.accountSelected.connect(self._on_view_account_selected)
        view.leadActivated.connect(self.leadActivated)
        view.exportRequested.connect(self.choose_and_export)

    def rollup(self) -> AccountRollup:
        """The model's roll-up, its column guessed when not set."""
        rollup = self._doc.model.accounts or AccountRollup()
        table = self._doc.table
        if rollup.column is None and table is not None:
            email = self._doc.model.tagged("email")
            rollup = replace(rollup, column=guess_account_column(list(table.types), table.types, rollup.by, email))
        return rollup

    def _on_doc_table_changed(self) -> None:
        table = self._doc.table
        if table is None:
            return
        textual = [c for c, t in table.types.items() if ColumnType(t).is_textual]
        email = [c for c, t in table.types.items() if ColumnType(t) in (ColumnType.EMAIL, ColumnType.TEXT)]
        rollup = self.rollup()
        first = lambda names, c: ([c] if c in names else []) + [n for n in names if n != c]  # noqa: E731
        company = guess_account_column(textual, table.types, "company")
        self._view.set_columns(first(textual, company), first(email, guess_account_column(
            email, table.types, "domain", self._doc.model.tagged("email"))))
        self._view.set_rollup(rollup)

    def _on_doc_model_changed(self) -> None:
        if self._doc.table is not None and self._view.current_rollup() != self.rollup():
            self._view.set_rollup(self.rollup())
            self.refresh()

    def _on_view_rollup_edited(self, rollup: AccountRollup) -> None:
        doc = self._doc
        doc.edit_model(replace(doc.model, accounts=rollup), "Change accounts")

    def refresh(self) -> None:
        """Roll the current scores up (on a worker). A list of ``HIDDEN_ROWS`` leads or more is
        rolled up only while the Accounts view is shown (each roll-up takes seconds there)."""
        table, result = self._doc.table, self._doc.result
        if table is None or result is None:
            return
        self._stale = table.n_rows >= HIDDEN_ROWS and not self._view.isVisible()
        if self._stale:
            self._runner.cancel()
            return
        self._runner.start(Task(_roll_up_job, table.frame, result.total, result.mql, self.rollup(),
                                dict(table.types)))

    def refresh_if_stale(self) -> None:
        """Roll up now if scores came while the view was hidden (the window calls this when the
        Accounts view is shown)."""
        if self._stale and self._view.isVisible():
            self.refresh()

    def _on_rolled_up(self, accounts: AccountTable) -> None:
        self.accounts = accounts
        self._view.set_accounts(accounts.frame, accounts.summary() + ".")
        if len(accounts.frame):      # the first account's leads show; unless the Accounts view is in
            self._quiet = not self._view.isVisible()    # sight, the explain panel keeps its lead
            try:
                self._view.select_account(0)
            finally:
                self._quiet = False

    def _who(self) -> str | None:
        names = self._who_columns()
        return names[0] if names else None

    def _who_columns(self) -> list[str]:
        """The columns that name a lead (an id, then a name or address), not the account's own."""
        table = self._doc.table
        return [c for c in default_columns(table) if self.accounts is None or c != self.accounts.column][:2]

    def _on_view_account_selected(self, index: int) -> None:
        accounts, result, table = self.accounts, self._doc.result, self._doc.table
        if accounts is None or result is None or not 0 <= index < len(accounts.frame):
            self._view.set_account_detail("", [], [], [], [])
            return
        rows = accounts.leads_of(index)
        parts = [_as_texts(cells_at(table.frame[c], rows)) for c in self._who_columns()]
        names = [" · ".join(str(p[i]) for p in parts if isinstance(p[i], str)) or f"#{r + 1:,}"
                 for i, r in enumerate(rows)]
        scores = result.total[rows]
        words = account_words(accounts, index, scores)
        self._view.set_account_detail(words, rows, names, scores, result.mql[rows])
        if not self._quiet:
            self.accountExplained.emit(words, int(accounts.frame["best_lead"].iat[index]))

    def choose_and_export(self) -> None:
        if self.accounts is None:
            return
        folder = settings.read(settings.LAST_DIR)
        path, _ = QFileDialog.getSaveFileName(self._parent, "Export accounts", str(Path(folder) / "accounts.xlsx"),
                                              "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            self.export(path)

    def export(self, path: str) -> None:
        """Write the accounts to ``path`` on a worker."""
        table = self._doc.table
        try:
            source = table.source if table is not None else None
            self._exporter.start(Task(_export_job, self.accounts, path, table.frame, self._who(), source))
        except LeadbenchError as exc:
            show_error(self._parent, "Cannot export the accounts", str(exc))

    def wait(self, msecs: int = 30_000) -> bool:
        return self._runner.wait(msecs) and self._exporter.wait(msecs)
