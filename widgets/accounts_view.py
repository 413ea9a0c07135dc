"""The Accounts view: leads rolled up into accounts, and the leads behind the selected one.

Controls choose how leads group (a company column, or the email domain) and how an account
scores (sum, average, best or top-3 average of its leads' scores, against an account threshold:
a Marketing Qualified Account). The table lists accounts best first with their leads, MQLs and
score; selecting one shows why it scored what it did and its leads (double-click opens the lead
in the lead table). The view takes plain arrays through setters and emits intents.

Signals
-------
rollupEdited(object): the user changed the roll-up (an ``AccountRollup``)
accountSelected(int): an account (index into the accounts frame) was selected
leadActivated(int): a lead row (of the lead list) was double-clicked
exportRequested(): Export… was clicked
"""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum

import numpy as np
import pandas as pd
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from scoring.model.recipe import AccountRollup
from widgets.cell_text import clipped
from widgets.fixed_headers import FixedHeadersModel

__all__ = ["AccountsView", "AccountsTableModel", "AccountLeadsModel", "AccountRole"]

_Index = QModelIndex | QPersistentModelIndex
_SCORES = (("sum", "Sum of lead scores"), ("average", "Average lead score"), ("max", "Best lead score"),
           ("top3", "Top-3 average"))


class AccountRole(IntEnum):
    """Custom roles: the account index or lead row a table row stands for."""

    ROW = Qt.ItemDataRole.UserRole + 1


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class AccountsTableModel(FixedHeadersModel):
    """One row per account: name, leads, MQLs, score, MQA (numpy arrays set once)."""

    HEADERS = ("Account", "Leads", "MQLs", "Account score", "MQA")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._frame = pd.DataFrame(columns=["account", "leads", "mqls", "score", "mqa"])
        self._text: list[list[str]] = [[] for _ in self.HEADERS]
        self._mqa = np.zeros(0, bool)

    def set_accounts(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self._text = [[clipped(str(v)) for v in frame["account"]],
                      [f"{n:,}" for n in frame["leads"]], [f"{n:,}" for n in frame["mqls"]],
                      [_number(s) for s in frame["score"]], ["MQA" if m else "" for m in frame["mqa"]]]
        self._mqa = frame["mqa"].to_numpy(bool)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._frame)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text[column][row]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._mqa[row]:
            font = QFont()
            font.setBold(True)
            return font
        if role == AccountRole.ROW:
            return row
        return None



