"""The export's choices as a form: which leads (and whether to leave out duplicates), columns,
order, split, file format options.

A pure form: it takes the lead list's columns and counts through its constructor and setters,
and hands back :class:`scoring.handoff.export.ExportOptions`; choosing the file is the dialog's job.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QRadioButton, QVBoxLayout, QWidget)

from scoring.handoff.export import WHICH, CsvOptions, ExportOptions
from scoring.handoff.export_csv import DELIMITERS, LINE_ENDS

__all__ = ["ExportOptionsForm", "WHICH_LABELS"]

WHICH_LABELS = {"mql": "MQLs", "all": "All leads", "not_mql": "Not MQLs", "blocked": "Blocked by a gate"}


class ExportOptionsForm(QWidget):
    """Signals
    -------
    changed(): any choice changed (the dialog re-checks what it can offer)
    """

    changed = Signal()

    def __init__(self, columns: list[str], default_columns: list[str], counts: dict[str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportOptions")
        self._columns, self._defaults = list(columns), list(default_columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._leads_box(counts))
        middle = QHBoxLayout()
        middle.addWidget(self._columns_box(), 3)
        right = QVBoxLayout()
        right.addWidget(self._order_box())
        right.addWidget(self._split_box())
        right.addStretch(1)
        middle.addLayout(right, 2)
        layout.addLayout(middle, 1)
        layout.addWidget(self._format_box())
        self.set_format("xlsx")

    # -- building -----------------------------------------------------------------------------
    def _leads_box(self, counts: dict[str, int]) -> QGroupBox:
        box = QGroupBox("Leads")
        row = QHBoxLayout(box)
        self._which = QButtonGroup(self)
        self.which_buttons: dict[str, QRadioButton] = {}
        for key in WHICH:
            button = QRadioButton(f"{WHICH_LABELS[key]} ({counts.get(key, 0):,})",
                                  objectName=f"exportWhich_{key}")
            button.setEnabled(counts.get(key, 0) > 0 or key == "mql")
            self._which.addButton(button)
            self.which_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.dedupe_check = QCheckBox("Leave out duplicates", objectName="exportLeaveOutDuplicates")
        self.dedupe_check.setVisible(False)
        self.dedupe_check.toggled.connect(lambda _on: self.changed.emit())
        row.addWidget(self.dedupe_check)
        self.which_buttons["mql"].setChecked(True)
        self._which.buttonToggled.connect(lambda *_: self.changed.emit())
        return box

    def _columns_box(self) -> QGroupBox:
        box = QGroupBox("Columns")
        layout = QVBoxLayout(box)
        self.column_list = QListWidget(objectName="exportColumns")
        self.column_list.setMinimumHeight(160)
        self.column_list.setDragDropMode(QListWidget.DragDropMode.InternalMove)   # drag to reorder
        self.column_list.setToolTip("Tick the columns to export; drag them to change their order")
        for name in self._columns:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            self.column_list.addItem(item)
        self.column_list.itemChanged.connect(lambda _item: self._on_columns_changed())
        buttons = QHBoxLayout()
        for text, names, name in (("Contact details", self._defaults, "exportColumnsContact"),
                                  ("All", self._columns, "exportColumnsAll"),
                                  ("None", [], "exportColumnsNone")):
            button = QPushButton(text, objectName=name)
            button.clicked.connect(lambda _=False, n=names: self.set_columns(n))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.columns_note = QLabel(objectName="exportColumnsNote", wordWrap=True)
        layout.addWidget(self.column_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.columns_note)
        self.set_columns(self._defaults)
        return box

    def _order_box(self) -> QGroupBox:
        box = QGroupBox("Order")
        form = QFormLayout(box)
        self.sort_combo = QComboBox(objectName="exportSortBy")
        self.sort_combo.addItem("Score, best first", None)
        for name in self._columns:
            self.sort_combo.addItem(name, name)
        self.direction_combo = QComboBox(objectName="exportSortDirection")
        self.direction_combo.addItem("Largest / Z first", False)
        self.direction_combo.addItem("Smallest / A first", True)
        self.sort_combo.currentIndexChanged.connect(self._on_sort_changed)
        form.addRow("Sort by:", self.sort_combo)
        form.addRow("Direction:", self.direction_combo)
        self._on_sort_changed()
        return box

    def _split_box(self) -> QGroupBox:
        box = QGroupBox("Split")
        form = QFormLayout(box)
        self.split_combo = QComboBox(objectName="exportSplitBy")
        self.split_combo.addItem("Don't split", None)
        for name in self._columns:
            self.split_combo.addItem(name, name)
        self.split_sheets = QRadioButton("Sheets of one workbook", objectName="exportSplitSheets")
        self.split_files = QRadioButton("Separate files", objectName="exportSplitFiles")
        self.split_sheets.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.split_sheets)
        group.addButton(self.split_files)
        self.split_combo.currentIndexChanged.connect(lambda _i: self._sync())
        form.addRow("Split by:", self.split_combo)
        form.addRow("", self.split_sheets)
        form.addRow("", self.split_files)
        return box

    def _format_box(self) -> QGroupBox:
        box = QGroupBox("File format")
        rows = QVBoxLayout(box)
        row = QHBoxLayout()
        rows.addLayout(row)
        self.summary_check = QCheckBox("Add Summary and Model sheets", objectName="exportSummary")
        self.summary_check.setChecked(True)
        self.delimiter_combo = QComboBox(objectName="exportDelimiter")
        for char, name in DELIMITERS.items():
            self.delimiter_combo.addItem(f"Separated by {name}", char)
        self.bom_check = QCheckBox("Byte-order mark (Excel on Windows)", objectName="exportBom")
        self.line_end_combo = QComboBox(objectName="exportLineEnds")
        for end, name in LINE_ENDS.items():
            self.line_end_combo.addItem(f"Line ends: {name}", end)
        self.german_check = QCheckBox("For Excel in German (; and decimal comma)", objectName="exportExcelGerman")
        self.german_check.setToolTip("Excel set to German (and most European languages) reads 1234,56 as a "
                                     "number: numbers are written with a decimal comma, fields separated "
                                     "by semicolons, with a byte-order mark")
        self.german_check.toggled.connect(self._on_german_toggled)
        for widget in (self.summary_check, self.delimiter_combo, self.bom_check, self.line_end_combo):
            row.addWidget(widget)
        row.addStretch(1)
        rows.addWidget(self.german_check)
        return box

    # -- state --------------------------------------------------------------------------------
    def set_columns(self, names: list[str]) -> None:
        """Check exactly these columns."""
        wanted = set(names)
        self.column_list.blockSignals(True)
        for i in range(self.column_list.count()):
            item = self.column_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in wanted else Qt.CheckState.Unchecked)
        self.column_list.blockSignals(False)
        self._on_columns_changed()

    def checked_columns(self) -> list[str]:
        return [self.column_list.item(i).text() for i in range(self.column_list.count())
                if self.column_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_format(self, suffix: str) -> None:
        """Show the options of ``suffix`` ("csv" or "xlsx")."""
        self._format = suffix
        self._sync()

    def set_duplicates(self, count: int | None, checked: bool = False) -> None:
        """Offer "Leave out duplicates" for ``count`` duplicate leads (0: none found, so the box
        is shown but off; None: not offered at all)."""
        self.dedupe_check.setVisible(count is not None)
        self.dedupe_check.setEnabled(bool(count))
        self.dedupe_check.setText(f"Leave out duplicates ({count:,} leads)" if count
                                  else "Leave out duplicates (none found)")
        self.dedupe_check.setChecked(bool(count) and checked)

    def leave_out_duplicates(self) -> bool:
        """Whether the export should leave out duplicates (see ``set_duplicates``)."""
        check = self.dedupe_check
        return not check.isHidden() and check.isEnabled() and check.isChecked()

    def set_csv_options(self, options: CsvOptions) -> None:
        self.german_check.setChecked(False)
        self.delimiter_combo.setCurrentIndex(max(0, self.delimiter_combo.findData(options.delimiter)))
        self.bom_check.setChecked(options.bom)
        self.line_end_combo.setCurrentIndex(max(0, self.line_end_combo.findData(options.line_end)))
        self.german_check.setChecked(options.excel_german)

    def options(self) -> ExportOptions:
        which = next(k for k, b in self.which_buttons.items() if b.isChecked())
        columns = self.checked_columns()
        return ExportOptions(
            which=which,
            columns=None if columns == self._columns else tuple(columns),
            sort_by=self.sort_combo.currentData(),
            ascending=bool(self.direction_combo.currentData()),
            split_by=self.split_combo.currentData(),
            split_files=self._format == "csv" or self.split_files.isChecked(),
            csv=CsvOptions(delimiter=self.delimiter_combo.currentData(), bom=self.bom_check.isChecked(),
                           line_end=self.line_end_combo.currentData(),
                           decimal="," if self.german_check.isChecked() else "."),
            summary=self.summary_check.isChecked())

    def _on_german_toggled(self, on: bool) -> None:
        """Excel in German: semicolons and a byte-order mark go with the decimal commas."""
        if on:
            self.delimiter_combo.setCurrentIndex(self.delimiter_combo.findData(";"))
            self.bom_check.setChecked(True)
        self.delimiter_combo.setEnabled(not on)
        self.changed.emit()

    def _on_columns_changed(self) -> None:
        n = len(self.checked_columns())
        self.columns_note.setText(f"{n} of {len(self._columns)} columns (drag to reorder), then "
                                  "score, MQL and the reasons for each score.")
        self.changed.emit()

    def _on_sort_changed(self) -> None:
        self.direction_combo.setEnabled(self.sort_combo.currentData() is not None)
        self.changed.emit()

    def _sync(self) -> None:
        csv = self._format == "csv"
        split = self.split_combo.currentData() is not None
        self.summary_check.setVisible(not csv)
        for widget in (self.german_check, self.delimiter_combo, self.bom_check, self.line_end_combo):
            widget.setVisible(csv)
        self.split_sheets.setEnabled(split and not csv)
        self.split_files.setEnabled(split and not csv)
        if csv:
            self.split_files.setChecked(True)
        self.split_sheets.setToolTip("" if not csv else "A CSV file has no sheets: each value gets its own file")
        self.changed.emit()
