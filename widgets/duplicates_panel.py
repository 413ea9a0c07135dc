"""The Data quality panel: email findings, duplicate options, the duplicate groups and their leads,
and the placeholder texts ("Select", "--", "Unknown") that fill cells without saying anything.

It shows what ``scoring.report.quality.email_quality`` and ``scoring.handoff.duplicates.find_duplicates``
computed (given through setters) and emits intents: the options changed, a lead was activated.
It computes nothing itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QItemSelection, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QRadioButton,
                               QSplitter, QTableView, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from scoring.handoff.duplicates import Duplicates
from scoring.report.quality import EmailFindings
from widgets.duplicate_models import DuplicateRole, GroupsTableModel, MembersTableModel

__all__ = ["DuplicatesPanel", "DuplicateOptions", "KEEP_LABELS"]

KEEP_LABELS = {"first": "The first in the list", "complete": "The most complete (most cells filled)",
               "recent": "The most recent"}


@dataclass(frozen=True)
class DuplicateOptions:
    """What the user chose: match ``by`` "email" or "email+name", ``plus_addressing``, which lead
    to ``keep`` ("first", "complete", "recent") and whether to ``leave_out`` duplicates of exports."""

    by: str = "email"
    plus_addressing: bool = False
    keep: str = "first"
    leave_out: bool = False


_FIT_ROWS = 100     # rows measured to fit a column to its contents


def _table_view(name: str) -> QTableView:
    view = QTableView(objectName=name)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    # widths fitted to a sample of rows, and rows of one fixed height: a list of ten million leads
    # has a million groups, and Qt would measure every one on the GUI thread
    view.horizontalHeader().setResizeContentsPrecision(_FIT_ROWS)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(22)
    return view


class DuplicatesPanel(QWidget):
    """Signals
    -------
    optionsChanged(): any duplicate option changed (read them with ``options()``)
    leadActivated(int): the user double-clicked a lead (its row in the lead list)
    placeholderIgnoreRequested(str): treat this placeholder text as an empty cell (in the model)
    """

    optionsChanged = Signal()
    leadActivated = Signal(int)
    placeholderIgnoreRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesPanel")
        self._found: Duplicates | None = None
        top = QHBoxLayout()
        top.addWidget(self._email_box(), 1)
        top.addWidget(self._options_box(), 1)
        self.summary = QLabel(objectName="duplicatesSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.groups_model = GroupsTableModel(self)
        self.members_model = MembersTableModel(self)
        self.groups_view = _table_view("duplicateGroups")
        self.groups_view.setModel(self.groups_model)
        self.groups_view.setSortingEnabled(True)
        self.groups_view.horizontalHeader().setSortIndicatorShown(False)
        self.groups_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.groups_view.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.groups_view.horizontalHeader().setStretchLastSection(False)
        # the shared address or name takes the width left: the table never scrolls sideways
        self.groups_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.groups_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.members_view = _table_view("duplicateMembers")
        self.members_view.setModel(self.members_model)
        self.groups_view.selectionModel().selectionChanged.connect(self._on_groups_selection_changed)
        self.groups_view.doubleClicked.connect(
            lambda index: self.leadActivated.emit(index.data(DuplicateRole.LEAD_ROW)))
        self.members_view.doubleClicked.connect(
            lambda index: self.leadActivated.emit(self.members_model.lead_row(index.row())))
        self.members_title = QLabel("Leads of the chosen group (double-click one to see it)",
                                    objectName="duplicateMembersTitle")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.members_title)
        right_layout.addWidget(self.members_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="duplicatesSplitter")
        splitter.addWidget(self.groups_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 500])
        duplicates_page = QWidget()
        duplicates_layout = QVBoxLayout(duplicates_page)
        duplicates_layout.setContentsMargins(4, 4, 4, 4)
        duplicates_layout.addWidget(self.summary)
        duplicates_layout.addWidget(splitter, 1)
        self.tabs = QTabWidget(objectName="dataQualityTabs")
        self.tabs.addTab(duplicates_page, "Duplicates")
        self.tabs.addTab(self._placeholders_page(), "Placeholder values")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.set_email_findings(None)
        self.set_duplicates(None)
        self.set_placeholders((), 0)

    # -- building -----------------------------------------------------------------------------
    def _email_box(self) -> QGroupBox:
        box = QGroupBox("Email addresses")
        form = QFormLayout(box)
        self.email_column_label = QLabel(objectName="emailColumn", wordWrap=True)
        self.invalid_label = QLabel(objectName="invalidEmails", wordWrap=True)
        self.free_label = QLabel(objectName="freeMailEmails", wordWrap=True)
        for label in (self.invalid_label, self.free_label):
            label.setTextFormat(Qt.TextFormat.RichText)
        form.addRow("Column:", self.email_column_label)
        form.addRow("Not an address:", self.invalid_label)
        form.addRow("Free-mail:", self.free_label)
        return box

    def _options_box(self) -> QGroupBox:
        box = QGroupBox("Duplicates")
        form = QFormLayout(box)
        self.by_email = QRadioButton("Same email address", objectName="dedupeByEmail")
        self.by_name = QRadioButton("Same email, or same name and company",
                                    objectName="dedupeByEmailName")
        self.by_email.setChecked(True)
        self._match_group = group = QButtonGroup(self)
        group.addButton(self.by_email)
        group.addButton(self.by_name)
        match = QVBoxLayout()
        match.setSpacing(2)
        match.addWidget(self.by_email)
        match.addWidget(self.by_name)
        self.plus_check = QCheckBox("Treat ann+news@x.com as ann@x.com",
                                    objectName="dedupePlusAddressing")
        self.keep_combo = QComboBox(objectName="dedupeKeep")
        for key, label in KEEP_LABELS.items():
            self.keep_combo.addItem(label, key)
        self.leave_out_check = QCheckBox("Leave duplicates out of exports",
                                         objectName="dedupeLeaveOut")
        form.addRow("Match:", match)
        form.addRow("", self.plus_check)
        form.addRow("Keep:", self.keep_combo)
        form.addRow("", self.leave_out_check)
        group.buttonToggled.connect(lambda _b, on: on and self.optionsChanged.emit())
        for signal in (self.plus_check.toggled, self.leave_out_check.toggled):
            signal.connect(lambda _on: self.optionsChanged.emit())
        self.keep_combo.currentIndexChanged.connect(lambda _i: self.optionsChanged.emit())
        return box

    def _placeholders_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        self.placeholder_summary = QLabel(objectName="placeholderSummary", wordWrap=True)
        self.placeholders = QTableWidget(0, 4, objectName="placeholderTable")
        self.placeholders.setHorizontalHeaderLabels(["Column", "Value", "Cells", "Treated as empty"])
        self.placeholders.verticalHeader().hide()
        self.placeholders.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.placeholders.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.placeholders.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.placeholders.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.ignore_button = QPushButton("Treat as empty", objectName="ignorePlaceholderButton")
        self.ignore_button.setToolTip("Leadbench then reads this text as an empty cell in every "
                                      "column (saved with the model; undo with Ctrl+Z)")
        self.ignore_button.setEnabled(False)
        self.placeholders.itemSelectionChanged.connect(self._on_placeholder_selection_changed)
        self.ignore_button.clicked.connect(self._on_ignore_clicked)
        layout.addWidget(self.placeholder_summary)
        layout.addWidget(self.placeholders, 1)
        layout.addWidget(self.ignore_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    # -- setters ------------------------------------------------------------------------------
    def set_placeholders(self, placeholders, n_rows: int) -> None:
        """Show the ``Placeholder`` findings (``scoring.report.quality.placeholder_values``):
        column, value, how many cells (share of the ``n_rows`` leads) and whether they are
        already read as empty."""
        self._placeholders = tuple(placeholders)
        table = self.placeholders
        table.setRowCount(len(self._placeholders))
        for r, p in enumerate(self._placeholders):
            share = f" ({p.count / n_rows:.0%})" if n_rows else ""
            cells = [p.column, f"“{p.value}”", f"{p.count:,}{share}", "Yes" if p.treated_as_missing else "No"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        untreated = sum(not p.treated_as_missing for p in self._placeholders)
        if not self._placeholders:
            text = "No cell holds a placeholder such as “Select”, “--” or “Unknown”."
        else:
            columns = len({p.column for p in self._placeholders})
            text = (f"{len(self._placeholders):,} placeholder texts fill cells in {columns:,} "
                    f"column{'s' if columns != 1 else ''}"
                    + (f"; {untreated:,} are still read as values (select one and click “Treat as "
                       "empty”)." if untreated else "; all are read as empty cells."))
        self.placeholder_summary.setText(text)
        self.tabs.setTabText(1, f"Placeholder values ({len(self._placeholders):,})"
                             if self._placeholders else "Placeholder values")
        self._on_placeholder_selection_changed()

    def options(self) -> DuplicateOptions:
        return DuplicateOptions("email+name" if self.by_name.isChecked() else "email",
                                self.plus_check.isChecked(), self.keep_combo.currentData(),
                                self.leave_out_check.isChecked())

    def set_options(self, options: DuplicateOptions) -> None:
        """Show these choices (no optionsChanged)."""
        widgets = (self._match_group, self.by_email, self.by_name, self.plus_check,
                   self.keep_combo, self.leave_out_check)
        for widget in widgets:
            widget.blockSignals(True)
        (self.by_name if options.by == "email+name" else self.by_email).setChecked(True)
        self.plus_check.setChecked(options.plus_addressing)
        self.keep_combo.setCurrentIndex(max(0, self.keep_combo.findData(options.keep)))
        self.leave_out_check.setChecked(options.leave_out)
        for widget in widgets:
            widget.blockSignals(False)

    def set_match_available(self, *, names: str | None, recent: str | None, email: bool = True) -> None:
        """Which choices the list allows: ``names`` describes the name and company columns found
        (None: none, so only email matching), ``recent`` names the date column "most recent"
        compares (None: no date column), ``email`` whether there is an email column (without
        one, leads are matched by name and company)."""
        self.by_name.setEnabled(names is not None)
        self.by_name.setToolTip(f"Compares {names}" if names else
                                "No name and company columns were found in this list")
        self.by_email.setEnabled(email)
        self.plus_check.setEnabled(email)
        self.by_email.setText("Same email address" if email else "Same email address (no email column)")
        self.by_name.setText("Same email, or same name and company" if email else "Same name and company")
        if not email and names is not None:
            with QSignalBlocker(self._match_group):
                self.by_name.setChecked(True)
        item = self.keep_combo.model().item(self.keep_combo.findData("recent"))
        item.setEnabled(recent is not None)
        item.setText(f"The most recent ({recent})" if recent else "The most recent (no date column)")

    def set_email_findings(self, findings: EmailFindings | None, note: str = "") -> None:
        """Show the email findings; None with a ``note`` saying why there are none."""
        if findings is None:
            self.email_column_label.setText(note or "No email column")
            self.invalid_label.setText("—")
            self.free_label.setText("—")
            return
        self.email_column_label.setText(f"{findings.column} ({findings.filled:,} filled)")
        examples = ", ".join(f"“{html.escape(t)}”" for t in findings.invalid_examples)
        self.invalid_label.setText(f"<b>{findings.invalid:,}</b>" + (f" — e.g. {examples}"
                                                                     if examples else ""))
        share = findings.free_mail / findings.filled if findings.filled else 0.0
        domains = ", ".join(f"{html.escape(d)} {n:,}" for d, n in findings.free_domains)
        self.free_label.setText(f"<b>{findings.free_mail:,}</b> ({share:.0%})"
                                + (f" — {domains}" if domains else ""))

    def set_duplicates(self, found: Duplicates | None, leads: pd.DataFrame | None = None,
                       note: str = "") -> None:
        """Show the groups of ``found`` with ``leads`` (the columns to list for each lead; rows
        as in the lead list). None with a ``note`` saying why there are none."""
        self._found = found
        self.members_model.set_columns(leads if found is not None else None)
        if found is None:
            self.groups_model.set_groups([], [], [])
            self.summary.setText(html.escape(note or "No lead list"))
            return
        groups = found.groups
        self.groups_model.set_groups(groups["key"].to_numpy(object), groups["size"].to_numpy(),
                                     groups["kept"].to_numpy())
        if not found.n_groups:
            self.summary.setText("No duplicates: every lead is a different person.")
        else:
            self.summary.setText(
                f"<b>{found.n_groups:,}</b> groups of duplicates hold {found.n_in_groups:,} leads; "
                f"keeping one of each leaves out <b>{found.n_left_out:,}</b>.")
        if found.n_groups:
            self.groups_view.selectRow(0)
        self.groups_view.resizeColumnToContents(1)
        self.groups_view.resizeColumnToContents(2)

    def set_busy(self, busy: bool) -> None:
        """Say the findings are being recomputed."""
        if busy:
            self.summary.setText("Looking for duplicates…")

    # -- slots --------------------------------------------------------------------------------
    def _selected_placeholder(self):
        rows = {i.row() for i in self.placeholders.selectedItems()}
        return self._placeholders[rows.pop()] if len(rows) == 1 else None

    def _on_placeholder_selection_changed(self) -> None:
        chosen = self._selected_placeholder()
        self.ignore_button.setEnabled(chosen is not None and not chosen.treated_as_missing)

    def _on_ignore_clicked(self) -> None:
        chosen = self._selected_placeholder()
        if chosen is not None and not chosen.treated_as_missing:
            self.placeholderIgnoreRequested.emit(chosen.value.strip())

    def _on_groups_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        if self._found is None or not selected.indexes():
            self.members_model.set_members(np.zeros(0, np.int64), -1)
            return
        g = self.groups_model.group_at(selected.indexes()[0].row())
        self.members_model.set_members(self._found.rows_of(g),
                                       int(self._found.groups["kept"].iat[g]))
        self.members_view.resizeColumnsToContents()