class AccountLeadsModel(FixedHeadersModel):
    """The leads of one account: who, score, MQL; best first."""

    HEADERS = ("Lead", "Score", "MQL")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows = np.zeros(0, np.int64)
        self._names: list[str] = []
        self._scores = np.zeros(0)
        self._mql = np.zeros(0, bool)

    def set_leads(self, rows, names, scores, mql) -> None:
        self.beginResetModel()
        order = np.argsort(-np.asarray(scores, float), kind="stable")
        self._rows = np.asarray(rows, np.int64)[order]
        self._names = [clipped(str(names[i])) for i in order]
        self._scores = np.asarray(scores, float)[order]
        self._mql = np.asarray(mql, bool)[order]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (self._names[row], _number(self._scores[row]), "MQL" if self._mql[row] else "")[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == AccountRole.ROW:
            return int(self._rows[row])
        return None



def _table(name: str, model) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return view


class AccountsView(QWidget):
    """See the module docstring."""

    rollupEdited = Signal(object)
    accountSelected = Signal(int)
    leadActivated = Signal(int)
    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsView")
        self._rollup = AccountRollup()
        self._columns: dict[str, list[str]] = {"company": [], "domain": []}
        self.by = QComboBox(objectName="accountsBy")
        self.by.addItem("company", "company")
        self.by.addItem("email domain", "domain")
        self.by.setToolTip("A company column (spellings such as \"Acme, Inc.\" and \"ACME inc\" are one "
                           "account), or the domain of each email address (free-mail never forms an account)")
        self.column = QComboBox(objectName="accountsColumn")
        self.column.setMinimumContentsLength(8)
        self.column.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.score = QComboBox(objectName="accountsScore")
        for key, label in _SCORES:
            self.score.addItem(label, key)
        self.score.setMinimumContentsLength(17)
        self.score.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.threshold = QDoubleSpinBox(objectName="accountsThreshold", decimals=1, maximum=1e9, singleStep=10)
        self.export = QPushButton("Export…", objectName="accountsExport")
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Group leads by"))
        controls.addWidget(self.by)
        controls.addWidget(self.column, 1)
        scoring = QHBoxLayout()
        scoring.addWidget(QLabel("Account score"))
        scoring.addWidget(self.score, 1)
        scoring.addWidget(QLabel("MQA at"))
        scoring.addWidget(self.threshold)
        scoring.addStretch(1)
        scoring.addWidget(self.export)
        self.summary = QLabel(objectName="accountsSummary", wordWrap=True)
        self.accounts_model = AccountsTableModel(self)
        self.accounts_table = _table("accountsTable", self.accounts_model)
        self.detail = QLabel(objectName="accountDetail", wordWrap=True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.leads_model = AccountLeadsModel(self)
        self.leads_table = _table("accountLeadsTable", self.leads_model)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addWidget(self.leads_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="accountsSplitter")
        splitter.addWidget(self.accounts_table)
        splitter.addWidget(lower)
        splitter.setSizes([400, 250])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(scoring)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        self.by.currentIndexChanged.connect(self._on_by_changed)
        self.column.currentIndexChanged.connect(self._emit)
        self.score.currentIndexChanged.connect(self._emit)
        self.threshold.editingFinished.connect(self._emit)
        self.export.clicked.connect(self.exportRequested)
        self.accounts_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.accountSelected.emit(current.row()) if current.isValid() else None)
        self.leads_table.doubleClicked.connect(
            lambda index: self.leadActivated.emit(int(index.data(AccountRole.ROW))))

    # -- setters ----------------------------------------------------------------------------------
    def set_columns(self, company: list[str], email: list[str]) -> None:
        """The columns leads can group by: text columns (company) and address columns (domain)."""
        self._columns = {"company": list(company), "domain": list(email)}
        self._fill_columns()

    def set_rollup(self, rollup: AccountRollup) -> None:
        """Show ``rollup`` (the column None: the first offered)."""
        self._rollup = rollup
        for box, value in ((self.by, rollup.by), (self.score, rollup.score)):
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(value), 0))
            box.blockSignals(False)
        self._fill_columns()
        self.threshold.blockSignals(True)
        self.threshold.setValue(rollup.threshold)
        self.threshold.blockSignals(False)

    def set_accounts(self, frame: pd.DataFrame | None, summary: str) -> None:
        """Show the accounts (None: none, with ``summary`` saying why)."""
        self.summary.setText(summary)
        self.accounts_model.set_accounts(frame if frame is not None else
                                         pd.DataFrame(columns=["account", "leads", "mqls", "score", "mqa"]))
        self.export.setEnabled(frame is not None and len(frame) > 0)
        self.set_account_detail("", [], [], [], [])

    def set_account_detail(self, text: str, rows, names, scores, mql) -> None:
        """The selected account in words and its leads."""
        self.detail.setText(text)
        self.leads_model.set_leads(rows, names, scores, mql)

    def select_account(self, index: int) -> None:
        self.accounts_table.selectRow(index)

    # -- reactions --------------------------------------------------------------------------------
    def _fill_columns(self) -> None:
        by = self.by.currentData()
        wanted = self._rollup.column if self._rollup.by == by else None
        self.column.blockSignals(True)
        self.column.clear()
        for name in self._columns.get(by, []):
            self.column.addItem(name, name)
        index = self.column.findData(wanted) if wanted is not None else 0
        self.column.setCurrentIndex(index if index >= 0 else 0)
        self.column.blockSignals(False)

    def _on_by_changed(self) -> None:
        self._fill_columns()
        self._emit()

    def current_rollup(self) -> AccountRollup:
        return replace(self._rollup, by=self.by.currentData(), column=self.column.currentData(),
                       score=self.score.currentData(), threshold=float(self.threshold.value()))

    def _emit(self) -> None:
        rollup = self.current_rollup()
        if rollup != self._rollup:
            self._rollup = rollup
            self.rollupEdited.emit(rollup)
