"""Data > Add a file to these leads…: how another file's rows match the leads, and what they bring.

The dialog shows the file already read (the window reads it and asks for its sheet): a name for
the source, the key on each side (an id, an email address, or a person and company), the match
in numbers before accepting ("7,412 of 8,000 leads matched; …"), the columns to bring with what
to do when a lead matches several rows, and new lead columns defined from the rows (count,
latest / earliest date, sum, mean, max, distinct values), each optionally only where a condition
holds (the rule editor's condition row) and within N days of the scoring date.

Signals
-------
matchChanged(): the key changed; the window computes the preview and calls ``set_preview``
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QScrollArea, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from scoring.column_types import ColumnType
from scoring.model.recipe import Aggregate, MatchKey, Source
from widgets.rule_condition_row import ConditionRow, type_icon

__all__ = ["JoinDialog", "AggregateRow"]

_KINDS = (("id", "Same id"), ("email", "Same email address (case and spaces ignored)"),
          ("name", "Same person and company (as the duplicate finder compares them)"))
_MANY = (("first", "take the first row"), ("latest", "take the latest row by date"),
         ("aggregate", "combine them: add numbers, latest date, list the values"))
_FNS = (("count", "Number of rows"), ("latest", "Latest date"), ("earliest", "Earliest date"),
        ("sum", "Sum of"), ("mean", "Average of"), ("max", "Largest"), ("distinct", "Number of different"))


def _combo(name: str, columns, types, *, kinds=None) -> QComboBox:
    box = QComboBox(objectName=name)
    for column in columns:
        ctype = ColumnType(types[column])
        if kinds is None or kinds(ctype):
            box.addItem(type_icon(ctype), column, column)
    return box


def _guess(box: QComboBox, *candidates: str) -> None:
    for wanted in candidates:
        for i in range(box.count()):
            if box.itemData(i) and str(box.itemData(i)).casefold() == wanted.casefold():
                box.setCurrentIndex(i)
                return


class AggregateRow(QFrame):
    """One new lead column: its name, the function, its column, an optional condition and window.

    Signals
    -------
    removeRequested()
    """

    removeRequested = Signal()

    def __init__(self, types: dict[str, ColumnType], value_counts: Callable) -> None:
        super().__init__()
        self.setObjectName("aggregateRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._types = types
        self.name = QLineEdit(objectName="aggregateName", placeholderText="Name, e.g. Email clicks, last 30 days")
        self.fn = QComboBox(objectName="aggregateFn")
        for key, label in _FNS:
            self.fn.addItem(label, key)
        self.column = _combo("aggregateColumn", list(types), types)
        self.use_where = QCheckBox("Only rows where", objectName="aggregateUseWhere")
        self.where = ConditionRow(types, value_counts)
        self.where.remove.hide()
        self.use_days = QCheckBox("Only rows dated within the last", objectName="aggregateUseDays")
        self.days = QDoubleSpinBox(objectName="aggregateDays", decimals=0, minimum=0, maximum=36500, value=30,
                                   suffix=" days")
        self.date_column = _combo("aggregateDateColumn", list(types), types, kinds=lambda t: t.is_temporal)
        remove = QToolButton(objectName="aggregateRemove", text="✕", autoRaise=True, toolTip="Remove this column")
        top = QHBoxLayout()
        top.addWidget(self.name, 3)
        top.addWidget(self.fn, 2)
        top.addWidget(self.column, 2)
        top.addWidget(remove)
        days = QHBoxLayout()
        days.addWidget(self.use_days)
        days.addWidget(self.days)
        days.addWidget(QLabel("of the scoring date, by"))
        days.addWidget(self.date_column, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.use_where)
        layout.addWidget(self.where)
        layout.addLayout(days)
        remove.clicked.connect(self.removeRequested)
        self.fn.currentIndexChanged.connect(self._on_fn_changed)
        self.use_where.toggled.connect(self.where.setEnabled)
        self.use_days.toggled.connect(self.days.setEnabled)
        self.use_days.toggled.connect(self.date_column.setEnabled)
        self.where.setEnabled(False)
        self.days.setEnabled(False)
        self.date_column.setEnabled(False)
        self._on_fn_changed()

    def _on_fn_changed(self) -> None:
        fn = self.fn.currentData()
        self.column.setEnabled(fn != "count")
        wanted = {"latest": lambda t: t.is_temporal, "earliest": lambda t: t.is_temporal,
                  "sum": lambda t: t.is_numeric, "mean": lambda t: t.is_numeric, "max": lambda t: t.is_numeric}
        fits = wanted.get(fn, lambda _t: True)
        for i in range(self.column.count()):
            item_ok = fits(ColumnType(self._types[self.column.itemData(i)]))
            self.column.model().item(i).setEnabled(item_ok)
        if self.column.count() and not fits(ColumnType(self._types.get(self.column.currentData(), "text"))):
            for i in range(self.column.count()):
                if fits(ColumnType(self._types[self.column.itemData(i)])):
                    self.column.setCurrentIndex(i)
                    break

    def set_aggregate(self, agg: Aggregate) -> None:
        self.name.setText(agg.name)
        self.fn.setCurrentIndex(self.fn.findData(agg.fn))
        if agg.column is not None:
            self.column.setCurrentIndex(self.column.findData(agg.column))
        if agg.where is not None:
            self.use_where.setChecked(True)
            self.where.set_condition(agg.where)
        if agg.within_days is not None:
            self.use_days.setChecked(True)
            self.days.setValue(agg.within_days)
            self.date_column.setCurrentIndex(self.date_column.findData(agg.date_column))

    def problem(self) -> str:
        if not self.name.text().strip():
            return "Name each new column"
        if self.use_where.isChecked() and (self.where.condition() is None or self.where.problem()):
            return self.where.problem() or "Finish the condition"
        if self.use_days.isChecked() and self.date_column.currentData() is None:
            return "This file has no date column for 'within the last … days'"
        return ""

    def aggregate(self) -> Aggregate:
        fn = self.fn.currentData()
        return Aggregate(
            self.name.text().strip(), fn, None if fn == "count" else self.column.currentData(),
            self.where.condition() if self.use_where.isChecked() else None,
            float(self.days.value()) if self.use_days.isChecked() else None,
            self.date_column.currentData() if self.use_days.isChecked() else None)


class JoinDialog(QDialog):
    """See the module docstring. ``source()`` is the recipe entry the user built."""

    matchChanged = Signal()

    def __init__(self, file_name: str, lead_types: dict, file_types: dict, value_counts: Callable, *,
                 taken_names=(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.setWindowTitle(f"Add {file_name} to these leads")
        self.resize(760, 640)
        self._file_name, self._lead_types, self._file_types = file_name, lead_types, file_types
        self._value_counts, self._taken = value_counts, {n.casefold() for n in taken_names}
        self._preview_ok = False
        leads, rows = list(lead_types), list(file_types)
        self.name = QLineEdit(Path(file_name).stem, objectName="sourceName")
        self.kind = QComboBox(objectName="matchKind")
        for key, label in _KINDS:
            self.kind.addItem(label, key)
        self.lead_key = _combo("leadKey", leads, lead_types)
        self.file_key = _combo("fileKey", rows, file_types)
        self.lead_company = _combo("leadCompany", leads, lead_types)
        self.file_company = _combo("fileCompany", rows, file_types)
        self._guess_keys()
        form = QFormLayout()
        form.addRow("Name of this source", self.name)
        form.addRow("Rows match a lead by", self.kind)
        keys = QHBoxLayout()
        keys.addWidget(QLabel("Leads:"))
        keys.addWidget(self.lead_key, 1)
        keys.addWidget(self.lead_company, 1)
        keys.addWidget(QLabel(f"{file_name}:"))
        keys.addWidget(self.file_key, 1)
        keys.addWidget(self.file_company, 1)
        form.addRow("Key columns", keys)
        self.preview = QLabel(objectName="matchPreview", wordWrap=True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Match", self.preview)

        self.columns = QListWidget(objectName="broughtColumns")
        for column in rows:
            item = QListWidgetItem(type_icon(ColumnType(file_types[column])), column)
            item.setData(Qt.ItemDataRole.UserRole, column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.columns.addItem(item)
        self.many = QComboBox(objectName="manyPolicy")
        for key, label in _MANY:
            self.many.addItem(label, key)
        self.order_by = _combo("orderBy", rows, file_types, kinds=lambda t: t.is_temporal)
        if not self.order_by.count():
            self.many.model().item(1).setEnabled(False)
        bring = QWidget()
        bring_layout = QVBoxLayout(bring)
        bring_layout.addWidget(QLabel("Tick the columns each lead takes from its row:"))
        bring_layout.addWidget(self.columns, 1)
        many = QHBoxLayout()
        many.addWidget(QLabel("When a lead matches several rows,"))
        many.addWidget(self.many, 1)
        many.addWidget(self.order_by, 1)
        bring_layout.addLayout(many)

        self.aggregates: list[AggregateRow] = []
        self._agg_holder = QVBoxLayout()
        self._agg_holder.addStretch(1)
        holder = QWidget()
        holder.setLayout(self._agg_holder)
        scroll = QScrollArea(widgetResizable=True, objectName="aggregateScroll")
        scroll.setWidget(holder)
        add = QPushButton("Add a column from its rows", objectName="addAggregate")
        define = QWidget()
        define_layout = QVBoxLayout(define)
        define_layout.addWidget(QLabel("New lead columns from the rows of each lead (an activity log):"))
        define_layout.addWidget(scroll, 1)
        define_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget(objectName="joinTabs")
        self.tabs.addTab(bring, "Bring columns (one row per lead)")
        self.tabs.addTab(define, "Define columns (many rows per lead)")

        self.problem = QLabel(objectName="joinProblem", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add to the leads")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        add.clicked.connect(lambda: self.add_aggregate())
        for box in (self.kind, self.lead_key, self.file_key, self.lead_company, self.file_company):
            box.currentIndexChanged.connect(self._on_key_changed)
        self.kind.currentIndexChanged.connect(self._show_key_boxes)
        self.many.currentIndexChanged.connect(lambda: self.order_by.setEnabled(self.many.currentData() == "latest"))
        self.columns.itemChanged.connect(lambda _i: self._refresh_problem())
        self.name.textChanged.connect(lambda _t: self._refresh_problem())
        self.order_by.setEnabled(False)
        self._show_key_boxes()

    def set_source(self, source: Source) -> None:
        """Show ``source`` for editing (its name may stay: it is not taken by itself)."""
        self._taken.discard(source.name.casefold())
        self.name.setText(source.name)
        self.kind.setCurrentIndex(max(self.kind.findData(source.match.by), 0))
        self.lead_key.setCurrentIndex(self.lead_key.findData(source.match.leads[0]))
        self.file_key.setCurrentIndex(self.file_key.findData(source.match.file[0]))
        if source.match.by == "name":
            self.lead_company.setCurrentIndex(self.lead_company.findData(source.match.leads[-1]))
            self.file_company.setCurrentIndex(self.file_company.findData(source.match.file[-1]))
        self.set_checked_columns(source.columns)
        self.many.setCurrentIndex(max(self.many.findData(source.many), 0))
        if source.order_by is not None:
            self.order_by.setCurrentIndex(self.order_by.findData(source.order_by))
        for agg in source.aggregates:
            self.add_aggregate(agg)
        self.tabs.setCurrentIndex(1 if source.aggregates and not source.columns else 0)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply")

    # -- keys -------------------------------------------------------------------------------------
    def _guess_keys(self) -> None:
        shared = [c for c in self._lead_types if c in self._file_types]
        emails = [c for c in shared if ColumnType(self._lead_types[c]) == ColumnType.EMAIL]
        if emails:
            self.kind.setCurrentIndex(self.kind.findData("email"))
            _guess(self.lead_key, emails[0])
            _guess(self.file_key, emails[0])
        elif shared:
            _guess(self.lead_key, shared[0])
            _guess(self.file_key, shared[0])
        _guess(self.lead_company, "company", "account", "company name")
        _guess(self.file_company, "company", "account", "company name")

    def _show_key_boxes(self) -> None:
        by_name = self.kind.currentData() == "name"
        self.lead_company.setVisible(by_name)
        self.file_company.setVisible(by_name)

    def match_key(self) -> MatchKey | None:
        """The key as chosen (None while a side has no column)."""
        by = self.kind.currentData()
        left, right = self.lead_key.currentData(), self.file_key.currentData()
        if left is None or right is None:
            return None
        if by == "name":
            lc, rc = self.lead_company.currentData(), self.file_company.currentData()
            if lc is None or rc is None:
                return None
            return MatchKey(by, (left, lc), (right, rc))
        return MatchKey(by, (left,), (right,))

    def _on_key_changed(self) -> None:
        self._preview_ok = False
        self.matchChanged.emit()

    def set_preview(self, text: str, ok: bool) -> None:
        """Show the match in numbers, or (``ok`` False) why rows cannot match."""
        self._preview_ok = ok
        self.preview.setText(text)
        self.preview.setStyleSheet("" if ok else "color: #b91c1c;")
        self._refresh_problem()

    # -- what it brings ---------------------------------------------------------------------------
    def add_aggregate(self, agg: Aggregate | None = None) -> AggregateRow:
        row = AggregateRow(self._file_types, self._value_counts)
        if agg is not None:
            row.set_aggregate(agg)
        row.removeRequested.connect(lambda r=row: self._remove_aggregate(r))
        row.name.textChanged.connect(lambda _t: self._refresh_problem())
        row.where.changed.connect(self._refresh_problem)
        self._agg_holder.insertWidget(self._agg_holder.count() - 1, row)
        self.aggregates.append(row)
        self.tabs.setCurrentIndex(1)
        self._refresh_problem()
        return row

    def _remove_aggregate(self, row: AggregateRow) -> None:
        self.aggregates.remove(row)
        row.setParent(None)
        row.deleteLater()
        self._refresh_problem()

    def set_checked_columns(self, columns) -> None:
        wanted = set(columns)
        for i in range(self.columns.count()):
            item = self.columns.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)

    def checked_columns(self) -> tuple[str, ...]:
        return tuple(self.columns.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.columns.count())
                     if self.columns.item(i).checkState() == Qt.CheckState.Checked)

    def current_problem(self) -> str:
        """Why the dialog cannot be accepted yet ("" when it can)."""
        name = self.name.text().strip()
        if not name:
            return "Give this source a name"
        if name.casefold() in self._taken:
            return f"The model already has a source named '{name}'"
        if self.match_key() is None:
            return "Pick the key column on each side"
        if not self._preview_ok:
            return "The rows must match some leads first"
        if not self.checked_columns() and not self.aggregates:
            return "Tick columns to bring, or define a column from the rows"
        names = [row.name.text().strip() for row in self.aggregates]
        if len(set(names)) != len(names):
            return "Give each new column its own name"
        return next((p for p in (row.problem() for row in self.aggregates) if p), "")

    def _refresh_problem(self) -> None:
        problem = self.current_problem()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def source(self, path: str, sheet: str | None = None) -> Source:
        """The recipe entry: this file at ``path`` (``sheet`` of a workbook)."""
        many = self.many.currentData()
        return Source(self.name.text().strip(), str(path), self.match_key(), sheet=sheet,
                      columns=self.checked_columns(), many=many,
                      order_by=self.order_by.currentData() if many == "latest" else None,
                      aggregates=tuple(row.aggregate() for row in self.aggregates))
